"""Round trips through the fake inferred from a spec, by the generated client.

Shared by tests/test_inferred_fake.py (the public fixtures) and bench/corpus.py (the
corpus): nothing here names a vendor. For a generated package and the model it was
made from: the security alternative most operations accept and the client's
arguments for it; each inferred collection's create, read, list, update and delete;
and one round trip through them, paging included.
"""

from __future__ import annotations

import datetime
import importlib
import os
import re
import typing
import urllib.parse
from collections import Counter
from typing import Any

import pydantic

from generator.model import Api, Operation, Parameter
from generator.runtime._fake import DEFAULT_PAGE_SIZE
from generator.runtime._fake_samples import merged, sample
from generator.runtime._server_runtime import Spec, pointer_get

CHANGED = "changed by the test"
ACTIONS = ("create", "read", "list", "update", "delete")
PAGE = 2  # the page size asked for where a list takes one


class Failed(Exception):
    """A round trip went wrong: the step, and what happened."""


def groups(api: Api) -> dict[str, dict[str, Operation]]:
    """Each inferred collection's operations by action (create, read, list, update,
    delete): of several, the one whose path shares the longest start with the create's
    (`/users/{userId}` for `/users`, before `/phone/users/{userId}`)."""
    creates = {op.fake.collection: op.path for op in api.operations if op.fake and op.fake.action == "create"}

    def near(op: Operation) -> tuple[int, int]:
        path = creates.get(op.fake.collection, "") if op.fake else ""
        return -len(os.path.commonprefix([path, op.path])), op.path.count("/")

    found: dict[str, dict[str, Operation]] = {}
    for op in sorted(api.operations, key=near):
        if op.fake is not None and op.fake.collection:
            action = "update" if op.fake.action in ("merge", "replace") else op.fake.action
            found.setdefault(op.fake.collection, {}).setdefault(action, op)
    return found


def crud_groups(api: Api) -> dict[str, dict[str, Operation]]:
    """The collections with all five of create, read, list, update and delete."""
    return {name: ops for name, ops in groups(api).items() if set(ACTIONS) <= ops.keys()}


def alternative(api: Api) -> tuple[str, ...]:
    """The security alternative (scheme keys) that most operations accept, of schemes
    the client can send; () when no operation needs a credential."""
    sendable = {s.key for s in api.security_schemes}
    counts = Counter(alt for op in api.operations for alt in dict.fromkeys(op.security) if alt and set(alt) <= sendable)
    return counts.most_common(1)[0][0] if counts else ()


