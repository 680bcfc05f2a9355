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
    assert (first.exit_code, first.stdout) == (0, "17 files written, 0 removed\n")
    assert first.stderr == ""  # no progress bar when not on a terminal
    before = snapshot(tmp_path / "generated")
    assert sorted(before) == [
        "joinme/README.md", "joinme/__init__.py", "joinme/_base_client.py", "joinme/_client.py",
        "joinme/_errors.py", "joinme/_fake.py", "joinme/_schemas.py", "joinme/_server_config.py",
        "joinme/_server_runtime.py",
        "joinme/handlers/__init__.py", "joinme/handlers/meetings.py", "joinme/models.py", "joinme/openapi.json",
        "joinme/py.typed", "joinme/resources/__init__.py", "joinme/resources/meetings.py", "joinme/server.py",
    ]  # fmt: skip
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
    assert result.stderr == "2 generated files are out of date; run 'make generate'\n"  # resource and embedded spec
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


def test_an_unchanged_run_is_answered_from_the_cache_and_a_change_is_not(cli: Cli, joinme: Path, tmp_path: Path) -> None:
    assert cli("generate").exit_code == 0
    assert cli("generate").stdout == "nothing to do\n"
    models = tmp_path / "generated" / "joinme" / "models.py"
    models.write_text(models.read_text() + "# edited by hand\n")  # the output changed: no shortcut
    assert cli("generate").stdout == "1 files written, 0 removed\n"
    joinme.write_text(joinme.read_text().replace("summary: Delete a meeting", "summary: Drop a meeting"))
    assert cli("generate").stdout == "3 files written, 0 removed\n"  # the spec changed: no shortcut
    assert cli("generate", "--no-cache").stdout == "nothing to do\n"
