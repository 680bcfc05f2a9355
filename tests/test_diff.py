"""`diff`: version pairs written by mutating our specs and fixtures, one (at least) per
rule, and pairs that must say nothing.

Each mutation finds its target in whatever spec declares one (the first of the
candidates, smallest first, where it applies); the pair it makes is compared
with `diff` and must report its rule, at the rule's severity, with the effect
on the generated code where the change reaches it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from generator.diff.changes import RULES, Change
from generator.diff.compare import Side, compare, load_side
from generator.load import Document, load
from generator.pointers import resolve
from generator.sources import discover

CANDIDATES = sorted(
    [
        *(ROOT / "tests" / "fixtures").glob("*.yaml"),
        *(ROOT / "tests" / "fixtures").glob("*.json"),
        *discover(ROOT / "specs"),
    ],
    key=lambda path: path.stat().st_size,
)
SPECS = discover(ROOT / "specs")
Data = dict[str, Any]
Mutation = Callable[[Data], bool]  # changes the document in place; False where it does not apply
METHODS = ("get", "put", "post", "delete", "patch")


@functools.cache
def original(path: Path) -> Side:
    side = load_side(path)
    assert isinstance(side, Side), side
    return side


@functools.cache
def data_of(path: Path) -> str:
    document = load(path)
    assert isinstance(document, Document)
    return json.dumps(document.data, default=str)


def write(data: Data, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.json"  # the same stem: the same package
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path


def mutated(mutation: Mutation, tmp_path: Path) -> tuple[Path, Path] | None:
    """(the original spec, the mutated copy) for the first candidate the mutation applies to."""
    for path in CANDIDATES:
        data = json.loads(data_of(path))
        if mutation(data):
            return path, write(data, tmp_path, path.stem)
    return None


def diff(mutation: Mutation, tmp_path: Path, reverse: bool = False) -> list[Change]:
    pair = mutated(mutation, tmp_path)
    assert pair is not None, "no spec or fixture has what this mutation changes"
    before = original(pair[0])
    after = load_side(pair[1])
    assert isinstance(after, Side), after
    return compare(after, before) if reverse else compare(before, after)


# Finding what to change ------------------------------------------------------------------


def deref(data: Data, node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        node = resolve(data, node["$ref"][1:])
    return node


def operations(data: Data) -> Iterator[dict[str, Any]]:
    for item in (data.get("paths") or {}).values():
        for method in METHODS:
            if isinstance(deref(data, item).get(method), dict):
                yield deref(data, item)[method]


def parameters(data: Data, kind: Callable[[dict[str, Any]], bool]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(operation, parameter) for each of an operation's own query parameters that `kind` accepts."""
    for operation in operations(data):
        for parameter in operation.get("parameters", []):
            parameter = deref(data, parameter)
            if not isinstance(parameter, dict) or not isinstance(parameter.get("schema"), dict):
                continue
            if parameter.get("in") == "query" and kind(parameter):
                yield operation, parameter


def json_schema(data: Data, holder: Any) -> dict[str, Any] | None:
    content = deref(data, holder).get("content") if isinstance(deref(data, holder), dict) else None
    media = (content or {}).get("application/json")
    return deref(data, media["schema"]) if isinstance(media, dict) and isinstance(media.get("schema"), dict) else None


def objects(data: Data, direction: str) -> Iterator[dict[str, Any]]:
    """Object schemas with properties of request bodies, or of 2xx responses (an array's items too)."""
    for operation in operations(data):
        if direction == "request":
            holders = [operation["requestBody"]] if "requestBody" in operation else []
        else:
            holders = [r for s, r in (operation.get("responses") or {}).items() if str(s).startswith("2")]
        for holder in holders:
            schema = json_schema(data, holder)
            if schema and schema.get("type") == "array":
                schema = deref(data, schema.get("items"))
            if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and schema["properties"]:
                yield schema


def first(found: Iterator[Any]) -> Any:
    return next(found, None)


def nullable(data: Data, schema: dict[str, Any]) -> bool:
    """Make a plain typed schema nullable, as the document's OpenAPI version writes it."""
    if not isinstance(schema.get("type"), str) or "$ref" in schema or schema.get("nullable"):
        return False
    if str(data.get("openapi", "")).startswith("3.0"):
        schema["nullable"] = True
    else:
        schema["type"] = [schema["type"], "null"]
    return True


# The mutations -------------------------------------------------------------------------


