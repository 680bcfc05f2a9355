"""A stateful in-memory fake of the API, driven by the spec's `x-fake` extensions.

The generator reads and checks them, and the package's `_server_config` holds
them as the classes below. An operation's `x-fake` says what it does to which
collection (a `FakeAction`):

    x-fake:
      action: list | create | read | replace | merge | delete | set | static
      collection: meetings        # where the items live
      key: meetingId              # the path parameter that names the item
      parent: {collection: meetings, param: id}   # items that live under another item
      input: /meetingData         # where the item's fields are in the request body
      rename: {title: topic}      # request field -> stored field (null drops it)
      values: {muted: true}       # fields to set (create: defaults)
      copy: {position: /position} # stored field <- request body pointer
      query: {accountId: accountId}  # stored field (or /pointer) <- parameter; lists filter on it
      envelope: {/success: true}  # constant fields of the response body
      range: {field: startDate, from: startDate, to: endDate}  # lists: a date window
      output: /data               # where the item goes in the response body
      limit: perPage              # lists: the page-size parameter
      totals: [/count]            # lists: fields that get the item count
      sizes: [/page_size]         # lists: fields that get the page size
      keep: [meeting]             # replace: stored fields the new item keeps
      series: series              # this boolean parameter makes the action apply to the parent
      ignore: [pageNumber]        # query parameters that do not change the answer
      search: search              # lists: case-insensitive substring over string fields
      order: orderby              # lists: `field [asc|desc]`, comma-separated
      filter: filter              # lists: `field op literal` joined by ` and ` (OData-like)
      when: {type: {live: {status: started}, upcoming: [{start_time: {after: now}}]}}

`query` on read, delete and the other keyed actions makes an item stored with
another value a 404. `range` takes `format: MM-DD-YYYY` (YYYY, MM, DD) for
parameters that are dates in another form; it compares whole days. `when` maps a
parameter's values to conditions on the item (any of a list; a field equals a
value, or `{after: now}` / `{before: now}`); another value is a 400. In `filter`,
`op` is eq ne gt ge lt le and a literal is 'text' ('' escapes a quote), a number,
true, false or null; a comparison between different types does not match.
`filter` and `order` name the scalar fields of the collection's schema; anything
else they cannot read is a 400 naming the parameter. A declared query parameter
the action neither reads nor ignores is a 400 when sent: the fake never answers
as if it had applied it.

The top-level `x-fake.collections.NAME` (a `Collection`) gives the item
schema, how ids are made (`id: {field: meetingId, kind: integer | uuid | token |
digits}`), items to `spawn` in a child collection, and `rules` the schema cannot
express. Everything is guarded by one lock, so concurrent requests never interleave.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime
import itertools
import re
import threading
import typing
import uuid
from collections.abc import Mapping, Sequence

from ._server_runtime import JSON, Route, ServerError, Spec, adapter, pointer_get

DEFAULT_PAGE_SIZE = 30
# The values of an action's other path parameters (not its key's, not its
# parent's): `accountId`, `extensionId`. An item made under one scope is seen
# only under it; items stored without one (seeded) are seen under every scope.
Scope = tuple[tuple[str, str], ...]
_COUNT = re.compile(r"0|[1-9][0-9]*")


@dataclasses.dataclass(frozen=True)
class Constraint:
    """A rule between two fields of an item that its schema cannot say."""

    # before: the first precedes the second; within-days: at most `days` apart
    rule: str
    fields: tuple[str, str]
    message: str  # the 409 answer's message
    days: int = 0


@dataclasses.dataclass(frozen=True)
class Collection:
    """Where items of one kind live, and how they are made."""

    schema: str = ""  # JSON pointer of the items' schema; "" for none
    id_field: str = "id"
    id_kind: str = "token"  # integer, uuid, token or digits
    # A child collection that gets a copy of each new item -> the field embedding it.
    spawn: Mapping[str, str] = dataclasses.field(default_factory=dict)
    rules: tuple[Constraint, ...] = ()


@dataclasses.dataclass(frozen=True)
class Parent:
    """The collection whose item an action's items live under."""

    collection: str
    param: str  # the path parameter that names that item


@dataclasses.dataclass(frozen=True)
class Window:
    """A list's date window: items whose `field` lies between two parameters."""

    field: str
    from_param: str = ""
    to_param: str = ""
    format: str = ""  # e.g. MM-DD-YYYY; "" for ISO 8601 instants


