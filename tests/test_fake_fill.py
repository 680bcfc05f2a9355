"""The fakes fill the read-only fields a vendor sets (issue 26): from each field's
schema (enum, format, pattern, examples), consistent with the item, never over a
value the client or `x-fake` gave."""

from __future__ import annotations

import asyncio
import datetime
import importlib
import re
import sys
from typing import Any

import jsonschema
import pytest
from spec_driven import VENDORS

from generator.runtime._fake import Fake
from generator.runtime._fake_records import Collection, FakeAction
from generator.runtime._fake_samples import matching
from generator.runtime._server_runtime import FORMATS, Param, Result, Route, Spec

PACKAGES = sorted(v.api.package for v in VENDORS)


def read_only(spec: Spec, pointer: str) -> list[str]:
    """The read-only top-level properties of the schema at `pointer`."""
    schema = spec.resolve({"$ref": "#" + pointer})
    return [
        name
        for name, declared in (schema.get("properties") or {}).items()
        if declared.get("readOnly") or spec.resolve(declared).get("readOnly")
    ]


def fits(spec: Spec, pointer: str, value: Any) -> list[str]:
    """Why `value` does not fit the schema at `pointer` (as an answer: read-only fields count)."""
    validator = jsonschema.Draft202012Validator(
        {"$ref": "urn:spec#" + pointer}, registry=spec.registry, format_checker=FORMATS
    )
    return [error.message for error in validator.iter_errors(value)]


def collections() -> list[tuple[str, str]]:
    found = []
    for vendor in PACKAGES:
        config = importlib.import_module(f"generated.{vendor}._server_config")
        found += [(vendor, name) for name, c in config.COLLECTIONS.items() if c.schema]
    return found


@pytest.mark.parametrize(("vendor", "collection"), collections())
def test_every_read_only_field_of_a_stored_item_is_filled_and_fits_its_schema(vendor: str, collection: str) -> None:
    server = importlib.import_module(f"generated.{vendor}.server")
    fake = server.create_fake()
    spec = Spec(server.SPEC)
    pointer = server.COLLECTIONS[collection].schema
    fields = read_only(spec, pointer)
    parent = "p1" if any(a.collection == collection and a.parent for a in server.ACTIONS.values()) else ""
    [item] = fake.seed(collection, [{}], parent=parent)
    [again] = fake.seed(collection, [{}], parent=parent)
    key = str(item[server.COLLECTIONS[collection].id_field])
    for name in fields:
        assert item.get(name) is not None, name
        assert not fits(spec, f"{pointer}/properties/{name}", item[name]), (name, item[name])
        if spec.resolve(spec.resolve({"$ref": "#" + pointer})["properties"][name]).get("format") == "uri":
            assert key in item[name] and item[name] != again[name], (name, item[name])
    assert not fits(spec, pointer, item)


@pytest.mark.parametrize(("vendor", "collection"), collections())
def test_a_read_only_value_given_is_kept(vendor: str, collection: str) -> None:
    server = importlib.import_module(f"generated.{vendor}.server")
    spec = Spec(server.SPEC)
    pointer = server.COLLECTIONS[collection].schema
    fields = read_only(spec, pointer)
    if not fields:
        pytest.skip("no read-only fields")
    given = {name: server.create_fake().seed(collection, [{}])[0][name] for name in fields}
    given = {name: "kept" if isinstance(value, str) else value for name, value in given.items()}
    [item] = server.create_fake().seed(collection, [given])
    assert {name: item[name] for name in fields} == given


# --- a small spec: each way a value is made ----------------------------------------------------

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Rooms", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Room": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "name": {"type": "string"},
                    "selfUri": {"type": "string", "format": "uri", "readOnly": True},
                    "state": {"type": "string", "enum": ["idle", "busy"], "readOnly": True},
                    "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$", "readOnly": True},
                    "created": {"type": "string", "format": "date-time", "readOnly": True},
                    "guid": {"type": "string", "format": "uuid", "readOnly": True},
                    "phase": {"type": "string", "readOnly": True},
                    "links": {"$ref": "#/components/schemas/Links"},
                    "tags": {"type": "array", "items": {"type": "string"}, "readOnly": True},
                    "note": {"type": "string"},
                },
                "examples": [{"phase": "Planned", "name": "Blue"}],
            },
            "Links": {
                "type": "object",
                "readOnly": True,
                "properties": {"join": {"type": "string", "format": "uri"}, "size": {"type": "integer"}},
            },
        }
    },
}