def remove_operation(data: Data) -> bool:
    for item in (data.get("paths") or {}).values():
        for method in METHODS:
            if isinstance(item.get(method), dict) and "operationId" in item[method]:
                del item[method]
                return True
    return False


def add_operation(data: Data) -> bool:
    data.setdefault("paths", {})["/diff-new"] = {
        "get": {"operationId": "diffNew", "responses": {"204": {"description": "done"}}}
    }
    return True


def rename_operation(data: Data) -> bool:
    operation = first(op for op in operations(data) if "operationId" in op)
    if operation is None:
        return False
    operation["operationId"] += "Renamed"
    return True


def retag_operation(data: Data) -> bool:
    operation = first(op for op in operations(data) if op.get("tags") and "x-resource" not in op)
    if operation is None:
        return False
    operation["tags"] = ["DiffMoved"]
    return True


def deprecate(data: Data) -> bool:
    operation = first(op for op in operations(data) if not op.get("deprecated"))
    if operation is not None:
        operation["deprecated"] = True
    return operation is not None


def remove_parameter(data: Data) -> bool:
    for operation in operations(data):
        for index, parameter in enumerate(operation.get("parameters", [])):
            if isinstance(deref(data, parameter), dict) and deref(data, parameter).get("in") == "query":
                del operation["parameters"][index]
                return True
    return False


def add_parameter(required: bool) -> Mutation:
    def mutation(data: Data) -> bool:
        operation = first(operations(data))
        if operation is None:
            return False
        new = {"name": "diffNew", "in": "query", "required": required, "schema": {"type": "string"}}
        operation.setdefault("parameters", []).append(new)
        return True

    return mutation


def require_parameter(data: Data) -> bool:
    found = first(parameters(data, lambda p: not p.get("required")))
    if found is not None:
        found[1]["required"] = True
    return found is not None


def retype_parameter(data: Data) -> bool:
    found = first(parameters(data, lambda p: deref(data, p["schema"]).get("type") == "string"))
    if found is not None:
        found[1]["schema"] = {"type": "boolean"}
    return found is not None


def default_parameter(data: Data) -> bool:
    def plain(parameter: dict[str, Any]) -> bool:
        schema = deref(data, parameter["schema"])
        return str(parameter.get("name", "")).isidentifier() and (
            not parameter.get("required")
            and schema.get("type") == "string"
            and not {"enum", "format", "pattern"} & set(schema)
        )

    found = first(parameters(data, plain))
    if found is not None:
        found[1]["schema"] = {**deref(data, found[1]["schema"]), "default": "diff"}
    return found is not None


def remove_body(data: Data) -> bool:
    operation = first(op for op in operations(data) if "requestBody" in op)
    if operation is not None:
        del operation["requestBody"]
    return operation is not None


def add_body(required: bool) -> Mutation:
    def mutation(data: Data) -> bool:
        operation = first(op for op in operations(data) if "requestBody" not in op)
        if operation is None:
            return False
        schema = {"type": "object", "properties": {"diffNew": {"type": "string"}}}
        operation["requestBody"] = {"required": required, "content": {"application/json": {"schema": schema}}}
        return True

    return mutation


def require_body(data: Data) -> bool:
    body = first(
        deref(data, op["requestBody"])
        for op in operations(data)
        if "requestBody" in op and not deref(data, op["requestBody"]).get("required")
    )
    if body is not None:
        body["required"] = True
    return body is not None


def retype_body(data: Data) -> bool:
    operation = first(op for op in operations(data) if "requestBody" in op and json_schema(data, op["requestBody"]))
    if operation is None:
        return False
    operation["requestBody"] = {"content": {"application/json": {"schema": {"type": "string"}}}}
    return True


def add_media_type(direction: str) -> Mutation:
    def mutation(data: Data) -> bool:
        for operation in operations(data):
            holders = (
                [operation.get("requestBody")]
                if direction == "request"
                else [r for s, r in (operation.get("responses") or {}).items() if str(s).startswith("2")]
            )
            for holder in holders:
                if json_schema(data, holder) is not None and "text/plain" not in deref(data, holder)["content"]:
                    deref(data, holder)["content"]["text/plain"] = {"schema": {"type": "string"}}
                    return True
        return False

    return mutation


def remove_property(direction: str) -> Mutation:
    def mutation(data: Data) -> bool:
        for schema in objects(data, direction):
            optional = [name for name in schema["properties"] if name not in schema.get("required", [])]
            if optional:
                del schema["properties"][optional[0]]
                return True
        return False

    return mutation


