"""A stateful in-memory fake of the API, driven by the spec's `x-fake` extensions
and, for the operations without one, by what the generator inferred from the spec.

The generator reads and checks them (or infers them), and the package's
`_server_config` holds them as the records of `_fake_records.py`, where their keys
are described. `Fake` keeps the items and answers each operation by its action:
one handler per action (`HANDLERS`), each a method of the store. Lists select and order their items as
`_fake_query.py` says; answers are completed with `_fake_samples.py`'s sample
data. Everything is guarded by one lock, so concurrent requests never interleave.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime
import itertools
import json
import re
import threading
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence

import pydantic_core

from ._fake_query import (
    holds,
    instant,
    is_scalar,
    matches,
    parse_filter,
    parse_order,
    search,
    sort,
    unsupported,
    window,
)
from ._fake_records import Collection, Constraint, FakeAction
from ._fake_samples import (
    address,
    complete,
    completed,
    defaults,
    example,
    fill_read_only,
    merged,
    numbered,
    project,
    request_schema,
    sample,
    success_schema,
)
from ._server_records import JSON
from ._server_runtime import (
    Handler,
    HandlerTable,
    Linked,
    Route,
    ServerError,
    Spec,
    adapter,
    pointer_get,
)

DEFAULT_PAGE_SIZE = 30
# The values of an action's other path parameters (not its key's, not its
# parent's): `accountId`, `extensionId`. An item made under one scope is seen
# only under scopes that give its parameters the same values: made at
# `/users/7/meetings`, it is seen at `/meetings/{meetingId}` (no `userId`) but not
# at `/users/8/meetings`. Items stored without one (seeded) are seen under every scope.
Scope = tuple[tuple[str, str], ...]
_COUNT = re.compile(r"0|[1-9][0-9]*")


@dataclasses.dataclass(frozen=True)
class Call:
    """One request to an action: its operation in the spec, and what was sent."""

    operation: JSON
    action: FakeAction
    params: Mapping[str, JSON]  # by wire name, as JSON
    body: JSON
    scope: Scope = ()


@dataclasses.dataclass(frozen=True)
class Place:
    """Where an item is stored: its collection, its parent's key ("" for none), its key."""

    collection: str
    parent: str
    key: str


