"""Read `x-unified`: how a vendor's operations and meeting object map onto the
one meetings interface (the `meetings` package, `runtime/_unified.py`).

    x-unified:
      operations:
        create: {operation: scheduleMeeting}            # body: / result: pointers to the meeting
        get: {operation: getScheduledMeeting}
        list: {operation: getScheduledMeetings, items: /meetings}
        update: {operation: updateMeeting}              # replace: true for a PUT of the whole meeting
        delete: {operation: deleteMeeting}
      context: {account_id: accountId}                  # a connect() argument -> the vendor's parameter
      constants: {/type: 2}                             # sent on create: pointer -> value
      fields:
        id: {at: /meetingId}
        start: {at: /meetingStart}
        duration: {at: /duration, unit: minutes}        # minutes, seconds or hours
        attendees: {at: /participants}                  # key: /email for objects; separator: "," for a string
        status: {at: /status, values: {waiting: scheduled}, read_only: true}
        timezone: {at: /tz/id, values: {"58": America/Los_Angeles}}  # the vendor's zone ids
        recurrence: {at: /recurrence, frequency: /frequency, values: {Weekly: weekly},
                     interval: /interval, weekdays: /byDays, days: {Monday: MO},
                     month_day: /day, count: /count, until: /until,
                     constants: {/type: Recurring}}  # sent with a rule

What each vendor keeps and takes (`Capabilities`) is read from these and the spec:
the fields its create requires, what an attendee is (`format: email`), the
`maxLength` of each text, the page sizes its list's `page_size` parameter allows.

The records are the runtime's own classes (`runtime/_unified_records.py`), which
the generated `meetings/_vendors.py` constructs. Every finding is of rule `x-unified`,
located in the spec (a warning unless configured otherwise): the vendor is then
left out of the `meetings` package, and its client is made as ever.
"""

from __future__ import annotations

import keyword
import zoneinfo
from typing import Any

from ..load import Document
from ..pointers import deref, join, properties, split
from ..runtime._unified_records import (
    CHOICES,
    FIELDS,
    RULE_PARTS,
    Capabilities,
    FieldMap,
    Tokens,
    VendorMap,
    Verb,
    Weekday,
    kept_and_written,
)
from .api import Operation
from .extension import Findings, suggestion
from .types import Named

RULE = "x-unified"
VERBS = ("create", "get", "list", "update", "delete")
ACTIONS = ("start", "end", "cancel")  # optional
VERB_KEYS = {
    "create": {"operation", "body", "result", "refetch", "arguments"},
    "get": {"operation", "result", "arguments"},
    "list": {"operation", "items", "item", "arguments", "page_size"},
    "update": {"operation", "body", "result", "replace", "arguments"},
    "delete": {"operation", "arguments"},
} | {action: {"operation", "arguments"} for action in ACTIONS}
FIELD_KEYS = {"at", "write", "read_only", "unit", "key", "each", "separator", "values", "days", "constants"}
FIELD_KEYS |= set(RULE_PARTS)  # recurrence: where each part of its rule is
UNITS = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0}
# The JSON types each field may have in the vendor's object.
TYPES = {
    "start": ("string",),
    "end": ("string",),
    "duration": ("integer", "number"),
    "attendees": ("array", "string"),
    "id": ("string", "integer"),
}


def parse_unified(collector: Findings, operations: list[Operation], package: str, client: str) -> VendorMap | None:
    """The vendor's map, or None when the spec has none or it is broken (with findings)."""
    document = collector.document
    raw = document.data.get("x-unified") if isinstance(document.data, dict) else None
    if raw is None:
        return None
    findings = collector.under(RULE)
    reader = _Reader(document, findings, {op.operation_id: op for op in operations})
    unified = reader.vendor(findings.mapping(raw, "/x-unified", "x-unified"), package, client)
    return None if findings.problems else unified