def add_property(direction: str, required: bool) -> Mutation:
    def mutation(data: Data) -> bool:
        schema = first(objects(data, direction))
        if schema is None:
            return False
        schema["properties"]["diffNew"] = {"type": "string"}
        if required:
            schema["required"] = [*schema.get("required", []), "diffNew"]
        return True

    return mutation


def require_property(direction: str) -> Mutation:
    def mutation(data: Data) -> bool:
        for schema in objects(data, direction):
            optional = [name for name in schema["properties"] if name not in schema.get("required", [])]
            if optional:
                schema["required"] = [*schema.get("required", []), optional[0]]
                return True
        return False

    return mutation


def retype_property(direction: str) -> Mutation:
    def mutation(data: Data) -> bool:
        for schema in objects(data, direction):
            for name, value in schema["properties"].items():
                if deref(data, value).get("type") in ("string", "integer"):
                    schema["properties"][name] = {"type": "boolean"}
                    return True
        return False

    return mutation


def nullable_property(direction: str) -> Mutation:
    def mutation(data: Data) -> bool:
        return any(nullable(data, p) for schema in objects(data, direction) for p in schema["properties"].values())

    return mutation


def bound_property(direction: str) -> Mutation:
    def mutation(data: Data) -> bool:
        for schema in objects(data, direction):
            for value in schema["properties"].values():
                if value.get("type") == "string" and "maxLength" not in value:
                    value["maxLength"] = 1
                    return True
        return False

    return mutation


def enums(data: Data, direction: str) -> Iterator[dict[str, Any]]:
    """Schemas with a string enum (two values or more) in a request body or a query parameter, or a response."""
    holders: list[Any] = []
    for operation in operations(data):
        if direction == "request":
            listed = [deref(data, p) for p in operation.get("parameters", [])]
            holders += [p for p in listed if isinstance(p, dict) and p.get("in") == "query"]
            holders += [operation["requestBody"]] if "requestBody" in operation else []
        else:
            holders += [r for s, r in (operation.get("responses") or {}).items() if str(s).startswith("2")]
    seen: set[int] = set()
    stack = list(holders)
    while stack:
        node = deref(data, stack.pop())
        if id(node) in seen:
            continue
        seen.add(id(node))
        if (
            isinstance(node, dict)
            and isinstance(node.get("enum"), list)
            and len(node["enum"]) > 1
            and all(isinstance(v, str) for v in node["enum"])
        ):
            yield node
        stack += [v for v in (node.values() if isinstance(node, dict) else node if isinstance(node, list) else [])]


def drop_enum_value(data: Data) -> bool:
    schema = first(enums(data, "request"))
    if schema is not None:
        schema["enum"] = schema["enum"][:-1]
    return schema is not None


def add_enum_value(direction: str) -> Mutation:
    def mutation(data: Data) -> bool:
        schema = first(enums(data, direction))
        if schema is not None:
            schema["enum"] = [*schema["enum"], "diff_new"]
        return schema is not None

    return mutation


def add_status(status: str) -> Mutation:
    def mutation(data: Data) -> bool:
        operation = first(op for op in operations(data) if status not in (op.get("responses") or {}))
        if operation is not None:
            operation.setdefault("responses", {})[status] = {"description": "diff"}
        return operation is not None

    return mutation


def retype_response(data: Data) -> bool:
    for operation in operations(data):
        for status, response in (operation.get("responses") or {}).items():
            if str(status).startswith("2") and json_schema(data, response) is not None:
                operation["responses"][status] = {
                    "description": "text",
                    "content": {"application/json": {"schema": {"type": "string"}}},
                }
                return True
    return False


def rename_component(data: Data) -> bool:
    """Rename a component schema some operation's body or answer names, and every `$ref` to it."""
    schemas = (data.get("components") or {}).get("schemas") or {}
    text = json.dumps(data)
    used = [
        name for name in schemas if schemas[name].get("type") == "object" and f'"#/components/schemas/{name}"' in text
    ]
    if not used:
        return False
    name = used[0]
    renamed = json.loads(text.replace(f'"#/components/schemas/{name}"', f'"#/components/schemas/{name}Renamed"'))
    renamed["components"]["schemas"] = {
        (k + "Renamed" if k == name else k): v for k, v in renamed["components"]["schemas"].items()
    }
    data.clear()
    data.update(renamed)
    return True


