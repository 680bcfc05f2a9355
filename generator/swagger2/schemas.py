"""Copying a node, and converting the schemas in it to OpenAPI 3.0: `x-nullable`,
`type: file`, a list of types, a string `discriminator`, `items` as a list.

`walk` is the one way a node of the source reaches the result: it copies the node
iteratively (any depth is fine), records each copy's origin, and remembers every
`$ref` for the rewrite at the end (`refs.rewrite_refs`).
"""

from __future__ import annotations

from typing import Any

from ..pointers import join, ref_target
from .context import Context

# How `walk` treats a node: copied as it is, a schema, a map of schemas
# (`properties`), a list of schemas (`allOf`...); READY: built already.
PLAIN, SCHEMA, SCHEMAS, SCHEMA_LIST, READY = range(5)
CHILD_KIND = {PLAIN: PLAIN, SCHEMAS: SCHEMA, SCHEMA_LIST: SCHEMA}
Child = tuple[str, Any, str, int]  # (name in the result, value, original pointer, kind)
Frame = tuple[Any, str, str, Any, Any, int]  # (node, new pointer, original pointer, container, key, kind)


def walk(ctx: Context, new: str, old: str, value: Any, kind: int = PLAIN) -> Any:
    """A copy of `value` (found at `old`) for `new`: schemas converted to 3.0,
    every node's line recorded. Iterative, so any depth is fine."""
    root: list[Any] = [None]
    stack: list[Frame] = [(value, new, old, root, 0, kind)]
    while stack:
        node, new_at, old_at, parent, key, kind = stack.pop()
        if old_at in ctx.substitutes and old_at != old:
            parent[key] = ctx.substitutes[old_at]
            continue
        ctx.same(new_at, old_at)
        if isinstance(node, dict):
            copy: dict[str, Any] = {}
            parent[key] = copy
            moved: list[Frame] = []  # nodes a schema keyword moved, copied first
            children = (
                keywords(ctx, node, new_at, old_at, moved)
                if kind == SCHEMA
                else [(name, child, join(old_at, name), CHILD_KIND.get(kind, PLAIN)) for name, child in node.items()]
            )
            for name, child, _, k in children:
                copy[name] = child if k == READY else None  # the source's order
            stack.extend(
                (child, join(new_at, name), at, copy, name, k)
                for name, child, at, k in reversed(children)
                if k != READY
            )
            stack.extend(reversed(moved))
            hold(ctx, copy, node, old_at, kind)
        elif isinstance(node, list):
            items: list[Any] = [None] * len(node)
            parent[key] = items
            child_kind = SCHEMA if kind == SCHEMA_LIST else PLAIN
            stack.extend(
                (node[i], join(new_at, i), join(old_at, i), items, i, child_kind) for i in reversed(range(len(node)))
            )
        else:
            parent[key] = node
    return root[0]


def hold(ctx: Context, copy: dict[str, Any], node: dict[str, Any], old: str, kind: int) -> None:
    """Remember a `$ref` for the final rewrite; a bundled schema it names is converted as one."""
    ref = node.get("$ref")
    if isinstance(ref, str):
        ctx.holders.append((copy, ref, join(old, "$ref")))
        if kind == SCHEMA:
            ctx.assign(ref_target(ref), "schema")


def keywords(ctx: Context, schema: dict[str, Any], new: str, old: str, moved: list[Frame]) -> list[Child]:
    """The children of a 2.0 schema as 3.0 ones; those that change shape are READY."""
    children: list[Child] = []
    for name, value in schema.items():
        at = join(old, name)
        if name == "x-nullable" and isinstance(value, bool) and "nullable" not in schema:
            children.append(("nullable", value, at, PLAIN))
        elif name == "discriminator" and isinstance(value, str):
            children.append(ready(ctx, new, "discriminator", {"propertyName": value}, at))
            ctx.mark(join(new, "discriminator", "propertyName"), at)
        elif name == "type" and (value == "file" or isinstance(value, list)):
            children.extend(schema_type(ctx, schema, new, at, value, moved))
        elif name == "items" and alternatives(schema) and "array" in schema["type"]:
            continue  # moved into the array alternative
        elif name == "collectionFormat":
            ctx.warn(at, "a collectionFormat inside items has no OpenAPI 3 equivalent; left out")
        elif name == "required" and not isinstance(value, list):
            ctx.warn(at, "`required` inside a schema must list property names; left out")
        elif name == "items" and isinstance(value, list):
            children.append(tuple_items(ctx, new, at, value, moved))
        else:
            children.append((name, value, at, child_kind(name, value)))
    return children