@dataclasses.dataclass(frozen=True)
class Paging:
    """How a list pages (its `x-pagination`): parameter wire names, body pointers."""

    style: str  # cursor, offset or page
    param: str  # the query parameter that selects a page
    cursor: str = ""
    page: str = ""
    pages: str = ""
    total: str = ""


@dataclasses.dataclass(frozen=True)
class FakeAction:
    """What the fake does for one operation: its `x-fake`, keys as in the docstring above."""

    action: str
    collection: str = ""
    key: str = ""
    parent: Parent | None = None
    input: str = ""
    rename: Mapping[str, str | None] = dataclasses.field(default_factory=dict)
    values: Mapping[str, JSON] = dataclasses.field(default_factory=dict)
    copy: Mapping[str, str] = dataclasses.field(default_factory=dict)
    query: Mapping[str, str] = dataclasses.field(default_factory=dict)
    envelope: Mapping[str, JSON] = dataclasses.field(default_factory=dict)
    range: Window | None = None
    output: str = ""
    limit: str = ""
    totals: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    series: str = ""
    paging: Paging | None = None
    ignore: tuple[str, ...] = ()
    search: str = ""
    order: str = ""
    filter: str = ""
    # parameter -> its value -> conditions (any of them), each stored field -> test
    when: Mapping[str, Mapping[str, tuple[Mapping[str, JSON], ...]]] = (
        dataclasses.field(default_factory=dict)
    )

    def reads(self) -> frozenset[str]:
        """The parameters this action reads or ignores on purpose."""
        named = (self.key, self.limit, self.series, self.search, self.order)
        found = {*named, self.filter, *self.query.values(), *self.ignore, *self.when}
        found |= {self.parent.param} if self.parent else set()
        found |= {self.range.from_param, self.range.to_param} if self.range else set()
        found |= {self.paging.param} if self.paging else set()
        return frozenset(found - {""})