def add_model(data: Data) -> bool:
    schema = {"type": "object", "properties": {"diffOnly": {"type": "string"}, "diffCount": {"type": "integer"}}}
    data.setdefault("components", {}).setdefault("schemas", {})["DiffNewModel"] = schema
    return True


def secure_more(data: Data) -> bool:
    """Every operation needs, besides what it needed, a new API key."""
    if not any(operations(data)):
        return False
    components = data.setdefault("components", {})
    components.setdefault("securitySchemes", {})["diffKey"] = {"type": "apiKey", "in": "header", "name": "X-Diff-Key"}
    data["security"] = [{**alternative, "diffKey": []} for alternative in data.get("security") or [{}]]
    for operation in operations(data):
        if "security" in operation:
            operation["security"] = [{**alternative, "diffKey": []} for alternative in operation["security"] or [{}]]
    return True


def change_scheme(data: Data) -> bool:
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    used = json.dumps([data.get("security"), [op.get("security") for op in operations(data)]])
    for key, scheme in schemes.items():
        if f'"{key}"' in used and not (scheme.get("type") == "apiKey" and scheme.get("name") == "X-Diff-Key"):
            schemes[key] = {"type": "apiKey", "in": "header", "name": "X-Diff-Key"}
            return True
    return False


def add_server(data: Data) -> bool:
    data["servers"] = [*(data.get("servers") or []), {"url": "https://diff.example/v9"}]
    return True


def new_default_server(data: Data) -> bool:
    data["servers"] = [{"url": "https://diff.example/v9"}, *(data.get("servers") or [])]
    return True


# rule -> (mutation, compared in reverse (mutated to original), a word the effect has, or None for none)
CASES: dict[str, tuple[Mutation, bool, str | None]] = {
    "operation-removed": (remove_operation, False, "is removed"),
    "operation-added": (add_operation, False, "diff_new() is added"),
    "operation-id-changed": (rename_operation, False, "_renamed()"),
    "operation-moved": (retag_operation, False, "diff_moved"),
    "operation-deprecated": (deprecate, False, None),
    "request-parameter-removed": (remove_parameter, False, "loses the argument"),
    "new-required-request-parameter": (add_parameter(True), False, "gains the required argument diff_new"),
    "new-optional-request-parameter": (add_parameter(False), False, "gains the optional argument diff_new"),
    "request-parameter-became-required": (require_parameter, False, "becomes required"),
    "request-parameter-became-optional": (require_parameter, True, "becomes optional"),
    "parameter-type-changed": (retype_parameter, False, "changes from"),
    "request-parameter-default-changed": (default_parameter, False, 'defaults to "diff"'),
    "request-body-removed": (remove_body, False, "loses the argument body"),
    "new-required-request-body": (add_body(True), False, "gains the required argument body"),
    "new-optional-request-body": (add_body(False), False, "gains the optional argument body"),
    "request-body-became-required": (require_body, False, "argument body of"),
    "request-body-became-optional": (require_body, True, "argument body of"),
    "request-body-type-changed": (retype_body, False, "changes from"),
    "request-media-type-added": (add_media_type("request"), False, None),
    "request-media-type-removed": (add_media_type("request"), True, None),
    "request-property-removed": (remove_property("request"), False, "loses the field"),
    "new-required-request-property": (add_property("request", True), False, "gains the required field diff_new"),
    "new-optional-request-property": (add_property("request", False), False, "gains the optional field diff_new"),
    "request-property-became-required": (require_property("request"), False, "becomes required"),
    "request-property-became-optional": (require_property("request"), True, "becomes optional"),
    "request-property-type-changed": (retype_property("request"), False, "changes from"),
    "request-property-became-nullable": (nullable_property("request"), False, None),
    "request-property-became-not-nullable": (nullable_property("request"), True, None),
    "request-constraint-tightened": (bound_property("request"), False, None),
    "request-constraint-loosened": (bound_property("request"), True, None),
    "enum-value-removed": (drop_enum_value, False, None),
    "enum-value-added": (drop_enum_value, True, None),
    "response-enum-value-added": (add_enum_value("response"), False, None),
    "response-status-removed": (add_status("202"), True, None),
    "response-success-status-added": (add_status("202"), False, None),
    "response-error-status-removed": (add_status("418"), True, None),
    "response-error-status-added": (add_status("418"), False, None),
    "response-media-type-removed": (add_media_type("response"), True, None),
    "response-media-type-added": (add_media_type("response"), False, None),
    "response-body-type-changed": (retype_response, False, "returns str instead of"),
    "response-property-removed": (remove_property("response"), False, "loses the field"),
    "response-property-added": (add_property("response", False), False, "gains the field diff_new"),
    "response-property-became-optional": (require_property("response"), True, "becomes optional"),
    "response-property-became-required": (require_property("response"), False, "becomes required"),
    "response-property-type-changed": (retype_property("response"), False, "changes from"),
    "response-property-became-nullable": (nullable_property("response"), False, "| None"),
    "response-property-became-not-nullable": (nullable_property("response"), True, None),
    "response-constraint-loosened": (bound_property("response"), True, None),
    "response-constraint-tightened": (bound_property("response"), False, None),
    "component-renamed": (rename_component, False, "Renamed"),
    "model-removed": (add_model, True, "models.DiffNewModel is removed"),
    "model-added": (add_model, False, "models.DiffNewModel is added"),
    "security-changed": (secure_more, False, "sends"),
    "security-relaxed": (secure_more, True, "sends"),
    "security-scheme-removed": (secure_more, True, None),
    "security-scheme-added": (secure_more, False, "gains the argument"),
    "security-scheme-changed": (change_scheme, False, None),
    "server-removed": (add_server, True, None),
    "server-added": (add_server, False, None),
    "default-server-changed": (new_default_server, False, "base_url becomes"),
}
WHOLE_SPECS = {"spec-added", "spec-removed"}  # made by `--against`: tested there


