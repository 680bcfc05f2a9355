"""The fake's collections and actions, inferred from the spec's structure for the
operations without `x-fake`, as the same records `x-fake` gives (`runtime/_fake_records.py`).

- A path that ends in a path parameter (`/meetings/{meetingId}`) names an item; the
  literal segment before it (`meetings`) names its collection, and so does the last
  segment of a path without one (`/users/{userId}/meetings`). Operations of one name
  are one collection, split by item schema when they `$ref` different ones.
- A collection exists when a GET of an item answers an object with an id property:
  the path parameter's name, `id`, `<name>Id`, `sid`, `key` or `uuid` (any case, `_`
  ignored). The id's schema says how the fake makes ids: integers, UUIDs, a string
  its `pattern` matches, or a token.
- On it: GET item -> read, PUT -> replace, PATCH (or POST with a body) -> merge,
  DELETE -> delete, GET of the collection -> list, POST to it -> create. The item
  may sit in an envelope of the answer (`/data`, `/meeting`) or in an array (`/0`);
  a list's array, totals and page size are its answer's properties, and its next
  page token is empty (paging follows `x-pagination`).
- The other path parameters scope the items (see `runtime/_fake.py`), so an item
  made at `/users/{userId}/meetings` is read at `/meetings/{meetingId}`.
- Everything else answers its example, or a sample of its schema (`static`).

Query parameters an inferred action does not read are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..pointers import deref, join, resolve, split
from ..runtime._fake_records import Collection, FakeAction
from .api import Operation, Parameter
from .fake import paged
from .types import Scalar

ENVELOPES = ("data", "item", "result", "resource")  # where an answer may wrap an item
TOTALS = frozenset({"total", "totalrecords", "totalcount", "count", "totalsize", "totalresults", "totalitems"})
SIZES = frozenset({"pagesize", "perpage", "limit"})
LIMITS = frozenset({"pagesize", "perpage", "limit", "maxresults", "size", "top"})
_PARAMETER = re.compile(r"\{([^{}]+)\}")
_KEYED = {"GET": "read", "PUT": "replace", "PATCH": "merge", "DELETE": "delete", "POST": "merge"}


@dataclass(frozen=True)
class Shape:
    """Where an operation's path puts it: the collection's name, and the path
    parameter naming an item ("" for the collection itself)."""

    noun: str
    key: str


@dataclass(frozen=True)
class Inferred:
    """What the fake does for the operations without `x-fake`."""

    collections: dict[str, Collection]
    actions: dict[str, FakeAction]  # by operation pointer


def normal(name: str) -> str:
    """A name compared without case or separators: `meeting_id` = `meetingId`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def singular(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def shape(path: str) -> Shape | None:
    """The collection name and item key of a path; None when it ends otherwise
    (two parameters in a row, or none before a literal)."""
    segments = [s for s in path.split("/") if s]
    key = ""
    if segments and _PARAMETER.fullmatch(segments[-1]):
        key = segments.pop()[1:-1]
    if not segments or "{" in segments[-1]:
        return None
    return Shape(segments[-1], key)


class Inference:
    """Infers over one document's operations."""

    def __init__(self, data: Any, operations: Sequence[Operation]) -> None:
        self.data = data
        self.operations = [op for op in operations if not self._explicit(op)]
        self.taken: set[str] = set()  # the names of the collections inferred so far

    def _explicit(self, op: Operation) -> bool:
        node = _get(self.data, op.pointer)
        return isinstance(node, dict) and "x-fake" in node

    # --- the schemas -------------------------------------------------------------

    def deref(self, pointer: str, node: Any) -> tuple[str, Any]:
        return deref(self.data, pointer, node)

    def properties(self, pointer: str, node: Any, depth: int = 0) -> dict[str, tuple[str, Any]]:
        """(pointer, schema) of each property of an object schema, `allOf` merged."""
        pointer, node = self.deref(pointer, node)
        if not isinstance(node, dict) or depth > 8:
            return {}
        found = {
            str(name): self.deref(join(pointer, "properties", name), value)
            for name, value in (node.get("properties") or {}).items()
        }
        for i, member in enumerate(node.get("allOf") or []):
            for name, value in self.properties(join(pointer, "allOf", i), member, depth + 1).items():
                found.setdefault(name, value)
        return found

    def kind(self, node: Any) -> str:
        kind = node.get("type") if isinstance(node, dict) else None
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if kind is None and isinstance(node, dict) and ("properties" in node or "allOf" in node):
            return "object"
        return str(kind or "")

    def answer(self, op: Operation) -> tuple[str, Any] | None:
        """(pointer, schema) of the first 2xx JSON answer's schema."""
        responses = _get(self.data, join(op.pointer, "responses"))
        for status, raw in responses.items() if isinstance(responses, dict) else ():
            if not str(status).startswith("2"):
                continue
            pointer, response = self.deref(join(op.pointer, "responses", status), raw)
            content = response.get("content") if isinstance(response, dict) else None
            for media, entry in content.items() if isinstance(content, dict) else ():
                if "json" in str(media) and isinstance(entry, dict) and "schema" in entry:
                    return self.deref(join(pointer, "content", media, "schema"), entry["schema"])
        return None

    def request(self, op: Operation) -> tuple[str, Any] | None:
        if op.body is None or op.body.encoding != "json" or not op.body.schema_pointer:
            return None
        return self.deref(op.body.schema_pointer, _get(self.data, op.body.schema_pointer))

    def id_field(self, item: tuple[str, Any], shape: Shape) -> str:
        """The item's id property ("" for none)."""
        names = {normal(n): n for n in self.properties(*item)}
        one = singular(shape.noun)
        for candidate in (shape.key, "id", one + "id", "sid", one + "key", "key", "uuid"):
            if candidate and normal(candidate) in names:
                return names[normal(candidate)]
        return ""

    def locate(self, schema: tuple[str, Any], id_field: str, noun: str, depth: int = 0) -> tuple[str, str] | None:
        """(where in the answer, the schema's pointer) of the item that has `id_field`
        (spelled in any case, with or without `_`): the answer itself, its first
        element (`/0`), or under a property."""
        pointer, node = schema
        if self.kind(node) == "array" and isinstance(node, dict) and "items" in node:
            inner = self.locate(self.deref(join(pointer, "items"), node["items"]), id_field, noun, depth + 1)
            return None if inner is None else ("/0" + inner[0], inner[1])
        properties = self.properties(pointer, node)
        if normal(id_field) in map(normal, properties):  # `meetingid` names `meetingId`
            return "", pointer
        if depth > 1:
            return None
        preferred = {normal(n) for n in (*ENVELOPES, singular(noun), noun)}
        for name in sorted(properties, key=lambda n: normal(n) not in preferred):
            inner = self.locate(properties[name], id_field, noun, depth + 1)
            if inner is not None:
                return join("", name) + inner[0], inner[1]
        return None

    def array(self, schema: tuple[str, Any], id_field: str) -> str | None:
        """Where a list's answer holds its items: "" (the answer) or its array property."""
        pointer, node = schema
        if self.kind(node) == "array":
            return ""
        properties = self.properties(pointer, node)
        arrays = [n for n, (_, v) in properties.items() if self.kind(v) == "array"]
        for name in arrays:
            items = properties[name][1].get("items") if isinstance(properties[name][1], dict) else None
            inner = self.properties(join(properties[name][0], "items"), items) if items is not None else {}
            if normal(id_field) in map(normal, inner):
                return join("", name)
        return join("", arrays[0]) if len(arrays) == 1 else None

    # --- the collections and actions -------------------------------------------------

    def infer(self) -> Inferred:
        groups: dict[str, list[tuple[Operation, Shape]]] = {}
        for op in self.operations:
            where = shape(op.path)
            if where is not None:
                groups.setdefault(where.noun, []).append((op, where))
        collections: dict[str, Collection] = {}
        actions: dict[str, FakeAction] = {}
        for noun, members in groups.items():
            for name, part in self._split(noun, members):
                made = self._collection(name, part)
                if made is None:
                    continue
                collections[name], inferred = made
                actions.update(inferred)
        for op in self.operations:
            if op.pointer not in actions:
                actions[op.pointer] = FakeAction("static", ignore=self._queries(op, set()))
        return Inferred(collections, actions)

    def _ref(self, op: Operation) -> str:
        """The component schema a GET's answer names (by `$ref`); "" for none."""
        answer = self.answer(op) if op.http_method == "GET" else None
        return answer[0] if answer and answer[0].startswith("/components/") else ""

    def _split(
        self, noun: str, members: list[tuple[Operation, Shape]]
    ) -> list[tuple[str, list[tuple[Operation, Shape]]]]:
        """One group per item schema when the keyed reads `$ref` different ones."""
        reads = {self._ref(op) for op, s in members if s.key and op.http_method == "GET"} - {""}
        base = _identifier(noun)
        if len(reads) < 2:
            return [(self._name(base), members)]
        parts: dict[str, list[tuple[Operation, Shape]]] = {}
        for op, s in members:
            ref = self._ref(op) if op.http_method == "GET" else ""
            parts.setdefault(ref if ref in reads else "", []).append((op, s))
        loose = parts.pop("", [])
        named = []
        for ref, part in sorted(parts.items()):
            named.append((self._name(base + "_" + _identifier(ref.rsplit("/", 1)[-1])), part + loose))
            loose = []
        return named

    def _name(self, base: str) -> str:
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        return name

    def _collection(
        self, name: str, members: list[tuple[Operation, Shape]]
    ) -> tuple[Collection, dict[str, FakeAction]] | None:
        reads = [(op, s) for op, s in members if s.key and op.http_method == "GET"]
        read = min(reads, key=lambda pair: pair[0].path.count("/"), default=None)  # the item's own path
        answer = self.answer(read[0]) if read else None
        if read is None or answer is None:
            return None
        found = read[1]
        key = next((p for p in read[0].path_parameters if p.wire_name == found.key), None)
        schema = self.deref(key.schema_pointer, _get(self.data, key.schema_pointer))[1] if key else None
        if isinstance(schema, dict) and "enum" in schema:
            return None  # a key from a fixed list names fixed items, not a collection that grows
        candidates = (answer, *self._envelopes(answer, found.noun))
        id_field = next(filter(None, (self.id_field(c, found) for c in candidates)), "")
        located = self.locate(answer, id_field, found.noun) if id_field else None
        if located is None:
            return None
        # the item's own answers (reads and writes; a list may be a report of another kind)
        answers = (self.answer(op) for op, s in members if s.key or op.http_method != "GET")
        items = (self.locate(a, id_field, found.noun) for a in answers if a is not None)
        ids = [self._id_schema(located[1], id_field), *(self._id_schema(i[1], id_field) for i in items if i)]
        if any(
            isinstance(schema, dict) and "enum" in schema for schema in ids
        ):  # a choice among fixed values, not an identity
            return None
        kind, pattern = self._id(ids[0])
        if "integer" in (kinds := {self._id(schema)[0] for schema in ids}) and len(kinds) > 1:
            kind, pattern = "digits", ""  # an integer here, a string there: digits fit both
        collection = Collection(located[1], id_field, kind, id_pattern=pattern)
        item = self.properties(located[1], _get(self.data, located[1]))
        actions: dict[str, FakeAction] = {}
        for op, s in members:
            action = self._action(op, s, name, id_field)
            if action is not None and self._agrees(op, action, id_field, kind) and self._writes(op, action, item):
                actions[op.pointer] = action
        return collection, actions

    def _id_schema(self, pointer: str, id_field: str) -> Any:
        """The schema of the item's id property (spelled in any case)."""
        item = self.properties(pointer, _get(self.data, pointer))
        return next((v for n, (_, v) in item.items() if normal(n) == normal(id_field)), {})

    def _envelopes(self, schema: tuple[str, Any], noun: str) -> list[tuple[str, Any]]:
        """Where an answer may hold its item: its array's items, or a property named so."""
        pointer, node = schema
        if self.kind(node) == "array" and isinstance(node, dict) and "items" in node:
            return [self.deref(join(pointer, "items"), node["items"])]
        properties = self.properties(*schema)
        wrappers = {normal(n) for n in (*ENVELOPES, singular(noun), noun)}
        return [properties[n] for n in properties if normal(n) in wrappers]

    def _id(self, schema: Any) -> tuple[str, str]:
        """(id kind, pattern) for ids that fit the id property's schema."""
        schema = schema if isinstance(schema, dict) else {}
        kind = self.kind(schema)
        if kind in ("integer", "number"):
            return "integer", ""
        if schema.get("format") == "uuid":
            return "uuid", ""
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and _compiles(pattern):
            return "token", pattern
        if isinstance(schema.get("maxLength"), int) and schema["maxLength"] < 28:
            return "digits", ""
        return "token", ""

    def _action(self, op: Operation, s: Shape, collection: str, id_field: str) -> FakeAction | None:
        method = op.http_method
        answer = self.answer(op)
        if s.key:
            verb = _KEYED.get(method)
            if verb is None or (method == "POST" and self.request(op) is None):
                return None
            output = self._output(answer, id_field, s.noun) if verb != "delete" else ""
            if output is None:
                return None
            action = FakeAction(verb, collection, key=s.key, output=output)
            if verb in ("replace", "merge"):
                action = replace(action, input=self._input(op, id_field, s.noun))
        elif method == "POST":
            output = self._output(answer, id_field, s.noun)
            if output is None:
                return None
            action = FakeAction("create", collection, input=self._input(op, id_field, s.noun), output=output)
        elif method == "GET" and answer is not None:
            array = self.array(answer, id_field)
            if array is None:
                return None
            properties = self.properties(*answer)
            integers = [n for n, (_, v) in properties.items() if self.kind(v) == "integer"]
            limit = next(
                (
                    p.wire_name
                    for p in op.parameters
                    if p.location == "query" and normal(p.wire_name) in LIMITS and _integer(p)
                ),
                "",
            )
            tokens = [n for n, (_, v) in properties.items() if self.kind(v) == "string" and _token(n)]
            action = FakeAction(
                "list",
                collection,
                envelope={join("", n): "" for n in tokens},  # every item is on the one page
                output=array,
                limit=limit,
                totals=tuple(join("", n) for n in integers if normal(n) in TOTALS),
                sizes=tuple(join("", n) for n in integers if normal(n) in SIZES),
            )
            action = paged(action, op.pagination)
        else:
            return None
        return replace(action, ignore=self._queries(op, action.reads()))

    def _agrees(self, op: Operation, action: FakeAction, id_field: str, kind: str) -> bool:
        """Whether the ids the operation answers are of the collection's type (integer
        or string): a list whose items spell the id otherwise is another resource's."""
        answer = self.answer(op)
        if answer is None or action.action == "delete":
            return True
        node = answer
        for token in [*split(action.output), *(["0"] if action.action == "list" else [])]:
            pointer, schema = node
            if self.kind(schema) == "array" and isinstance(schema, dict) and "items" in schema:
                node = self.deref(join(pointer, "items"), schema["items"])
            elif token in (inner := self.properties(pointer, schema)):
                node = inner[token]
            else:
                return True
        declared = next((v for n, (_, v) in self.properties(*node).items() if normal(n) == normal(id_field)), None)
        fits_both = kind == "digits"  # the item's own answers disagree: digits are either
        return declared is None or fits_both or (self._id(declared)[0] == "integer") == (kind == "integer")

    def _writes(self, op: Operation, action: FakeAction, item: Mapping[str, Any]) -> bool:
        """Whether a write's body shares a field with the collection's items: one that
        shares none writes another resource of the same name (`/h323/devices` beside
        `/phone/devices`)."""
        body = self.request(op) if action.action in ("create", "replace", "merge") else None
        if body is None:
            return True
        pointer, schema = body
        for token in split(action.input):
            inner = self.properties(pointer, schema)
            if token not in inner:
                return True
            pointer, schema = inner[token]
        properties = self.properties(pointer, schema)
        fields = {normal(n) for n in properties}
        for field in properties.values():  # and an envelope's (`{"action": …, "user_info": {…}}`)
            fields |= {normal(n) for n in self.properties(*field)} if self.kind(field[1]) == "object" else set()
        return not fields or bool(fields & {normal(n) for n in item})

    def _output(self, answer: tuple[str, Any] | None, id_field: str, noun: str) -> str | None:
        """Where the item goes in an answer ("" for no answer or the answer itself);
        None when the answer has no place for it."""
        if answer is None:
            return ""
        located = self.locate(answer, id_field, noun)
        if located is not None:
            return located[0]
        return "" if self.kind(answer[1]) == "object" else None

    def _input(self, op: Operation, id_field: str, noun: str) -> str:
        """Where the item is in the request body: an envelope of it, or the body."""
        body = self.request(op)
        if body is None:
            return ""
        properties = self.properties(*body)
        names = {normal(n) for n in (*ENVELOPES, singular(noun))}
        wrappers = [n for n in properties if normal(n) in names]
        if len(properties) == 1 and wrappers and self.kind(properties[wrappers[0]][1]) == "object":
            return join("", wrappers[0])
        return ""

    def _queries(self, op: Operation, read: set[str] | frozenset[str]) -> tuple[str, ...]:
        return tuple(p.wire_name for p in op.parameters if p.location == "query" and p.wire_name not in read)


def infer(data: Any, operations: Sequence[Operation]) -> Inferred:
    """The fake's collections and actions for the operations without `x-fake`. A
    collection the spec's `x-fake` declares under the same name replaces the inferred
    one (`build_api` merges them so)."""
    return Inference(data, operations).infer()


def _get(data: Any, pointer: str) -> Any:
    """The value at `pointer`; None where there is none."""
    try:
        return resolve(data, pointer)
    except KeyError:
        return None


def _identifier(text: str) -> str:
    """A collection name: letters, digits and `_`."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "items"


def _token(name: str) -> bool:
    """Whether a list's field names the next page (`next_page_token`, `nextCursor`)."""
    return "token" in normal(name) or "cursor" in normal(name)


def _integer(parameter: Parameter) -> bool:
    return parameter.type == Scalar("int")


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
