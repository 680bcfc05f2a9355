"""`lint --format`: each CI report's shape, alone on standard output."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import Result
from conftest import ROOT, minimal_spec

from generator import reports
from generator.problems import Problem
from generator.reports import FORMATS, Report
from generator.rules import catalogue

Cli = Callable[..., Result]
SARIF_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

# An error (a snake_case operationId, made an error by the configuration) and two warnings
# (an unused component, a default that does not fit).
FLAWED = minimal_spec(
    """
    /things:
      get:
        operationId: list_things
        security: []
        parameters:
          - {name: limit, in: query, schema: {type: integer, default: ten}}
        responses:
          "200": {description: ok}
    """,
    "schemas:\n  Orphan: {type: string}\n",
)
CLEAN = minimal_spec(
    """
    /things:
      get:
        operationId: listThings
        security: []
        responses:
          "200": {description: ok}
    """
)


@pytest.fixture
def flawed(cli: Cli, write_spec: Callable[..., Path], tmp_path: Path) -> Callable[[str], Result]:
    """`lint --format FORMAT` of a spec with an error and two warnings, and a clean one."""
    configure = '[tool.clientgen.lint]\nseverity = { operation-id-camel-case = "error" }\n'
    (tmp_path / "pyproject.toml").write_text(configure, encoding="utf-8")
    write_spec(FLAWED, "specs/flawed.yaml")
    write_spec(CLEAN, "specs/clean.yaml")
    return lambda output: cli("lint", "--format", output, "specs")


def lint_json(run: Callable[[str], Result]) -> list[dict[str, Any]]:
    return list(json.loads(run("json").stdout))


# `::error file=F,line=L,title=T::message`: properties hold no bare ',' or ':', nothing holds a line break.
WORKFLOW_COMMAND = re.compile(r"::(error|warning|notice) file=[^,:\r\n]+,line=[1-9][0-9]*,title=[^,:\r\n]+::[^\r\n]*")


def test_github_annotates_each_finding_on_its_file_and_line(flawed: Callable[[str], Result]) -> None:
    result = flawed("github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(WORKFLOW_COMMAND.fullmatch(line) for line in lines), lines
    expected = [f"::{f['severity']} file={f['file']},line={f['line']},title={f['rule']}::" for f in lint_json(flawed)]
    assert [line[: line.index("::", 2) + 2] for line in lines] == expected
    assert len(expected) == 3


def test_github_escapes_as_the_toolkit_does() -> None:
    problem = Problem("a,b:c.yaml", 3, "/x", "100% wrong:\nsee, here\r", "r:1,2", "warning")
    line = reports.github(Report([problem], [], "clientgen", "0", catalogue()))
    assert line == (
        "::warning file=a%2Cb%3Ac.yaml,line=3,title=r%3A1%2C2::100%25 wrong: see, here (at /x)\n"  # message: one line
    )
    assert reports._escape_data("50%\r\n") == "50%25%0D%0A"
    assert reports._escape_property("x:y,z%\n") == "x%3Ay%2Cz%25%0A"
    assert WORKFLOW_COMMAND.fullmatch(line.rstrip("\n"))


def test_gitlab_code_quality_fields_and_stable_distinct_fingerprints(
    flawed: Callable[[str], Result], write_spec: Callable[..., Path]
) -> None:
    issues = json.loads(flawed("gitlab").stdout)
    findings = lint_json(flawed)
    assert [set(issue) for issue in issues] == [
        {"description", "check_name", "fingerprint", "severity", "location"}
    ] * 3
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        (f["rule"], f["file"], f["line"]) for f in findings
    ]
    assert [i["severity"] for i in issues] == [reports.LEVELS[f["severity"]].gitlab for f in findings]
    assert {i["severity"] for i in issues} == {"critical", "minor"}
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == 3
    assert [i["fingerprint"] for i in json.loads(flawed("gitlab").stdout)] == fingerprints
    # Lines moved by an unrelated edit: same fingerprints, other lines.
    write_spec("# a comment\n" + FLAWED, "specs/flawed.yaml")
    moved = json.loads(flawed("gitlab").stdout)
    assert [i["fingerprint"] for i in moved] == fingerprints
    assert [i["location"]["lines"]["begin"] for i in moved] == [i["location"]["lines"]["begin"] + 1 for i in issues]


def test_gitlab_marks_a_fatal_finding_a_blocker() -> None:
    report = Report([Problem("a.yaml", 3, "/x", "m", "ref-unresolved")], [], "clientgen", "0", catalogue())
    assert json.loads(reports.gitlab(report))[0]["severity"] == "blocker"


def test_a_repeated_finding_gets_its_own_fingerprint() -> None:
    problem = Problem("a.yaml", 3, "/x", "m", "r", "warning")
    assert len(set(reports.fingerprints([problem, problem, problem]))) == 3


def test_sarif_validates_against_the_schema(flawed: Callable[[str], Result]) -> None:
    result = flawed("sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("clientgen", "0.1.0")
    rules = driver["rules"]
    assert [(r["id"], r["shortDescription"]["text"]) for r in rules] == [(k, v[1]) for k, v in catalogue().items()]
    findings = lint_json(flawed)
    results = run["results"]
    assert [
        (
            r["ruleId"],
            rules[r["ruleIndex"]]["id"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        )
        for r in results
    ] == [(f["rule"], f["rule"], f["severity"], f["file"], f["line"], f["pointer"]) for f in findings]


def test_sarif_uris_are_relative_or_file_uris() -> None:
    problems = [Problem("/abs/my spec.yaml", 1, "", "m", "syntax"), Problem("specs/a b.yaml", 0, "", "m", "syntax")]
    log = json.loads(reports.sarif(Report(problems, [], "clientgen", "0", catalogue())))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    locations = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]]
    assert [loc["artifactLocation"]["uri"] for loc in locations] == ["file:///abs/my%20spec.yaml", "specs/a%20b.yaml"]
    assert [loc["region"]["startLine"] for loc in locations] == [1, 1]  # SARIF lines start at 1


def test_junit_has_a_suite_per_file_and_a_case_per_finding(flawed: Callable[[str], Result]) -> None:
    root = ET.fromstring(flawed("junit").stdout)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("4", "3")
    suites = {suite.get("name"): suite for suite in root}
    assert sorted(suites) == ["specs/clean.yaml", "specs/flawed.yaml"]
    (passing,) = suites["specs/clean.yaml"]
    assert passing.find("failure") is None
    failing = suites["specs/flawed.yaml"]
    assert (failing.get("tests"), failing.get("failures"), len(failing)) == ("3", "3", 3)
    failures = [case.find("failure") for case in failing]
    assert [f.get("type") for f in failures if f is not None] == [f["severity"] for f in lint_json(flawed)]


@pytest.mark.parametrize("output", sorted(set(FORMATS) - {"text"}))
def test_each_report_is_alone_on_stdout_with_the_exit_code_of_text(
    output: str, flawed: Callable[[str], Result], cli: Cli, write_spec: Callable[..., Path]
) -> None:
    result = flawed(output)
    parse = ET.fromstring if output == "junit" else json.loads if output != "github" else str.splitlines
    assert parse(result.stdout)
    assert (result.exit_code, result.stderr) == (1, "")
    write_spec(CLEAN, "specs/flawed.yaml")
    assert flawed(output).exit_code == 0


def test_a_report_carries_what_stopped_the_run(cli: Cli, write_spec: Callable[..., Path], tmp_path: Path) -> None:
    write_spec(CLEAN)
    (tmp_path / "pyproject.toml").write_text('[tool.clientgen.lint]\nignore = ["no-such-rule"]\n', encoding="utf-8")
    result = cli("lint", "--format", "sarif", "api.yaml")
    assert result.exit_code == 1
    (found,) = json.loads(result.stdout)["runs"][0]["results"]
    assert (found["ruleId"], found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) == (
        "config",
        "pyproject.toml",
    )
    text = cli("lint", "api.yaml")
    assert (text.exit_code, text.stdout, text.stderr.count("\n")) == (1, "", 1)  # text: as before, on stderr


README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_SECTION = README[README.index("### Reports for CI") : README.index("## What a spec may contain")]


def test_the_readme_documents_every_format_the_hook_and_the_actions_job() -> None:
    assert sorted(re.findall(r"^\| `(\w+)` \|", CI_SECTION, re.MULTILINE)) == sorted(FORMATS)
    hooks, workflow = (yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", CI_SECTION, re.DOTALL))
    assert hooks["repos"][0]["hooks"][0]["id"] == "clientgen-lint"
    steps = workflow["jobs"]["lint"]["steps"]
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif@") for step in steps)
    assert any("clientgen lint --format sarif" in step.get("run", "") for step in steps)
