"""Adoption: `clientgen --version`, the pre-commit hook, and `pip install .` into a fresh venv."""

from __future__ import annotations

import re
import shutil
import site
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from conftest import ROOT

Cli = Callable[..., Result]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]


def test_version_is_the_one_pyproject_states(cli: Cli) -> None:
    result = cli("--version")
    assert (result.exit_code, result.stdout) == (0, f"clientgen {VERSION}\n")


def test_the_pre_commit_hook_runs_our_lint_on_specs() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("clientgen-lint", "clientgen lint", "python")
    assert hook["entry"].split()[0] in PYPROJECT["project"]["scripts"]
    files = re.compile(hook["files"])
    assert [bool(files.search(name)) for name in ("specs/a.yaml", "specs/v2/b.yml", "specs/c.json")] == [True] * 3
    assert [bool(files.search(name)) for name in ("a.yaml", "docs/specs/a.yaml", "specs/a.md")] == [False] * 3


@pytest.mark.slow
def test_pip_install_gives_a_working_clientgen(tmp_path: Path) -> None:
    """Installs a copy of the sources (so no build files land in the repository) into a
    venv that sees this environment's packages, with no network: --no-deps, and this
    environment's setuptools as the build backend."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__", ".*"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    python = venv / "bin" / "python"
    # `--system-site-packages` would show the base interpreter's packages, not this venv's.
    found = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], capture_output=True, text=True
    )
    (Path(found.stdout.strip()) / "parent.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    install = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps"]
    subprocess.run([*install, "--no-build-isolation", source], check=True, timeout=300)

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)

    where = run(python, "-c", "import generator; print(generator.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stderr  # the installed copy, not ours
    clientgen = venv / "bin" / "clientgen"
    assert run(clientgen, "--version").stdout == f"clientgen {VERSION}\n"
    assert run(python, "-m", "generator", "--version").stdout == f"clientgen {VERSION}\n"
    shutil.copy(ROOT / "specs" / "joinme.yaml", tmp_path)
    lint = run(clientgen, "lint", "joinme.yaml")
    assert (lint.returncode, lint.stdout, lint.stderr) == (0, "1 spec checked: no problems\n", "")
