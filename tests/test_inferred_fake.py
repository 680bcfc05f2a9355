"""Others' specs, without our extensions: the fake the generator infers from each
public description in tests/fixtures/public/ keeps what the generated client
creates, and gets, lists, updates and deletes it."""

from __future__ import annotations

import datetime
import importlib
import re
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
from conftest import ROOT, served

from generator import pipeline
from generator.load import Document, load
from generator.model import Api, Operation
from generator.runtime._fake_samples import merged, sample
from generator.runtime._server_runtime import Spec, pointer_get
from generator.sources import discover

pytestmark = pytest.mark.slow  # generates three packages and serves their fakes

PUBLIC = sorted((ROOT / "tests" / "fixtures" / "public").glob("*.json"))
# and ours: items in envelopes and arrays, ids a pattern shapes, items made under a parent
FIXTURES = [*PUBLIC, *sorted((ROOT / "tests" / "fixtures" / "inferred").glob("*.yaml"))]
# and the specs/ with no x-fake of their own (a vendor's file as published): their committed packages
SPECS = [p for p in discover(ROOT / "specs") if isinstance(d := load(p), Document) and "x-fake" not in d.data]
CASES = [(p, "") for p in FIXTURES] + [(p, "generated.") for p in SPECS]
CHANGED = "changed by the test"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every public fixture generated into one folder, importable."""
    out = tmp_path_factory.mktemp("public")
    pipeline.generate(FIXTURES, out, all_specs=False)
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))


class Package:
    """A generated package, the model it was made from, and its served fake."""

    def __init__(self, api: Api, prefix: str) -> None:
        self.api = api
        self.spec = Spec(api.document)
        self.client_module = importlib.import_module(prefix + api.package)
        self.server = importlib.import_module(f"{prefix}{api.package}.server")
        models = importlib.import_module(f"{prefix}{api.package}.models")
        self.namespace = {"models": models, "datetime": datetime, "typing": typing}

    def typed(self, annotation: str, data: Any) -> Any:
        return pydantic.TypeAdapter(eval(annotation, self.namespace)).validate_python(data)

    def client(self, root: str) -> Any:
        """The client for the fake at `root`, with a token the fake accepts for each scheme."""
        token = min(self.server.Credentials().tokens)
        options: dict[str, Any] = {"base_url": root + self.server.SETTINGS.base_path, "max_retries": 0}
        for scheme in self.api.security_schemes:
            options[scheme.params[0]] = token
        return getattr(self.client_module, self.api.client_name + "Client")(**options)

    def body(self, op: Operation, change: bool = False) -> Any:
        """A request body its schema accepts (required fields); with `change`, every
        top-level string field it may hold set to CHANGED."""
        assert op.body is not None
        schema = merged(pointer_get(self.spec.document, op.body.schema_pointer), self.spec)
        data = sample(schema, self.spec)
        if change:
            for name, declared in (schema.get("properties") or {}).items():
                field = self.spec.resolve(declared)
                if field.get("type") == "string" and not field.get("format") and not field.get("enum"):
                    if not field.get("readOnly") and not field.get("pattern") and field.get("maxLength", 99) > 30:
                        data[name] = CHANGED
        return self.typed(op.body.type.annotation("models."), data)

    def call(self, client: Any, op: Operation, params: dict[str, Any], body: Any = None) -> Any:
        owner = getattr(client, op.resource) if op.resource else client
        positional = [self.typed(p.type.annotation("models."), params[p.wire_name]) for p in op.path_parameters]
        return getattr(owner, op.method_name)(*positional, **({"body": body} if body is not None else {}))


def wire(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, list):
        return [wire(v) for v in value]
    return value


def found(data: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:] if pointer else ():
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


def spelled(item: dict[str, Any], field: str) -> Any:
    """The item's `field`, as its schema may spell it (`meetingid` for `meetingId`)."""
    return next((v for k, v in item.items() if k.replace("_", "").lower() == field.replace("_", "").lower()), None)


def groups(api: Api) -> dict[str, dict[str, Operation]]:
    """Each inferred collection's operations by action (create, read, list, update,
    delete): the list at its create's path and the read at its update's, where there
    are several (a spec may list or read the same items elsewhere too)."""
    found_groups: dict[str, dict[str, list[Operation]]] = {}
    for op in api.operations:
        if op.fake is not None and op.fake.collection:
            action = "update" if op.fake.action in ("merge", "replace") else op.fake.action
            found_groups.setdefault(op.fake.collection, {}).setdefault(action, []).append(op)

    def chosen(ops: list[Operation], beside: list[Operation]) -> Operation:
        return next((op for op in ops if any(op.path == other.path for other in beside)), ops[0])

    return {
        name: {
            action: chosen(ops, by_action.get({"list": "create", "read": "update"}.get(action, ""), []))
            for action, ops in by_action.items()
        }
        for name, by_action in found_groups.items()
    }


