"""Non-body parameters (and the headers of a response, which share their
keywords): type keywords move into `schema`, `collectionFormat` becomes `style`
and `explode`."""

from __future__ import annotations

from typing import Any

from ..pointers import join
from .context import Context
from .schemas import SCHEMA, walk

# Keywords of a non-body parameter (and of a header) that move into its schema.
TYPE_KEYS = frozenset(
    {
        "type",
        "format",
        "items",
        "enum",
        "default",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "multipleOf",
        "x-nullable",
    }
)
PARAMETER_KEYS = frozenset({"name", "in", "description", "required", "allowEmptyValue", "deprecated"})
QUERY_STYLES = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
}


def parameter(ctx: Context, new: str, old: str, value: Any) -> Any:
    """A non-body parameter: its type keywords move into `schema`, its
    collectionFormat becomes `style` / `explode`."""
    if not isinstance(value, dict):
        ctx.warn(old, "a parameter that is not a mapping is kept as it is")
        return walk(ctx, new, old, value)
    ctx.same(new, old)
    where = value.get("in")
    typed = {k: v for k, v in value.items() if k in TYPE_KEYS}
    result: dict[str, Any] = {}
    for key, field in value.items():
        at = join(old, key)
        if key in typed:
            if "schema" not in result:
                result["schema"] = walk(ctx, join(new, "schema"), old, typed, SCHEMA)
        elif key == "collectionFormat":
            style(ctx, result, new, at, field, where)
        elif key == "schema":
            if typed:
                ctx.warn(at, "a parameter with a type and a schema: the schema is left out")
            else:
                result["schema"] = walk(ctx, join(new, "schema"), at, field, SCHEMA)
        elif key == "allowEmptyValue" and where != "query":
            ctx.warn(at, "allowEmptyValue applies to query parameters only in OpenAPI 3; left out")
        elif key in PARAMETER_KEYS or key.startswith("x-"):
            result[key] = walk(ctx, join(new, key), at, field)
        else:
            ctx.warn(at, f"{key!r} is not a field of a parameter; left out")
    complete(ctx, result, new, old, value)
    return result


def complete(ctx: Context, result: dict[str, Any], new: str, old: str, parameter: dict[str, Any]) -> None:
    """What 3.0 asks of every parameter: a schema; a path parameter is required;
    a query array without collectionFormat is csv."""
    if "schema" not in result:
        ctx.set(result, new, "schema", {}, old)
    if parameter.get("in") == "path" and result.get("required") is not True:
        if "required" in parameter:
            ctx.warn(join(old, "required"), "a path parameter is always required")
        ctx.set(result, new, "required", True, old)
    if parameter.get("in") == "query" and parameter.get("type") == "array" and "collectionFormat" not in parameter:
        ctx.set(result, new, "style", "form", old)  # 2.0's default collectionFormat: csv
        ctx.set(result, new, "explode", False, old)


def style(ctx: Context, result: dict[str, Any], new: str, at: str, value: Any, where: Any) -> None:
    """collectionFormat as `style` and `explode` for a parameter `in: where`."""
    if where == "query":
        named, explode = QUERY_STYLES.get(str(value), ("form", False))
        if str(value) not in QUERY_STYLES:
            ctx.warn(at, f"collectionFormat {value!r} has no OpenAPI 3 style; sent as csv")
        ctx.set(result, new, "style", named, at)
        ctx.set(result, new, "explode", explode, at)
    elif where in ("path", "header"):
        if value != "csv":
            ctx.warn(at, f"collectionFormat {value!r} is not possible {where} in OpenAPI 3; sent as csv")
        ctx.set(result, new, "style", "simple", at)
