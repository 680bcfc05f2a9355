"""Read the `x-fake` extensions: the fake's collections, and what each operation does.

    x-fake:                                   # top level
      collections:
        meetings:
          schema: /components/schemas/Meeting     # the items' schema
          id: {field: meetingId, kind: integer}   # kind: integer, uuid, token or digits;
                                                  # pattern: ids a regular expression matches
          spawn: {occurrences: {embed: meeting}}  # a child item per item, embedding it
          rules: [{rule: within-days, fields: [start, end], days: 14}]

    x-fake: {action: read, collection: meetings, key: meetingId}   # an operation

The keys of an operation's `x-fake` are documented in `runtime/_fake_records.py`. A query
parameter the operation declares that its action neither reads nor `ignore`s is
a finding (the fake answers 400 when it is sent), and the action is kept.

The records are the runtime's own classes (`runtime/_fake_records.py`), which the
generated `_server_config.py` constructs; `inference.py` makes the same records for
the operations without `x-fake`. A collection or an action with a
finding is left out: the fake answers 501 for that operation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from ..load import Document
from ..pointers import join, split
from ..runtime._fake_records import (
    ACTIONS,
    ID_KINDS,
    RULES,
    Collection,
    Constraint,
    FakeAction,
    Paging,
    Parent,
    Window,
)
from .api import Pagination, Parameter
from .extension import Findings, suggestion

RULE = "x-fake"
_DATE_TOKENS = re.compile("YYYY|MM|DD")
KEYS = frozenset({"action"}).union(*ACTIONS.values())
REQUIRED = frozenset({"collection", "key"})  # by every action that reads them


# --- the collections ----------------------------------------------------------------


def parse_collections(collector: Findings) -> dict[str, Collection | None]:
    """Every declared collection by name (None: left out for a finding)."""
    if "x-fake" not in collector.document.data:
        return {}
    findings = collector.under(RULE)
    top = findings.mapping(collector.document.data["x-fake"], "/x-fake", "x-fake")
    findings.keys(top, "/x-fake", ("collections",), "x-fake")
    pointer = "/x-fake/collections"
    declared = findings.mapping(top.get("collections", {}), pointer, "collections")
    collections: dict[str, Collection | None] = {}
    for name, raw in declared.items():
        before = len(findings.problems)
        collection = _collection(findings, raw, join(pointer, name), set(declared))
        collections[str(name)] = collection if len(findings.problems) == before else None
    return collections


def _collection(findings: Findings, raw: Any, pointer: str, names: set[str]) -> Collection:
    raw = findings.mapping(raw, pointer, "a collection")
    findings.keys(raw, pointer, ("schema", "id", "spawn", "rules"), "a collection")
    schema = ""
    if "schema" in raw:
        where = join(pointer, "schema")
        schema = findings.pointer(raw["schema"], where, "schema")
        if schema and not isinstance(_resolve(findings.document, schema), dict):
            findings.add(where, f"schema {schema!r} does not resolve to a schema in the spec")
    where = join(pointer, "id")
    ident = findings.mapping(raw.get("id", {}), where, "id")
    findings.keys(ident, where, ("field", "kind", "pattern"), "id")
    id_field = findings.text(ident["field"], join(where, "field"), "id field") if "field" in ident else "id"
    kind = ident.get("kind", "token")
    if not _one_of(kind, ID_KINDS):
        listed = ", ".join(ID_KINDS)
        findings.add(join(where, "kind"), f"id kind {kind!r} is not one of {listed}{suggestion(kind, ID_KINDS)}")
    pattern = findings.text(ident["pattern"], join(where, "pattern"), "id pattern") if "pattern" in ident else ""
    spawn: dict[str, str] = {}
    for child, entry in findings.mapping(raw.get("spawn", {}), join(pointer, "spawn"), "spawn").items():
        where = join(pointer, "spawn", child)
        if child not in names:
            findings.add(where, f"spawn names {child!r}, which is not a collection{suggestion(child, names)}")
        entry = findings.mapping(entry, where, "a spawn entry")
        findings.keys(entry, where, ("embed",), "a spawn entry")
        findings.need(entry, ("embed",), where, "a spawn entry")
        if "embed" in entry:
            spawn[str(child)] = findings.text(entry["embed"], join(where, "embed"), "embed")
    rules = findings.sequence(raw.get("rules", []), join(pointer, "rules"), "rules")
    constraints = tuple(_constraint(findings, r, join(pointer, "rules", i)) for i, r in enumerate(rules))
    return Collection(schema, id_field, str(kind), spawn, constraints, pattern)


def _constraint(findings: Findings, raw: Any, pointer: str) -> Constraint:
    raw = findings.mapping(raw, pointer, "a rule")
    rule = raw.get("rule")
    findings.need(raw, ("rule", "fields"), pointer, "a rule")
    if "rule" in raw and not _one_of(rule, RULES):
        message = f"rule {rule!r} is not one of {', '.join(RULES)}{suggestion(rule, RULES)}"
        findings.add(join(pointer, "rule"), message)
    known = ("rule", "fields", "message", "days") if rule == "within-days" else ("rule", "fields", "message")
    findings.keys(raw, pointer, known, f"a {rule} rule")
    fields = findings.texts(raw.get("fields", []), join(pointer, "fields"), "fields") if "fields" in raw else ()
    if "fields" in raw and len(fields) != 2:
        findings.add(join(pointer, "fields"), "fields must name two fields: the earlier, then the later")
    first, second = (fields + ("", ""))[:2]
    days = raw.get("days", 0)
    if rule == "within-days" and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        where = join(pointer, "days") if "days" in raw else pointer
        findings.add(where, "a within-days rule needs 'days', a whole number of days")
        days = 0
    default = f"{first} must precede {second}" if rule == "before" else f"{second} must be within {days} days"
    message = findings.text(raw["message"], join(pointer, "message"), "message") if "message" in raw else default
    return Constraint(str(rule), (first, second), message, days)


def paged(action: FakeAction, pagination: Pagination | None) -> FakeAction:
    """A list action that pages as its operation does (`x-pagination` or inferred): its
    `Paging`, and its page-size parameter and items' place unless the action names them."""
    if action.action != "list" or pagination is None:
        return action
    style, wire = pagination.style, pagination.wire
    paging = Paging(
        style,
        wire.param,
        cursor=wire.position if style == "cursor" else "",
        page=wire.position if style == "page" else "",
        pages=wire.total if style == "page" else "",
        total=wire.total if style == "offset" else "",
    )
    return replace(action, limit=action.limit or wire.limit, output=action.output or wire.items, paging=paging)


