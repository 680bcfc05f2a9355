"""JSON pointers and `$ref`s (generator.pointers), and the walk of operations (generator.paths)."""

from __future__ import annotations

from itertools import islice
from typing import Any

import pytest

from generator.paths import operations, path_items
from generator.pointers import (
    chain,
    deref,
    escape,
    join,
    mappings,
    nodes,
    properties,
    ref_target,
    refers_to,
    resolve,
    split,
    unescape,
    walk,
)

TOKENS = ["", "a", "~", "/", "~1", "~0", "a/b~c", "{id}", "/~/"]


@pytest.mark.parametrize("token", TOKENS)
def test_escaping_round_trips(token: str) -> None:
    assert unescape(escape(token)) == token
    assert "/" not in escape(token)


def test_escaping_follows_rfc_6901() -> None:
    assert escape("a/b~c") == "a~1b~0c"
    assert escape("~1") == "~01"  # a tilde first, or `~1` would come back as `/`
    assert unescape("~01") == "~1"
    assert unescape("~10") == "/0"


def test_join_and_split_are_inverses() -> None:
    pointer = join("", *TOKENS, 0)
    assert pointer == "//a/~0/~1/~01/~00/a~1b~0c/{id}/~1~0~1/0"
    assert split(pointer) == [*TOKENS, "0"]
    assert join("/paths", "/things/{id}", "get") == "/paths/~1things~1{id}/get"
    assert split("") == [] and join("/a") == "/a"


DATA: dict[str, Any] = {"": {"a/b": ["x", {"~": 1}]}, "list": [10, 20], "scalar": "s"}


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [("", DATA), ("/", DATA[""]), ("/~1", None), ("/list/1", 20), ("//a~1b/1/~0", 1), ("/list/01", 20)],
)
def test_resolve(pointer: str, expected: Any) -> None:
    if expected is None:
        with pytest.raises(KeyError):
            resolve(DATA, pointer)
    else:
        assert resolve(DATA, pointer) is expected


@pytest.mark.parametrize("pointer", ["/missing", "/list/2", "/list/-", "/list/x", "/scalar/0", "/list/0/0", "/list/²"])
def test_resolve_raises_key_error_for_what_is_not_there(pointer: str) -> None:
    with pytest.raises(KeyError) as raised:
        resolve(DATA, pointer)
    assert raised.value.args == (pointer,)


def test_ref_targets_are_local_pointers_percent_decoded() -> None:
    assert ref_target("#/components/schemas/A%20B") == "/components/schemas/A B"
    assert ref_target("#") == ""
    assert ref_target("other.yaml#/A") is None
    assert ref_target(7) is None
    assert refers_to({"$ref": "#/a", "description": "x"}) == "/a"
    assert refers_to({"$ref": ["#/a"]}) is None
    assert refers_to(["#/a"]) is None


REFS: dict[str, Any] = {
    "a": {"$ref": "#/b"},
    "b": {"$ref": "#/c"},
    "c": {"type": "string"},
    "loop1": {"$ref": "#/loop2"},
    "loop2": {"$ref": "#/loop1"},
    "self": {"$ref": "#/self"},
    "broken": {"$ref": "#/b"},
    "dangling": {"$ref": "#/nowhere"},
    "far": {"$ref": "other.yaml#/c"},
}


def test_chain_follows_refs_to_a_value_that_is_not_one() -> None:
    steps = list(chain(REFS, "/x", {"$ref": "#/a"}))
    assert [p for p, _ in steps] == ["/x", "/a", "/b", "/c"]
    assert steps[-1][1] == {"type": "string"}
    assert deref(REFS, "/x", {"$ref": "#/a"}) == ("/c", {"type": "string"})


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("/loop1", ["/loop1", "/loop2", "/loop1"]),  # a cycle ends where a target comes round again
        ("/self", ["/self", "/self"]),
        ("/dangling", ["/dangling"]),  # before a target that does not resolve
        ("/far", ["/far"]),  # at a reference into another file
        ("/c", ["/c"]),
    ],
)
def test_chain_ends(start: str, expected: list[str]) -> None:
    steps = list(chain(REFS, start, resolve(REFS, start)))
    assert [p for p, _ in steps] == expected
    assert deref(REFS, start, resolve(REFS, start)) == steps[-1]


def test_walk_visits_every_value_parents_first() -> None:
    data = {"a": [1, {"b/c": 2}], "$ref": "#/a", "d": {"e": 3}}
    order = ["", "/a", "/a/0", "/a/1", "/a/1/b~1c", "/$ref", "/d", "/d/e"]
    assert [p for p, _ in walk(data)] == order
    assert dict(walk(data))["/a/1/b~1c"] == 2
    assert [p for p, _ in walk(data, reverse=True)] == ["", "/d", "/d/e", "/$ref", "/a", "/a/1", "/a/1/b~1c", "/a/0"]
    assert [p for p, _ in walk(data, "/x", skip={"a", "e"})] == ["/x", "/x/$ref", "/x/d"]
    assert list(walk(5, "/n")) == [("/n", 5)]


