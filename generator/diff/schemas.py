"""Compare two schemas as a client sees them, in one direction (request or response).

Both sides are compared resolved: `$ref`s followed, `allOf` members merged, so
a schema that only moved is no change. Each pair of resolved schemas is compared
once per direction, which ends cycles and reports a shared component once.
No recursion: a worklist, as deep documents need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..pointers import deref, join
from .effects import Surface, enum_effect
from .found import Found, removed

Direction = Literal["request", "response"]
Role = Literal["parameter", "body", "property"]
Node = tuple[str, Any]  # (pointer, node)

UPPER = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")  # lower is tighter
LOWER = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")  # higher is tighter
BOUNDS = (*UPPER, *LOWER, "pattern")


@dataclass
class Flat:
    """A schema with its `allOf` members merged: what a value must look like."""

    pointer: str
    type: str | None = None  # `string/date-time`; None for any
    nullable: bool = False
    enum: list[Any] | None = None
    properties: dict[str, Node] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: Node | None = None
    additional: Node | None = None
    bounds: dict[str, Any] = field(default_factory=dict)


def flatten(data: Any, pointer: str, node: Any) -> Flat:
    """The schema at `pointer` (its `$ref`s followed) and its `allOf` members, each read once."""
    pointer, node = deref(data, pointer, node)
    flat = Flat(pointer)
    kind: str | None = None
    form: str | None = None
    union: str | None = None
    seen: set[str] = set()
    stack = [(pointer, node)]
    while stack:
        at, schema = deref(data, *stack.pop())
        if at in seen or not isinstance(schema, dict):
            continue
        seen.add(at)
        types = schema.get("type")
        names = [t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]
        flat.nullable |= schema.get("nullable") is True or "null" in names
        kind = kind or next((t for t in names if t != "null"), None)
        form = form or (schema["format"] if isinstance(schema.get("format"), str) else None)
        if flat.enum is None and isinstance(schema.get("enum"), list):
            flat.enum = [v for v in schema["enum"] if v is not None]
        properties = schema.get("properties")
        for name, value in properties.items() if isinstance(properties, dict) else ():
            flat.properties.setdefault(name, (join(at, "properties", name), value))
        required = schema.get("required")
        flat.required |= {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
        if flat.items is None and isinstance(schema.get("items"), dict):
            flat.items = (join(at, "items"), schema["items"])
        if flat.additional is None and isinstance(schema.get("additionalProperties"), dict):
            flat.additional = (join(at, "additionalProperties"), schema["additionalProperties"])
        for key in BOUNDS:
            if key in schema:
                flat.bounds.setdefault(key, schema[key])
        members = schema.get("allOf")
        if isinstance(members, list):
            stack.extend((join(at, "allOf", i), m) for i, m in reversed(list(enumerate(members))))
        for keyword in ("oneOf", "anyOf"):
            options = schema.get(keyword)
            if not isinstance(options, list):
                continue
            rest = [(join(at, keyword, i), o) for i, o in enumerate(options) if not _null(o)]
            flat.nullable |= len(rest) < len(options)
            if len(rest) == 1:  # `X | None`, as OpenAPI 3.1 writes it: the schema is X's
                stack.append(rest[0])
            else:
                union = union or f"{keyword}[{', '.join(_named(data, *option) for option in rest)}]"
    kind = kind or union or ("object" if flat.properties else None)
    flat.type = f"{kind}/{form}" if kind and form else kind
    return flat


def _null(schema: Any) -> bool:
    """Whether a union member is `{type: null}` (or `{nullable: true}` and nothing else)."""
    return isinstance(schema, dict) and (schema.get("type") == "null" or schema == {"nullable": True})


def _named(data: Any, pointer: str, node: Any) -> str:
    """A union member as a change names it: its component, else its type."""
    target, schema = deref(data, pointer, node)
    if target != pointer:
        return target.rsplit("/", 1)[-1]
    kind = schema.get("type") if isinstance(schema, dict) else None
    return kind if isinstance(kind, str) else "object" if isinstance(schema, dict) and "properties" in schema else "any"


def shown(value: Any, limit: int = 60) -> str:
    """A value in a message, cut short."""
    text = "none" if value is None else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Pair:
    """Two schemas to compare: where they are, what they are to the client, and how to say it."""

    old: Node
    new: Node
    role: Role
    where: str  # `the request body of POST /meetings`
    path: str = ""  # the property path inside it: `settings.hosts[]`
    type_effect: str = ""  # what a change of type does to the code, said by the caller


def tighter(key: str, old: Any, new: Any) -> bool:
    """Whether a bound that changed from `old` to `new` (None: absent) accepts fewer values."""
    if new is None:
        return False
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (old, new))
    if old is None or not numbers:
        return True  # a bound set, or changed in a way that cannot be ordered (a pattern)
    return bool(new < old) if key in UPPER else bool(new > old)


class SchemaComparison:
    """Every schema change reachable from the pairs given to `compare`, over one pair of documents."""

    def __init__(self, old: Any, new: Any, old_surface: Surface, new_surface: Surface) -> None:
        self.old, self.new = old, new
        self.old_surface, self.new_surface = old_surface, new_surface
        self.seen: set[tuple[str, str, str]] = set()
        self.found: list[Found] = []

    def compare(self, pair: Pair, direction: Direction) -> None:
        stack = [pair]
        while stack:
            stack.extend(reversed(self._one(stack.pop(), direction)))

    def _describe(self, pair: Pair) -> str:
        return f"`{pair.path}` of {pair.where}" if pair.path else pair.where

    def _one(self, pair: Pair, direction: Direction) -> list[Pair]:
        old, new = flatten(self.old, *pair.old), flatten(self.new, *pair.new)
        key = (old.pointer, new.pointer, direction)
        if key in self.seen:
            return []
        self.seen.add(key)
        what = self._describe(pair)
        if old.type != new.type:
            rule = {"parameter": "parameter-type-changed", "body": f"{direction}-body-type-changed"}.get(
                pair.role, f"{direction}-property-type-changed"
            )
            message = f"the type of {what} changes from {old.type or 'any'} to {new.type or 'any'}"
            self.found.append(Found(rule, new.pointer, message, pair.type_effect))
            return []
        self._nullable(old, new, what, direction, pair.type_effect)
        self._enum(old, new, what, direction)
        self._bounds(old, new, what, direction)
        return self._properties(pair, old, new, direction) + self._children(pair, old, new)

    def _nullable(self, old: Flat, new: Flat, what: str, direction: Direction, effect: str) -> None:
        if old.nullable != new.nullable:
            became = "nullable" if new.nullable else "not-nullable"
            message = f"{what} {'may now be null' if new.nullable else 'may no longer be null'}"
            self.found.append(Found(f"{direction}-property-became-{became}", new.pointer, message, effect))

    def _enum(self, old: Flat, new: Flat, what: str, direction: Direction) -> None:
        if old.enum is None or new.enum is None:
            return
        gone = [v for v in old.enum if v not in new.enum]
        added = [v for v in new.enum if v not in old.enum]
        if gone:
            effect = enum_effect(self.old_surface, old.pointer, old.enum, gone, "loses")
            message = f"{what} no longer has the enum value(s) {', '.join(map(repr, gone))}"
            self.found.append(removed("enum-value-removed", join(old.pointer, "enum"), message, effect))
        if added:
            rule = "enum-value-added" if direction == "request" else "response-enum-value-added"
            effect = enum_effect(self.new_surface, new.pointer, new.enum, added, "gains")
            message = f"{what} has the new enum value(s) {', '.join(map(repr, added))}"
            self.found.append(Found(rule, join(new.pointer, "enum"), message, effect))

    def _bounds(self, old: Flat, new: Flat, what: str, direction: Direction) -> None:
        for key in BOUNDS:
            before, after = old.bounds.get(key), new.bounds.get(key)
            if before == after:
                continue
            tightened = tighter(key, before, after)
            rule = f"{direction}-constraint-{'tightened' if tightened else 'loosened'}"
            message = f"{key} of {what} changes from {shown(before)} to {shown(after)}"
            pointer = join(new.pointer, key) if after is not None else new.pointer
            self.found.append(Found(rule, pointer, message))

    def _properties(self, pair: Pair, old: Flat, new: Flat, direction: Direction) -> list[Pair]:
        following: list[Pair] = []
        for name, (pointer, _) in old.properties.items():
            if name not in new.properties:
                effect = self._field(self.old_surface, old.pointer, name, "{model} loses the field {field}")
                message = f"property `{self._path(pair, name)}` of {pair.where} is removed"
                self.found.append(removed(f"{direction}-property-removed", pointer, message, effect))
        for name, (pointer, _) in new.properties.items():
            if name in old.properties:
                continue
            path = self._path(pair, name)
            if direction == "response":
                effect = self._field(self.new_surface, new.pointer, name, "{model} gains the field {field}")
                self.found.append(
                    Found("response-property-added", pointer, f"{pair.where} has the new property `{path}`", effect)
                )
                continue
            required = name in new.required
            kind = "required" if required else "optional"
            effect = self._field(self.new_surface, new.pointer, name, "{model} gains the " + kind + " field {field}")
            message = f"{pair.where} has the new {kind} property `{path}`"
            self.found.append(Found(f"new-{kind}-request-property", pointer, message, effect))
        for name, (pointer, node) in new.properties.items():
            if name not in old.properties:
                continue
            path = self._path(pair, name)
            was, now = name in old.required, name in new.required
            if was != now:
                became = "required" if now else "optional"
                effect = self._field(self.new_surface, new.pointer, name, "field {field} of {model} becomes " + became)
                message = f"property `{path}` of {pair.where} becomes {became}"
                self.found.append(Found(f"{direction}-property-became-{became}", pointer, message, effect))
            before = self.old_surface.field(old.pointer, name)
            after = self.new_surface.field(new.pointer, name)
            type_effect = ""
            if before and after and before[1].annotation != after[1].annotation:
                type_effect = f"field {after[1].name} of models.{after[0].name} changes from {before[1].annotation} to {after[1].annotation}"
            following.append(Pair(old.properties[name], (pointer, node), "property", pair.where, path, type_effect))
        return following

    def _children(self, pair: Pair, old: Flat, new: Flat) -> list[Pair]:
        role: Role = "parameter" if pair.role == "parameter" else "property"
        following = []
        if old.items is not None and new.items is not None:
            following.append(Pair(old.items, new.items, role, pair.where, f"{pair.path}[]"))
        if old.additional is not None and new.additional is not None:
            following.append(Pair(old.additional, new.additional, role, pair.where, f"{pair.path}{{*}}"))
        return following

    @staticmethod
    def _path(pair: Pair, name: str) -> str:
        return f"{pair.path}.{name}" if pair.path else name

    @staticmethod
    def _field(surface: Surface, schema: str, name: str, template: str) -> str:
        found = surface.field(schema, name)
        return template.format(model=f"models.{found[0].name}", field=found[1].name) if found else ""