class Fake:
    """Default handlers for every operation with an action."""

    def __init__(
        self,
        document: Mapping[str, JSON],
        routes: Sequence[Route],
        actions: Mapping[str, FakeAction],
        collections: Mapping[str, Collection],
    ) -> None:
        self._spec = Spec(document)
        self._routes = {route.name: route for route in routes}
        self._resources = {route.resource for route in routes if route.resource}
        self._actions = actions
        self._collections = collections
        self._lock = threading.RLock()
        self._data: dict[str, dict[str, dict[str, JSON]]] = {}
        # (collection, parent, key)
        self._scopes: dict[tuple[str, str, str], Scope] = {}
        self._ids = itertools.count(1)

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

    # --- the handler interface ------------------------------------------------------

    def __getattr__(self, name: str) -> typing.Any:
        """The handler of the operation `name`; for a resource's name, the fake itself."""
        if name in self.__dict__.get("_resources", ()):
            return self
        route = self.__dict__.get("_routes", {}).get(name)
        action = self.__dict__.get("_actions", {}).get(name)
        if route is None or action is None:
            raise AttributeError(name)
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
                body = adapter(route.body_type).dump_python(
                    body, mode="json", by_alias=True, exclude_unset=True
                )
            refused = unread & params.keys()
            if refused:
                raise _unsupported(min(refused))
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
                data = self._run(operation, action, params, body, scope)
            if route.result_type is None or data is None:
                return None
            return adapter(route.result_type).validate_python(data)

        return handle

    # --- the actions --------------------------------------------------------------------

    def _run(
        self,
        operation: JSON,
        action: FakeAction,
        params: dict[str, JSON],
        body: JSON,
        scope: Scope = (),
    ) -> JSON:
        if action.action == "static":
            return self._example(operation)
        collection = action.collection
        parent = self._parent(action, params, scope)
        if action.action == "list":
            return self._list(operation, action, params, scope)
        if action.action == "create":
            item = self._input(action, body)
            for field, value in _defaults(operation, self._spec).items():
                name = action.rename.get(field, field)
                if name is not None:
                    item.setdefault(name, value)
            item.update(copy.deepcopy(dict(action.values)))
            item.update(_copied(action, body))
            for field, param in action.query.items():
                item[field] = params.get(param)
            return self._answer(
                operation, action, self._store(collection, parent, item, scope=scope)
            )
        key = str(params.get(action.key, ""))
        if action.series and action.parent and params.get(action.series) is True:
            self._found(action, parent, key, params, scope)
            series = dataclasses.replace(
                action,
                collection=action.parent.collection,
                key=action.parent.param,
                parent=None,
                series="",
            )
            # the whole series, then the occurrence it left
            self._run(operation, series, params, body, scope)
            if action.action == "delete":
                return None
            return self._answer(operation, action, self._data[collection][parent][key])
        item = self._found(action, parent, key, params, scope)
        if action.action == "delete":
            self._delete(collection, parent, key)
            return None
        if action.action == "read":
            return self._answer(operation, action, item)
        if action.action == "replace":
            kept = [self._collection(collection).id_field, *action.keep]
            new = {
                **self._input(action, body),
                **{f: item[f] for f in kept if f in item},
            }
            item = self._store(collection, parent, new, key, scope)
        elif action.action == "merge":
            merged = {**item, **self._input(action, body)}
            item = self._store(collection, parent, merged, key, scope)
        elif action.action == "set":
            changes = copy.deepcopy(dict(action.values))
            changes.update(_copied(action, body))
            item = self._store(collection, parent, {**item, **changes}, key, scope)
        else:
            raise ServerError(501, f"x-fake action {action.action!r} is not known")
        return self._answer(operation, action, item)

    def _collection(self, name: str) -> Collection:
        return self._collections.get(name) or Collection()

    def _fields(self, collection: str) -> frozenset[str] | None:
        """The scalar fields of the collection's schema: those a list filters and
        sorts on; None when it has no schema."""
        schema = self._collection(collection).schema
        if not schema:
            return None
        resolve = self._spec.resolve
        properties = resolve(pointer_get(self._spec.document, schema)).get(
            "properties", {}
        )
        return frozenset(
            name
            for name, value in properties.items()
            if resolve(value).get("type") in _SCALARS
        )

    def _parent(
        self, action: FakeAction, params: Mapping[str, JSON], scope: Scope
    ) -> str:
        if action.parent is None:
            return ""
        parent = str(params.get(action.parent.param))
        if not self._visible(action.parent.collection, "", parent, scope):
            raise _missing(action.parent.param)
        return parent

    def _visible(self, collection: str, parent: str, key: str, scope: Scope) -> bool:
        """Whether the item is stored, and seen under `scope`."""
        if key not in self._data.get(collection, {}).get(parent, {}):
            return False
        stored = self._scopes.get((collection, parent, key))
        return stored is None or stored == scope

    def _found(
        self,
        action: FakeAction,
        parent: str,
        key: str,
        params: Mapping[str, JSON],
        scope: Scope,
    ) -> JSON:
        """The item `key` names, seen under `scope` and matching `query`; else a 404."""
        collection = action.collection
        if not self._visible(collection, parent, key, scope):
            raise _missing(action.key)
        item = self._data[collection][parent][key]
        if not _matches(item, action.query, params):
            raise _missing(action.key)
        return item

    def _input(self, action: FakeAction, body: JSON) -> dict[str, JSON]:
        source = (
            pointer_get(body, action.input)
            if body is not None and action.input
            else body
        )
        item = copy.deepcopy(source) if isinstance(source, dict) else {}
        schema = self._collection(action.collection).schema
        properties = (
            self._spec.resolve(pointer_get(self._spec.document, schema)).get(
                "properties", {}
            )
            if schema
            else {}
        )
        for name, property_schema in properties.items():
            if self._spec.resolve(property_schema).get("readOnly"):
                item.pop(name, None)  # the server's to set
        for old, new in action.rename.items():
            if old in item:
                value = item.pop(old)
                if new is not None:
                    item[new] = value
        return item

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
            value = self._new_id(settings.id_kind)
            item[id_field], key = value, str(value)
        self._check_rules(settings.rules, item)
        if settings.schema:
            schema = pointer_get(self._spec.document, settings.schema)
            _complete(item, self._spec.resolve(schema), self._spec)
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

    def _new_id(self, kind: str) -> JSON:
        number = next(self._ids)
        if kind == "integer":
            return number
        if kind == "digits":
            return str(100000000 + number)
        if kind == "uuid":
            return str(uuid.uuid4())
        return base64.b64encode(f"{number:020d}".encode()).decode().rstrip("=")

    def _check_rules(
        self, rules: Sequence[Constraint], item: Mapping[str, JSON]
    ) -> None:
        """409 for an item that breaks a rule: its fields fit the schema, so not a 400."""
        for rule in rules:
            first, second = (item.get(f) for f in rule.fields)
            if first is None or second is None:
                continue
            start, end = _instant(first), _instant(second)
            if rule.rule == "before" and not start < end:
                raise ServerError(409, rule.message)
            days = datetime.timedelta(days=rule.days)
            if rule.rule == "within-days" and end - start > days:
                raise ServerError(409, rule.message)

    def _list(
        self,
        operation: JSON,
        action: FakeAction,
        params: Mapping[str, JSON],
        scope: Scope,
    ) -> JSON:
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
        items = [i for i in items if _matches(i, action.query, params)]
        if action.range:
            items = _window(items, action.range, params)
        for param, choices in action.when.items():
            if params.get(param) is not None:
                conditions = choices.get(str(params[param]))
                if conditions is None:
                    raise _unsupported(param, params[param])
                items = [i for i in items if any(_holds(i, c) for c in conditions)]
        if params.get(action.search) is not None:
            items = _search(items, str(params[action.search]))
        if params.get(action.filter) is not None:
            fields = self._fields(action.collection)
            test = _parse_filter(str(params[action.filter]), action.filter, fields)
            items = [i for i in items if test(i)]
        if params.get(action.order) is not None:
            fields = self._fields(action.collection)
            keys = _parse_order(str(params[action.order]), action.order, fields)
            items = _sort(items, keys)
        paging = action.paging
        size = params.get(action.limit)
        if size is None:
            size = DEFAULT_PAGE_SIZE
        elif not isinstance(size, int) or size < 1:
            message = f"{action.limit} must be a positive integer"
            raise ServerError(400, message, action.limit, "query")
        style = paging.style if paging else ""
        selector = params.get(paging.param) if paging else None
        first = 1 if style == "page" else 0
        text = str(first if selector in (None, "") else selector)  # "": the first page
        # Only what this server writes: a count, from 1 for pages (never negative).
        if not _COUNT.fullmatch(text) or int(text) < first:
            name = paging.param if paging else ""
            message = f"{name} is not a page this server issued"
            raise ServerError(400, message, name, "query")
        number = int(text)
        if style in ("cursor", "offset"):
            start = number
        else:
            start = (number - 1) * size if style == "page" else 0
        page = items[start : start + size] if style else items
        answer = self._skeleton(operation, action)
        _put(answer, action.output, copy.deepcopy(page))
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
        return _project(answer, _success_schema(operation, self._spec), self._spec)

    def _answer(self, operation: JSON, action: FakeAction, item: JSON) -> JSON:
        schema = _success_schema(operation, self._spec)
        if not schema:
            return None
        answer = _put(
            self._skeleton(operation, action), action.output, copy.deepcopy(item)
        )
        return _project(answer, schema, self._spec)

    def _skeleton(self, operation: JSON, action: FakeAction) -> JSON:
        """A response body the schema accepts, with the operation's constant fields."""
        schema = _success_schema(operation, self._spec)
        answer = _sample(schema, self._spec) if schema else None
        for pointer, value in action.envelope.items():
            answer = _put(answer, pointer, copy.deepcopy(value))
        return answer

    def _example(self, operation: JSON) -> JSON:
        media = _success_media(operation, self._spec)
        if media is None:
            return None
        if "example" in media:
            return copy.deepcopy(media["example"])
        return _sample(self._spec.resolve(media.get("schema", {})), self._spec)