class _Reader:
    def __init__(self, document: Document, findings: Findings, operations: dict[str, Operation]) -> None:
        self.document = document
        self.findings = findings
        self.operations = operations

    def vendor(self, raw: dict[str, Any], package: str, client: str) -> VendorMap | None:
        where = "/x-unified"
        self.findings.keys(raw, where, {"operations", "context", "constants", "fields"}, "x-unified")
        context = self._context(raw.get("context", {}), join(where, "context"))
        verbs_raw = self.findings.mapping(raw.get("operations"), join(where, "operations"), "x-unified's operations")
        self.findings.keys(verbs_raw, join(where, "operations"), VERBS + ACTIONS, "x-unified's operations")
        self.findings.need(verbs_raw, VERBS, join(where, "operations"), "x-unified's operations")
        verbs = {
            name: self._verb(name, verbs_raw.get(name), join(where, "operations", name), context)
            for name in VERBS + ACTIONS
            if name in verbs_raw
        }
        fields_raw = self.findings.mapping(raw.get("fields"), join(where, "fields"), "x-unified's fields")
        self.findings.keys(fields_raw, join(where, "fields"), FIELDS, "x-unified's fields")
        meeting, written = self._meeting_schema(verbs_raw), self._meeting_schema(verbs_raw, "create")
        fields = tuple(
            self._field(name, fields_raw[name], join(where, "fields", name), meeting, written)
            for name in FIELDS
            if name in fields_raw
        )
        constants_raw = self.findings.mapping(
            raw.get("constants", {}), join(where, "constants"), "x-unified's constants"
        )
        constants = tuple(
            (tuple(split(self.findings.pointer(k, join(where, "constants", k), "a constant's key"))), v)
            for k, v in constants_raw.items()
        )
        if any(name not in verbs for name in VERBS) or "id" not in fields_raw:
            if "id" not in fields_raw:
                self.findings.add(join(where, "fields"), "x-unified's fields need 'id'")
            return None
        return VendorMap(
            name=package,
            package=".." + package,
            client=client,
            create=verbs["create"],
            get=verbs["get"],
            list=verbs["list"],
            update=verbs["update"],
            delete=verbs["delete"],
            fields=fields,
            constants=constants,
            context=tuple(context),
            actions=tuple((name, verbs[name]) for name in ACTIONS if name in verbs),
            capabilities=self._capabilities(fields, constants, verbs, written, verbs_raw),
        )

    def _capabilities(
        self,
        fields: tuple[FieldMap, ...],
        constants: tuple[tuple[Tokens, Any], ...],
        verbs: dict[str, Verb],
        written: Any,
        verbs_raw: dict[str, Any],
    ) -> Capabilities:
        """What the vendor keeps and takes: from the map and the schemas of create's body."""
        by_name = {f.name: f for f in fields}
        kept, writable = kept_and_written(fields)
        filled = {tokens for tokens, _ in constants} | {tokens for _, tokens in verbs["create"].body_context}
        required, limits = set(), []
        for field in fields:
            at = field.at if field.write is None else field.write
            if field.read_only or written is None or at in filled:
                continue
            if self._required(written, at):
                required.add(field.name)
            limit = (_schema_at(self.document, written, at) or {}).get("maxLength")
            if isinstance(limit, int) and field.name != "recurrence":
                limits.append((field.name, limit))
        attendees = by_name.get("attendees")
        recurrence = by_name.get("recurrence")
        zones = by_name.get("timezone")
        return Capabilities(
            kept=kept,
            writable=writable,
            required=tuple(name for name in FIELDS if name in required),
            attendees="" if attendees is None else self._attendee(attendees, written),
            max_length=tuple(limits),
            paged=verbs["list"].paged,
            page_sizes=self._page_sizes(verbs_raw.get("list")),
            recurrence=()
            if recurrence is None or recurrence.read_only
            else tuple(dict.fromkeys(unified for _, unified in recurrence.values)),
            rule_parts=()
            if recurrence is None or recurrence.read_only
            else tuple(part for part, _ in recurrence.parts),
            timezones=() if zones is None else tuple(sorted({zone for _, zone in zones.values})),
        )

    def _required(self, schema: Any, tokens: Tokens) -> bool:
        """Whether a value of `schema` requires what is at `tokens` in it."""
        for token in tokens:
            _, node = deref(self.document.data, "", schema)
            if not isinstance(node, dict) or token not in (node.get("required") or ()):
                return False
            schema = properties(self.document.data, node).get(token)
        return True

    def _attendee(self, field: FieldMap, written: Any) -> str:
        """ "email" where the spec says an attendee is an e-mail address; "id" otherwise."""
        schema = _schema_at(self.document, written, field.at if field.write is None else field.write)
        if isinstance(schema, dict) and schema.get("type") == "array":
            schema = _schema_at(self.document, deref(self.document.data, "", schema.get("items"))[1], field.key)
        return "email" if isinstance(schema, dict) and schema.get("format") == "email" else "id"

    def _page_sizes(self, raw: Any) -> tuple[int | None, int | None] | None:
        """The page sizes list's `page_size` parameter allows (None: it has none)."""
        op = self.operations.get(str(raw.get("operation"))) if isinstance(raw, dict) else None
        wire = raw.get("page_size") if isinstance(raw, dict) else None
        parameter = next((p for p in op.parameters if p.wire_name == wire), None) if op else None
        if parameter is None:
            return None
        if not parameter.schema_pointer:
            return (None, None)
        _, schema = deref(self.document.data, "", self.document.resolve(parameter.schema_pointer))
        bounds = [schema.get(key) if isinstance(schema, dict) else None for key in ("minimum", "maximum")]
        least, most = (bound if isinstance(bound, int) else None for bound in bounds)
        return (least, most)

    def _context(self, raw: Any, where: str) -> dict[str, tuple[str, Tokens]]:
        """connect() name -> (the vendor's parameter, where a request body takes it: () for
        its top-level property of the parameter's name)."""
        context = self.findings.mapping(raw, where, "x-unified's context")
        names = {}
        for name, value in context.items():
            at = join(where, name)
            if not name.isidentifier() or not name.islower() or keyword.iskeyword(name):
                self.findings.add(at, f"context name {name!r} must be a snake_case Python name")
            if isinstance(value, dict):
                self.findings.keys(value, at, {"parameter", "body"}, "a context")
                parameter = self.findings.text(value.get("parameter"), join(at, "parameter"), "a context's parameter")
                body = tuple(split(self.findings.pointer(value.get("body", ""), join(at, "body"), "a context's body")))
            else:
                parameter, body = self.findings.text(value, at, "a context's parameter"), ()
            names[name] = (parameter, body)
        return names

    def _verb(self, name: str, raw: Any, where: str, context: dict[str, tuple[str, Tokens]]) -> Verb:
        raw = self.findings.mapping(raw, where, f"x-unified's {name}")
        self.findings.keys(raw, where, VERB_KEYS[name], f"x-unified's {name}")
        operation_id = self.findings.text(raw.get("operation"), join(where, "operation"), f"{name}'s operation")
        op = self.operations.get(operation_id)
        if op is None:
            if operation_id:
                hint = suggestion(operation_id, self.operations)
                self.findings.add(join(where, "operation"), f"no operation {operation_id!r} in this spec{hint}")
            return Verb("")
        paged = name == "list" and op.iter_method_name is not None
        called = op.iter_method_name if paged else op.method_name
        id_argument = ""
        if name in ("get", "update", "delete", *ACTIONS):
            ids = op.path_parameters
            if len(ids) != 1:
                self.findings.add(
                    join(where, "operation"),
                    f"{name} needs an operation with one path parameter for the meeting's id; {operation_id} has {len(ids)}",
                )
            else:
                id_argument = ids[0].name
        body_type = ""
        if name in ("create", "update"):
            if op.body is None or not isinstance(op.body.type, Named) or op.body.type.is_enum:
                self.findings.add(
                    join(where, "operation"),
                    f"{name} needs an operation whose request body is an object; {operation_id}'s is not",
                )
            else:
                body_type = str(op.body.type.name)
        arguments = tuple(
            (key, str(p.name)) for key, (wire, _) in context.items() for p in op.parameters if p.wire_name == wire
        )
        body_context = tuple(
            (key, body or (wire,))
            for key, (wire, body) in context.items()
            if name in ("create", "update") and (body or self._body_has(op, wire))
        )
        fixed = self.findings.mapping(raw.get("arguments", {}), join(where, "arguments"), "arguments")
        constants = [
            (self._parameter(op, wire, join(where, "arguments", wire)), value) for wire, value in fixed.items()
        ]
        result_key = "items" if name == "list" else "result"
        return Verb(
            method=f"{op.resource}.{called}" if op.resource else str(called),
            id_argument=id_argument,
            body_type=body_type,
            body=tuple(split(self.findings.pointer(raw.get("body", ""), join(where, "body"), "body"))),
            result=tuple(split(self.findings.pointer(raw.get(result_key, ""), join(where, result_key), result_key))),
            replace=raw.get("replace", op.http_method == "PUT") is True,
            refetch=raw.get("refetch") is True,
            paged=paged,
            arguments=arguments,
            body_context=body_context,
            constants=tuple((argument, value) for argument, value in constants if argument),
            page_size=self._parameter(op, raw.get("page_size"), join(where, "page_size")),
            item=tuple(split(self.findings.pointer(raw.get("item", ""), join(where, "item"), "item"))),
        )

    def _parameter(self, op: Operation, wire: Any, where: str) -> str:
        """The argument of `op` for its parameter `wire` ("" for none given)."""
        if wire is None:
            return ""
        by_wire = {p.wire_name: p for p in op.parameters}
        if wire not in by_wire:
            self.findings.add(where, f"{op.operation_id} has no parameter {wire!r}{suggestion(wire, by_wire)}")
            return ""
        return str(by_wire[wire].name)

    def _body_has(self, op: Operation, wire: str) -> bool:
        schema = _schema_of(self.document, self.document.resolve(op.pointer).get("requestBody"))
        return wire in properties(self.document.data, schema)

    def _meeting_schema(self, verbs: dict[str, Any], verb: str = "get") -> Any:
        """The schema of the meeting object: in get's answer (at its `result`), or
        in create's request body (at its `body`) for `verb` "create"."""
        raw = verbs.get(verb)
        if not isinstance(raw, dict):
            return None
        op = self.operations.get(str(raw.get("operation")))
        if op is None or op.success is None:
            return None
        spec = self.document.resolve(op.pointer)
        if verb == "create":
            holder, key = spec.get("requestBody"), "body"
        else:
            holder, key = (spec.get("responses") or {}).get(op.success.status), "result"
        at = raw.get(key, "") if isinstance(raw.get(key, ""), str) else ""
        return _schema_at(self.document, _schema_of(self.document, holder), tuple(split(at)))

    def _field(self, name: str, raw: Any, where: str, meeting: Any, written: Any) -> FieldMap:
        """`meeting`: the schema of the meeting object in answers; `written`: in create's body."""
        raw = self.findings.mapping(raw, where, f"field {name}")
        self.findings.keys(raw, where, FIELD_KEYS, f"field {name}")
        self.findings.need(raw, ("at",), where, f"field {name}")
        at = tuple(split(self.findings.pointer(raw.get("at", ""), join(where, "at"), "at")))
        schema = _schema_at(self.document, meeting, at) if meeting is not None else None
        if meeting is not None and schema is None:
            self.findings.add(join(where, "at"), f"the meeting object has nothing at {raw.get('at')!r}")
        kinds = _types(self.document, schema)
        rule = name == "recurrence" and any(part in raw for part in RULE_PARTS)
        allowed = TYPES.get(name, ("string",) if name not in CHOICES else ("string", "integer", "number", "boolean"))
        allowed = ("object",) if rule else allowed
        if schema is not None and kinds and not set(kinds) & set(allowed):
            self.findings.add(
                join(where, "at"), f"{name} cannot be read from a {'/'.join(kinds)}: it needs a {' or '.join(allowed)}"
            )
        unit = raw.get("unit", "minutes")
        if unit not in UNITS:
            self.findings.add(join(where, "unit"), f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
        values = self.findings.mapping(raw.get("values", {}), join(where, "values"), "values")
        zones = zoneinfo.available_timezones() if name == "timezone" else set()
        for vendor_value, unified in values.items():
            if name == "timezone":
                if unified not in zones:
                    self.findings.add(join(where, "values", vendor_value), f"{unified!r} is no IANA time zone name")
            elif unified not in CHOICES.get(name, ()):
                self.findings.add(
                    join(where, "values", vendor_value),
                    f"{name} has no value {unified!r}: one of {', '.join(CHOICES.get(name, ()))}",
                )
        parts = self._parts(raw, where, schema) if rule else ((("frequency", ()),) if name == "recurrence" else ())
        days = self.findings.mapping(raw.get("days", {}), join(where, "days"), "days")
        for vendor_day, day in days.items():
            if day not in Weekday.__members__:
                self.findings.add(
                    join(where, "days", vendor_day), f"{day!r} is no weekday: one of {', '.join(Weekday.__members__)}"
                )
        if "weekdays" in dict(parts) and not days:
            self.findings.add(
                where, "a rule's weekdays need 'days': the vendor's names of them and the weekday (MO...SU) each means"
            )
        constants_raw = self.findings.mapping(raw.get("constants", {}), join(where, "constants"), "constants")
        constants = tuple(
            (tuple(split(self.findings.pointer(k, join(where, "constants", k), "a constant's key"))), v)
            for k, v in constants_raw.items()
        )
        if name in CHOICES and not values:
            self.findings.add(where, f"field {name} needs 'values': the vendor's values and the {name} each means")
        write = (
            None
            if raw.get("write") is None
            else tuple(split(self.findings.pointer(raw["write"], join(where, "write"), "write")))
        )
        read_only = raw.get("read_only") is True or name in ("id", "join_url", "status")
        checked = write is not None or schema is not None  # a bad `at` is reported once, above
        if (
            not read_only
            and checked
            and written is not None
            and _schema_at(self.document, written, write or at) is None
        ):
            key = "at" if write is None else "write"
            self.findings.add(
                join(where, key),
                f"create's request has nothing at {raw.get(key)!r} (`write` says where requests put {name}, `read_only: true` that they do not)",
            )
        return FieldMap(
            name=name,
            at=at,
            write=write,
            read_only=read_only,
            unit=UNITS.get(unit, 60.0),
            key=tuple(split(raw.get("key", ""))) if isinstance(raw.get("key", ""), str) else (),
            each=tuple(self.findings.mapping(raw.get("each", {}), join(where, "each"), "each").items()),
            separator=raw.get("separator", "") if isinstance(raw.get("separator", ""), str) else "",
            values=tuple((_typed(k, self._kinds(schema, parts)), str(v)) for k, v in values.items()),
            parts=parts,
            days=tuple((str(k), str(v)) for k, v in days.items()),
            constants=constants,
        )

    def _kinds(self, schema: Any, parts: tuple[tuple[str, Tokens], ...]) -> tuple[str, ...]:
        """The JSON types of a field's mapped values: at its `at`, or its rule's frequency."""
        at = dict(parts).get("frequency", ())
        return _types(self.document, _schema_at(self.document, schema, at) if at and schema else schema)

    def _parts(self, raw: dict[str, Any], where: str, schema: Any) -> tuple[tuple[str, Tokens], ...]:
        """Where each part of a recurrence rule is in the object at its `at`."""
        if "frequency" not in raw:
            self.findings.add(where, "a recurrence rule needs 'frequency': where its frequency is")
        parts = []
        for part in RULE_PARTS:
            if part in raw:
                tokens = tuple(split(self.findings.pointer(raw[part], join(where, part), part)))
                if schema is not None and _schema_at(self.document, schema, tokens) is None:
                    self.findings.add(join(where, part), f"the recurrence object has nothing at {raw[part]!r}")
                parts.append((part, tokens))
        return tuple(parts)


def _typed(text: Any, kinds: tuple[str, ...]) -> Any:
    """A vendor value written as a key of `values`, as the vendor sends it: a number
    where its schema says it is one."""
    text = str(text)
    if kinds and "string" not in kinds and text.lstrip("-").isdigit():
        return int(text)
    return text


def _schema_of(document: Document, holder: Any) -> Any:
    """The JSON schema of a request body or response object, `$ref`s followed."""
    if not isinstance(holder, dict):
        return None
    _, holder = deref(document.data, "", holder)
    content = holder.get("content") if isinstance(holder, dict) else None
    if not isinstance(content, dict) or not content:
        return None
    media = next((v for k, v in content.items() if "json" in k), next(iter(content.values())))
    return media.get("schema") if isinstance(media, dict) else None


def _schema_at(document: Document, schema: Any, tokens: Tokens) -> Any:
    """The schema of the value at `tokens` in a value of `schema`; None where it has none."""
    for token in tokens:
        _, schema = deref(document.data, "", schema)
        if isinstance(schema, dict) and schema.get("type") == "array" and token.isdigit():
            schema = schema.get("items")
            continue
        schema = properties(document.data, schema).get(token)
        if schema is None:
            return None
    return deref(document.data, "", schema)[1]


def _types(document: Document, schema: Any) -> tuple[str, ...]:
    if not isinstance(schema, dict):
        return ()
    kind = schema.get("type")
    if isinstance(kind, str):
        return (kind,)
    if isinstance(kind, list):
        return tuple(k for k in kind if k != "null")
    if "enum" in schema:
        return tuple(
            dict.fromkeys(
                {str: "string", int: "integer", float: "number", bool: "boolean"}.get(type(v), "")
                for v in schema["enum"]
            )
        )
    return ()
