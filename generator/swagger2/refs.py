"""References: following a chain of `$ref`s in the source, the role a reference
gives the node it names (a schema, a parameter, a response...), the bundled files
converted by those roles, and every `$ref` rewritten to name the converted node.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from ..load import BUNDLE
from ..pointers import MAX_REF_CHAIN, chain, ref_target, refers_to
from .context import Context, as_dict
from .schemas import walk


def role(ctx: Context, name: str, new: str, old: str, value: Any) -> Any:
    """`value` converted as a `name` node (see `Context.by_role`); a `$ref` stays
    one, and its bundled target takes the role."""
    if isinstance(value, dict) and isinstance(value.get("$ref"), str):
        ctx.assign(refers_to(value), name)
        return walk(ctx, new, old, value)
    return ctx.by_role[name](ctx, new, old, value)


def bundled(ctx: Context) -> Any:
    """`/x-bundled`: each node a reference gives a role converted in place, the rest copied."""
    while ctx.pending:
        pointer = ctx.pending.pop(0)
        try:
            value = ctx.source.resolve(pointer)
        except KeyError:
            continue  # reported where the $ref is written
        ctx.substitutes[pointer] = role(ctx, ctx.roles[pointer], pointer, pointer, value)
    return walk(ctx, BUNDLE, BUNDLE, ctx.data["x-bundled"])


def follow(ctx: Context, node: Any, at: str) -> tuple[str, Any]:
    """(pointer, node) that a chain of local `$ref`s from `node` leads to; the node
    is None when the chain breaks, loops or is too long to follow."""
    *_, (at, node) = islice(chain(ctx.source.data, at, node), MAX_REF_CHAIN)
    target = refers_to(node)
    return (at, node) if target is None else (target, None)


def kind(ctx: Context, parameter: Any) -> str:
    """Where a parameter (or the one its `$ref`s lead to) is: body, formData, query..."""
    return str(as_dict(follow(ctx, parameter, "")[1]).get("in", ""))


def rewrite_refs(ctx: Context) -> None:
    """Every `$ref` names the converted node that its target became."""
    for holder, ref, at in ctx.holders:
        new = new_ref(ctx, ref)
        if new is None:
            ctx.warn(at, f"$ref {ref!r} names a node that has no OpenAPI 3 counterpart; kept as it is")
        else:
            holder["$ref"] = new


def new_ref(ctx: Context, ref: str) -> str | None:
    """The 3.0 form of a local `$ref`: the copy of its target, or, for a target that
    does not exist, the copy of its nearest ancestor (so the finding stays)."""
    target = ref_target(ref)
    if target is None:
        return ref  # not local: load has reported it
    if target in ctx.exact:
        return "#" + ctx.exact[target].replace("%", "%25")
    try:
        ctx.source.resolve(target)
        return None  # there, but not carried over as it is
    except KeyError:
        pass
    parent, rest = target, ""
    while parent:
        parent, _, token = parent.rpartition("/")
        rest = "/" + token + rest
        if parent in ctx.exact:
            return "#" + (ctx.exact[parent] + rest).replace("%", "%25")
    return ref