def _one_of(value: Any, choices: Iterable[str]) -> bool:
    return isinstance(value, str) and value in choices


def _resolve(document: Document, pointer: str) -> Any:
    try:
        return document.resolve(pointer)
    except KeyError:
        return None


# --- an operation's action ----------------------------------------------------------


def parse_action(
    collector: Findings,
    raw: Any,
    pointer: str,
    parameters: Sequence[Parameter],
    collections: dict[str, Collection | None],
    pagination: Pagination | None,
) -> FakeAction | None:
    """The action an operation's `x-fake` describes (None when it has a finding of its
    own or its collection was left out); a list pages as the operation does."""
    findings = collector.under(RULE)
    raw = findings.mapping(raw, pointer, "x-fake")
    findings.keys(raw, pointer, KEYS, "x-fake")
    action = raw.get("action")
    if "action" not in raw:
        findings.add(pointer, "x-fake needs an 'action'")
    elif not _one_of(action, ACTIONS):
        message = f"unknown action {action!r}{suggestion(action, ACTIONS)}; one of {', '.join(ACTIONS)}"
        findings.add(join(pointer, "action"), message)
    if not _one_of(action, ACTIONS):
        return None
    uses = ACTIONS[action]
    for key in raw:
        if key in KEYS - uses - {"action"}:
            findings.add(join(pointer, key), f"{key!r} does nothing in a {action} action")
    findings.need(raw, sorted(uses & REQUIRED), pointer, f"a {action} action")
    reader = _Reader(findings, parameters, collections)
    read = {key: READERS[key](reader, raw[key], join(pointer, key)) for key in raw if key in uses}
    if "series" in read and "parent" not in raw:
        findings.add(join(pointer, "series"), "series needs a parent: the collection of the whole series")
    if findings.problems:
        return None
    if collections.get(read.get("collection", "")) is None and action != "static":
        return None  # its collection has a finding of its own
    fake = paged(FakeAction(action=str(action), **read), pagination)
    for parameter in parameters:
        if parameter.location == "query" and parameter.wire_name not in fake.reads():
            message = f"the action neither reads nor ignores query parameter {parameter.wire_name!r}: the fake answers 400 to it"
            findings.add(pointer, message)
    return fake


