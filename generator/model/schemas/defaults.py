"""A schema's `default` as Python source of its type; one that does not fit is left out."""

from __future__ import annotations

from typing import Any

from ...identifiers import Code, literal
from ...pointers import join
from ..types import ANY, ListOf, LiteralOf, MapOf, Named, PyType, Scalar, UnionOf, without_none
from .core import SchemaCore

RULE = "invalid-default"


def default(parser: SchemaCore, type_: PyType, schema: dict[str, Any], pointer: str, prefix: str) -> Code | None:
    """Source for the schema's default value, or None if it has none (or a
    default that does not fit, which is left out with a warning)."""
    if "default" not in schema or schema["default"] is None:
        return None
    value = schema["default"]
    code = _value(parser, type_, value, prefix)
    if code is not None:
        return code
    plain = without_none(type_)
    where = join(pointer, "default")
    if parser.enum_for(plain) is not None:
        parser.warn(where, f"default {value!r} is not one of the enum's values; left out", RULE)
    elif isinstance(plain, Named) and plain.name in parser.building and isinstance(value, dict):
        parser.warn(where, "a default for a model is not supported; left out")
    else:
        parser.warn(where, f"default {value!r} does not match the type {type_.annotation()}; left out", RULE)
    return None


def _value(parser: SchemaCore, type_: PyType, value: Any, prefix: str) -> Code | None:
    """Source for a JSON value as `type_`; None if it does not fit."""
    if type_ == ANY:
        return literal(value)
    if isinstance(type_, UnionOf):
        return next((c for c in (_value(parser, o, value, prefix) for o in type_.options) if c is not None), None)
    if isinstance(type_, ListOf) and isinstance(value, list):
        items = [_value(parser, type_.item, v, prefix) for v in value]
        return None if None in items else Code("[" + ", ".join(str(i) for i in items) + "]")
    if isinstance(type_, MapOf) and isinstance(value, dict):
        entries = {literal(str(k)): _value(parser, type_.value, v, prefix) for k, v in value.items()}
        if None in entries.values():
            return None
        return Code("{" + ", ".join(f"{k}: {v}" for k, v in entries.items()) + "}")
    if isinstance(type_, Named):
        return _named_value(parser, type_, value, prefix)
    if isinstance(type_, LiteralOf):
        return literal(value) if type_.admits(value) else None
    return literal(value) if isinstance(type_, Scalar) and _fits(type_, value) else None


def _named_value(parser: SchemaCore, type_: Named, value: Any, prefix: str) -> Code | None:
    enum = parser.enum_for(type_)
    if enum is not None:
        member = enum.member_for(value)
        return Code(f"{prefix}{enum.name}.{member.name}") if member else None
    alias = next((a for a in parser.aliases if a.name == type_.name), None)
    return _value(parser, UnionOf(alias.options), value, prefix) if alias else None


def _fits(type_: Scalar, value: Any) -> bool:
    """Whether a JSON value is a valid default for a scalar type."""
    if type_ == ANY:
        return True
    if isinstance(value, bool):
        return type_.python == "bool"
    kinds: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float)}
    return isinstance(value, kinds.get(type_.python, ()))