def _missing(param: str) -> ServerError:
    """The 404 for an item that a path parameter names and the fake does not have."""
    return ServerError(
        404, f"Resource for parameter [{param}] is not found", param, "path"
    )


def _unsupported(param: str, value: JSON = None) -> ServerError:
    """The 400 for a query parameter (or one of its values) the fake cannot apply."""
    what = f"parameter {param!r}" if value is None else f"{param}={value!r}"
    return ServerError(400, f"the fake does not support {what}", param, "query")


def _matches(item: JSON, query: Mapping[str, str], params: Mapping[str, JSON]) -> bool:
    """Whether the item's fields equal the `query` parameters that were sent."""
    return all(
        _field(item, field) == params[param]
        for field, param in query.items()
        if params.get(param) is not None
    )


def _holds(item: JSON, condition: Mapping[str, JSON]) -> bool:
    """A `when` condition: each field equals its value or is `{after|before: now}`."""
    now = datetime.datetime.now(datetime.UTC)
    for field, test in condition.items():
        value = _field(item, field)
        if not isinstance(test, dict):
            if value != test:
                return False
            continue
        try:
            instant = _instant(value)
        except (TypeError, ValueError):
            return False
        if ("after" in test and not instant > now) or (
            "before" in test and not instant < now
        ):
            return False
    return True


