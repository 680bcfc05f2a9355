"""`allOf`: the one part that says what the value is, or one model merging the
properties and required fields of every part."""

from __future__ import annotations

from typing import Any

from ...pointers import deref, join
from ...problems import Problem
from ..types import PyType, nullable
from .core import SchemaCore
from .keywords import is_nullable, kind_of, shapes, strings, text
from .objects import Origins, object_type
from .patterns import check_patterns

Part = tuple[dict[str, Any], str]  # a part, and where it is in the document


def all_of(parser: SchemaCore, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
    """The one part that says what the value is, as it is; else one model with
    the properties and required fields of every part."""
    parts = schema["allOf"] if isinstance(schema["allOf"], list) else []
    rest = {k: v for k, v in schema.items() if k != "allOf"}
    shaping = [(p, join(pointer, "allOf", i)) for i, p in enumerate(parts) if shapes(p)]
    for index, part in enumerate(parts):
        if not shapes(part):  # annotations and constraints
            check_patterns(parser.findings, part, join(pointer, "allOf", index))
    if not shaping:
        return parser.typed(rest, pointer, hint)
    if len(shaping) == 1 and not shapes(rest, "type"):
        part, part_pointer = shaping[0]
        if isinstance(part, dict) and "$ref" not in part and text(rest.get("description")):
            part = {"description": rest["description"], **part}  # an inline part's model keeps it
        type_ = _part(parser, part, part_pointer, pointer, hint)
        if isinstance(type_, Problem):
            return type_
        return nullable(type_) if any(is_nullable(p) for p in parts) else type_
    return _merged(parser, schema, pointer, hint)


def _merged(parser: SchemaCore, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
    """One model with the properties and required fields of every allOf part."""
    parts = _parts(parser, schema, pointer)
    if isinstance(parts, Problem):
        return parts
    other = next((i for i, (part, _) in enumerate(parts) if kind_of(part) == "other"), None)
    if other is not None:
        return _other(parser, parts, other, pointer, hint)
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    origins: Origins = {}
    for part, where in parts:
        properties = part.get("properties")
        for name, sub in (properties if isinstance(properties, dict) else {}).items():
            merged["properties"][name] = sub
            origins[join("", "properties", name)] = join(where, "properties", name)
        merged["required"] += [r for r in strings(part.get("required")) if r not in merged["required"]]
        for key in ("description", "additionalProperties", "patternProperties"):
            if part.get(key) is not None and key not in merged:
                merged[key] = part[key]
                origins[join("", key)] = join(where, key)
    return object_type(parser, merged, pointer, hint, origins)


def _other(parser: SchemaCore, parts: list[Part], index: int, pointer: str, hint: str) -> PyType | Problem:
    """An allOf of values that are not objects: typed as its first such part."""
    if any(kind_of(part) == "object" for part, _ in parts):
        message = "allOf mixes objects with other types; typed as its first part that is not an object"
        parser.warn(join(pointer, "allOf"), message)
    part, where = parts[index]
    return parser.typed(part, pointer, hint) if index == 0 else _part(parser, part, where, pointer, hint)


def _part(parser: SchemaCore, part: Any, where: str, pointer: str, hint: str) -> PyType | Problem:
    """The type of an allOf part at `where`: one inline is named as the allOf's own class."""
    if not where.startswith(pointer + "/"):  # reached by $ref
        return parser.resolved(where)
    if pointer in parser.names and not (isinstance(part, dict) and "$ref" in part):
        parser.names.setdefault(where, parser.names[pointer])
    return parser.parse(part, where, hint)


def _parts(parser: SchemaCore, schema: dict[str, Any], pointer: str) -> list[Part] | Problem:
    """The schema (without its allOf) and its allOf parts, nested ones
    flattened, $refs followed: each once, with where it is."""
    nested = schema["allOf"] if isinstance(schema["allOf"], list) else []
    pending: list[tuple[Any, str]] = [(p, join(pointer, "allOf", i)) for i, p in enumerate(nested)]
    found: list[Part] = [({k: v for k, v in schema.items() if k != "allOf"}, pointer)]
    seen: set[int] = {id(schema)}
    while pending:
        part, where = pending.pop(0)
        where, part = deref(parser.document.data, where, part)
        if isinstance(part, dict) and "$ref" in part:
            return parser.problem(join(where, "$ref"), f"$ref {part['$ref']!r} does not resolve")
        if part is True or part == {}:
            continue  # allows anything: adds nothing
        if not isinstance(part, dict):
            parser.warn(where, "an allOf part that is not a schema object is left out")
            continue
        if id(part) in seen:
            continue
        seen.add(id(part))
        found.append((part, where))
        parser.constraints(part, where)
        more = part.get("allOf")
        pending[:0] = [(p, join(where, "allOf", i)) for i, p in enumerate(more if isinstance(more, list) else [])]
    return found
