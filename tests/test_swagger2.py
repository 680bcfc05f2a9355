"""Swagger 2.0 documents are converted to OpenAPI 3.0 in memory, keep their lines,
and generate: small documents for each mapping, and real public ones."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mypy import api as mypy

from conftest import ROOT
from generator import pipeline
from generator.load import Document, join, load
from generator.swagger2 import convert, is_swagger2
from generator.validate import validate
from generator.write import apply, plan

REAL = sorted(p for p in (ROOT / "tests" / "fixtures" / "swagger2").iterdir() if p.suffix in (".yaml", ".json"))

SPEC = """
swagger: "2.0"
info: {title: Things, version: "1"}
host: api.example.com
basePath: /v2
schemes: [https, http]
consumes: [application/json]
produces: [application/json, application/xml]
securityDefinitions:
  basic: {type: basic}
  key: {type: apiKey, in: header, name: X-Key}
  robot: {type: oauth2, flow: application, tokenUrl: "https://auth.example.com/token", scopes: {read: Read}}
security: [{robot: [read]}]
parameters:
  limit: {name: limit, in: query, type: integer, default: 10}
  thingBody: {name: body, in: body, required: true, schema: {$ref: "#/definitions/Thing"}}
responses:
  NotFound: {description: Not found., schema: {$ref: "#/definitions/Error"}}
paths:
  /things:
    parameters:
      - $ref: "#/parameters/limit"
    get:
      operationId: listThings
      parameters:
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: ids, in: query, type: array, items: {type: integer}}
      responses:
        "200":
          description: The things.
          headers:
            X-Total: {type: integer, description: How many.}
          schema: {type: array, items: {$ref: "#/definitions/Thing"}}
          examples:
            application/json: [{id: 1, name: one}]
        "404": {$ref: "#/responses/NotFound"}
    post:
      operationId: createThing
      parameters:
        - $ref: "#/parameters/thingBody"
      responses:
        "201": {description: Created., schema: {$ref: "#/definitions/Thing"}}
  /things/{id}/picture:
    put:
      operationId: uploadPicture
      consumes: [multipart/form-data]
      parameters:
        - {name: id, in: path, required: true, type: integer, format: int64}
        - {name: caption, in: formData, type: string}
        - {name: file, in: formData, required: true, type: file}
      responses:
        "204": {description: Stored.}
definitions:
  Thing:
    type: object
    required: [id]
    discriminator: kind
    properties:
      id: {type: integer, format: int64}
      name: {type: string, x-nullable: true}
      kind: {type: string}
      size: {type: integer, default: big}
  Error:
    type: object
    properties:
      message: {type: string}