def _search(items: list[JSON], text: str) -> list[JSON]:
    """The items with a string field holding `text`, ignoring case."""
    needle = text.casefold()
    return [
        i
        for i in items
        if any(isinstance(v, str) and needle in v.casefold() for v in i.values())
    ]


_SCALARS = ("string", "integer", "number", "boolean")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_TERM = re.compile(rf" ?({_NAME})(?: (asc|desc))?")
_LITERAL = r"'(?:[^']|'')*'|-?[0-9]+(?:\.[0-9]+)?|true|false|null"
_CLAUSE = re.compile(rf"({_NAME}) (eq|ne|gt|ge|lt|le) ({_LITERAL})")
_ORDERED = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


def _known(name: str, param: str, fields: frozenset[str] | None) -> str:
    if fields is not None and name not in fields:
        raise ServerError(400, f"{param}: no field {name!r}", param, "query")
    return name


def _parse_order(
    text: str, param: str, fields: frozenset[str] | None
) -> list[tuple[str, bool]]:
    """`field [asc|desc]`, comma-separated, as (field, descending) pairs."""
    keys = []
    for term in text.split(","):
        found = _TERM.fullmatch(term)
        if found is None:
            raise ServerError(400, f"{param}: cannot read {term!r}", param, "query")
        keys.append((_known(found[1], param, fields), found[2] == "desc"))
    return keys


def _sort(items: list[JSON], keys: Sequence[tuple[str, bool]]) -> list[JSON]:
    """Sorted by each key in turn; missing values first, strings after numbers."""
    for name, descending in reversed(keys):
        items = sorted(items, key=_sort_key(name), reverse=descending)
    return items


def _sort_key(name: str) -> typing.Callable[[JSON], tuple[bool, bool, JSON]]:
    def key(item: JSON) -> tuple[bool, bool, JSON]:
        value = item.get(name)
        return value is not None, isinstance(value, str), 0 if value is None else value

    return key


def _literal(text: str) -> JSON:
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    constants: dict[str, JSON] = {"true": True, "false": False, "null": None}
    if text in constants:
        return constants[text]
    return float(text) if "." in text else int(text)


def _compare(value: JSON, op: str, literal: JSON) -> bool:
    """`value op literal`; values of different types never match."""
    kinds = {type(value), type(literal)}
    same = len(kinds) == 1 or kinds == {int, float}
    if op in ("eq", "ne"):
        return (same and value == literal) == (op == "eq")
    return same and value is not None and _ORDERED[op](value, literal)


def _parse_filter(
    text: str, param: str, fields: frozenset[str] | None
) -> typing.Callable[[JSON], bool]:
    """`field op literal`, joined by ` and `, as a test of an item."""
    clauses: list[tuple[str, str, JSON]] = []
    position = 0
    while True:
        found = _CLAUSE.match(text, position)
        if found is None:
            message = f"{param}: cannot read it from {text[position:][:40]!r}"
            raise ServerError(400, message, param, "query")
        name = _known(found[1], param, fields)
        clauses.append((name, found[2], _literal(found[3])))
        position = found.end()
        if position == len(text):
            break
        if not text.startswith(" and ", position):
            message = f"{param}: expected ' and ' at {text[position:][:40]!r}"
            raise ServerError(400, message, param, "query")
        position += len(" and ")
    return lambda item: all(_compare(item.get(n), op, v) for n, op, v in clauses)


def _copied(action: FakeAction, body: JSON) -> dict[str, JSON]:
    """The stored fields `copy` takes from the request body."""
    return {field: pointer_get(body or {}, ptr) for field, ptr in action.copy.items()}


def _json_first(content: Mapping[str, JSON]) -> JSON:
    """The JSON media type's entry if there is one, else the first; None for no content."""
    json_media = [
        m
        for m, media in content.items()
        if m.split(";")[0].strip().lower().endswith("json")
    ]
    return content[json_media[0]] if json_media else next(iter(content.values()), None)


def _success_media(operation: JSON, spec: Spec) -> JSON:
    """The media type entry of the first 2xx answer with a body, JSON preferred."""
    for status, response in (operation.get("responses") or {}).items():
        content = spec.resolve(response).get("content") or {}
        if status.startswith("2") and status not in ("204", "205") and content:
            return _json_first(content)
    return None


def _success_schema(operation: JSON, spec: Spec) -> JSON:
    media = _success_media(operation, spec)
    return spec.resolve(media.get("schema")) if media else None


