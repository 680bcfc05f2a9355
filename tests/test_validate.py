"""The OpenAPI schema pass: jsonschema-rs's errors as jsonschema worded them, located, and cached."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator import validate as validation
from generator.cache import Cache
from generator.load import Document
from generator.validate import validate

SPEC: dict[str, Any] = {
    "info": {"title": "t", "version": "1"},
    "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
}


def findings(version: str, change: dict[str, Any], at: str = "/paths/~1a/get") -> list[tuple[str, str]]:
    data = copy.deepcopy(SPEC) | {"openapi": version}
    node = data
    for key in at.split("/")[1:]:
        node = node[key.replace("~1", "/")]
    node.update(change)
    return [(p.pointer, p.message) for p in validate(Document(Path("api.yaml"), "api.yaml", data))]


@pytest.mark.parametrize(
    ("version", "change", "at", "expected"),
    [
        ("3.0.3", {"extra": 1}, "", [("", "'extra' does not match any of the regexes: '^x-'")]),
        ("3.1.0", {"extra": 1}, "", [("", "Unevaluated properties are not allowed ('extra' was unexpected)")]),
        ("3.0.3", {"responses": {}}, "/paths/~1a/get", [("/paths/~1a/get/responses", "{} should be non-empty")]),
        (
            "3.0.3",
            {"description": 5},
            "/paths/~1a/get/responses/200",
            [("/paths/~1a/get/responses/200/description", "expected a string, not the number 5")],
        ),
        ("3.0.3", {"title": None}, "/info", [("/info/title", "expected a string, not null")]),
        (  # the value named, not only its Python repr: once "'boolean' is not of type 'boolean'"
            "3.1.0",
            {"parameters": [{"name": "q", "in": "query", "required": "boolean", "schema": {}}]},
            "/paths/~1a/get",
            [("/paths/~1a/get/parameters/0/required", "expected a boolean, not the string 'boolean'")],
        ),
        (
            "3.0.3",
            {"parameters": [{"name": "q", "in": "sideways"}]},
            "/paths/~1a/get",
            [
                (
                    "/paths/~1a/get/parameters/0",
                    "{'name': 'q', 'in': 'sideways'} is not valid under any of the given schemas",
                )
            ],
        ),
        (
            "3.1.0",
            {"parameters": [{"name": "q", "in": "query", "style": "sideways", "schema": {}}]},
            "/paths/~1a/get",
            [
                (
                    "/paths/~1a/get/parameters/0/style",
                    "'sideways' is not one of ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject']",
                )
            ],
        ),
    ],
)
def test_schema_errors_read_as_jsonschema_wrote_them(
    version: str, change: dict[str, Any], at: str, expected: list[tuple[str, str]]
) -> None:
    assert findings(version, change, at) == expected


@pytest.mark.slow  # a minute of CPU
def test_a_deeply_nested_schema_is_checked_or_refused_never_a_crash() -> None:
    schema: dict[str, Any] = {"type": 5}
    for _ in range(5000):
        schema = {"type": "array", "items": schema, "allOf": [{"not": {}}]}
    data = copy.deepcopy(SPEC) | {"openapi": "3.0.3", "components": {"schemas": {"A": schema}}}
    problems = validate(Document(Path("api.yaml"), "api.yaml", data))
    assert [p.message for p in problems] == ["the document nests too deeply to check"]


def test_findings_are_remembered_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path)
    data = copy.deepcopy(SPEC) | {"openapi": "3.0.3", "extra": 1}
    first = validate(Document(Path("api.yaml"), "api.yaml", data), cache)
    assert list((tmp_path / "validation").rglob("*"))
    monkeypatch.setattr(validation, "check", lambda document: [])
    assert validate(Document(Path("api.yaml"), "api.yaml", copy.deepcopy(data)), cache) == first != []
    assert validate(Document(Path("api.yaml"), "api.yaml", data | {"extra": 2}), cache) == []


def test_a_value_several_oneof_branches_accept_names_them() -> None:
    from generator.load import load

    document = load(Path("tests/fixtures/responses.yaml"))
    assert isinstance(document, Document)
    found = [(p.line, p.message) for p in validate(document) if p.pointer == "/components/parameters/NotAnObject"]
    assert (320, "'just a string' is valid under each of {'required': ['content']}, {'required': ['schema']}") in found