"""


@pytest.fixture
def converted(write_spec: Callable[..., Path]) -> Document:
    document = load(write_spec(SPEC))
    assert isinstance(document, Document) and is_swagger2(document.data)
    result, warnings = convert(document)
    assert warnings == []
    return result


def pointers(data: Any, pointer: str = "") -> Iterator[str]:
    stack = [(pointer, data)]
    while stack:
        pointer, node = stack.pop()
        yield pointer
        if isinstance(node, dict):
            stack.extend((join(pointer, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((join(pointer, i), v) for i, v in enumerate(node))


def test_the_result_is_valid_openapi_30(converted: Document) -> None:
    assert converted.data["openapi"] == "3.0.3"
    assert validate(converted) == []


def test_servers_from_host_base_path_and_schemes(converted: Document) -> None:
    assert converted.data["servers"] == [{"url": "https://api.example.com/v2"}, {"url": "http://api.example.com/v2"}]


def test_bodies_forms_and_parameters(converted: Document) -> None:
    paths = converted.data["paths"]
    assert paths["/things"]["post"]["requestBody"] == {"$ref": "#/components/requestBodies/thingBody"}
    assert converted.data["components"]["requestBodies"]["thingBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
        "required": True,
    }
    form = paths["/things/{id}/picture"]["put"]["requestBody"]
    schema = form["content"]["multipart/form-data"]["schema"]
    assert schema["properties"] == {"caption": {"type": "string"}, "file": {"type": "string", "format": "binary"}}
    assert (schema["required"], form["required"]) == (["file"], True)
    tags, ids = paths["/things"]["get"]["parameters"]
    assert (tags["style"], tags["explode"], tags["schema"]) == ("form", True, {"type": "array", "items": {"type": "string"}})
    assert (ids["style"], ids["explode"]) == ("form", False)  # 2.0's default collectionFormat: csv
    assert paths["/things"]["parameters"] == [{"$ref": "#/components/parameters/limit"}]
    limit = converted.data["components"]["parameters"]["limit"]
    assert limit == {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}}


def test_responses_headers_examples_and_media_types(converted: Document) -> None:
    get = converted.data["paths"]["/things"]["get"]
    ok = get["responses"]["200"]
    assert list(ok["content"]) == ["application/json", "application/xml"]
    assert ok["content"]["application/json"]["example"] == [{"id": 1, "name": "one"}]
    assert ok["headers"]["X-Total"] == {"description": "How many.", "schema": {"type": "integer"}}
    assert get["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}


def test_schemas_and_security(converted: Document) -> None:
    components = converted.data["components"]
    thing = components["schemas"]["Thing"]
    assert thing["discriminator"] == {"propertyName": "kind"}
    assert thing["properties"]["name"] == {"type": "string", "nullable": True}
    assert components["securitySchemes"] == {
        "basic": {"type": "http", "scheme": "basic"},
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "robot": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"scopes": {"read": "Read"}, "tokenUrl": "https://auth.example.com/token"}},
        },
    }


def test_every_pointer_has_the_line_it_came_from(converted: Document) -> None:
    lines = SPEC.lstrip("\n").splitlines()
    assert all(p in converted.lines for p in pointers(converted.data))
    size = converted.lines["/components/schemas/Thing/properties/size/default"]
    assert "default: big" in lines[size - 1]
    body = converted.lines["/paths/~1things~1{id}~1picture/put/requestBody/content/multipart~1form-data/schema/properties/file"]
    assert "name: file" in lines[body - 1]


def test_findings_name_the_original_line(write_spec: Callable[..., Path]) -> None:
    path = write_spec(SPEC)
    api, findings = pipeline.check_spec(path)
    assert api is not None
    [default] = [f for f in findings if f.rule == "invalid-default"]
    assert (default.pointer, default.line) == ("/components/schemas/Thing/properties/size/default", SPEC.lstrip("\n").splitlines().index("      size: {type: integer, default: big}") + 1)
    assert api.oauth is not None and api.oauth.token_url == "https://auth.example.com/token"


@pytest.mark.parametrize(
    "data",
    [
        {"swagger": "2.0"},
        {"swagger": "2.0", "paths": [], "definitions": [], "parameters": {"a": 1}, "securityDefinitions": {"o": {"type": "oauth2", "flow": "odd"}}},
        {"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [1, {"in": "body"}, {"in": "formData"}], "responses": {"200": 5}}}, "/b": 3}},
    ],
)
def test_odd_shapes_convert_with_warnings_not_exceptions(data: dict[str, Any]) -> None:
    result, _ = convert(Document(Path("odd.yaml"), "odd.yaml", data, {"": 1}))
    assert result.data["openapi"] == "3.0.3"


def test_real_swagger_2_documents_convert_validate_and_generate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert len(REAL) >= 5
    names = []
    for path in REAL:
        document = load(path)
        assert isinstance(document, Document)
        result, warnings = convert(document)
        assert validate(result) == [], path
        assert all(p in result.lines for p in pointers(result.data)), path
        assert not [w for w in warnings], path
        names.append(pipeline.package_name(path))
    out = tmp_path / "out"
    apply(plan(out, pipeline.render_all(pipeline.build(REAL)), []))
    sys.path.insert(0, str(out))
    try:
        for name in names:
            importlib.import_module(f"{name}._client")
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m.split(".")[0] in names]:
            del sys.modules[module]
    stdout, _, status = mypy.run(["--strict", "--no-incremental", *(str(out / n) for n in names)])
    assert status == 0, stdout


def test_generate_takes_a_swagger_2_file(cli: Callable[..., Any], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    write_spec(textwrap.dedent(SPEC))
    result = cli("generate", "--out", "out", "api.yaml")
    assert result.exit_code == 0, result.output
    assert "def upload_picture(" in (tmp_path / "out" / "api" / "_client.py").read_text()