class _Reader:
    """Reads and checks the values of an operation's x-fake keys."""

    def __init__(
        self, findings: Findings, parameters: Sequence[Parameter], collections: dict[str, Collection | None]
    ) -> None:
        self.findings = findings
        self.parameters = parameters
        self.collections = collections

    def collection(self, value: Any, where: str) -> str:
        name = self.findings.text(value, where, "collection")
        if name and name not in self.collections:
            self.findings.add(where, f"unknown collection {name!r}{suggestion(name, self.collections)}")
        return name

    def parameter(self, value: Any, where: str, location: str | None = None) -> str:
        """The wire name of one of the operation's parameters (in `location`, if given)."""
        name = self.findings.text(value, where, _last(where))
        names = [p.wire_name for p in self.parameters if location in (None, p.location)]
        if name and name not in names:
            what = f"a {location} parameter" if location else "a parameter"
            self.findings.add(where, f"{name!r} is not {what} of this operation{suggestion(name, names)}")
        return name

    def parent(self, value: Any, where: str) -> Parent:
        raw = self.findings.mapping(value, where, "parent")
        self.findings.keys(raw, where, ("collection", "param"), "parent")
        self.findings.need(raw, ("collection", "param"), where, "parent")
        collection = self.collection(raw["collection"], join(where, "collection")) if "collection" in raw else ""
        param = self.parameter(raw["param"], join(where, "param"), "path") if "param" in raw else ""
        return Parent(collection, param)

    def window(self, value: Any, where: str) -> Window:
        raw = self.findings.mapping(value, where, "range")
        self.findings.keys(raw, where, ("field", "from", "to", "format"), "range")
        self.findings.need(raw, ("field",), where, "range")
        name = self.findings.text(raw["field"], join(where, "field"), "range field") if "field" in raw else ""
        low, high = (self.parameter(raw[k], join(where, k)) if k in raw else "" for k in ("from", "to"))
        form = self.findings.text(raw["format"], join(where, "format"), "range format") if "format" in raw else ""
        if form and not {"YYYY", "MM", "DD"} <= set(_DATE_TOKENS.findall(form)):
            self.findings.add(join(where, "format"), f"a range format spells a date with YYYY, MM and DD, not {form!r}")
        return Window(name, low, high, form)

    def when(self, value: Any, where: str) -> dict[str, dict[str, tuple[dict[str, Any], ...]]]:
        """Parameter -> its value -> the conditions (any of them) an item meets."""
        read = {}
        for param, choices in self.mapping(value, where).items():
            here = join(where, param)
            self.parameter(param, here, "query")
            read[param] = {str(v): self.conditions(c, join(here, v)) for v, c in self.mapping(choices, here).items()}
        return read

    def conditions(self, value: Any, where: str) -> tuple[dict[str, Any], ...]:
        listed = value if isinstance(value, list) else [value]
        found = tuple(self.mapping(c, join(where, i)) for i, c in enumerate(listed))
        for i, condition in enumerate(found):
            for name, test in condition.items():
                if isinstance(test, (dict, list)) and test not in ({"after": "now"}, {"before": "now"}):
                    self.findings.add(join(where, i, name), "a condition is a value, {after: now} or {before: now}")
        return found

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        return {str(k): v for k, v in self.findings.mapping(value, where, _last(where)).items()}

    def rename(self, value: Any, where: str) -> dict[str, str | None]:
        renamed = self.mapping(value, where)
        for old, new in renamed.items():
            if new is not None:
                self.findings.text(new, join(where, old), "a new name (or null, to drop the field)")
        return renamed

    def copy(self, value: Any, where: str) -> dict[str, str]:
        sources = self.mapping(value, where)
        return {k: self.findings.pointer(v, join(where, k), "a copy source") for k, v in sources.items()}

    def query(self, value: Any, where: str) -> dict[str, str]:
        return {k: self.parameter(v, join(where, k)) for k, v in self.mapping(value, where).items()}

    def envelope(self, value: Any, where: str) -> dict[str, Any]:
        fields = self.mapping(value, where)
        for key in fields:
            if not key.startswith("/"):
                message = f"an envelope key is a JSON pointer such as '/success', not {key!r}"
                self.findings.add(join(where, key), message)
        return fields

    def pointers(self, value: Any, where: str) -> tuple[str, ...]:
        items = self.findings.sequence(value, where, _last(where))
        return tuple(self.findings.pointer(v, join(where, i), "each of them") for i, v in enumerate(items))


def _last(pointer: str) -> str:
    """The key a pointer ends in, as a finding names it."""
    tokens = split(pointer)
    return tokens[-1] if tokens else ""


READERS: dict[str, Callable[[_Reader, Any, str], Any]] = {
    "collection": _Reader.collection,
    "key": lambda r, value, where: r.parameter(value, where, "path"),
    "parent": _Reader.parent,
    "input": lambda r, value, where: r.findings.pointer(value, where, "input"),
    "rename": _Reader.rename,
    "values": _Reader.mapping,
    "copy": _Reader.copy,
    "query": _Reader.query,
    "envelope": _Reader.envelope,
    "range": _Reader.window,
    "output": lambda r, value, where: r.findings.pointer(value, where, "output"),
    "limit": lambda r, value, where: r.parameter(value, where, "query"),
    "totals": _Reader.pointers,
    "sizes": _Reader.pointers,
    "keep": lambda r, value, where: r.findings.texts(value, where, "keep"),
    "series": _Reader.parameter,
    "ignore": lambda r, value, where: tuple(
        r.parameter(v, join(where, i), "query") for i, v in enumerate(r.findings.sequence(value, where, "ignore"))
    ),
    "search": lambda r, value, where: r.parameter(value, where, "query"),
    "order": lambda r, value, where: r.parameter(value, where, "query"),
    "filter": lambda r, value, where: r.parameter(value, where, "query"),
    "when": _Reader.when,
}
