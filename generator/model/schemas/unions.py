"""`oneOf` and `anyOf`: a union of the options, a named alias for a component,
tagged by its `discriminator` when every option can carry a tag."""

from __future__ import annotations

from typing import Any

from ...identifiers import class_name
from ...pointers import join, ref_target, refers_to, unescape
from ...problems import Problem
from ..types import ANY, NONE, Alias, Named, PyType, nullable, union, without_none
from .core import SchemaCore
from .keywords import options_of, shapes, text, types_of
from .patterns import check_patterns

Tagging = tuple[tuple[str, ...], str, str]  # (a tag per option, the discriminator's wire name, its attribute)


def union_type(parser: SchemaCore, schema: dict[str, Any], key: str, pointer: str, hint: str) -> PyType | Problem:
    """A union of the options; the schema without them when they only say which
    properties are required."""
    raw = schema[key] if isinstance(schema[key], list) else []
    if not any(shapes(o, "required") for o in raw):
        check_patterns(parser.findings, raw, join(pointer, key))
        return parser.typed({k: v for k, v in schema.items() if k != key}, pointer, hint)
    alias_name = parser.class_name(pointer, hint) if pointer in parser.names else None
    if alias_name is not None:  # a component is always an alias, registered before its options refer back
        parser.cache[parser.key(pointer)] = Named(alias_name)
        parser.open_aliases[alias_name] = parser.model_depth  # an alias cannot name itself: such a reference is Any
    pairs: list[tuple[Any, PyType]] = []
    for index, option in enumerate(raw):
        if option is False:
            continue  # admits nothing
        title = option.get("title") if isinstance(option, dict) else None
        name = title if isinstance(title, str) else f"Option{index + 1}"
        type_ = parser.parse(option, join(pointer, key, index), hint + class_name(name))
        if isinstance(type_, Problem):
            parser.cache.pop(parser.key(pointer), None)
            parser.open_aliases.pop(alias_name or "", None)
            return type_
        pairs.append((option, type_))
    parser.open_aliases.pop(alias_name or "", None)
    whole = union(t for _, t in pairs)
    is_nullable = whole != ANY and (NONE in options_of(whole) or "null" in types_of(schema))
    options = [(o, t) for o, t in pairs if t != NONE]
    tagging = _tagged(parser, schema.get("discriminator"), options, pointer)
    if tagging is None and alias_name is None:
        return nullable(whole) if is_nullable else whole
    description = text(schema.get("description"))
    name = alias_name or parser.class_name(pointer, hint)
    if tagging is None:
        alias = Alias(name, description, options_of(without_none(whole)))
    else:
        alias = Alias(name, description, tuple(t for _, t in options), *tagging)
    parser.aliases.append(alias)
    result = Named(alias.name)
    parser.cache[parser.key(pointer)] = result
    return nullable(result) if is_nullable else result


def _tagged(parser: SchemaCore, discriminator: Any, pairs: list[tuple[Any, PyType]], pointer: str) -> Tagging | None:
    """(tags, wire name, attribute) of a tagged union: each option a `$ref` to a
    model with the discriminator property, each with its own tag. None when
    there is no discriminator, or it cannot tag every option (then, with a
    warning, the union is untagged)."""
    if not isinstance(discriminator, dict) or len(pairs) < 2:
        return None
    wire = discriminator.get("propertyName")
    where = join(pointer, "discriminator")
    mapping = discriminator.get("mapping")
    targets: dict[str, list[str]] = {}
    for tag, value in (mapping if isinstance(mapping, dict) else {}).items():
        if isinstance(value, str):
            targets.setdefault(ref_target(value) or join("/components/schemas", value), []).append(str(tag))
    tags, attribute = [], ""
    for option, type_ in pairs:
        model = parser.building.get(type_.name) if isinstance(type_, Named) else None
        field = next((f for f in model.fields if f.wire_name == wire), None) if model else None
        target = refers_to(option)
        if field is None or target is None:
            message = f"not every option is a $ref to a model with the property {wire!r}; the union is untagged"
            parser.warn(where, message)
            return None
        names = targets.get(target) or [unescape(target.rsplit("/", 1)[-1])]
        if len(names) > 1:
            parser.warn(where, f"the mapping gives {target!r} more than one tag; the union is untagged")
            return None
        attribute = field.name
        tags.append(names[0])
    if len(set(tags)) < len(tags):
        parser.warn(where, "two options have the same tag; the union is untagged")
        return None
    return tuple(tags), str(wire), attribute