def test_every_rule_has_a_version_pair() -> None:
    assert set(CASES) | WHOLE_SPECS == set(RULES)


@pytest.mark.parametrize("rule", list(CASES))
def test_a_version_pair_reports_its_rule(rule: str, tmp_path: Path) -> None:
    mutation, reverse, effect = CASES[rule]
    changes = diff(mutation, tmp_path, reverse)
    found = [c for c in changes if c.rule == rule]
    assert found, "\n".join(map(str, changes))
    assert all(c.severity == RULES[rule][0] and c.line >= 1 for c in found)
    if effect is not None:
        assert any(effect in c.effect for c in found), "\n".join(map(str, found))


# Pairs that must say nothing -------------------------------------------------------------


@pytest.mark.parametrize("path", CANDIDATES, ids=lambda p: p.name)
def test_a_spec_against_itself_and_its_json_says_nothing(path: Path, tmp_path: Path) -> None:
    assert compare(original(path), original(path)) == []
    as_json = load_side(write(json.loads(data_of(path)), tmp_path, path.stem))
    assert isinstance(as_json, Side)
    assert compare(original(path), as_json) == []


def move_to_components(data: Data) -> bool:
    """Move an operation's first inline parameter, request body and response into
    components, each replaced by a `$ref`: the same API."""
    moved = False
    components = data.setdefault("components", {})
    for index, operation in enumerate(operations(data)):
        listed = [i for i, p in enumerate(operation.get("parameters", [])) if "$ref" not in p]
        if listed:
            components.setdefault("parameters", {})[f"DiffMoved{index}"] = operation["parameters"][listed[0]]
            operation["parameters"][listed[0]] = {"$ref": f"#/components/parameters/DiffMoved{index}"}
            moved = True
        if "$ref" not in operation.get("requestBody", {"$ref": ""}):
            components.setdefault("requestBodies", {})[f"DiffMoved{index}"] = operation["requestBody"]
            operation["requestBody"] = {"$ref": f"#/components/requestBodies/DiffMoved{index}"}
            moved = True
        for status, response in list((operation.get("responses") or {}).items()):
            if "$ref" not in response:
                components.setdefault("responses", {})[f"DiffMoved{index}x{status}"] = response
                operation["responses"][status] = {"$ref": f"#/components/responses/DiffMoved{index}x{status}"}
                moved = True
    return moved


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_ref_moves_that_change_nothing_are_no_change(path: Path, tmp_path: Path) -> None:
    data = json.loads(data_of(path))
    assert move_to_components(data)
    moved = load_side(write(data, tmp_path, path.stem))
    assert isinstance(moved, Side), moved
    assert compare(original(path), moved) == []


# Direction, effects in the words, cycles --------------------------------------------

