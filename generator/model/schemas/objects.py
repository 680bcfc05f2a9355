"""Objects and arrays: a model of an object's properties, a map of its extra
values when it has none, a list of an array's items."""

from __future__ import annotations

from typing import Any

from ...identifiers import RESERVED_FIELDS, Code, NameScope, class_name, snake_case
from ...pointers import join
from ...problems import Problem
from ..types import ANY, Field, ListOf, MapOf, Model, Named, PyType, union
from .core import SchemaCore
from .defaults import default
from .keywords import description, strings, text
from .patterns import check_pattern_properties, check_patterns

Origins = dict[str, str]  # "/properties/name" -> where that merged keyword is in the document


class Where:
    """Pointers below a schema, or where `origins` says a merged keyword is."""

    def __init__(self, pointer: str, origins: Origins) -> None:
        self.pointer, self.origins = pointer, origins

    def __call__(self, *tokens: str) -> str:
        return self.origins.get(join("", *tokens)) or join(self.pointer, *tokens)


def object_type(
    parser: SchemaCore, schema: dict[str, Any], pointer: str, hint: str, origins: Origins | None = None
) -> PyType | Problem:
    """A model of the schema's properties; a map when it has none. `origins`
    says where merged keywords are in the document (else below `pointer`)."""
    at = Where(pointer, origins or {})
    properties = schema.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    if not properties:
        return _map(parser, schema, at, hint)
    findings = parser.findings
    if "patternProperties" in schema:
        message = "'patternProperties' beside 'properties' is ignored; such keys are kept as extra fields"
        parser.warn(at("patternProperties"), message)
        check_pattern_properties(findings, schema["patternProperties"], at("patternProperties"))
        check_patterns(findings, schema["patternProperties"], at("patternProperties"))
    check_patterns(findings, schema.get("additionalProperties"), at("additionalProperties"))
    model = Model(parser.class_name(pointer, hint), text(schema.get("description")), pointer)
    named = Named(model.name)
    parser.cache[parser.key(pointer)] = named  # before the fields: they may refer back
    parser.building[model.name] = model
    required = set(strings(schema.get("required")))
    scope = NameScope(RESERVED_FIELDS)
    left_out = "readOnly" if parser.in_request else "writeOnly"
    for wire_name, sub in properties.items():
        sub_pointer = at("properties", wire_name)
        if sub is False or (isinstance(sub, dict) and sub.get(left_out) is True):
            check_patterns(findings, sub, sub_pointer)
            continue  # `false`: it can never be present
        parser.model_depth += 1
        try:
            type_ = parser.parse(sub, sub_pointer, model.name + class_name(wire_name))
        finally:
            parser.model_depth -= 1
        if isinstance(type_, Problem):
            del parser.cache[parser.key(pointer)]
            return type_
        field_schema = sub if isinstance(sub, dict) else {}
        value = default(parser, type_, field_schema, sub_pointer, "")
        is_required = wire_name in required and value is None
        model.fields.append(
            Field(
                name=scope.claim(snake_case(wire_name)),
                wire_name=wire_name,
                type=type_,
                required=is_required,
                default=None if is_required else value or Code("None"),
                description=description(field_schema),
            )
        )
    parser.finished[model.name] = model
    return named


def _map(parser: SchemaCore, schema: dict[str, Any], at: Where, hint: str) -> PyType | Problem:
    """`dict[str, ...]` of the values `patternProperties` (else `additionalProperties`) allow."""
    extra = schema.get("additionalProperties", True)
    patterns = schema.get("patternProperties")
    parts = [(s, join(at("patternProperties"), p)) for p, s in (patterns if isinstance(patterns, dict) else {}).items()]
    check_pattern_properties(parser.findings, patterns, at("patternProperties"))
    if isinstance(extra, dict) and (extra or not parts):
        parts.append((extra, at("additionalProperties")))
    values: list[PyType] = []
    for sub, sub_pointer in parts:
        if sub is False:
            continue
        value = parser.parse(sub, sub_pointer, hint + "Value")
        if isinstance(value, Problem):
            return value
        values.append(value)
    return MapOf(union(values) if values else ANY)


def array_type(parser: SchemaCore, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
    """A list of its `items` (`false`: an empty list); `prefixItems` join the union."""
    prefix = schema.get("prefixItems")
    parts = [(s, join(pointer, "prefixItems", i)) for i, s in enumerate(prefix if isinstance(prefix, list) else [])]
    if parts:
        parser.warn(join(pointer, "prefixItems"), "a tuple ('prefixItems') is typed as a list of any of its items")
    items = schema.get("items", True if not parts else False)
    if items is not False:
        parts.append((items, join(pointer, "items")))
    types: list[PyType] = []
    for sub, sub_pointer in parts:
        item = parser.parse(sub, sub_pointer, hint + "Item")
        if isinstance(item, Problem):
            return item
        types.append(item)
    return ListOf(union(types) if types else ANY)
