"""`generate --dist`: each package as a distribution that pip installs, imports and mypy accepts."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import ROOT, fresh_venv, minimal_spec, pip_install
from hypothesis import given
from hypothesis import strategies as st
from packaging.requirements import Requirement
from packaging.version import Version

from generator.cache import Cache
from generator.dist import CLIENT, SERVER, distribution_name, pep440
from generator.identifiers import toml
from generator.pipeline import check_spec, generate
from generator.sources import discover, package_name

Cli = Callable[..., Result]
WriteSpec = Callable[[str, str], Path]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def declared(names: tuple[str, ...]) -> list[str]:
    """The requirements our pyproject.toml's dev extra states for `names`, in their order."""
    ranges = {Requirement(text).name: text for text in PYPROJECT["project"]["optional-dependencies"]["dev"]}
    return [ranges[name] for name in names]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2.0.0", "2.0.0"),
        ("22.1", "22.1"),
        ("v2", "2"),
        ("V1.2", "1.2"),
        ("1.0-beta", "1.0b0"),
        ("2.0.0-rc.1", "2.0.0rc1"),
        ("1.0.0-SNAPSHOT", "1.0.0+snapshot"),
        ("2023-01-15", "2023.1.15"),
        ("1.0 (beta 2)", "1.0+beta.2"),
        ("latest", "0+latest"),
        (" ", "0"),
        ("", "0"),
    ],
)
def test_pep440_keeps_what_pep440_reads_and_reads_the_rest_by_rule(written: str, expected: str) -> None:
    assert pep440(written) == expected


@given(st.text())
def test_pep440_gives_a_valid_normal_version_for_any_text(written: str) -> None:
    version = pep440(written)
    assert str(Version(version)) == version


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_toml_strings_read_back_as_written(text: str) -> None:
    assert tomllib.loads(f"k = {toml(text)}\nl = {toml([text, text])}") == {"k": text, "l": [text, text]}


TAGGED = minimal_spec(
    """
    /meetings:
      get:
        operationId: listMeetings
        tags: [meetings]
        responses: {'200': {description: ok}}
    """
)


def test_dist_writes_a_distribution_per_spec(cli: Cli, write_spec: WriteSpec, tmp_path: Path) -> None:
    spec = write_spec(TAGGED.replace("version: '1'", "version: 'v2.1-beta'"), "my-api.yaml")
    result = cli("generate", "--no-cache", "--dist", "clients", spec.name)
    assert result.exit_code == 0, result.output
    name = package_name(spec)
    root = tmp_path / "clients" / name
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    meta = project["project"]
    assert (meta["name"], meta["version"]) == (distribution_name(name), "2.1b0")
    assert meta["dependencies"] == declared(CLIENT)
    assert meta["optional-dependencies"] == {"server": declared(SERVER)}
    assert meta["requires-python"] == PYPROJECT["project"]["requires-python"]
    package = root / name
    folders = {p.parent for p in package.rglob("__init__.py")}
    assert sorted(project["tool"]["setuptools"]["packages"]) == sorted(
        ".".join(f.relative_to(root).parts) for f in folders
    )
    data = {
        ".".join(f.relative_to(root).parts): sorted(p.name for p in f.iterdir() if p.is_file() and p.suffix != ".py")
        for f in folders
    }
    assert project["tool"]["setuptools"]["package-data"] == {k: v for k, v in data.items() if v}
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme == (package / "README.md").read_text(encoding="utf-8")
    assert f"from {name} import" in readme  # a top-level package, as installed
    again = cli("generate", "--no-cache", "--dist", "clients", "--check", spec.name)
    assert (again.exit_code, again.stdout) == (0, "generated files are up to date\n")


@pytest.mark.parametrize("dist", [False, True])
def test_the_meetings_interface_is_no_distribution(tmp_path: Path, dist: bool) -> None:
    """It spans the vendors' packages, which a distribution each cannot import as siblings."""
    specs = discover(ROOT / "tests" / "fixtures" / "unified")  # specs with x-unified
    done = generate(specs, tmp_path, all_specs=True, check=True, cache=Cache(None), dist=dist)
    tops = {change.path.relative_to(tmp_path).parts[0] for change in done.changes}
    assert ("meetings" in tops) is not dist
    assert tops - {"meetings"} == {package_name(spec) for spec in specs}


def test_spec_text_reaches_pyproject_escaped(cli: Cli, tmp_path: Path) -> None:
    title, version = 'Evil """\n[tool.x]\nq = 1 \\ é\x7f', '1"\n[y]'
    spec = {"openapi": "3.1.0", "info": {"title": title, "version": version}, "paths": {}}
    (tmp_path / "evil.json").write_text(json.dumps(spec), encoding="utf-8")
    result = cli("generate", "--no-cache", "--dist", "clients", "evil.json")
    assert result.exit_code == 0, result.output
    project = tomllib.loads((tmp_path / "clients" / "evil" / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["description"].startswith(f"A typed Python client for {title} ({version})")
    assert project["project"]["version"] == pep440(version) == "1+y"
    assert "x" not in project["tool"] and "y" not in project


def test_dist_from_the_configuration_unless_out_is_given(cli: Cli, write_spec: WriteSpec, tmp_path: Path) -> None:
    spec = write_spec(minimal_spec(), "mini.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.clientgen]\ndist = "clients"\n', encoding="utf-8")
    assert cli("generate", "--no-cache", spec.name).exit_code == 0
    assert (tmp_path / "clients" / "mini" / "pyproject.toml").is_file()
    assert cli("generate", "--no-cache", "--out", "packages", spec.name).exit_code == 0
    assert (tmp_path / "packages" / "mini" / "__init__.py").is_file()
    assert not (tmp_path / "packages" / "mini" / "pyproject.toml").exists()
    both = cli("generate", "--dist", "a", "--out", "b", spec.name)
    assert both.exit_code == 2 and "--dist and --out" in both.output
    (tmp_path / "pyproject.toml").write_text("[tool.clientgen]\n\ndist = 3\n", encoding="utf-8")
    bad = cli("generate", "--no-cache", spec.name)
    assert (bad.exit_code, bad.stderr) == (1, "pyproject.toml:3: /: error [config] dist must be a folder (a string)\n")


@pytest.mark.slow
def test_pip_installs_a_distribution_that_imports_and_passes_mypy_strict(cli: Cli, tmp_path: Path) -> None:
    """The smallest of our specs, as a distribution, installed into a fresh venv (offline)."""
    spec = min(discover(ROOT / "specs"), key=lambda p: p.stat().st_size)
    api, findings = check_spec(spec)
    assert api is not None, findings
    shutil.copy(spec, tmp_path)
    assert cli("generate", "--no-cache", "--dist", "clients", spec.name).exit_code == 0
    python, purelib = fresh_venv(tmp_path / "venv")
    pip_install(python, tmp_path / "clients" / api.package)
    shutil.rmtree(tmp_path / "clients")  # what runs below is the installed copy alone

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    build = (
        f"import {api.package} as p; c = p.{api.client_name}Client(base_url='http://127.0.0.1:9'); print(p.__file__)"
    )
    imported = run(python, "-c", build)
    assert imported.returncode == 0, imported.stderr
    assert Path(imported.stdout.strip()).is_relative_to(purelib)
    for name in ("py.typed", "openapi.json", "_base_client.py"):  # its data and its runtime
        assert (purelib / api.package / name).is_file()
    typed = run(python, "-m", "mypy", "--strict", "--no-incremental", "-p", api.package)
    assert typed.returncode == 0, typed.stdout
