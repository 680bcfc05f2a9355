"""`python -m generator diff`: formats, exit codes, configuration, errors, `--against`."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from conftest import ROOT
from test_reports import SARIF_SCHEMA

from generator.cli import main
from generator.diff.changes import RULES
from generator.sources import discover

ROW = re.compile(r"^\| `(?P<rule>[a-z0-9-]+)` \| (?P<severity>breaking|warning|info) \| (?P<summary>.*) \|$")
OLD = """
openapi: 3.1.0
info: {title: Meetings, version: '1'}
servers: [{url: 'https://meetings.example/v1'}]
paths:
  /meetings:
    get:
      operationId: listMeetings
      tags: [Meetings]
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: The meetings.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Meeting'}}
  /meetings/{id}:
    delete:
      operationId: deleteMeeting
      tags: [Meetings]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Deleted.}
components:
  schemas:
    Meeting:
      type: object
      required: [id]
      properties:
        id: {type: string}
        topic: {type: string}
"""
# Breaking: an operation removed. Info: a response property added.
NEW = OLD.replace(
    """  /meetings/{id}:
    delete:
      operationId: deleteMeeting
      tags: [Meetings]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Deleted.}
""",
    "",
).replace("        topic: {type: string}\n", "        topic: {type: string}\n        agenda: {type: string}\n")
FORMATS = ["text", "json", "markdown", "github", "gitlab", "sarif", "junit"]


@pytest.fixture
def pair(write_spec: Callable[..., Path]) -> None:
    write_spec(OLD, "old.yaml")
    write_spec(NEW, "new.yaml")


def changes(cli: Callable[..., Result], *args: str) -> list[dict[str, object]]:
    result = cli("diff", "--format", "json", *args)
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def readme_rules() -> dict[str, tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| rule | default | what it reports |\n| --- | --- | --- |\n", 1)[1].split("\n\n", 1)[0]
    rows = [ROW.match(line) for line in table.splitlines()]
    assert all(rows), table
    return {row["rule"]: (row["severity"], row["summary"]) for row in rows if row}


def test_the_readme_table_is_the_catalogue_list_rules_prints() -> None:
    assert list(readme_rules().items()) == list(RULES.items())
    printed = CliRunner().invoke(main, ["diff", "--list-rules"]).output.splitlines()
    assert printed == [f"{rule} ({severity}): {summary}" for rule, (severity, summary) in RULES.items()]


@pytest.mark.usefixtures("pair")
@pytest.mark.parametrize("output", FORMATS)
def test_every_format_exits_1_on_a_breaking_change(cli: Callable[..., Result], output: str) -> None:
    result = cli("diff", "--format", output, "old.yaml", "new.yaml")
    assert result.exit_code == 1, result.output
    assert cli("diff", "--format", output, "old.yaml", "old.yaml").exit_code == 0


@pytest.mark.usefixtures("pair")
def test_json_carries_every_field(cli: Callable[..., Result]) -> None:
    found = changes(cli, "old.yaml", "new.yaml")
    assert [(c["rule"], c["severity"]) for c in found] == [
        ("operation-removed", "breaking"),
        ("response-property-added", "info"),
    ]
    removed, added = found
    assert removed == {
        "file": "old.yaml",  # located in OLD: it is gone from NEW
        "line": OLD.lstrip().splitlines().index("    delete:") + 1,
        "pointer": "/paths/~1meetings~1{id}/delete",
        "message": "DELETE /meetings/{id} is removed",
        "rule": "operation-removed",
        "severity": "breaking",
        "effect": "client.meetings.delete_meeting() is removed",
        "spec": "new.yaml",
    }
    assert (added["file"], added["effect"]) == ("new.yaml", "models.Meeting gains the field agenda")


@pytest.mark.usefixtures("pair")
def test_text_has_a_line_per_change_with_its_effect_then_a_summary(cli: Callable[..., Result]) -> None:
    lines = cli("diff", "old.yaml", "new.yaml").stdout.splitlines()
    assert lines[0].startswith("old.yaml:") and "breaking [operation-removed]" in lines[0]
    assert lines[0].endswith("=> client.meetings.delete_meeting() is removed")
    assert lines[-1] == "1 breaking, 0 warnings, 1 info in 1 spec compared"


@pytest.mark.usefixtures("pair")
def test_markdown_is_a_changelog_breaking_changes_first(cli: Callable[..., Result]) -> None:
    text = cli("diff", "--format", "markdown", "old.yaml", "new.yaml").stdout
    assert text.startswith("## new.yaml\n\n### Breaking changes\n\n- DELETE /meetings/{id} is removed.")
    assert text.index("### Breaking changes") < text.index("### Other changes")
    assert "`client.meetings.delete_meeting() is removed`" in text


@pytest.mark.usefixtures("pair")
def test_the_ci_formats_speak_diffs_severities(cli: Callable[..., Result]) -> None:
    github = cli("diff", "--format", "github", "old.yaml", "new.yaml").stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in github] == ["::error", "::notice"]
    assert all(re.fullmatch(r"::(error|warning|notice) file=[^,]+,line=\d+,title=[a-z-]+::.+", line) for line in github)
    gitlab = json.loads(cli("diff", "--format", "gitlab", "old.yaml", "new.yaml").stdout)
    assert [issue["severity"] for issue in gitlab] == ["critical", "info"]
    log = json.loads(cli("diff", "--format", "sarif", "old.yaml", "new.yaml").stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
    (run,) = log["runs"]
    assert [r["level"] for r in run["results"]] == ["error", "note"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == list(RULES)
    junit = ET.fromstring(cli("diff", "--format", "junit", "old.yaml", "new.yaml").stdout)
    assert sorted(f.get("type") or "" for f in junit.iter("failure")) == ["breaking", "info"]  # by file


@pytest.mark.usefixtures("pair")
def test_the_configuration_ignores_lowers_and_acknowledges(cli: Callable[..., Result], tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.clientgen.diff]\nseverity = { "operation-removed" = "warning" }\n', encoding="utf-8")
    result = cli("diff", "--format", "json", "old.yaml", "new.yaml")
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["severity"] == "warning"
    config.write_text('[tool.clientgen.diff]\nignore = ["response-property-added"]\n', encoding="utf-8")
    assert [c["rule"] for c in changes(cli, "old.yaml", "new.yaml")] == ["operation-removed"]
    acknowledged = '{ pointer = "/paths/~1meetings~1{id}/delete", rule = "operation-removed" }'
    config.write_text(f"[tool.clientgen.diff]\nacknowledged = [{acknowledged}]\n", encoding="utf-8")
    result = cli("diff", "--format", "json", "old.yaml", "new.yaml")
    assert result.exit_code == 0 and [c["rule"] for c in json.loads(result.stdout)] == ["response-property-added"]
    config.write_text('[tool.clientgen.diff]\nignore = ["no-such-rule"]\n', encoding="utf-8")
    result = cli("diff", "old.yaml", "new.yaml")
    assert result.exit_code == 1
    assert (
        result.stderr == "pyproject.toml:2: /: error [config] unknown rule 'no-such-rule' (see `diff --list-rules`)\n"
    )


def test_unreadable_input_is_one_line_and_no_traceback(
    cli: Callable[..., Result], write_spec: Callable[..., Path]
) -> None:
    write_spec(OLD, "old.yaml")
    write_spec("openapi: 3.1.0\ninfo: [\n", "broken.yaml")
    result = cli("diff", "old.yaml", "broken.yaml")
    assert result.exit_code == 1 and result.stdout == ""
    assert [line.split(": ", 2)[:2] for line in result.stderr.splitlines()] == [["broken.yaml:3", "/"]]
    result = cli("diff", "old.yaml", "missing.yaml")
    assert result.exit_code == 1 and result.stderr.startswith("missing.yaml:1: /: error [file-unreadable]")
    assert cli("diff", "old.yaml").exit_code == 2  # a usage error: OLD and NEW, or --against


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=folder, check=True, capture_output=True
    )


@pytest.mark.slow  # git in a subprocess
def test_against_a_revision_compares_every_spec_and_says_what_is_new_or_gone(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "meetings.yaml").write_text(OLD, encoding="utf-8")
    (specs / "gone.yaml").write_text(OLD.replace("Meetings", "Gone"), encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first")
    assert cli("diff", "--against", "HEAD").stdout == "2 specs compared: no changes\n"
    (specs / "meetings.yaml").write_text(NEW, encoding="utf-8")
    (specs / "gone.yaml").unlink()
    (specs / "added.yaml").write_text(OLD.replace("Meetings", "Added"), encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "second")
    result = cli("diff", "--against", "HEAD~1", "--format", "json")
    assert result.exit_code == 1
    found = [(c["rule"], c["file"]) for c in json.loads(result.stdout)]
    assert found == [
        ("spec-added", "specs/added.yaml"),
        ("spec-removed", "HEAD~1:specs/gone.yaml"),
        ("operation-removed", "HEAD~1:specs/meetings.yaml"),
        ("response-property-added", "specs/meetings.yaml"),
    ]
    assert cli("diff", "--against", "HEAD", "specs/meetings.yaml").stdout == "1 spec compared: no changes\n"
    result = cli("diff", "--against", "no-such-ref")
    assert result.exit_code == 1
    assert (
        result.stderr == "specs:1: /: error [file-unreadable] 'no-such-ref' is not a git revision of this repository\n"
    )


def test_markdown_shows_spec_text_literally(cli: Callable[..., Result], write_spec: Callable[..., Path]) -> None:
    write_spec(OLD, "old.yaml")
    write_spec(OLD.replace("  /meetings/{id}:", "  /meetings/<b>*{id}*</b>:"), "new.yaml")
    text = cli("diff", "--format", "markdown", "old.yaml", "new.yaml").stdout
    assert r"- DELETE /meetings/\<b\>\*{id}\*\</b\> is added." in text
    assert "<b>" not in text


@pytest.mark.slow  # git in a subprocess
@pytest.mark.parametrize("spec", discover(ROOT / "specs"), ids=lambda p: p.name)
def test_each_spec_against_its_previous_version_in_history(spec: Path, tmp_path: Path) -> None:
    """Every change between a spec and its version before the last commit that touched it
    is a located change of a known rule (this checkout's history; skipped without one)."""
    from generator.diff.run import Version, diff_pair

    log = subprocess.run(["git", "log", "-2", "--format=%H", "--", spec.name], cwd=spec.parent, capture_output=True)
    commits = log.stdout.decode().split()
    if log.returncode != 0 or len(commits) < 2:
        pytest.skip("no history of this spec here")
    old = tmp_path / spec.name
    old.write_bytes(
        subprocess.run(
            ["git", "show", f"{commits[1]}:./{spec.name}"], cwd=spec.parent, capture_output=True, check=True
        ).stdout
    )
    found, problems = diff_pair(Version(old, f"{commits[1]}:{spec.name}"), Version(spec, spec.name))
    assert problems == []
    assert all(change.rule in RULES and change.line >= 1 and change.message for change in found)