TWO_WAYS = """
openapi: 3.1.0
info: {title: Two ways, version: '1'}
paths:
  /meetings/{meetingId}:
    put:
      operationId: putMeeting
      tags: [Meetings]
      parameters:
        - {name: meetingId, in: path, required: true, schema: {type: string}}
        - {name: status, in: query, schema: {$ref: '#/components/schemas/Status'}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                topic: {type: string}
                alternative_hosts: {type: string}
      responses:
        '200':
          description: The meeting.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Meeting'}
components:
  schemas:
    Status: {type: string, enum: [SCHEDULED, STARTED]}
    Meeting:
      type: object
      required: [topic]
      properties:
        topic: {type: string}
        alternative_hosts: {type: string}
        children:
          type: array
          items: {$ref: '#/components/schemas/Meeting'}
"""


def two_ways(write_spec: Callable[..., Path], text: str = TWO_WAYS, name: str = "api.yaml") -> Side:
    side = load_side(write_spec(text, name))
    assert isinstance(side, Side), side
    return side


def test_a_field_removed_from_a_response_is_not_one_removed_from_a_request(write_spec: Callable[..., Path]) -> None:
    old = two_ways(write_spec)
    text = TWO_WAYS.replace("        alternative_hosts: {type: string}\n        children:", "        children:")
    changes = compare(old, two_ways(write_spec, text, "new/api.yaml"))
    assert [(c.rule, c.effect) for c in changes] == [
        ("response-property-removed", "models.Meeting loses the field alternative_hosts")
    ]
    assert changes[0].pointer == "/components/schemas/Meeting/properties/alternative_hosts"
    assert changes[0].file.endswith("api.yaml") and changes[0].line == TWO_WAYS.splitlines().index(
        "        alternative_hosts: {type: string}", 30
    )


def test_effects_say_what_the_generated_code_loses_and_gains(write_spec: Callable[..., Path]) -> None:
    old = two_ways(write_spec)
    text = TWO_WAYS.replace("[SCHEDULED, STARTED]", "[STARTED]").replace(
        "        - {name: status, in: query,",
        "        - {name: occurrence_id, in: query, required: true, schema: {type: string}}\n        - {name: status, in: query,",
    )
    effects = {c.rule: c.effect for c in compare(old, two_ways(write_spec, text, "new/api.yaml"))}
    assert effects == {
        "enum-value-removed": "enum Status loses SCHEDULED",
        "new-required-request-parameter": "client.meetings.put_meeting() gains the required argument occurrence_id",
    }


def test_a_change_inside_a_recursive_schema_is_found_once(write_spec: Callable[..., Path]) -> None:
    old = two_ways(write_spec)
    text = TWO_WAYS.replace("      required: [topic]\n", "      required: [topic, alternative_hosts]\n")
    changes = compare(old, two_ways(write_spec, text, "new/api.yaml"))
    assert [(c.rule, c.effect) for c in changes] == [
        ("response-property-became-required", "field alternative_hosts of models.Meeting becomes required")
    ]


def test_an_operation_id_changed_with_its_x_unified_entry_still_breaks(tmp_path: Path) -> None:
    path = ROOT / "tests" / "fixtures" / "unified" / "calendar.yaml"
    text = path.read_text(encoding="utf-8").replace("readEvent", "fetchEvent")
    assert text.count("fetchEvent") >= 2  # the operation and its x-unified entry
    (tmp_path / path.name).write_text(text, encoding="utf-8")
    new = load_side(tmp_path / path.name)
    assert isinstance(new, Side), new
    changes = compare(original(path), new)
    assert [(c.rule, c.severity) for c in changes] == [("operation-id-changed", "breaking")]
    assert changes[0].effect.endswith("becomes client.fetch_event()"), changes[0].effect


def test_a_status_or_parameter_is_located_where_the_operation_lists_it(write_spec: Callable[..., Path]) -> None:
    old = two_ways(write_spec)
    text = TWO_WAYS.replace(
        "      responses:\n        '200':",
        "      responses:\n        '404': {$ref: '#/components/responses/Gone'}\n        '200':",
    )
    text = text.replace("components:\n", "components:\n  responses:\n    Gone: {description: Gone.}\n")
    text = text.replace("{name: status, in: query, schema:", "{name: status, in: header, schema:")
    pointers = {c.rule: c.pointer for c in compare(old, two_ways(write_spec, text, "new/api.yaml"))}
    operation = "/paths/~1meetings~1{meetingId}/put"
    assert pointers == {
        "response-error-status-added": f"{operation}/responses/404",  # not /components/responses/Gone
        "request-parameter-removed": f"{operation}/parameters/1",
        "new-optional-request-parameter": f"{operation}/parameters/1",
    }