def options(api: Api, server: Any, root: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """The client's arguments for the fake at `root`: its URL, no retries, and the
    credentials of the schemes `keys` (one alternative) that the fake accepts."""
    accepted = server.Credentials()
    found: dict[str, Any] = {"base_url": root + server.SETTINGS.base_path, "max_retries": 0}
    for scheme in api.security_schemes:
        if scheme.key not in keys:
            continue
        if scheme.kind == "oauth2":
            client_id, secret = next(iter(accepted.clients.items()))
            token_path = urllib.parse.urlsplit(scheme.token_url).path
            found |= dict(zip(scheme.params, (client_id, secret))) | {"token_url": root + token_path}
        elif scheme.kind == "basic":
            found |= dict(zip(scheme.params, next(iter(accepted.users.items()))))
        else:
            found[scheme.params[0]] = min(accepted.api_keys if scheme.kind == "api_key" else accepted.tokens)
    return found


class Package:
    """A generated package (importable), the model it was made from, and its fake."""

    def __init__(self, api: Api, prefix: str = "") -> None:
        """`prefix`: where the package is imported from (`generated.` for a committed one)."""
        self.api = api
        self.spec = Spec(api.document)
        self.client_module = importlib.import_module(prefix + api.package)
        self.server = importlib.import_module(f"{prefix}{api.package}.server")
        models = importlib.import_module(f"{prefix}{api.package}.models")
        self.namespace = {"models": models, "datetime": datetime, "typing": typing}

    def typed(self, annotation: str, data: Any) -> Any:
        """`data` as the annotation's type; a number as text where a string is wanted
        (an integer id in a path parameter the spec types as a string)."""
        adapter = pydantic.TypeAdapter(eval(annotation, self.namespace))
        try:
            return adapter.validate_python(data)
        except pydantic.ValidationError:
            if isinstance(data, int | float) and not isinstance(data, bool):
                return adapter.validate_python(str(data))
            raise

    def client(self, root: str) -> Any:
        """The client for the fake at `root`, with the credentials of one alternative."""
        arguments = options(self.api, self.server, root, alternative(self.api))
        return getattr(self.client_module, self.api.client_name + "Client")(**arguments)

    def body(self, op: Operation, change: bool = False) -> Any:
        """A request body its schema accepts (required fields); with `change`, every
        top-level free-text string field it may hold set to CHANGED."""
        assert op.body is not None
        schema = merged(pointer_get(self.spec.document, op.body.schema_pointer), self.spec)
        data = sample(schema, self.spec)
        if change and isinstance(data, dict):
            for name, declared in (schema.get("properties") or {}).items():
                field = self.spec.resolve(declared)
                if field.get("type") == "string" and not field.get("format") and not field.get("enum"):
                    if not field.get("readOnly") and not field.get("pattern") and field.get("maxLength", 99) > 30:
                        data[name] = CHANGED
        return self.typed(op.body.type.annotation("models."), data)

    def arguments(self, op: Operation, params: dict[str, Any]) -> dict[str, Any]:
        """The operation's path parameters from `params`, and a sample of each other
        required parameter (a header the spec declares itself), by name, typed."""
        found: dict[str, Any] = {
            p.name: self.typed(p.type.annotation("models."), params[p.wire_name]) for p in op.path_parameters
        }
        for p in op.parameters:
            if p.required and p.location != "path":
                found[p.name] = self.typed(p.type.annotation("models."), self.sample(p))
        return found

    def sample(self, parameter: Parameter) -> Any:
        """A value its schema accepts ("me" for a string with no example: a user id)."""
        value = sample(self.spec.resolve(pointer_get(self.api.document, parameter.schema_pointer)), self.spec)
        return "me" if value in (None, "") else value

    def call(self, client: Any, op: Operation, params: dict[str, Any], body: Any = None) -> Any:
        owner = getattr(client, op.resource) if op.resource else client
        extra = {"body": body} if body is not None else {}
        return getattr(owner, op.method_name)(**self.arguments(op, params), **extra)

    def every(self, client: Any, op: Operation, params: dict[str, Any]) -> list[Any]:
        """Every item of a list through its `_iter` twin, a small page at a time."""
        assert op.iter_method_name is not None
        owner = getattr(client, op.resource) if op.resource else client
        size = {p.name: PAGE for p in op.parameters if op.fake and p.wire_name == op.fake.limit}
        return list(getattr(owner, op.iter_method_name)(**self.arguments(op, params), **size))

    def page_size(self, op: Operation) -> int:
        """Items on one page of the fake's answer to `every`."""
        limited = op.fake is not None and any(p.wire_name == op.fake.limit for p in op.parameters)
        return PAGE if limited else DEFAULT_PAGE_SIZE


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


def spelled(item: Any, field: str) -> Any:
    """The item's `field`, as its schema may spell it (`meetingid` for `meetingId`)."""
    if not isinstance(item, dict):
        raise Failed(f"expected an object with {field!r}, got {type(item).__name__}")
    wanted = field.replace("_", "").lower()
    return next((v for k, v in item.items() if k.replace("_", "").lower() == wanted), None)


def round_trip(package: Package, client: Any, name: str, ops: dict[str, Operation]) -> None:
    """Create an item of collection `name`, get, list, update (and see the change),
    delete it (and see it gone); then, if the list pages, create more items than a page
    and iterate them all. Failed says which step went wrong."""
    api = package.api
    collection = api.collections[name]
    step = "create"

    def fake(action: str) -> Any:
        return ops[action].fake

    try:
        # other path parameters: a sample value each, the same in every call
        params = {p.wire_name: package.sample(p) for op in ops.values() for p in op.path_parameters}

        def keys() -> set[Any]:
            listing = ops["list"]
            if listing.iter_method_name is not None:
                listed = wire(package.every(client, listing, params))
            else:
                listed = found(wire(package.call(client, listing, params)), fake("list").output)
            return {spelled(i, collection.id_field) for i in listed}

        known = keys()

        def create() -> Any:
            op = ops["create"]
            made = wire(package.call(client, op, params, package.body(op) if op.body else None))
            key = spelled(found(made, fake("create").output), collection.id_field) if made is not None else None
            if key is None:  # an answer without the id: the new item in the list, as a user would find it
                key = next(iter(keys() - known), None)
            known.add(key)
            if key is None or not re.search(collection.id_pattern, str(key)):
                raise Failed(f"create: id {key!r} does not fit {collection.id_pattern!r}")
            return key

        key = create()
        step = "get"
        params[fake("read").key] = key
        got = wire(package.call(client, ops["read"], params))
        if spelled(found(got, fake("read").output), collection.id_field) != key:
            raise Failed(f"get: not the item created ({key!r})")
        step = "list"
        listed = found(wire(package.call(client, ops["list"], params)), fake("list").output)
        if key not in [spelled(i, collection.id_field) for i in listed]:
            raise Failed(f"list: the item created ({key!r}) is not listed")
        step = "update"
        update = ops["update"]
        params[fake("update").key] = key
        package.call(client, update, params, package.body(update, change=True) if update.body else None)
        again = found(wire(package.call(client, ops["read"], params)), fake("read").output)
        if update.body and CHANGED not in again.values():
            raise Failed("update: the change is not read back")
        step = "delete"
        params[fake("delete").key] = key
        package.call(client, ops["delete"], params)
        try:
            package.call(client, ops["read"], params)
        except package.client_module.NotFoundError:
            pass
        else:
            raise Failed("delete: the item is still there")
        listing = ops["list"]
        if listing.iter_method_name is not None:
            step = "iterate"
            made = {create() for _ in range(package.page_size(listing) + 1)}
            seen = [spelled(i, collection.id_field) for i in wire(package.every(client, listing, params))]
            if not made <= set(seen) or len(seen) != len(set(seen)):
                raise Failed(f"iterate: {len(made - set(seen))} of {len(made)} items missing, {len(seen)} seen")
    except Failed:
        raise
    except Exception as exc:  # the client's errors, and an answer the test cannot read
        said = " ".join(str(exc).split())[:200]
        raise Failed(f"{step}: {type(exc).__name__}: {said}") from exc