def child_kind(name: str, value: Any) -> int:
    if name == "properties":
        return SCHEMAS
    if name in ("items", "additionalProperties", "not"):
        return SCHEMA if isinstance(value, dict) else PLAIN
    return SCHEMA_LIST if name in ("allOf", "anyOf", "oneOf") and isinstance(value, list) else PLAIN


def ready(ctx: Context, new: str, name: str, value: Any, at: str) -> Child:
    """A child built here (a scalar, or a container whose nodes are marked)."""
    ctx.mark(join(new, name), at)
    return name, value, at, READY


def schema_type(ctx: Context, schema: dict[str, Any], new: str, at: str, value: Any, moved: list[Frame]) -> list[Child]:
    """`type: file` becomes a binary string; `type: [X, "null"]` becomes X, nullable;
    `type: [X, Y]` becomes `anyOf: [{type: X}, {type: Y}]` (`items` going to the array)."""
    if value == "file":
        binary = [] if "format" in schema else [ready(ctx, new, "format", "binary", at)]
        return [ready(ctx, new, "type", "string", at), *binary]
    types = [t for t in value if t != "null"]
    if len(types) == 1:
        kept = [ready(ctx, new, "type", types[0], at)]
    elif alternatives(schema):
        kept = [ready(ctx, new, "anyOf", options(ctx, schema, new, at, types, moved), at)]
    else:
        ctx.warn(at, f"a list of types {value!r} next to anyOf has no OpenAPI 3.0 equivalent; left out")
        kept = []
    if "null" not in value or "nullable" in schema or "x-nullable" in schema:
        return kept
    return [*kept, ready(ctx, new, "nullable", True, at)]


def alternatives(schema: dict[str, Any]) -> bool:
    """Whether a list of several types becomes an anyOf of them."""
    types = schema.get("type")
    return isinstance(types, list) and len([t for t in types if t != "null"]) > 1 and "anyOf" not in schema


def options(
    ctx: Context, schema: dict[str, Any], new: str, at: str, types: list[Any], moved: list[Frame]
) -> list[dict[str, Any]]:
    """One `{type: X}` per type; the array's `items` are copied by `walk` (moved)."""
    result: list[dict[str, Any]] = []
    for index, name in enumerate(types):
        to = join(new, "anyOf", index)
        ctx.mark(to, at)
        ctx.mark(join(to, "type"), at)
        result.append({"type": name})
        if name == "array" and "items" in schema:
            result[-1]["items"] = None
            old = at.rsplit("/", 1)[0]
            moved.append((schema["items"], join(to, "items"), join(old, "items"), result[-1], "items", SCHEMA))
    ctx.mark(join(new, "anyOf"), at)
    return result


def tuple_items(ctx: Context, new: str, at: str, value: list[Any], moved: list[Frame]) -> Child:
    """`items: [A, B]` (not 2.0, but written): one schema, or any of them."""
    if len(value) == 1:
        return "items", value[0], join(at, 0), SCHEMA
    ctx.warn(at, "`items` as a list becomes one schema that matches any of them")
    choices: list[Any] = [None] * len(value)
    to = join(new, "items", "anyOf")
    ctx.mark(to, at)
    moved.extend((v, join(to, i), join(at, i), choices, i, SCHEMA) for i, v in enumerate(value))
    return ready(ctx, new, "items", {"anyOf": choices}, at)