def rooms() -> Fake:
    return Fake(DOCUMENT, (), {}, {"rooms": Collection(schema="/components/schemas/Room", id_field="id")})


def test_each_read_only_field_gets_a_value_from_its_schema() -> None:
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    [room] = rooms().seed("rooms", [{"name": "Blue"}])
    key = room["id"]
    assert room["selfUri"] == f"https://example.com/rooms/{key}"
    assert room["state"] == "idle"
    assert re.fullmatch("[A-Z]{3}-[0-9]{4}", room["code"])
    assert datetime.datetime.fromisoformat(room["created"]) >= before
    assert room["phase"] == "Planned"  # the schema's example, for a field it says nothing else of
    assert room["links"] == {"join": f"https://example.com/rooms/{key}/links/join", "size": 0}
    assert room["tags"] == []
    assert "note" not in room  # not read-only: the client's to send
    [same] = rooms().seed("rooms", [{"name": "Blue"}])
    assert same["guid"] == room["guid"]  # the same item, the same values: golden-file safe


def test_a_child_item_links_under_its_parent_and_a_value_given_stays() -> None:
    [room] = rooms().seed("rooms", [{"state": "busy", "links": {"join": "https://mine/"}}], parent="p 1")
    assert room["state"] == "busy"
    assert room["links"] == {"join": "https://mine/"}
    assert room["selfUri"] == f"https://example.com/p%201/rooms/{room['id']}"


def test_a_replace_keeps_the_read_only_values_the_fake_set() -> None:
    document = {
        **DOCUMENT,
        "paths": {
            "/rooms/{id}": {
                "put": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Room"}}}},
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Room"}}}}
                    },
                }
            }
        },
    }
    route = Route(
        name="replace_room",
        method="PUT",
        path="/rooms/{id}",
        pointer="/paths/~1rooms~1{id}/put",
        params=(Param("id", "id", "path", True, "/components/schemas/Room/properties/id", lambda: str),),
        body_schema="/components/schemas/Room",
        body_required=True,
        body_of=lambda: dict[str, Any],
        body_encoding="json",
        results=(Result(200, "json", lambda: dict[str, Any], "application/json"),),
        result_of=lambda: dict[str, Any],
        security=(),
    )
    collection = {"rooms": Collection(schema="/components/schemas/Room", id_field="id")}
    fake = Fake(
        document, (route,), {"replace_room": FakeAction(action="replace", collection="rooms", key="id")}, collection
    )
    [room] = fake.seed("rooms", [{"name": "Blue", "created": "2020-01-01T00:00:00Z"}])
    handler = fake.handler("replace_room")
    assert handler is not None
    replaced = asyncio.run(handler(room["id"], body={"name": "Green", "created": "2030-01-01T00:00:00Z"}))
    assert replaced["name"] == "Green" and replaced["created"] == "2020-01-01T00:00:00Z"


@pytest.mark.parametrize(
    "pattern",
    [r"^[0-9]+$", r"^[A-Z]{2}-\d{3}$", r"[^a-z]+", r"^(foo|bar)$", r"^\w+@\w+\.com$", r"^[^\s]+$", r"^[\d-]{3}$"],
)
def test_a_pattern_gives_a_value_it_matches(pattern: str) -> None:
    found = matching(pattern)
    assert found is not None and re.search(pattern, found)


def test_a_pattern_with_no_value_found_gives_none_and_never_fails() -> None:
    assert matching("(?<=a)b") is None
    assert matching("(") is None


def test_without_the_private_regex_parser_a_pattern_gets_no_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    assert matching("^[A-Z]{3}$") is not None
    monkeypatch.setitem(sys.modules, "re._parser", None)
    assert matching("^[A-Z]{3}$") is None
