"""The project lint rules: one fixture per rule, and the clean specs stay clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import LintConfig
from generator.load import Document, load
from generator.rules import RULES, check_rules
from generator.validate import validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path("tests/fixtures/lint")


@pytest.fixture(autouse=True)
def _from_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # problems name files relative to the working directory


def _load(path: Path) -> Document:
    document = load(path)
    assert isinstance(document, Document), document
    return document


def _write(tmp_path: Path, data: dict[str, Any]) -> Document:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    document = _load(path)
    assert validate(document) == []
    return document


EXPECTED: dict[str, list[str]] = {
    "operation-id-required": [
        "tests/fixtures/lint/operation-id-required.yaml:14: /paths/~1things/post: warning [operation-id-required] POST operation has no operationId",
    ],
    "operation-id-unique": [
        "tests/fixtures/lint/operation-id-unique.yaml:18: /paths/~1things/post/callbacks/thingCreated/{$request.body#~1callbackUrl}/post/operationId: warning [operation-id-unique] operationId 'createThing' is already used at /paths/~1things/post/operationId",
        "tests/fixtures/lint/operation-id-unique.yaml:25: /webhooks/thingChanged/post/operationId: warning [operation-id-unique] operationId 'createThing' is already used at /paths/~1things/post/operationId",
    ],
    "parameter-unique": [
        "tests/fixtures/lint/parameter-unique.yaml:18: /paths/~1things/get/parameters/1: warning [parameter-unique] query parameter 'q' is already listed at /paths/~1things/get/parameters/0",
        "tests/fixtures/lint/parameter-unique.yaml:29: /paths/~1things/post/parameters/1: warning [parameter-unique] query parameter 'limit' is already listed at /paths/~1things/post/parameters/0",
    ],
    "tag-unique": [
        "tests/fixtures/lint/tag-unique.yaml:11: /tags/2/name: warning [tag-unique] tag 'things' is already declared at /tags/0/name",
    ],
    "required-defined": [
        "tests/fixtures/lint/required-defined.yaml:32: /components/schemas/Thing/required/2: warning [required-defined] required property 'colour' is defined neither in properties nor in allOf",
    ],
    "operation-id-camel-case": [
        "tests/fixtures/lint/operation-id-camel-case.yaml:10: /paths/~1things/get/operationId: warning [operation-id-camel-case] operationId 'list_things' is not camelCase",
        "tests/fixtures/lint/operation-id-camel-case.yaml:15: /paths/~1things/post/operationId: warning [operation-id-camel-case] operationId 'CreateThing' is not camelCase",
    ],
    "path-params-declared": [
        "tests/fixtures/lint/path-params-declared.yaml:9: /paths/~1things~1{thingId}: warning [path-params-declared] {thingId} in '/things/{thingId}' has no `in: path` parameter",
        "tests/fixtures/lint/path-params-declared.yaml:11: /paths/~1things~1{thingId}~1parts~1{partId}: warning [path-params-declared] {partId} in '/things/{thingId}/parts/{partId}' has no `in: path` parameter",
    ],
    "path-params-in-template": [
        "tests/fixtures/lint/path-params-in-template.yaml:11: /paths/~1things/parameters/0: warning [path-params-in-template] path parameter 'thingId' does not appear in '/things'",
    ],
    "success-response": [
        "tests/fixtures/lint/success-response.yaml:16: /paths/~1things/post/responses: warning [success-response] POST operation has no 2xx response",
    ],
    "response-schema": [
        "tests/fixtures/lint/response-schema.yaml:20: /paths/~1things/get/responses/200/content/text~1csv: warning [response-schema] response content 'text/csv' has no schema",
        "tests/fixtures/lint/response-schema.yaml:29: /components/responses/Error/content/application~1problem+json: warning [response-schema] response content 'application/problem+json' has no schema",
    ],
    "example-valid": [
        "tests/fixtures/lint/example-valid.yaml:17: /paths/~1things/get/parameters/0/example: warning [example-valid] the example does not match its schema: 500 is greater than the maximum of 100",
        "tests/fixtures/lint/example-valid.yaml:27: /paths/~1things/get/parameters/1/examples/bad/value: warning [example-valid] the example does not match its schema: '2024-01-32T10:00:00Z' is not a 'date-time'",
        "tests/fixtures/lint/example-valid.yaml:28: /paths/~1things/get/parameters/1/examples/shared: warning [example-valid] the example does not match its schema: 'yesterday' is not a 'date-time'",
        "tests/fixtures/lint/example-valid.yaml:37: /paths/~1things/get/responses/200/headers/X-Total/example: warning [example-valid] the example does not match its schema: expected an integer, not the string 'many'",
        "tests/fixtures/lint/example-valid.yaml:44: /paths/~1things/get/responses/200/content/application~1json/example: warning [example-valid] the example does not match its schema at /1/owner: 'nobody' is not a 'email'",
        "tests/fixtures/lint/example-valid.yaml:58: /paths/~1things/post/requestBody/content/application~1json/example: warning [example-valid] the example does not match its schema: 'secret' is a required property",
        "tests/fixtures/lint/example-valid.yaml:67: /paths/~1things/post/responses/201/content/application~1json/example: warning [example-valid] the example does not match its schema: 'id' is a required property",
        "tests/fixtures/lint/example-valid.yaml:84: /components/schemas/Thing/properties/owner/examples/1: warning [example-valid] the example does not match its schema: 'nobody' is not a 'email'",
        "tests/fixtures/lint/example-valid.yaml:93: /components/schemas/Thing/properties/tags/items/example: warning [example-valid] the example does not match its schema: 'long' is too long",
        "tests/fixtures/lint/example-valid.yaml:97: /components/schemas/Thing/examples/1: warning [example-valid] the example does not match its schema: 'id' is a required property",
    ],
    "component-unused": [
        "tests/fixtures/lint/component-unused.yaml:29: /components/schemas/Orphan: warning [component-unused] schemas component 'Orphan' is never used",
        "tests/fixtures/lint/component-unused.yaml:37: /components/parameters/offset: warning [component-unused] parameters component 'offset' is never used",
        "tests/fixtures/lint/component-unused.yaml:43: /components/responses/Gone: warning [component-unused] responses component 'Gone' is never used",
        "tests/fixtures/lint/component-unused.yaml:46: /components/requestBodies/NewThing: warning [component-unused] requestBodies component 'NewThing' is never used",
        "tests/fixtures/lint/component-unused.yaml:52: /components/headers/X-Total: warning [component-unused] headers component 'X-Total' is never used",
        "tests/fixtures/lint/component-unused.yaml:56: /components/examples/Nothing: warning [component-unused] examples component 'Nothing' is never used",
        "tests/fixtures/lint/component-unused.yaml:62: /components/securitySchemes/apiKey: warning [component-unused] securitySchemes component 'apiKey' is never used",
    ],
    "security-required": [
        "tests/fixtures/lint/security-required.yaml:20: /paths/~1things/delete: warning [security-required] DELETE operation has no security requirement and there is no top-level one (`security: []` if public)",
    ],
    "security-scheme-defined": [
        "tests/fixtures/lint/security-scheme-defined.yaml:7: /security/1/apiKey: warning [security-scheme-defined] security scheme 'apiKey' is not declared in components.securitySchemes",
        "tests/fixtures/lint/security-scheme-defined.yaml:14: /paths/~1things/get/security/0/oauth: warning [security-scheme-defined] security scheme 'oauth' is not declared in components.securitySchemes",
    ],
    "python-name-clash": [
        "tests/fixtures/lint/python-name-clash.yaml:21: /paths/~1things/get/parameters/0: warning [python-name-clash] query parameter 'page-size' and query parameter 'pageSize' both become the Python name 'page_size'",
        "tests/fixtures/lint/python-name-clash.yaml:29: /paths/~1things/get/parameters/2: warning [python-name-clash] query parameter 'id' and header parameter 'id' both become the Python name 'id'",
        "tests/fixtures/lint/python-name-clash.yaml:47: /components/schemas/Thing/properties/thing_id: warning [python-name-clash] property 'thingId' and property 'thing_id' both become the Python name 'thing_id'",
        "tests/fixtures/lint/python-name-clash.yaml:54: /components/schemas/Thing/properties/owner/properties/EMail: warning [python-name-clash] property 'e-mail' and property 'EMail' both become the Python name 'e_mail'",
    ],
}


def test_rules_have_unique_kebab_case_ids_and_summaries() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.id)
        assert rule.summary.strip() and "\n" not in rule.summary


def test_every_rule_has_a_fixture_and_every_fixture_a_rule() -> None:
    ids = sorted(rule.id for rule in RULES)
    assert sorted(path.stem for path in FIXTURES.glob("*.yaml")) == ids
    assert sorted(EXPECTED) == ids


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_fixture_breaks_only_its_rule(rule_id: str) -> None:
    document = _load(FIXTURES / f"{rule_id}.yaml")
    assert validate(document) == []  # so the findings come from the rule alone
    problems = LintConfig().settle(check_rules(document))
    assert [str(problem) for problem in problems] == EXPECTED[rule_id]
    assert {problem.rule for problem in problems} == {rule_id}


def test_clean_specs_have_no_findings() -> None:
    for path in (Path("specs/joinme.yaml"), Path("tests/fixtures/features.yaml")):
        assert check_rules(_load(path)) == []


def test_refs_are_followed_and_cycles_end(tmp_path: Path) -> None:
    node = {"$ref": "#/components/schemas/Node"}
    thing = {
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "put": {
            "operationId": "putThing",
            "requestBody": {"$ref": "#/components/requestBodies/Thing"},
            "responses": {"200": {"$ref": "#/components/responses/Thing"}},
            "callbacks": {"again": {"$ref": "#/components/callbacks/Again"}},
        },
    }
    leaf: dict[str, Any] = {"name": "a", "children": [{"name": "b"}]}
    data: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "refs", "version": "1"},
        "security": [{"token": []}],
        "paths": {"/things/{id}": {"$ref": "#/components/pathItems/Thing"}},
        "webhooks": {"changed": {"$ref": "#/components/pathItems/Thing"}},
        "components": {
            "pathItems": {"Thing": thing},
            "callbacks": {"Again": {"{$request.body#/url}": {"$ref": "#/components/pathItems/Thing"}}},
            "parameters": {
                "id": {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                    "examples": {"one": {"$ref": "#/components/examples/One"}},
                }
            },
            "examples": {"One": {"value": "1"}},
            "requestBodies": {"Thing": {"content": {"application/json": {"schema": True, "example": {"any": [1]}}}}},
            "responses": {
                "Thing": {
                    "description": "The thing.",
                    "content": {"application/json": {"schema": node, "examples": {"leaf": {"value": leaf}}}},
                }
            },
            "schemas": {
                "Node": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": node}},
                    "additionalProperties": False,
                }
            },
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
    }
    assert check_rules(_write(tmp_path, data)) == []
    leaf["children"][0]["name"] = 5
    [problem] = check_rules(_write(tmp_path, data))
    assert problem.pointer == "/components/responses/Thing/content/application~1json/examples/leaf/value"
    assert (
        problem.message
        == "the example does not match its schema at /children/0/name: expected a string, not the number 5"
    )


def test_nullable_allows_null_in_openapi_30(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "nullable": True},
            "color": {"type": "string", "enum": ["red"], "nullable": True},
            "size": {"type": "integer"},
        },
    }
    data = {
        "openapi": "3.0.3",
        "info": {"title": "nullable", "version": "1"},
        "security": [{"token": []}],
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "responses": {
                        "200": {
                            "description": "The thing.",
                            "content": {
                                "application/json": {"schema": schema, "example": {"name": None, "color": None}}
                            },
                        }
                    },
                }
            }
        },
        "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    }
    assert check_rules(_write(tmp_path, data)) == []
    data["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["example"]["size"] = None  # type: ignore[index]
    assert [p.message for p in check_rules(_write(tmp_path, data))] == [
        "the example does not match its schema at /size: expected an integer, not null"
    ]


@pytest.mark.parametrize(
    "data",
    [{}, [], None, {"paths": {"/a/{b}": None, "/c": {"get": None, "parameters": [None, {"$ref": 1}]}}}],
)
def test_odd_shapes_do_not_raise(data: Any) -> None:
    check_rules(Document(Path("odd.yaml"), "odd.yaml", data))


def _example_findings(document: Document) -> list[tuple[str, str]]:
    rule = next(r for r in RULES if r.id == "example-valid")
    return [(p.pointer, p.message) for p in rule.check(document)]


@pytest.mark.parametrize(
    "path",
    sorted(
        [*ROOT.glob("specs/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.json")]
    ),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_examples_jsonschema_rs_passes_have_the_findings_jsonschema_alone_gives(path: Path) -> None:
    from generator.example_schemas import mismatches
    from generator.rules import _examples

    document = load(path)
    if not isinstance(document, Document):
        pytest.skip("not a loadable spec")
    try:
        examples = list(_examples(document))
    except Exception:  # a fixture of an odd shape: the rules are not run on it
        pytest.skip("not a document the rules read")
    assert _example_findings(document) == list(mismatches(document.data, examples))


def test_examples_that_fit_are_checked_without_importing_jsonschema() -> None:
    code = (
        "import sys; from pathlib import Path; from generator.load import load; from generator.rules import RULES;"
        "rule = next(r for r in RULES if r.id == 'example-valid');"
        "assert not list(rule.check(load(Path('specs/joinme.yaml'))));"
        "print(sorted(m for m in sys.modules if m.partition('.')[0] in ('jsonschema', 'referencing')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_pattern_python_cannot_compile_is_still_a_finding(tmp_path: Path) -> None:
    schema = {"type": "string", "pattern": r"^\p{L}+$"}  # Unicode classes: Rust's regex has them, Python's not
    data = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Name": {**schema, "example": "Zoë"}}},
    }
    [problem] = [p for p in check_rules(_write(tmp_path, data)) if p.rule == "example-valid"]
    assert problem.message.startswith("the example cannot be checked against its schema: bad escape \\p")


def test_a_regex_example_is_judged_by_python(tmp_path: Path) -> None:
    data = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Rule": {"type": "string", "format": "regex", "example": "(?<word>\\w+)"}}},
    }
    [problem] = [p for p in check_rules(_write(tmp_path, data)) if p.rule == "example-valid"]
    assert problem.message == "the example does not match its schema: '(?<word>\\\\w+)' is not a 'regex'"
