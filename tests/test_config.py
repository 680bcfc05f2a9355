"""Severities and their configuration: defaults, pyproject.toml, per-file overrides,
x-lint-ignore, and what `lint` and `generate` do with warnings."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import ROOT, hand_written, minimal_spec

from generator import pipeline
from generator.config import LintConfig, load_config
from generator.problems import FATAL, GeneratorError
from generator.rules import catalogue
from generator.sources import discover

Cli = Callable[..., Result]

# Three house-style findings (snake_case operationId, no security requirement,
# an unused component) and one generator warning (a default that does not fit).
STYLISH = minimal_spec(
    """
    /things:
      get:
        operationId: list_things
        parameters:
          - {name: limit, in: query, schema: {type: integer, default: ten}}
        responses:
          "200": {description: ok}
    """,
    "schemas:\n  Orphan: {type: string}\n",
)
STYLISH_RULES = ["component-unused", "invalid-default", "operation-id-camel-case", "security-required"]


def configure(folder: Path, text: str) -> None:
    (folder / "pyproject.toml").write_text(textwrap.dedent(text), encoding="utf-8")


def findings(result: Result) -> list[dict[str, object]]:
    return list(json.loads(result.stdout))


def test_house_rules_are_warnings_and_fatal_rules_errors_by_default() -> None:
    rules = catalogue()
    assert {rule for rule, (severity, _) in rules.items() if severity == "error"} == set(FATAL)
    assert rules["operation-id-camel-case"][0] == "warning"
    config = LintConfig()
    assert config.severity("operation-id-camel-case", "any.yaml") == "warning"
    assert config.severity("ref-unresolved", "any.yaml") == "error"


def test_generate_writes_despite_warnings_and_shows_the_first_few(
    cli: Cli, write_spec: Callable[..., Path], tmp_path: Path
) -> None:
    write_spec(STYLISH)
    result = cli("generate", "--out", "out", "api.yaml")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "api" / "_client.py").exists()
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and all(": warning [" in line for line in lines)
    assert sorted(line.split("[")[1].split("]")[0] for line in lines) == STYLISH_RULES
    assert "invalid-default" in result.stderr and "default 'ten' does not match the type int; left out" in result.stderr


def test_generate_shows_a_count_past_five_warnings_and_all_with_verbose(
    cli: Cli, write_spec: Callable[..., Path]
) -> None:
    operations = "".join(
        f"/t{i}:\n  get:\n    operationId: get_t{i}\n    responses: {{'200': {{description: ok}}}}\n" for i in range(7)
    )
    write_spec(minimal_spec(operations))
    quiet = cli("generate", "--out", "out", "--no-cache", "api.yaml")
    assert quiet.exit_code == 0
    assert quiet.stderr.splitlines()[5:] == [
        "... 14 warnings in all (-v shows every one):",
        "      7 operation-id-camel-case",
        "      7 security-required",
    ]
    loud = cli("generate", "--out", "out2", "-v", "--no-cache", "api.yaml")
    assert len(loud.stderr.splitlines()) == 14
    again = cli("generate", "--out", "out", "--no-cache", "api.yaml")  # nothing changed: nothing about warnings
    cached = cli("generate", "--out", "out", "api.yaml")
    assert again.stdout == cached.stdout == "nothing to do\n" and again.stderr == cached.stderr == ""
    assert cli("generate", "--out", "out", "-v", "api.yaml").stderr == loud.stderr  # unless -v


def test_the_preview_shows_looser_code_before_house_style(cli: Cli, write_spec: Callable[..., Path]) -> None:
    operations = "".join(
        f"/t{i}:\n  get:\n    operationId: get_t{i}\n    responses: {{'200': {{description: ok}}}}\n" for i in range(7)
    )
    defaulted = "/z:\n  get:\n    operationId: z\n    parameters: [{name: n, in: query, schema: {type: integer, default: ten}}]\n"
    write_spec(minimal_spec(operations + defaulted + "    responses: {'200': {description: ok}}\n"))
    result = cli("generate", "--out", "out", "--no-cache", "api.yaml")
    first = result.stderr.splitlines()[0]
    assert "[invalid-default]" in first and "/paths/~1z/" in first  # the last in the file, shown first


def test_lint_fails_on_errors_only_unless_configured(cli: Cli, write_spec: Callable[..., Path], tmp_path: Path) -> None:
    write_spec(STYLISH)
    result = cli("lint", "api.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "0 errors, 4 warnings in 1 of 1 spec"
    configure(tmp_path, '[tool.clientgen.lint]\nfail-on = "warning"\n')
    assert cli("lint", "api.yaml").exit_code == 1


def test_json_names_the_rule_and_severity_of_every_finding(cli: Cli, write_spec: Callable[..., Path]) -> None:
    write_spec(STYLISH.replace("version: '1'", "version: 1"))  # and an OpenAPI schema finding
    found = findings(cli("lint", "--format", "json", "api.yaml"))
    assert sorted(str(f["rule"]) for f in found) == sorted([*STYLISH_RULES, "oas-schema"])
    assert {f["severity"] for f in found} == {"warning"}
    assert all(f["rule"] and f["line"] and f["file"] == "api.yaml" for f in found)


def test_severity_select_ignore_and_all(cli: Cli, write_spec: Callable[..., Path], tmp_path: Path) -> None:
    write_spec(STYLISH)
    configure(
        tmp_path,
        """
        [tool.clientgen.lint]
        ignore = ["component-unused"]
        severity = { ALL = "error", "invalid-default" = "warning" }
        """,
    )
    found = {str(f["rule"]): f["severity"] for f in findings(cli("lint", "--format", "json", "api.yaml"))}
    assert found == {"invalid-default": "warning", "operation-id-camel-case": "error", "security-required": "error"}
    generate = cli("generate", "--out", "out", "api.yaml")
    assert generate.exit_code == 1 and not (tmp_path / "out").exists()
    assert ": error [operation-id-camel-case]" in generate.stderr
    configure(tmp_path, '[tool.clientgen.lint]\nselect = ["security-required"]\n')
    assert [f["rule"] for f in findings(cli("lint", "--format", "json", "api.yaml"))] == ["security-required"]


def test_per_file_overrides_apply_to_matching_files_only(
    cli: Cli, write_spec: Callable[..., Path], tmp_path: Path
) -> None:
    write_spec(STYLISH, "strict/api.yaml")
    write_spec(STYLISH, "lax/api2.yaml")
    configure(
        tmp_path,
        """
        [tool.clientgen.lint.per-file-overrides."strict/*"]
        severity = { ALL = "error" }
        ignore = ["invalid-default"]
        """,
    )
    found = findings(cli("lint", "--format", "json", "strict/api.yaml", "lax/api2.yaml"))
    strict = {str(f["rule"]): f["severity"] for f in found if f["file"] == "strict/api.yaml"}
    lax = {str(f["rule"]): f["severity"] for f in found if f["file"] == "lax/api2.yaml"}
    assert strict == dict.fromkeys(sorted(set(STYLISH_RULES) - {"invalid-default"}), "error")
    assert lax == dict.fromkeys(STYLISH_RULES, "warning")


def test_this_repository_keeps_every_rule_an_error_for_its_specs() -> None:
    config = load_config(ROOT / "pyproject.toml")
    for rule in catalogue():
        for spec in filter(hand_written, discover(ROOT / "specs")):
            assert config.severity(rule, str(spec)) == "error", spec
        if rule not in FATAL:
            for elsewhere in ("specs/a-sixth-vendor.yaml", "tests/fixtures/shapes.yaml"):
                assert config.severity(rule, str(ROOT / elsewhere)) == "warning"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[tool.clientgen.lint]\nignore = ["no-such-rule"]\n',
            "pyproject.toml:2: /: error [config] unknown rule 'no-such-rule' (see `lint --list-rules`)",
        ),
        (
            '[tool.clientgen.lint]\n\nignore = ["ref-unresolved"]\n',
            "pyproject.toml:3: /: error [config] rule 'ref-unresolved' is fatal: it cannot be ignored or made a warning",
        ),
        (
            '[tool.clientgen.lint]\nfail-on = "never"\n',
            "pyproject.toml:2: /: error [config] fail-on must be 'error' or 'warning'",
        ),
        (
            "[tool.clientgen.lint]\nsevere = 1\n",
            "pyproject.toml:2: /: error [config] unknown setting 'severe' in [tool.clientgen.lint]",
        ),
        (
            "[tool.clientgen]\n[tool.clientgen.lint\n",
            "pyproject.toml:2: /: error [config] malformed TOML: Expected ']' at the end of a table declaration (at line 2, column 21)",
        ),
    ],
)
def test_a_bad_configuration_is_one_located_line(
    cli: Cli, write_spec: Callable[..., Path], tmp_path: Path, text: str, expected: str
) -> None:
    write_spec(STYLISH)
    configure(tmp_path, text)
    for command in ("lint", "generate"):
        result = cli(command, "api.yaml")
        assert (result.exit_code, result.stderr.splitlines()) == (1, [expected]), result.output


def test_x_lint_ignore_silences_its_node_and_below(cli: Cli, write_spec: Callable[..., Path]) -> None:
    spec = STYLISH.replace(
        "    get:\n      operationId: list_things",
        "    get:\n      x-lint-ignore: [operation-id-camel-case, invalid-default]\n      operationId: list_things",
    ).replace("Orphan: {type: string}", "Orphan: {type: string, x-lint-ignore: ALL}")
    write_spec(spec)
    rules = [f["rule"] for f in findings(cli("lint", "--format", "json", "api.yaml"))]
    assert rules == ["security-required"]  # on the same operation, but not named


def test_x_lint_ignore_cannot_silence_an_error_that_stops_generation(cli: Cli, write_spec: Callable[..., Path]) -> None:
    write_spec(
        minimal_spec(
            """
            /a:
              x-lint-ignore: ALL
              get:
                responses:
                  "200": {$ref: "#/components/responses/Nope"}
            """
        )
    )
    assert [f["rule"] for f in findings(cli("lint", "--format", "json", "api.yaml"))] == ["ref-unresolved"]


def test_openapi_schema_findings_point_where_the_problem_is(cli: Cli, write_spec: Callable[..., Path]) -> None:
    write_spec(
        minimal_spec(
            """
            /a:
              get:
                parameters:
                  - {name: q, in: query, style: sideways, schema: {type: string}}
                responses:
                  "200": {description: ok}
            """
        )
    )
    found = [f for f in findings(cli("lint", "--format", "json", "api.yaml")) if f["rule"] == "oas-schema"]
    assert [(f["pointer"], f["line"]) for f in found] == [("/paths/~1a/get/parameters/0/style", 9)]
    assert "'sideways' is not one of" in str(found[0]["message"])


def test_clashing_names_get_distinct_identifiers_with_a_warning(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        minimal_spec(
            """
            /a:
              get:
                operationId: getA
                parameters:
                  - {name: page-size, in: query, schema: {type: integer}}
                  - {name: pageSize, in: query, schema: {type: integer}}
                responses:
                  "200":
                    description: ok
                    content:
                      application/json:
                        schema:
                          type: object
                          properties: {thingId: {type: string}, thing_id: {type: integer}}
            """
        )
    )
    for _ in range(2):  # the same names every time
        api, found = pipeline.check_spec(path)
        assert api is not None
        [operation] = api.operations
        assert [p.name for p in operation.parameters] == ["page_size", "page_size_2"]
        assert [(f.name, f.wire_name) for f in api.models[0].fields] == [
            ("thing_id", "thingId"),
            ("thing_id_2", "thing_id"),
        ]
        assert sorted(p.pointer for p in found if p.rule == "python-name-clash") == [
            "/paths/~1a/get/parameters/1",
            "/paths/~1a/get/responses/200/content/application~1json/schema/properties/thing_id",
        ]


def test_values_that_break_their_schema_are_left_out_of_the_served_spec(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        minimal_spec(
            """
            /a:
              get:
                operationId: getA
                parameters:
                  - {name: n, in: query, schema: {type: integer, default: ten, example: eleven}}
                responses:
                  "200": {description: ok}
            """
        )
    )
    api, found = pipeline.check_spec(path)
    assert api is not None
    assert {p.rule for p in found} >= {"invalid-default", "example-valid"}
    assert api.document["paths"]["/a"]["get"]["parameters"][0]["schema"] == {"type": "integer"}


def test_errors_stop_build_with_every_finding(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        STYLISH.replace("operationId: list_things", "operationId: list_things\n      x-bad: {$ref: '#/nope'}")
    )
    with pytest.raises(GeneratorError) as caught:
        pipeline.build([path])
    assert {p.rule for p in caught.value.problems} == {"ref-unresolved"}
