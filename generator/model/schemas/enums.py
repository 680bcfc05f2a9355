"""`enum` and `const`: an enum class of the values, a literal of the one value."""

from __future__ import annotations

from typing import Any

from ...identifiers import Code, NameScope, constant_name, member_name
from ...pointers import join
from ..types import NONE, Enum, EnumMember, LiteralOf, Named, PyType, Scalar, nullable, union
from .core import SchemaCore
from .keywords import text

KINDS = {bool: "bool", int: "int", float: "float", str: "str"}  # a JSON scalar's Python type
# Where specs written for other generators name enum members: a list beside `enum`.
ENUM_NAMES = ("x-enum-varnames", "x-enumNames")


def enum_type(parser: SchemaCore, schema: dict[str, Any], pointer: str, hint: str, types: list[Any]) -> PyType:
    """An enum class of strings, integers or numbers; `bool`, or a union of the
    scalar types, for other values."""
    values = schema["enum"]
    if not isinstance(values, list) or not values:
        return parser.loose(join(pointer, "enum"), "an enum must be a non-empty list")
    present = [v for v in values if v is not None]
    kinds = list(dict.fromkeys(KINDS.get(type(v), "") for v in present))
    if "" in kinds:
        return parser.loose(join(pointer, "enum"), "an enum of objects or arrays")
    if "int" in kinds and "float" in kinds:
        kinds.remove("int")  # integers are numbers too
    if not kinds:
        type_: PyType = NONE
    elif len(kinds) == 1 and kinds[0] != "bool":
        type_ = _enum_class(parser, schema, pointer, hint, kinds[0], present)
    else:
        type_ = union(Scalar(kind) for kind in kinds)
    return nullable(type_) if None in values or "null" in types else type_


def _enum_class(
    parser: SchemaCore, schema: dict[str, Any], pointer: str, hint: str, base: str, values: list[Any]
) -> Named:
    scope = NameScope()
    names = _given_names(schema)
    members = [
        EnumMember(scope.claim(constant_name(names[v]) if v in names else member_name(v)), v)
        for v in dict.fromkeys(values)
    ]
    enum = Enum(parser.class_name(pointer, hint), text(schema.get("description")), Code(base), members)
    parser.enums.append(enum)
    spelled = [m.value for m in members if isinstance(m.value, (str, int)) and not isinstance(m.value, bool)]
    literals = tuple(spelled) if len(spelled) == len(members) else ()  # no float Literals
    named = Named(enum.name, is_enum=True, values=literals)
    parser.cache[parser.key(pointer)] = named
    return named


def _given_names(schema: dict[str, Any]) -> dict[Any, str]:
    """Value -> the member name the schema gives it, if it names all its values."""
    for key in ENUM_NAMES:
        names = schema.get(key)
        if (
            isinstance(names, list)
            and len(names) == len(schema["enum"])
            and all(isinstance(n, str) and n for n in names)
        ):
            return {v: n for v, n in zip(schema["enum"], names) if v is not None}
    return {}


def const_type(parser: SchemaCore, value: Any, pointer: str) -> PyType:
    """`typing.Literal` of the value; `float` for a number that is not whole (no such literal)."""
    if value is None:
        return NONE
    if isinstance(value, float):
        return Scalar("float")  # no float literals in typing.Literal
    if not isinstance(value, (str, int, bool)):
        return parser.loose(join(pointer, "const"), "a const must be a string, number, boolean or null")
    return LiteralOf((value,))