def _defaults(operation: JSON, spec: Spec) -> dict[str, JSON]:
    """The defaults the request body's schema gives its top-level fields."""
    content: JSON = (
        spec.resolve(operation.get("requestBody") or {}).get("content") or {}
    )
    media: JSON = _json_first(content) or {}
    schema = spec.resolve(media.get("schema", {}))
    properties = schema.get("properties") or {} if isinstance(schema, dict) else {}
    return {
        k: spec.resolve(v)["default"]
        for k, v in properties.items()
        if "default" in spec.resolve(v)
    }


def _field(item: JSON, name: str) -> JSON:
    """A stored field by name, or by JSON pointer into the item."""
    if not name.startswith("/"):
        return item.get(name)
    try:
        return pointer_get(item, name)
    except (KeyError, IndexError, TypeError):
        return None


def _project(value: JSON, schema: JSON, spec: Spec, depth: int = 0) -> JSON:
    """Only what the schema declares: stored extras never leak into an answer."""
    schema = spec.resolve(schema)
    if depth > 8 or not isinstance(schema, dict):
        return value
    if isinstance(value, dict) and schema.get("properties"):
        properties = schema["properties"]
        return {
            k: _project(v, properties[k], spec, depth + 1)
            for k, v in value.items()
            if k in properties
        }
    if isinstance(value, list) and "items" in schema:
        return [_project(v, schema["items"], spec, depth + 1) for v in value]
    return value


def _put(document: JSON, pointer: str, value: JSON) -> JSON:
    """Set the value at a pointer, creating objects on the way; the root for ""."""
    if not pointer:
        return value
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    node = document
    for token in tokens[:-1]:
        node = node.setdefault(token, {})
    node[tokens[-1]] = value
    return document


def _sample(schema: JSON, spec: Spec, depth: int = 0) -> JSON:
    """A value the schema accepts: its example or default, else the simplest one."""
    schema = spec.resolve(schema)
    if not isinstance(schema, dict):
        return None
    for key in ("default", "example"):
        if key in schema:
            return copy.deepcopy(schema[key])
    if schema.get("examples"):
        return copy.deepcopy(schema["examples"][0])
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type", "object" if "properties" in schema else None)
    kind = (
        next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    )
    if kind == "object":
        value: dict[str, JSON] = {}
        if depth < 6:
            _complete(value, schema, spec, depth)
        return value
    if kind == "array":
        return [_sample(schema.get("items", {}), spec, depth + 1)] * schema.get(
            "minItems", 0
        )
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return schema.get("minimum", 0) if schema.get("minimum", 0) > 0 else 0
    if kind == "boolean":
        return False
    return None


def _complete(item: dict[str, JSON], schema: JSON, spec: Spec, depth: int = 0) -> None:
    """Fill in the required fields `item` lacks."""
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        if name not in item:
            item[name] = _sample(properties.get(name, {}), spec, depth + 1)


def _string(schema: JSON) -> str:
    formats = {
        "date-time": datetime.datetime.now(datetime.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
        "date": datetime.date.today().isoformat(),
        "email": "someone@example.com",
        "uri": "https://example.com/",
        "uuid": str(uuid.uuid4()),
    }
    return formats.get(
        str(schema.get("format")), "x" * max(1, int(schema.get("minLength", 1)))
    )


def _instant(value: JSON) -> datetime.datetime:
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _window(
    items: list[JSON], window: Window, params: Mapping[str, JSON]
) -> list[JSON]:
    """The items whose field lies in the window the parameters sent give."""
    bounds = []
    for param in (window.from_param, window.to_param):
        value = params.get(param)
        bounds.append(None if value is None else _bound(value, window.format, param))
    low, high = bounds
    found = []
    for item in items:
        value = item.get(window.field)
        if value is None:
            continue
        instant = _instant(value)
        point: typing.Any = instant.utctimetuple()[:3] if window.format else instant
        if (low is None or point >= low) and (high is None or point <= high):
            found.append(item)
    return found


def _bound(value: JSON, form: str, param: str) -> typing.Any:
    """An ISO 8601 instant; with a `format` (YYYY, MM, DD), a (year, month, day)."""
    if not form:
        return _instant(value)
    pattern = re.escape(form)
    for token, group in (("YYYY", "y"), ("MM", "m"), ("DD", "d")):
        pattern = pattern.replace(token, f"(?P<{group}>[0-9]{{{len(token)}}})")
    found = re.fullmatch(pattern, str(value))
    if found is None:
        message = f"{param} must be a date in the form {form}"
        raise ServerError(400, message, param, "query")
    return (int(found["y"]), int(found["m"]), int(found["d"]))
