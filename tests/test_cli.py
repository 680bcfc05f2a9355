"""The CLI: messages, exit codes, and what is (not) written."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import ROOT, minimal_spec

Cli = Callable[..., Result]
JOINME = ROOT / "specs" / "joinme.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def joinme(tmp_path: Path) -> Path:
    path = tmp_path / "specs" / "joinme.yaml"
    path.parent.mkdir()
    shutil.copy(JOINME, path)
    return path


BROKEN = {
    "malformed-yaml": (
        "openapi: 3.1.0\ninfo: {title: x\n",
        "api.yaml:3: /: error [syntax] malformed YAML: expected ',' or '}', but got '<stream end>'",
    ),
    "not-openapi": (
        minimal_spec().replace("openapi: 3.1.0", "openapi: 4.0.0"),
        "api.yaml:1: /openapi: error [not-openapi] unsupported OpenAPI version '4.0.0'; use 3.0.x, 3.1.x or Swagger 2.0",
    ),
    "dangling-ref": (
        minimal_spec(
            """
            /a:
              get:
                responses:
                  "200":
                    description: ok
                    content:
                      application/json:
                        schema: {$ref: "#/components/schemas/Nope"}
            """
        ),
        "api.yaml:13: /paths/~1a/get/responses/200/content/application~1json/schema/$ref: "
        "error [ref-unresolved] $ref '#/components/schemas/Nope' does not resolve",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_bad_spec_fails_with_one_located_line_and_writes_nothing(
    case: str, cli: Cli, write_spec: Callable[..., Path], tmp_path: Path
) -> None:
    text, expected = BROKEN[case]
    write_spec(text)
    result = cli("generate", "--out", "out", "api.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [expected]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    lint = cli("lint", "api.yaml")
    assert lint.exit_code == 1
    assert lint.stdout.splitlines()[0] == expected


def test_a_failing_spec_stops_every_spec_from_being_written(
    cli: Cli, write_spec: Callable[..., Path], tmp_path: Path, joinme: Path
) -> None:
    write_spec(BROKEN["not-openapi"][0], "specs/zzz.yaml")
    result = cli("generate", "--out", "out")
    assert result.exit_code == 1
    assert result.stderr.startswith("specs/zzz.yaml:1: /openapi: error [not-openapi]")
    assert not (tmp_path / "out").exists()


def test_missing_spec_file(cli: Cli) -> None:
    result = cli("generate", "nope.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith("nope.yaml:1: /: error [file-unreadable] cannot read the file:")


def test_lint_clean_spec_prints_a_summary(cli: Cli, joinme: Path) -> None:
    result = cli("lint")
    assert (result.exit_code, result.stdout) == (0, "1 spec checked: no problems\n")


def test_lint_json_has_the_same_findings(cli: Cli, write_spec: Callable[..., Path]) -> None:
    write_spec(BROKEN["dangling-ref"][0])
    result = cli("lint", "--format", "json", "api.yaml")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)
    assert finding["file"] == "api.yaml" and finding["line"] == 13
    assert finding["pointer"].endswith("/schema/$ref")


def test_generate_writes_then_has_nothing_to_do(cli: Cli, joinme: Path, tmp_path: Path) -> None:
    first = cli("generate")
    assert (first.exit_code, first.stdout) == (0, "27 files written, 0 removed\n")
    assert first.stderr == ""  # no progress bar when not on a terminal
    before = snapshot(tmp_path / "generated")
    assert sorted(before) == [
        "joinme/README.md",
        "joinme/__init__.py",
        "joinme/_base_client.py",
        "joinme/_client.py",
        "joinme/_errors.py",
        "joinme/_fake.py",
        "joinme/_fake_query.py",
        "joinme/_fake_records.py",
        "joinme/_fake_samples.py",
        "joinme/_schemas.py",
        "joinme/_server_config.py",
        "joinme/_server_records.py",
        "joinme/_server_runtime.py",
        "joinme/handlers/__init__.py",
        "joinme/handlers/meetings.py",
        "joinme/models.py",
        "joinme/openapi.json",
        "joinme/py.typed",
        "joinme/resources/__init__.py",
        "joinme/resources/meetings.py",
        "joinme/server.py",
        # join.me maps onto the one meetings interface (x-unified)
        "meetings/README.md",
        "meetings/__init__.py",
        "meetings/_unified.py",
        "meetings/_unified_records.py",
        "meetings/_vendors.py",
        "meetings/py.typed",
    ]
    again = cli("generate")
    assert (again.exit_code, again.stdout) == (0, "nothing to do\n")
    assert snapshot(tmp_path / "generated") == before
    check = cli("generate", "--check")
    assert (check.exit_code, check.stdout) == (0, "generated files are up to date\n")


def test_only_changed_files_are_rewritten(cli: Cli, joinme: Path, tmp_path: Path) -> None:
    cli("generate")
    models = tmp_path / "generated" / "joinme" / "models.py"
    inode = models.stat().st_ino
    joinme.write_text(joinme.read_text().replace("summary: Delete a meeting", "summary: Cancel a meeting"))
    result = cli("generate")
    assert result.stdout == "3 files written, 0 removed\n"  # the resource's client and handlers, the embedded spec
    assert models.stat().st_ino == inode  # untouched, not rewritten with the same bytes


def test_check_shows_a_diff_and_writes_nothing(cli: Cli, joinme: Path, tmp_path: Path) -> None:
    cli("generate")
    before = snapshot(tmp_path / "generated")
    joinme.write_text(
        joinme.read_text().replace(
            "description: Cancels an existing scheduled meeting.",
            "description: Cancels the meeting for good.",
        )
    )
    result = cli("generate", "--check")
    assert result.exit_code == 1
    assert "--- a/generated/joinme/resources/meetings.py" in result.stdout
    assert "+        Cancels the meeting for good." in result.stdout
    assert "-        Cancels an existing scheduled meeting." in result.stdout
    assert result.stderr == (  # the resource and the embedded spec
        "2 generated files are out of date; run 'python -m generator generate --out generated'\n"
    )
    assert snapshot(tmp_path / "generated") == before


def test_stale_generated_files_are_removed_and_others_kept(cli: Cli, joinme: Path, tmp_path: Path) -> None:
    cli("generate")
    package = tmp_path / "generated" / "joinme"
    header = (package / "models.py").read_text().splitlines()[0]
    (package / "old_module.py").write_text(header + "\nx = 1\n")
    (package / "handlers.py").write_text("# mine, not generated\n")
    (tmp_path / "generated" / "gone").mkdir()
    (tmp_path / "generated" / "gone" / "__init__.py").write_text(header + "\n")
    result = cli("generate")
    assert result.stdout == "0 files written, 2 removed\n"
    assert not (package / "old_module.py").exists()
    assert not (tmp_path / "generated" / "gone" / "__init__.py").exists()
    assert (package / "handlers.py").read_text() == "# mine, not generated\n"


def test_naming_a_spec_only_touches_its_package(cli: Cli, joinme: Path, tmp_path: Path) -> None:
    cli("generate")
    header = (tmp_path / "generated" / "joinme" / "models.py").read_text().splitlines()[0]
    other = tmp_path / "generated" / "other"
    other.mkdir()
    (other / "__init__.py").write_text(header + "\n")
    assert cli("generate", "specs/joinme.yaml").stdout == "nothing to do\n"
    assert (other / "__init__.py").exists()


def test_out_writes_a_package_that_imports_from_anywhere(cli: Cli, joinme: Path, tmp_path: Path) -> None:
    import importlib
    import sys

    assert cli("generate", "--out", "elsewhere/pkgs").exit_code == 0
    sys.path.insert(0, str(tmp_path / "elsewhere" / "pkgs"))
    try:
        module = importlib.import_module("joinme")
        assert module.JoinMeClient.__module__ == "joinme._client"
    finally:
        sys.path.pop(0)
        for name in [n for n in sys.modules if n == "joinme" or n.startswith("joinme.")]:
            del sys.modules[name]


def test_an_unchanged_run_is_answered_from_the_cache_and_a_change_is_not(
    cli: Cli, joinme: Path, tmp_path: Path
) -> None:
    assert cli("generate").exit_code == 0
    assert cli("generate").stdout == "nothing to do\n"
    models = tmp_path / "generated" / "joinme" / "models.py"
    models.write_text(models.read_text() + "# edited by hand\n")  # the output changed: no shortcut
    assert cli("generate").stdout == "1 file written, 0 removed\n"
    joinme.write_text(joinme.read_text().replace("summary: Delete a meeting", "summary: Drop a meeting"))
    assert cli("generate").stdout == "3 files written, 0 removed\n"  # the spec changed: no shortcut
    assert cli("generate", "--no-cache").stdout == "nothing to do\n"


def test_lint_takes_a_folder_of_specs(cli: Cli, joinme: Path, write_spec: Callable[..., Path], tmp_path: Path) -> None:
    assert cli("lint", "specs").stdout == "1 spec checked: no problems\n"
    write_spec(BROKEN["dangling-ref"][0], "specs/broken.yml")
    result = cli("lint", "specs")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("specs/broken.yml:13: ")
    assert result.stdout.splitlines()[-1] == "1 error, 0 warnings in 1 of 2 specs"
    (tmp_path / "nothing").mkdir()
    empty = cli("lint", "nothing")
    assert empty.exit_code == 1
    assert empty.stderr == "nothing:1: /: error [file-unreadable] no spec files (.yaml, .yml, .json) in this folder\n"


def test_broken_json_is_reported_as_json_with_its_line(cli: Cli, write_spec: Callable[..., Path]) -> None:
    write_spec('{\n  "openapi": "3.1.0",\n  "info": {"title": "x", "version": "1"},\n  "paths": {,}\n}\n', "api.json")
    result = cli("lint", "api.json")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "api.json:4: /: error [syntax] malformed JSON: Expecting property name enclosed in double quotes (column 13)"
    )
    assert "YAML" not in result.stdout


def test_counts_of_one_are_singular(cli: Cli, joinme: Path, tmp_path: Path) -> None:
    cli("generate")
    models = tmp_path / "generated" / "joinme" / "models.py"
    models.write_text(models.read_text() + "# edited by hand\n")
    check = cli("generate", "--check")
    assert check.stderr == "1 generated file is out of date; run 'python -m generator generate --out generated'\n"
    assert cli("generate").stdout == "1 file written, 0 removed\n"


def test_check_with_an_absolute_out_shows_relative_headers_and_the_exact_command(
    cli: Cli, joinme: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    inside = tmp_path / "out"
    outside = tmp_path_factory.mktemp("elsewhere") / "out"
    for out in (inside, outside):
        cli("generate", "--out", str(out), "specs/joinme.yaml")
        models = out / "joinme" / "models.py"
        models.write_text(models.read_text() + "# edited by hand\n")
    result = cli("generate", "--check", "--out", str(inside), "specs/joinme.yaml")
    assert "--- a/out/joinme/models.py\n+++ b/out/joinme/models.py\n" in result.stdout
    assert result.stderr.endswith("run 'python -m generator generate --out out specs/joinme.yaml'\n")
    result = cli("generate", "--check", "--out", str(outside), "specs/joinme.yaml")
    assert f"--- a{outside}/joinme/models.py\n+++ b{outside}/joinme/models.py\n" in result.stdout
    assert "//" not in "".join(line for line in result.stdout.splitlines() if line.startswith(("---", "+++")))
    assert result.stderr.endswith(f"run 'python -m generator generate --out {outside} specs/joinme.yaml'\n")


def test_removing_a_spec_leaves_no_empty_package_folder(cli: Cli, joinme: Path, tmp_path: Path) -> None:
    second = tmp_path / "specs" / "second.yaml"
    shutil.copy(joinme, second)
    cli("generate")
    package = tmp_path / "generated" / "second"
    (package / "__pycache__").mkdir()  # as importing it leaves
    (package / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"")
    second.unlink()
    result = cli("generate")
    # the meetings package is written again without the second vendor
    assert result.exit_code == 0 and result.stdout == "6 files written, 21 removed\n"
    assert not package.exists()
    assert sorted(p.name for p in (tmp_path / "generated").iterdir()) == ["joinme", "meetings"]
    assert '"second"' not in (tmp_path / "generated" / "meetings" / "_vendors.py").read_text()


def test_no_absolute_path_reaches_the_generated_files(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = tmp_path / "elsewhere" / "joinme.yaml"
    spec.parent.mkdir()
    shutil.copy(JOINME, spec)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")  # the spec is outside the working directory
    assert cli("generate", str(spec)).exit_code == 0
    written = snapshot(tmp_path / "work" / "generated")
    assert written and all(str(tmp_path).encode() not in data for data in written.values())
    readme = written["joinme/README.md"].decode()
    assert "generated from `joinme.yaml`" in readme
