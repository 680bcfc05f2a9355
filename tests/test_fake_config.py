"""`x-fake` and `x-server` are read into the model: each mistake is a located
finding under its own rule, and what is read prints as the runtime's classes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import hand_written

from generator import pipeline
from generator.model import Api, fake, server, unified
from generator.problems import Problem
from generator.render import constructor
from generator.rules import catalogue
from generator.runtime import _fake, _fake_records, _server_records, _server_runtime, _unified, _unified_records
from generator.sources import discover

SPEC = """
openapi: 3.1.0
info: {title: Mini, version: '1'}
servers: [{url: 'https://mini.example/v1'}]
security: [{bearer: []}]
x-server:
  errors: {default: {error: "{message}", code: "{code}"}, "404": null}
  codes: {"404": NOT_FOUND, default: OOPS}
  auth-status: 403
x-fake:
  collections:
    things:
      schema: /components/schemas/Thing
      id: {field: id, kind: integer}
      rules: [{rule: before, fields: [start, end]}]
paths:
  /things:
    get:
      operationId: listThings
      parameters: [{name: size, in: query, schema: {type: integer}}]
      x-fake: {action: list, collection: things, limit: size, output: /items}
      responses:
        '200': {description: things, content: {application/json: {schema: {$ref: '#/components/schemas/Things'}}}}
    post:
      operationId: createThing
      x-fake: {action: create, collection: things, values: {name: new}}
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
      responses:
        '201': {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
  /things/{thingId}:
    parameters: [{name: thingId, in: path, required: true, schema: {type: integer}}]
    get:
      operationId: getThing
      x-fake: {action: read, collection: things, key: thingId}
      responses:
        '200': {description: one, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
    patch:
      operationId: updateThing
      x-fake: {action: merge, collection: things, key: thingId}
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
      responses:
        '200': {description: changed, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
  schemas:
    Thing:
      type: object
      properties: {id: {type: integer, readOnly: true}, name: {type: string}, start: {type: string}, end: {type: string}}
    Things: {type: object, properties: {items: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}
"""
GET_THING = "/paths/~1things~1{thingId}/get/x-fake"
MERGE_THING = "/paths/~1things~1{thingId}/patch/x-fake"
LIST_THINGS = "/paths/~1things/get/x-fake"
CREATE_THING = "/paths/~1things/post/x-fake"


def check(write_spec: Callable[[str], Path], text: str) -> tuple[Api | None, list[Problem]]:
    return pipeline.check_spec(write_spec(text))


def line(text: str, snippet: str) -> int:
    """The 1-based line of the first line of `text` holding `snippet`."""
    return next(n for n, t in enumerate(text.lstrip().splitlines(), 1) if snippet in t)


@pytest.fixture(autouse=True)
def in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # findings name files relative to the working directory


def test_the_clean_spec_reads_into_the_model(write_spec: Callable[[str], Path]) -> None:
    api, problems = check(write_spec, SPEC)
    assert problems == [] and api is not None
    assert api.fake_actions == {
        "list_things": fake.FakeAction("list", "things", output="/items", limit="size"),
        "create_thing": fake.FakeAction("create", "things", values={"name": "new"}),
        "get_thing": fake.FakeAction("read", "things", key="thingId"),
        "update_thing": fake.FakeAction("merge", "things", key="thingId"),
    }
    before = fake.Constraint("before", ("start", "end"), "start must precede end")
    assert api.collections == {"things": fake.Collection("/components/schemas/Thing", "id", "integer", {}, (before,))}
    assert api.server == server.ServerSettings(
        errors={"default": {"error": "{message}", "code": "{code}"}, "404": None},
        codes={"404": "NOT_FOUND", "default": "OOPS"},
        auth_status=403,
        schemes={"bearer": server.Scheme("bearer")},
        base_path="/v1",
    )


# (text replaced, its replacement, rule, pointer, message, the line's snippet)
MISTAKES = {
    "action-typo": (
        "action: read,",
        "action: raed,",
        "x-fake",
        f"{GET_THING}/action",
        "unknown action 'raed' (did you mean 'read'?)",
        "action: raed",
    ),
    "misspelled-key": (
        "{action: create, collection: things,",
        "{action: create, colection: things,",
        "x-fake",
        f"{CREATE_THING}/colection",
        "unknown key 'colection' in x-fake (did you mean 'collection'?)",
        "colection",
    ),
    "unknown-collection": (
        "{action: read, collection: things",
        "{action: read, collection: thingz",
        "x-fake",
        f"{GET_THING}/collection",
        "unknown collection 'thingz' (did you mean 'things'?)",
        "thingz",
    ),
    "values-on-merge": (
        "key: thingId}\n      requestBody",
        "key: thingId, values: {name: x}}\n      requestBody",
        "x-fake",
        f"{MERGE_THING}/values",
        "'values' does nothing in a merge action",
        "values: {name: x}",
    ),
    "key-not-a-path-parameter": (
        "{action: read, collection: things, key: thingId}",
        "{action: read, collection: things, key: thingid}",
        "x-fake",
        f"{GET_THING}/key",
        "'thingid' is not a path parameter of this operation (did you mean 'thingId'?)",
        "key: thingid",
    ),
    "limit-not-a-query-parameter": (
        "limit: size",
        "limit: sise",
        "x-fake",
        f"{LIST_THINGS}/limit",
        "'sise' is not a query parameter of this operation (did you mean 'size'?)",
        "limit: sise",
    ),
    "parent-collection-unknown": (
        "{action: read, collection: things, key: thingId}",
        "{action: read, collection: things, key: thingId, parent: {collection: boxes, param: thingId}}",
        "x-fake",
        f"{GET_THING}/parent/collection",
        "unknown collection 'boxes'",
        "boxes",
    ),
    "wrong-type": (
        "output: /items",
        "output: [items]",
        "x-fake",
        f"{LIST_THINGS}/output",
        "output must be a JSON pointer such as '/data', not ['items']",
        "output: [items]",
    ),
    "id-kind-unknown": (
        "kind: integer",
        "kind: serial",
        "x-fake",
        "/x-fake/collections/things/id/kind",
        "id kind 'serial' is not one of integer, uuid, token, digits",
        "kind: serial",
    ),
    "schema-unresolved": (
        "schema: /components/schemas/Thing\n",
        "schema: /components/schemas/Thang\n",
        "x-fake",
        "/x-fake/collections/things/schema",
        "schema '/components/schemas/Thang' does not resolve",
        "Thang",
    ),
    "range-format": (
        "limit: size, output: /items}",
        "limit: size, output: /items, range: {field: start, format: DD.MM}}",
        "x-fake",
        f"{LIST_THINGS}/range/format",
        "a range format spells a date with YYYY, MM and DD, not 'DD.MM'",
        "DD.MM",
    ),
    "when-condition": (
        "limit: size, output: /items}",
        "limit: size, output: /items, when: {size: {'1': {start: {after: then}}}}}",
        "x-fake",
        f"{LIST_THINGS}/when/size/1/0/start",
        "a condition is a value, {after: now} or {before: now}",
        "after: then",
    ),
    "x-server-key-unknown": (
        "auth-status: 403",
        "auth-statis: 403",
        "x-server",
        "/x-server/auth-statis",
        "unknown key 'auth-statis' in x-server (did you mean 'auth-status'?)",
        "auth-statis",
    ),
    "x-server-status-bad": (
        '"404": NOT_FOUND',
        '"200": NOT_FOUND',
        "x-server",
        "/x-server/codes/200",
        "codes keys are an error status (400 to 599) or 'default', not '200'",
        '"200": NOT_FOUND',
    ),
    "x-server-status-type": (
        "auth-status: 403",
        "auth-status: forbidden",
        "x-server",
        "/x-server/auth-status",
        "auth-status is an error status (400 to 599), not 'forbidden'",
        "auth-status: forbidden",
    ),
    "x-server-placeholder": (
        'error: "{message}"',
        'error: "{mesage}"',
        "x-server",
        "/x-server/errors/default/error",
        "unknown placeholder {mesage} (did you mean 'message'?)",
        "{mesage}",
    ),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_a_mistake_is_a_located_finding(write_spec: Callable[[str], Path], case: str) -> None:
    old, new, rule, pointer, message, snippet = MISTAKES[case]
    assert SPEC.count(old) == 1
    text = SPEC.replace(old, new)
    _, problems = check(write_spec, text)
    found = [p for p in problems if p.pointer == pointer]
    assert len(found) == 1, problems
    (problem,) = found
    assert (problem.rule, problem.line, problem.severity) == (rule, line(text, snippet), "warning")
    assert problem.file == "api.yaml"
    assert message in problem.message
    assert {p.rule for p in problems} == {rule}


def test_an_action_with_a_finding_is_left_out(write_spec: Callable[[str], Path]) -> None:
    old, new = "key: thingId}\n      requestBody", "key: thingId, values: {}}\n      requestBody"
    api, problems = check(write_spec, SPEC.replace(old, new))
    assert [p.pointer for p in problems] == [f"{MERGE_THING}/values"]
    assert api is not None and sorted(api.fake_actions) == ["create_thing", "get_thing", "list_things"]


def test_an_action_names_what_it_lacks(write_spec: Callable[[str], Path]) -> None:
    _, problems = check(write_spec, SPEC.replace("{action: read, collection: things, key: thingId}", "{action: read}"))
    assert [(p.pointer, p.message) for p in problems] == [
        (GET_THING, "a read action needs 'collection'"),
        (GET_THING, "a read action needs 'key'"),
    ]


def test_our_specs_lint_clean_under_the_new_rules() -> None:
    root = Path(__file__).resolve().parents[1]
    for spec in filter(hand_written, discover(root / "specs")):
        api, problems = pipeline.check_spec(spec)
        assert problems == [] and api is not None, spec
        assert api.fake_actions, spec


# Each extension's records: (the model module that builds them, the runtime module that reads them).
READERS = {
    _fake_records: (fake, _fake),
    _server_records: (server, _server_runtime),
    _unified_records: (unified, _unified),
}


@pytest.mark.parametrize(
    ("records", "name"),
    [
        (records, name)
        for records in READERS
        for name, value in vars(records).items()
        if dataclasses.is_dataclass(value) and value.__module__ == records.__name__
    ],
)
def test_the_model_builds_the_very_classes_the_runtime_reads(records: ModuleType, name: str) -> None:
    model, runtime = READERS[records]
    assert getattr(model, name) is getattr(records, name)
    assert getattr(runtime, name, None) in (None, getattr(records, name))


def test_the_runtime_modules_read_those_same_classes() -> None:
    assert _fake.FakeAction is fake.FakeAction and _unified.VendorMap is unified.VendorMap
    assert _server_runtime.ServerSettings is server.ServerSettings


def test_the_fake_has_a_handler_for_each_action_the_generator_accepts() -> None:
    assert _fake.HANDLERS.keys() == fake.ACTIONS.keys()


def test_a_record_prints_as_the_runtime_call_with_spec_text_escaped() -> None:
    action = fake.FakeAction(
        "create", 'th"ings', parent=fake.Parent("boxes", "boxId"), rename={"a\nb": None}, totals=("/n",)
    )
    code = constructor(action)
    assert "\n" not in code and "key=" not in code  # defaults are left out
    namespace = vars(_fake_records)
    assert eval(code, dict(namespace)) == _fake_records.FakeAction(
        "create", 'th"ings', parent=_fake_records.Parent("boxes", "boxId"), rename={"a\nb": None}, totals=("/n",)
    )


def test_lint_lists_the_new_rules(cli: Callable[..., Any]) -> None:
    listed = cli("lint", "--list-rules").stdout
    assert "x-fake" in listed and "x-server" in listed


def test_the_readme_names_every_rule() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert [rule for rule in catalogue() if f"`{rule}`" not in readme] == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("{action: read, collection: things, key: thingId}", "[read]"),
        ("action: read,", "action: [read],"),
        ("action: read,", "action: {a: 1},"),
        ("key: thingId}\n      responses", "key: thingId, parent: [a], range: 3, query: [x]}\n      responses"),
        ("limit: size, output: /items}", "limit: size, totals: {a: 1}, envelope: [1], query: {a: [1]}}"),
        ("  collections:\n", "  collections: [1]\n  unused:\n"),
        ("id: {field: id, kind: integer}", "id: [kind]"),
        ("id: {field: id, kind: integer}", "id: {field: [1], kind: [integer]}"),
        ("rules: [{rule: before, fields: [start, end]}]", "rules: [{rule: [before], fields: start, days: x}, 3]"),
        ("rules: [{rule: before, fields: [start, end]}]", "spawn: [things]"),
        ("auth-status: 403", "auth-status: true\n  headers: {'403': [1], '404': {a: [1]}, '4': {}}"),
        ('errors: {default: {error: "{message}", code: "{code}"}, "404": null}', "errors: [1]"),
        ('codes: {"404": NOT_FOUND, default: OOPS}', "codes: {'404': [1], '999': x}"),
        ("x-server:\n", "x-server: 5\nx-unused:\n"),
    ],
)
def test_odd_shapes_are_findings_not_crashes(write_spec: Callable[[str], Path], old: str, new: str) -> None:
    assert SPEC.count(old) == 1
    api, problems = check(write_spec, SPEC.replace(old, new))
    assert api is not None and problems
    assert {p.rule for p in problems} <= {"x-fake", "x-server"}, problems


def test_a_query_parameter_the_action_does_not_read_is_a_finding_and_the_action_kept(
    write_spec: Callable[[str], Path],
) -> None:
    declared = "parameters: [{name: size, in: query, schema: {type: integer}}]"
    text = SPEC.replace(declared, declared[:-1] + ", {name: q, in: query, schema: {type: string}}]")
    api, problems = check(write_spec, text)
    assert [(p.pointer, p.line, p.severity) for p in problems] == [(LIST_THINGS, line(text, "action: list"), "warning")]
    assert "neither reads nor ignores query parameter 'q'" in problems[0].message
    assert api is not None and "list_things" in api.fake_actions
    for reads in ("ignore: [q]", "search: q", "order: q", "filter: q", "when: {q: {a: {}}}"):
        api, problems = check(write_spec, text.replace("output: /items}", f"output: /items, {reads}}}"))
        assert problems == [] and api is not None, reads
        assert "q" in api.fake_actions["list_things"].reads()


def test_keyed_actions_read_query_and_ignore(write_spec: Callable[[str], Path]) -> None:
    declared = "parameters: [{name: thingId, in: path, required: true, schema: {type: integer}}]"
    text = SPEC.replace(declared, declared[:-1] + ", {name: owner, in: query, schema: {type: string}}]")
    _, problems = check(write_spec, text)
    assert {p.pointer for p in problems} == {GET_THING, MERGE_THING}
    text = text.replace("key: thingId}\n      responses", "key: thingId, query: {owner: owner}}\n      responses")
    text = text.replace("key: thingId}\n      requestBody", "key: thingId, ignore: [owner]}\n      requestBody")
    api, problems = check(write_spec, text)
    assert problems == [] and api is not None
    assert api.fake_actions["get_thing"].query == {"owner": "owner"}
