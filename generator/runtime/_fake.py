"""A stateful in-memory fake of the API, driven by the spec's `x-fake` extensions.

Each operation's `x-fake` says what it does to which collection:

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
      series: series              # this boolean parameter makes the action apply to the parent

and the top-level `x-fake.collections.NAME` gives the item schema, how ids are
made (`id: {field: meetingId, kind: integer | uuid | token | digits}`), items to
`spawn` in a child collection, and `rules` the schema cannot express.
Everything is guarded by one lock, so concurrent requests never interleave.
"""

from __future__ import annotations

import base64
import copy
import datetime
import itertools
import threading
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence

from ._server_runtime import JSON, Route, ServerError, Spec, _adapter, pointer_get

DEFAULT_PAGE_SIZE = 30


class Fake:
    """Default handlers for every operation with an `x-fake` extension."""

    def __init__(self, document: Mapping[str, JSON], routes: Sequence[Route]) -> None:
        self._spec = Spec(document)
        self._routes = {route.name: route for route in routes}
        self._resources = {route.resource for route in routes if route.resource}
        self._collections: Mapping[str, Mapping[str, JSON]] = (
            document.get("x-fake") or {}
        ).get("collections") or {}
        self._lock = threading.RLock()
        self._data: dict[str, dict[str, dict[str, JSON]]] = {}
        self._ids = itertools.count(1)

    # --- set-up for tests ---------------------------------------------------------

    def reset(self) -> None:
        """Forget every item."""
        with self._lock:
            self._data.clear()
            self._ids = itertools.count(1)

    def seed(
        self, collection: str, items: Sequence[JSON], parent: str = ""
    ) -> list[JSON]:
        """Store items (wire-format JSON); missing ids and required fields are filled in."""
        with self._lock:
            return [
                self._store(collection, parent, copy.deepcopy(item)) for item in items
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
        operation = pointer_get(self._spec.document, route.pointer) if route else {}
        config = operation.get("x-fake")
        if route is None or config is None:
            raise AttributeError(name)

        async def handle(*args: typing.Any, **arguments: typing.Any) -> typing.Any:
            positional = [p for p in route.params if p.location == "path"]
            arguments.update({p.name: value for p, value in zip(positional, args)})
            params = {
                p.wire_name: _adapter(p.type).dump_python(
                    arguments[p.name], mode="json"
                )
                for p in route.params
                if arguments.get(p.name) is not None
            }
            body = arguments.get("body")
            if body is not None and not isinstance(body, (bytes, str)):
                body = _adapter(route.body_type).dump_python(
                    body, mode="json", by_alias=True, exclude_unset=True
                )
            with self._lock:
                data = self._run(operation, config, params, body)
            if route.result_type is None or data is None:
                return None
            return _adapter(route.result_type).validate_python(data)

        return handle

    # --- the actions --------------------------------------------------------------------

    def _run(
        self, operation: JSON, config: JSON, params: dict[str, JSON], body: JSON
    ) -> JSON:
        action = config["action"]
        if action == "static":
            return self._example(operation)
        collection = config["collection"]
        parent = self._parent(config, params)
        if action == "list":
            return self._list(operation, config, collection, params)
        if action == "create":
            item = self._input(config, body)
            for field, value in _defaults(operation, self._spec).items():
                item.setdefault(config.get("rename", {}).get(field, field), value)
            item.update(copy.deepcopy(config.get("values") or {}))
            item.update(
                {
                    field: pointer_get(body or {}, ptr)
                    for field, ptr in (config.get("copy") or {}).items()
                }
            )
            for field, name in (config.get("query") or {}).items():
                item[field] = params.get(name)
            return self._answer(
                operation, config, self._store(collection, parent, item)
            )
        key = str(params.get(config.get("key", ""), ""))
        if config.get("series") and params.get(config["series"]) is True:
            if key not in self._data.get(collection, {}).get(parent, {}):
                raise ServerError(
                    404,
                    f"Resource for parameter [{config['key']}] is not found",
                    config["key"],
                    "path",
                )
            series = {
                **config,
                "collection": config["parent"]["collection"],
                "key": config["parent"]["param"],
            }
            del series["parent"], series["series"]
            self._run(
                operation, series, params, body
            )  # the whole series, then the occurrence it left
            return (
                None
                if action == "delete"
                else self._answer(
                    operation, config, self._data[collection][parent][key]
                )
            )
        items = self._data.get(collection, {}).get(parent, {})
        if key not in items:
            raise ServerError(
                404,
                f"Resource for parameter [{config.get('key')}] is not found",
                config.get("key", ""),
                "path",
            )
        item = items[key]
        if action == "delete":
            self._delete(collection, parent, key)
            return None
        if action == "read":
            return self._answer(operation, config, item)
        if action == "replace":
            kept = [self._id_field(collection), *(config.get("keep") or [])]
            new = {
                **self._input(config, body),
                **{f: item[f] for f in kept if f in item},
            }
            item = self._store(collection, parent, new, key)
        elif action == "merge":
            item = self._store(
                collection, parent, {**item, **self._input(config, body)}, key
            )
        elif action == "set":
            changes = copy.deepcopy(config.get("values") or {})
            changes.update(
                {
                    field: pointer_get(body or {}, ptr)
                    for field, ptr in (config.get("copy") or {}).items()
                }
            )
            item = self._store(collection, parent, {**item, **changes}, key)
        else:
            raise ServerError(501, f"x-fake action {action!r} is not known")
        return self._answer(operation, config, item)

    def _parent(self, config: JSON, params: Mapping[str, JSON]) -> str:
        if "parent" not in config:
            return ""
        parent = str(params.get(config["parent"]["param"]))
        if parent not in self._data.get(config["parent"]["collection"], {}).get("", {}):
            name = config["parent"]["param"]
            raise ServerError(
                404, f"Resource for parameter [{name}] is not found", name, "path"
            )
        return parent

    def _input(self, config: JSON, body: JSON) -> dict[str, JSON]:
        source = (
            pointer_get(body, config["input"])
            if body is not None and config.get("input")
            else body
        )
        item = copy.deepcopy(source) if isinstance(source, dict) else {}
        schema = (self._collections.get(config.get("collection", "")) or {}).get(
            "schema"
        )
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
        for old, new in (config.get("rename") or {}).items():
            if old in item:
                value = item.pop(old)
                if new is not None:
                    item[new] = value
        return item

    def _id_field(self, collection: str) -> str:
        return str(
            ((self._collections.get(collection) or {}).get("id") or {}).get(
                "field", "id"
            )
        )

    def _store(
        self,
        collection: str,
        parent: str,
        item: dict[str, JSON],
        key: str | None = None,
    ) -> JSON:
        settings = self._collections.get(collection) or {}
        id_field = self._id_field(collection)
        if key is None:
            key = str(item[id_field]) if item.get(id_field) is not None else None
        if key is None:
            value = self._new_id(str((settings.get("id") or {}).get("kind", "token")))
            item[id_field], key = value, str(value)
        self._check_rules(settings.get("rules") or [], item)
        if "schema" in settings:
            _complete(
                item,
                self._spec.resolve(
                    pointer_get(self._spec.document, settings["schema"])
                ),
                self._spec,
            )
        self._data.setdefault(collection, {}).setdefault(parent, {})[key] = item
        for child, spawn in (settings.get("spawn") or {}).items():
            self._data.setdefault(child, {})[key] = {
                key: {**copy.deepcopy(item), spawn["embed"]: copy.deepcopy(item)}
            }
        return item

    def _delete(self, collection: str, parent: str, key: str) -> None:
        del self._data[collection][parent][key]
        if not parent:  # a top-level item's children go with it
            for child in self._data.values():
                child.pop(key, None)

    def _new_id(self, kind: str) -> JSON:
        number = next(self._ids)
        if kind == "integer":
            return number
        if kind == "digits":
            return str(100000000 + number)
        if kind == "uuid":
            return str(uuid.uuid4())
        return base64.b64encode(f"{number:020d}".encode()).decode().rstrip("=")

    def _check_rules(self, rules: Sequence[JSON], item: Mapping[str, JSON]) -> None:
        for rule in rules:
            first, second = (item.get(f) for f in rule["fields"])
            if first is None or second is None:
                continue
            start, end = _instant(first), _instant(second)
            if rule["rule"] == "before" and not start < end:
                raise ServerError(
                    400,
                    rule.get(
                        "message",
                        f"{rule['fields'][0]} must precede {rule['fields'][1]}",
                    ),
                )
            if rule["rule"] == "within-days" and end - start > datetime.timedelta(
                days=rule["days"]
            ):
                raise ServerError(
                    400,
                    rule.get(
                        "message",
                        f"{rule['fields'][1]} must be within {rule['days']} days",
                    ),
                )

    def _list(
        self, operation: JSON, config: JSON, collection: str, params: Mapping[str, JSON]
    ) -> JSON:
        groups = self._data.get(collection, {})
        items = (
            [i for group in groups.values() for i in group.values()]
            if "parent" not in config
            else list(
                groups.get(str(params.get(config["parent"]["param"])), {}).values()
            )
        )
        for field, name in (config.get("query") or {}).items():
            if params.get(name) is not None:
                items = [i for i in items if _field(i, field) == params[name]]
        window = config.get("range")
        if window:
            low, high = params.get(window.get("from", "")), params.get(
                window.get("to", "")
            )
            items = [i for i in items if _within(i.get(window["field"]), low, high)]
        paging = operation.get("x-pagination") or {}
        size = (
            params.get(config.get("limit") or paging.get("limit") or "")
            or DEFAULT_PAGE_SIZE
        )
        style = str(paging.get("style", ""))
        selector = params.get(paging.get("param", ""))
        try:
            number = int(selector or (1 if style == "page" else 0))
        except ValueError:
            raise ServerError(
                400,
                f"{paging['param']} is not a page this server issued",
                paging["param"],
                "query",
            ) from None
        start = (
            number
            if style in ("cursor", "offset")
            else (number - 1) * size if style == "page" else 0
        )
        page = items[start : start + size] if style else items
        answer = self._skeleton(operation, config)
        _put(
            answer,
            config.get("output") or paging.get("items") or "",
            copy.deepcopy(page),
        )
        for pointer in config.get("totals") or []:
            _put(answer, pointer, len(items))
        for pointer in config.get("sizes") or []:
            _put(answer, pointer, size)
        if style == "cursor":
            _put(
                answer,
                paging["cursor"],
                str(start + size) if start + size < len(items) else "",
            )
        if style == "page":
            if paging.get("page"):
                _put(answer, paging["page"], start // size + 1)
            if paging.get("pages"):
                _put(answer, paging["pages"], max(1, -(-len(items) // size)))
        if style == "offset" and paging.get("total"):
            _put(answer, paging["total"], len(items))
        return _project(answer, _success_schema(operation, self._spec), self._spec)

    def _answer(self, operation: JSON, config: JSON, item: JSON) -> JSON:
        schema = _success_schema(operation, self._spec)
        if not schema:
            return None
        answer = _put(
            self._skeleton(operation, config),
            config.get("output", ""),
            copy.deepcopy(item),
        )
        return _project(answer, schema, self._spec)

    def _skeleton(self, operation: JSON, config: JSON) -> JSON:
        """A response body the schema accepts, with the operation's constant fields."""
        schema = _success_schema(operation, self._spec)
        answer = _sample(schema, self._spec) if schema else None
        for pointer, value in (config.get("envelope") or {}).items():
            answer = _put(answer, pointer, copy.deepcopy(value))
        return answer

    def _example(self, operation: JSON) -> JSON:
        media = _success_media(operation, self._spec)
        if media is None:
            return None
        if "example" in media:
            return copy.deepcopy(media["example"])
        return _sample(self._spec.resolve(media.get("schema", {})), self._spec)


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
    """Set the value at a pointer (creating objects on the way); the root if the pointer is empty."""
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
        "date-time": datetime.datetime.now(datetime.timezone.utc)
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


def _within(value: JSON, low: JSON, high: JSON) -> bool:
    if value is None:
        return False
    instant = _instant(value)
    return (low is None or instant >= _instant(low)) and (
        high is None or instant <= _instant(high)
    )