class Fake(HandlerTable):
    """Default handlers for every operation with an action."""

    def __init__(
        self,
        document: Mapping[str, JSON],
        routes: Sequence[Route],
        actions: Mapping[str, FakeAction],
        collections: Mapping[str, Collection],
    ) -> None:
        self._spec = Spec(document)
        self._collections = collections
        self._lock = threading.RLock()
        self._data: dict[str, dict[str, dict[str, JSON]]] = {}
        # (collection, parent, key)
        self._scopes: dict[tuple[str, str, str], Scope] = {}
        self._ids = itertools.count(1)
        self._handlers = {
            route.name: self._handler(route, actions[route.name])
            for route in routes
            if route.name in actions
        }

    # --- set-up for tests ---------------------------------------------------------

    def reset(self) -> None:
        """Forget every item."""
        with self._lock:
            self._data.clear()
            self._scopes.clear()
            self._ids = itertools.count(1)

    def seed(
        self,
        collection: str,
        items: Sequence[JSON],
        parent: str = "",
        scope: Mapping[str, JSON] | None = None,
    ) -> list[JSON]:
        """Store items (wire-format JSON); missing ids and required fields are filled in.

        `scope` (path parameter -> value, e.g. `{"accountId": "1"}`) makes them seen
        only under those path parameters; without it they are seen under any."""
        seen = tuple(sorted((k, str(v)) for k, v in (scope or {}).items()))
        with self._lock:
            return [
                self._store(collection, parent, copy.deepcopy(item), scope=seen)
                for item in items
            ]

    def items(self, collection: str, parent: str = "") -> list[JSON]:
        """A copy of the items of a collection."""
        with self._lock:
            return copy.deepcopy(
                list(self._data.get(collection, {}).get(parent, {}).values())
            )

    # --- the handler table ----------------------------------------------------------

    def handler(self, name: str) -> Handler | None:
        """The handler of the operation whose route is `name`; None without an action."""
        return self._handlers.get(name)

    def unhandled(self, operation_id: str) -> str:
        return (
            f"the fake has no action for operationId {operation_id}:"
            " add x-fake to the operation (see README)"
        )

    def _handler(self, route: Route, action: FakeAction) -> Handler:
        operation = pointer_get(self._spec.document, route.pointer)
        queried = {p.wire_name for p in route.params if p.location == "query"}
        unread = queried - action.reads()  # sent, they answer 400: never ignored

        async def handle(*args: typing.Any, **arguments: typing.Any) -> typing.Any:
            positional = [p for p in route.params if p.location == "path"]
            arguments.update(
                {p.name: value for p, value in zip(positional, args, strict=False)}
            )
            params = {
                p.wire_name: adapter(p.type).dump_python(arguments[p.name], mode="json")
                for p in route.params
                if arguments.get(p.name) is not None
            }
            body = arguments.get("body")
            if body is not None and not isinstance(body, (bytes, str)):
                body = pydantic_core.to_jsonable_python(  # a file's bytes as base64
                    adapter(route.body_type).dump_python(
                        body, by_alias=True, exclude_unset=True
                    ),
                    bytes_mode="base64",
                )
            refused = unread & params.keys()
            if refused:
                raise unsupported(min(refused))
            mine = {action.key, action.parent.param if action.parent else ""}
            scope = tuple(
                sorted(
                    (p.wire_name, str(params[p.wire_name]))
                    for p in route.params
                    if p.location == "path"
                    and p.wire_name not in mine
                    and p.wire_name in params
                )
            )
            with self._lock:
                data = self._run(Call(operation, action, params, body, scope))
            if isinstance(data, Linked):
                return Linked(self._typed(route, data.value), data.next)
            return self._typed(route, data)

        return handle

    def _typed(self, route: Route, data: object) -> typing.Any:
        """An action's JSON answer as the handler's return type."""
        if route.result_type is None or data is None:
            return None
        if route.result_type is str and not isinstance(data, str):
            data = json.dumps(data)  # a text answer of a number: `$count` answers "0"
        return adapter(route.result_type).validate_python(data)

    # --- the actions --------------------------------------------------------------------

    def _run(self, call: Call) -> JSON | Linked:
        run = HANDLERS.get(call.action.action)
        if run is None:
            raise ServerError(501, f"x-fake action {call.action.action!r} is not known")
        return run(self, call)

    def _static(self, call: Call) -> JSON:
        return example(call.operation, self._spec)

    def _create(self, call: Call) -> JSON:
        action = call.action
        parent = self._parent(call)
        item = self._input(action, self._declared(call))
        for name, value in defaults(call.operation, self._spec).items():
            renamed = action.rename.get(name, name)
            if renamed is not None:
                item.setdefault(renamed, value)
        item.update(copy.deepcopy(dict(action.values)))
        item.update(_copied(action, call.body))
        for name, param in action.query.items():
            item[name] = call.params.get(param)
        stored = self._store(action.collection, parent, item, scope=call.scope)
        return self._answer(call, stored)

    def _read(self, call: Call) -> JSON:
        return self._keyed(call, lambda place, item: item)

    def _replace(self, call: Call) -> JSON:
        def replace(place: Place, item: JSON) -> JSON:
            kept = [
                self._collection(place.collection).id_field,
                *call.action.keep,
                *self._read_only(place.collection),  # the server's, as it set them
            ]
            new = {
                **self._input(call.action, self._declared(call)),
                **{f: item[f] for f in kept if f in item},
            }
            return self._store_at(place, new, call.scope)

        return self._keyed(call, replace)

    def _merge(self, call: Call) -> JSON:
        def merge(place: Place, item: JSON) -> JSON:
            merged = {**item, **self._input(call.action, self._declared(call))}
            return self._store_at(place, merged, call.scope)

        return self._keyed(call, merge)

    def _set(self, call: Call) -> JSON:
        def set_values(place: Place, item: JSON) -> JSON:
            changes = copy.deepcopy(dict(call.action.values))
            changes.update(_copied(call.action, call.body))
            return self._store_at(place, {**item, **changes}, call.scope)

        return self._keyed(call, set_values)

    def _remove(self, call: Call) -> JSON:
        def remove(place: Place, item: JSON) -> JSON:
            self._delete(place.collection, place.parent, place.key)
            return None

        return self._keyed(call, remove)

    def _keyed(self, call: Call, change: Callable[[Place, JSON], JSON]) -> JSON:
        """`change` the item the action's key names (None: nothing to answer); with
        `series` sent true, the whole series first (the parent), then the item."""
        action, params = call.action, call.params
        place = Place(
            action.collection, self._parent(call), str(params.get(action.key, ""))
        )
        if action.series and action.parent and params.get(action.series) is True:
            self._found(call, place)
            series = dataclasses.replace(
                action,
                collection=action.parent.collection,
                key=action.parent.param,
                parent=None,
                series="",
            )
            # the whole series, then the occurrence it left (none after a delete)
            self._run(dataclasses.replace(call, action=series))
            group = self._data.get(place.collection, {}).get(place.parent, {})
            left = group.get(place.key)
            return None if left is None else self._answer(call, left)
        changed = change(place, self._found(call, place))
        return None if changed is None else self._answer(call, changed)

    # --- the store ----------------------------------------------------------------------

    def _collection(self, name: str) -> Collection:
        return self._collections.get(name) or Collection()

    def _fields(self, collection: str) -> frozenset[str] | None:
        """The scalar (or scalar-or-null) fields of the collection's schema: those a
        list filters and sorts on; None when it has no schema."""
        if not self._collection(collection).schema:
            return None
        resolve = self._spec.resolve
        return frozenset(
            name
            for name, value in self._properties(collection).items()
            if is_scalar(value, resolve)
        )

    def _properties(self, collection: str) -> Mapping[str, JSON]:
        """The properties of the collection's schema (none without one)."""
        schema = self._collection(collection).schema
        if not schema:
            return {}
        found = merged(pointer_get(self._spec.document, schema), self._spec)
        return found.get("properties") or {}

    def _read_only(self, collection: str) -> list[str]:
        """The read-only top-level fields of the collection's schema."""
        resolve = self._spec.resolve
        return [
            name
            for name, value in self._properties(collection).items()
            if value.get("readOnly") or resolve(value).get("readOnly")
        ]

    def _parent(self, call: Call) -> str:
        action = call.action
        if action.parent is None:
            return ""
        parent = str(call.params.get(action.parent.param))
        if not self._visible(action.parent.collection, "", parent, call.scope):
            raise _missing(action.parent.param)
        return parent

    def _visible(self, collection: str, parent: str, key: str, scope: Scope) -> bool:
        """Whether the item is stored, and seen under `scope`."""
        if key not in self._data.get(collection, {}).get(parent, {}):
            return False
        stored = dict(self._scopes.get((collection, parent, key), ()))
        return all(stored.get(name, value) == value for name, value in scope)

    def _found(self, call: Call, place: Place) -> JSON:
        """The item at `place`, seen under the call's scope and matching its action's
        `query`; else a 404."""
        action = call.action
        if not self._visible(place.collection, place.parent, place.key, call.scope):
            raise _missing(action.key)
        item = self._data[place.collection][place.parent][place.key]
        if not matches(item, action.query, call.params):
            raise _missing(action.key)
        return item

    def _declared(self, call: Call) -> JSON:
        """The request body with only the fields its schema declares: a field the
        client added beside them is not the vendor's to store."""
        return project(
            call.body, request_schema(call.operation, self._spec), self._spec
        )

    def _input(self, action: FakeAction, body: JSON) -> dict[str, JSON]:
        source = (
            pointer_get(body, action.input)
            if body is not None and action.input
            else body
        )
        item = copy.deepcopy(source) if isinstance(source, dict) else {}
        for name in self._read_only(action.collection):
            item.pop(name, None)  # the server's to set
        for old, new in action.rename.items():
            if old in item:
                value = item.pop(old)
                if new is not None:
                    item[new] = value
        return item

    def _store_at(self, place: Place, item: dict[str, JSON], scope: Scope) -> JSON:
        """Store a changed item; it keeps the scope it was made under."""
        kept = dict(self._scopes.get((place.collection, place.parent, place.key), ()))
        scoped = tuple(sorted({**kept, **dict(scope)}.items()))
        return self._store(place.collection, place.parent, item, place.key, scoped)

    def _store(
        self,
        collection: str,
        parent: str,
        item: dict[str, JSON],
        key: str | None = None,
        scope: Scope = (),
    ) -> JSON:
        settings = self._collection(collection)
        id_field = settings.id_field
        if key is None:
            key = str(item[id_field]) if item.get(id_field) is not None else None
        if key is None:
            value = self._new_id(settings)
            item[id_field], key = value, str(value)
        _check_rules(settings.rules, item)
        if settings.schema:
            schema = merged(
                pointer_get(self._spec.document, settings.schema), self._spec
            )
            url = address(collection, parent, key)
            fill_read_only(item, schema, self._spec, url)
            complete(item, schema, self._spec)
        self._data.setdefault(collection, {}).setdefault(parent, {})[key] = item
        self._scope(collection, parent, key, scope)
        for child, embed in settings.spawn.items():
            self._data.setdefault(child, {})[key] = {
                key: {**copy.deepcopy(item), embed: copy.deepcopy(item)}
            }
            self._scope(child, key, key, scope)
        return item

    def _scope(self, collection: str, parent: str, key: str, scope: Scope) -> None:
        if scope:
            self._scopes[(collection, parent, key)] = scope
        else:
            self._scopes.pop((collection, parent, key), None)

    def _delete(self, collection: str, parent: str, key: str) -> None:
        del self._data[collection][parent][key]
        self._scopes.pop((collection, parent, key), None)
        if not parent:  # a top-level item's children go with it
            for name, child in self._data.items():
                for gone in child.pop(key, {}):
                    self._scopes.pop((name, key, gone), None)

    def _new_id(self, settings: Collection) -> JSON:
        number, kind = next(self._ids), settings.id_kind
        if settings.id_pattern:
            made = numbered(settings.id_pattern, number)
            if made is not None:
                return made
        if kind == "integer":
            return number
        if kind == "digits":
            return str(100000000 + number)
        if kind == "uuid":
            return str(uuid.uuid4())
        return base64.b64encode(f"{number:020d}".encode()).decode().rstrip("=")

    # --- lists and answers ----------------------------------------------------------------

    def _list(self, call: Call) -> JSON | Linked:
        action, params, scope = call.action, call.params, call.scope
        self._parent(call)
        groups = self._data.get(action.collection, {})
        if action.parent is not None:
            parent = str(params.get(action.parent.param))
            groups = {parent: groups.get(parent, {})}
        items = [
            item
            for parent, group in groups.items()
            for key, item in group.items()
            if self._visible(action.collection, parent, key, scope)
        ]
        items = [i for i in items if matches(i, action.query, params)]
        if action.range:
            items = window(items, action.range, params)
        for param, choices in action.when.items():
            if params.get(param) is not None:
                conditions = choices.get(str(params[param]))
                if conditions is None:
                    raise unsupported(param, params[param])
                items = [i for i in items if any(holds(i, c) for c in conditions)]
        if params.get(action.search) is not None:
            items = search(items, str(params[action.search]))
        if params.get(action.filter) is not None:
            fields = self._fields(action.collection)
            test = parse_filter(str(params[action.filter]), action.filter, fields)
            items = [i for i in items if test(i)]
        if params.get(action.order) is not None:
            fields = self._fields(action.collection)
            keys = parse_order(str(params[action.order]), action.order, fields)
            items = sort(items, keys)
        return self._page(call, items)

    def _page(self, call: Call, items: list[JSON]) -> JSON | Linked:
        """The answer with the page of `items` the call asks for; a `link` list's, with
        the next page's number when there is one."""
        action, params = call.action, call.params
        paging = action.paging
        size = params.get(action.limit)
        if size is None:
            size = DEFAULT_PAGE_SIZE
        elif not isinstance(size, int) or size < 1:
            message = f"{action.limit} must be a positive integer"
            raise ServerError(400, message, action.limit, "query")
        style = paging.style if paging else ""
        selector = params.get(paging.param) if paging else None
        numbered = style in ("page", "link")  # by page numbers, from 1
        first = 1 if numbered else 0
        text = str(first if selector in (None, "") else selector)  # "": the first page
        # Only what this server writes: a count, from 1 for pages (never negative).
        if not _COUNT.fullmatch(text) or int(text) < first:
            name = paging.param if paging else ""
            message = f"{name} is not a page this server issued"
            raise ServerError(400, message, name, "query")
        number = int(text)
        start = (number - 1) * size if numbered else number
        page = items[start : start + size] if style else items
        answer = _put(self._skeleton(call), action.output, copy.deepcopy(page))
        for pointer in action.totals:
            _put(answer, pointer, len(items))
        for pointer in action.sizes:
            _put(answer, pointer, size)
        if paging and style == "cursor":
            following = str(start + size) if start + size < len(items) else ""
            _put(answer, paging.cursor, following)
        if paging and style == "page":
            if paging.page:
                _put(answer, paging.page, start // size + 1)
            if paging.pages:
                _put(answer, paging.pages, max(1, -(-len(items) // size)))
        if paging and style == "offset" and paging.total:
            _put(answer, paging.total, len(items))
        schema = success_schema(call.operation, self._spec)
        answer = completed(project(answer, schema, self._spec), schema, self._spec)
        if paging and style == "link" and start + size < len(items):
            return Linked(answer, {paging.param: str(number + 1)})
        return answer

    def _answer(self, call: Call, item: JSON) -> JSON:
        schema = success_schema(call.operation, self._spec)
        if not schema:
            return None
        answer = _put(self._skeleton(call), call.action.output, copy.deepcopy(item))
        return completed(project(answer, schema, self._spec), schema, self._spec)

    def _skeleton(self, call: Call) -> JSON:
        """A response body the schema accepts, with the operation's constant fields."""
        schema = success_schema(call.operation, self._spec)
        answer = sample(schema, self._spec) if schema else None
        for pointer, value in call.action.envelope.items():
            answer = _put(answer, pointer, copy.deepcopy(value))
        return answer


ActionHandler = Callable[[Fake, Call], JSON | Linked]
# The fake's handler of each action; the generator accepts the actions of
# `_fake_records.ACTIONS`, the same names.
HANDLERS: Mapping[str, ActionHandler] = {
    "list": Fake._list,
    "create": Fake._create,
    "read": Fake._read,
    "replace": Fake._replace,
    "merge": Fake._merge,
    "delete": Fake._remove,
    "set": Fake._set,
    "static": Fake._static,
}


def _missing(param: str) -> ServerError:
    """The 404 for an item that a path parameter names and the fake does not have."""
    return ServerError(
        404, f"Resource for parameter [{param}] is not found", param, "path"
    )


def _check_rules(rules: Sequence[Constraint], item: Mapping[str, JSON]) -> None:
    """409 for an item that breaks a rule: its fields fit the schema, so not a 400."""
    for rule in rules:
        first, second = (item.get(f) for f in rule.fields)
        if first is None or second is None:
            continue
        start, end = instant(first), instant(second)
        if rule.rule == "before" and not start < end:
            raise ServerError(409, rule.message)
        days = datetime.timedelta(days=rule.days)
        if rule.rule == "within-days" and end - start > days:
            raise ServerError(409, rule.message)


def _copied(action: FakeAction, body: JSON) -> dict[str, JSON]:
    """The stored fields `copy` takes from the request body."""
    return {name: pointer_get(body or {}, ptr) for name, ptr in action.copy.items()}


def _put(document: JSON, pointer: str, value: JSON) -> JSON:
    """Set the value at a pointer, creating objects (arrays, before an index) on
    the way; the root for ""."""
    if not pointer:
        return value
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    if not isinstance(document, (dict, list)):
        document = [] if tokens[0].isdigit() else {}
    node = document
    for token, following in zip(tokens, tokens[1:]):
        node = _step(node, token, [] if following.isdigit() else {})
    _step(node, tokens[-1], value, replace=True)
    return document


def _step(node: typing.Any, token: str, value: JSON, replace: bool = False) -> JSON:
    """The child `token` of an object or array (`value` where there is none, or
    with `replace`); an array's index past its end appends."""
    if isinstance(node, list):
        index = int(token) if token.isdigit() else len(node)
        if index >= len(node):
            node.append(value)
            return value
        if replace:
            node[index] = value
        return node[index]
    if replace or not isinstance(node.get(token), (dict, list)):
        node[token] = value
    return node[token]
