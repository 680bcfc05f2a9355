"""What a schema's keywords say, read without typing it."""

from __future__ import annotations

from typing import Any

from ..types import PyType, UnionOf

# Keywords that only constrain a value: the schema is typed from its other keywords.
CONSTRAINTS = ("not", "if")
# Keywords that say what a value is; a schema without any of them is an annotation or a constraint.
SHAPING = frozenset(
    {
        "$ref",
        "type",
        "properties",
        "additionalProperties",
        "patternProperties",
        "items",
        "prefixItems",
        "enum",
        "const",
        "oneOf",
        "anyOf",
        "allOf",
        "required",
    }
)
# Keywords whose values are data, not schemas.
VALUES = frozenset({"example", "examples", "default", "enum", "const"})


def types_of(schema: dict[str, Any]) -> list[Any]:
    """The schema's `type`, as a list."""
    declared = schema.get("type")
    return declared if isinstance(declared, list) else [declared] if declared else []


def is_nullable(schema: Any) -> bool:
    """Whether 3.0's `nullable` (or Swagger's `x-nullable`) admits null."""
    return isinstance(schema, dict) and (schema.get("nullable") is True or schema.get("x-nullable") is True)


def shapes(schema: Any, *ignoring: str) -> bool:
    """Whether a schema says what a value is (not only annotates or constrains it)."""
    if isinstance(schema, dict):
        return any(key in SHAPING and key not in ignoring for key in schema)
    return schema is False


def kind_of(schema: dict[str, Any]) -> str:
    """`object` for a schema of objects, `other` for one of other values, else ``."""
    types = types_of(schema)
    if "object" in types or any(k in schema for k in ("properties", "additionalProperties", "patternProperties")):
        return "object"
    if types or any(k in schema for k in ("enum", "const", "items", "prefixItems")):
        return "other"
    return ""


def options_of(type_: PyType) -> tuple[PyType, ...]:
    return type_.options if isinstance(type_, UnionOf) else (type_,)


def strings(value: Any) -> list[str]:
    """The strings of a list (a `required` that is not a list names nothing)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def description(schema: dict[str, Any]) -> str | None:
    return text(schema.get("description")) or text(schema.get("title"))