@pytest.mark.parametrize("options", [{}, {"reverse": True}, {"pointer": "/x", "skip": {"a"}}, {"skip": {"d"}}])
def test_mappings_are_the_mappings_walk_reaches_in_its_order(options: dict[str, Any]) -> None:
    data = {"a": [1, {"b/c": {"f": [{}]}}], "$ref": "#/a", "d": {"e": 3, "g": [[{"h": 1}]]}}
    assert list(mappings(data, **options)) == [(p, v) for p, v in walk(data, **options) if isinstance(v, dict)]
    assert list(mappings([{"a": 1}], "/n")) == [("/n/0", {"a": 1})]
    assert list(mappings("text")) == []


SPEC: dict[str, Any] = {
    "paths": {
        "/things/{id}": {
            "summary": "Things",
            "description": "not an operation",
            "servers": [],
            "x-internal": {"get": {}},
            "parameters": [
                {"name": "id", "in": "path"},
                {"$ref": "#/components/parameters/verbose"},
                {"name": "id", "in": "query"},
            ],
            "get": {"parameters": [{"name": "id", "in": "query", "description": "own"}]},
            "delete": {"parameters": [{"name": "verbose", "in": "query"}, "odd"]},
            "put": None,
        },
        "/shared": {"$ref": "#/components/pathItems/Shared"},
        "/dangling": {"$ref": "#/components/pathItems/Nowhere"},
        "/odd": [],
    },
    "webhooks": {"changed": {"post": {"callbacks": {"again": {"{$url}": {"$ref": "#/webhooks/changed"}}}}}},
    "components": {
        "parameters": {"verbose": {"name": "verbose", "in": "query"}},
        "pathItems": {"Shared": {"trace": {}, "head": {}}},
    },
}


def test_operations_are_the_method_keys_of_each_path_item() -> None:
    found = [(op.path, op.method, op.pointer) for op in islice(operations(SPEC), 10)]  # a loop would not end
    assert found == [
        ("/things/{id}", "get", "/paths/~1things~1{id}/get"),
        ("/things/{id}", "put", "/paths/~1things~1{id}/put"),
        ("/things/{id}", "delete", "/paths/~1things~1{id}/delete"),
        ("/shared", "head", "/components/pathItems/Shared/head"),
        ("/shared", "trace", "/components/pathItems/Shared/trace"),
        (None, "post", "/webhooks/changed/post"),  # its callback leads back to it: once
    ]
    assert [op.node for op in operations(SPEC)][1] is None


def test_an_operation_takes_its_path_items_parameters_replaced_by_its_own() -> None:
    items = {item.pointer: item for item in path_items(SPEC)}
    item = items["/paths/~1things~1{id}"]
    assert [(p.site, p.pointer) for p in item.parameters] == [
        ("/paths/~1things~1{id}/parameters/0", "/paths/~1things~1{id}/parameters/0"),
        ("/paths/~1things~1{id}/parameters/1", "/components/parameters/verbose"),
        ("/paths/~1things~1{id}/parameters/2", "/paths/~1things~1{id}/parameters/2"),
    ]
    get, put, delete = item.operations
    assert [p.site.removeprefix(item.pointer) for p in get.parameters] == [
        "/parameters/0",
        "/parameters/1",
        "/get/parameters/0",
    ]
    assert get.parameters[2].node["description"] == "own"
    assert [p.key for p in put.parameters] == [("id", "path"), ("verbose", "query"), ("id", "query")]
    assert [p.site.removeprefix(item.pointer) for p in delete.parameters] == [
        "/parameters/0",
        "/delete/parameters/0",
        "/parameters/2",
        "/delete/parameters/1",
    ]
    assert delete.parameters[3].key == ("", "/paths/~1things~1{id}/delete/parameters/1")  # not a parameter


def test_path_items_follow_refs_and_skip_what_is_not_one() -> None:
    found = [(item.path, item.pointer) for item in path_items(SPEC)]
    assert found == [
        ("/things/{id}", "/paths/~1things~1{id}"),
        ("/shared", "/components/pathItems/Shared"),
        ("/dangling", "/paths/~1dangling"),  # where its $ref stops (validate reports it)
        (None, "/webhooks/changed"),
    ]


def test_nodes_are_every_value_walk_reaches_without_pointers() -> None:
    data = {"a": [1, {"b": 2}], "skip": {"c": 3}, "d": None}
    assert sorted(map(repr, nodes(data))) == sorted(repr(v) for _, v in walk(data))
    assert {"c": 3} not in list(nodes(data, skip={"skip"}))


def test_properties_follow_all_of_and_refs_and_end_on_a_cycle() -> None:
    data = {
        "A": {
            "properties": {"a": {"type": "string"}},
            "allOf": [{"$ref": "#/B"}, {"properties": {"a": {"type": "integer"}, "i": {}}}],
        },
        "B": {"properties": {"b": {}}, "allOf": [{"$ref": "#/A"}]},  # back to A: read once
    }
    found = properties(data, data["A"])
    assert sorted(found) == ["a", "b", "i"] and found["a"] == {"type": "string"}  # the schema's own first
    assert properties(data, {"$ref": "#/nowhere"}) == {}