def every_page(
    package: Package, client: Any, ops: dict[str, Operation], params: dict[str, Any], id_field: str
) -> set[Any]:
    """The ids the list's `_iter` twin yields, at the smallest page size its parameter
    takes, after creating as many more items as fill a page (so there are two)."""
    listing, create = ops["list"], ops["create"]
    assert listing.pagination is not None and listing.iter_method_name
    sizes: dict[str, Any] = {}
    if (limit := listing.pagination.limit_param) is not None:
        declared = next(p for p in listing.parameters if p.name == limit)
        sizes[limit] = max(
            1, package.spec.resolve(pointer_get(package.api.document, declared.schema_pointer)).get("minimum", 1)
        )
    made = {
        spelled(
            found(
                wire(package.call(client, create, params, package.body(create) if create.body else None)),
                create.fake.output if create.fake else "",
            ),
            id_field,
        )
        for _ in range(sizes.get(limit or "", 1))
    }
    owner = getattr(client, listing.resource) if listing.resource else client
    positional = [package.typed(p.type.annotation("models."), params[p.wire_name]) for p in listing.path_parameters]
    ids = [spelled(wire(item), id_field) for item in getattr(owner, listing.iter_method_name)(*positional, **sizes)]
    assert len(ids) == len(set(ids)), "a page repeats an item"
    assert made <= set(ids)
    return set(ids)


@pytest.mark.parametrize(("fixture", "prefix"), CASES, ids=[p.stem for p, _ in CASES])
def test_a_public_spec_round_trips_through_its_inferred_fake(
    fixture: Path, prefix: str, request: pytest.FixtureRequest
) -> None:
    if not prefix:
        request.getfixturevalue("generated")
    api, findings = pipeline.check_spec(fixture)
    assert api is not None, findings
    package = Package(api, prefix)
    complete = {
        name: ops
        for name, ops in groups(api).items()
        if {"create", "read", "list", "update", "delete"} <= ops.keys()
        and ops["read"].path == ops["update"].path == ops["delete"].path
    }
    assert complete, "no collection with create, read, list, update and delete was inferred"
    round_trips = 0
    with served(package.server.create_app()) as root, package.client(root) as client:
        for name, ops in complete.items():
            collection = api.collections[name]
            create = ops["create"]
            # other path parameters: a sample value each, the same in every call
            params = {
                p.wire_name: sample(package.spec.resolve(pointer_get(api.document, p.schema_pointer)), package.spec)
                for op in ops.values()
                for p in op.path_parameters
            }
            params = {name: "me" if value in (None, "") else value for name, value in params.items()}
            made = wire(package.call(client, create, params, package.body(create) if create.body else None))
            item = found(made, create.fake.output if create.fake else "")
            key = spelled(item, collection.id_field)
            if key is None:  # the spec's create answers no id: nothing to read back
                continue
            assert key is not None
            round_trips += 1
            assert re.search(collection.id_pattern, str(key)), (collection.id_pattern, key)
            params[ops["read"].fake.key] = key  # type: ignore[union-attr]
            got = wire(package.call(client, ops["read"], params))
            assert spelled(found(got, ops["read"].fake.output), collection.id_field) == key  # type: ignore[union-attr]
            listed = found(wire(package.call(client, ops["list"], params)), ops["list"].fake.output)  # type: ignore[union-attr]
            assert key in [spelled(i, collection.id_field) for i in listed]
            if ops["list"].iter_method_name and ops["list"].pagination:
                assert every_page(package, client, ops, params, collection.id_field) >= {key}
            update = ops["update"]
            params[update.fake.key] = key  # type: ignore[union-attr]
            package.call(client, update, params, package.body(update, change=True) if update.body else None)
            again = found(wire(package.call(client, ops["read"], params)), ops["read"].fake.output)  # type: ignore[union-attr]
            assert CHANGED in again.values()
            package.call(client, ops["delete"], params)
            with pytest.raises(package.client_module.NotFoundError):
                package.call(client, ops["read"], params)
    assert round_trips, "no collection's create answers the id of what it made"


def uploads() -> list[tuple[Any, Operation]]:
    """The operations of specs/ whose body is a form with a file in it."""
    from spec_driven import OPERATIONS

    return [
        (vendor, op)
        for vendor, op in OPERATIONS
        if op.body is not None and op.body.encoding == "multipart" and files(vendor, op)
    ]


def files(vendor: Any, op: Operation) -> dict[str, Any]:
    """A picture (bytes that are not UTF-8) for each file field of the operation's form."""
    assert op.body is not None
    model = next((m for m in vendor.api.models if m.name == getattr(op.body.type, "name", "")), None)
    fields = model.fields if model else []
    return {f.wire_name: ("f.png", b"\x89PNG\r\n\x1a\n", "image/png") for f in fields if "bytes" in f.annotation}


@pytest.mark.parametrize(("vendor", "op"), uploads(), ids=[f"{v.api.package}-{op.method_name}" for v, op in uploads()])
def test_a_file_that_is_not_text_is_kept_by_the_fake(vendor: Any, op: Operation) -> None:
    """A form's file is bytes (a picture), not UTF-8: the fake keeps it rather than answering 500."""
    assert op.body is not None
    model = next(m for m in vendor.api.models if m.name == getattr(op.body.type, "name", ""))
    form = files(vendor, op)
    data = {f.wire_name: str(vendor.sample(f.type)) for f in model.fields if f.required and f.wire_name not in form}
    server = importlib.import_module(f"generated.{vendor.api.package}.server")
    headers = {"Authorization": f"Bearer {min(server.Credentials().tokens)}"}
    path = op.path
    for p in op.path_parameters:
        path = path.replace("{" + p.wire_name + "}", str(vendor.sample(p.type)))
    with served(server.create_app()) as root:
        answer = httpx.post(root + server.SETTINGS.base_path + path, files=form, data=data, headers=headers)
    assert answer.status_code < 500, answer.text
