"""Servers from `host`, `basePath` and `schemes`: the document's, and an
operation's own when its `schemes` differ."""

from __future__ import annotations

from typing import Any

from ..pointers import join
from .context import Context, as_list

SCHEMES = ("http", "https", "ws", "wss")


def servers(ctx: Context) -> list[dict[str, Any]]:
    """`host`, `basePath` and `schemes` as servers (https when no scheme is given)."""
    host, base = ctx.data.get("host"), ctx.data.get("basePath")
    base = base if isinstance(base, str) else ""
    if not isinstance(host, str) or not host:
        return [server(ctx, "/servers", 0, base, "/basePath")] if base else []
    return [
        server(ctx, "/servers", i, f"{s}://{host}{base}", at) for i, (s, at) in enumerate(schemes(ctx, ctx.data, ""))
    ]


def operation_servers(ctx: Context, new: str, old: str, operation: dict[str, Any]) -> dict[str, Any]:
    """An operation's own `schemes`, as servers when they differ from the document's."""
    host, base = ctx.data.get("host"), ctx.data.get("basePath")
    own = schemes(ctx, operation, old)
    if not isinstance(host, str) or not host or [s for s, _ in own] == [s for s, _ in schemes(ctx, ctx.data, "")]:
        return {}
    base = base if isinstance(base, str) else ""
    return {
        "servers": [server(ctx, join(new, "servers"), i, f"{s}://{host}{base}", at) for i, (s, at) in enumerate(own)]
    }


def schemes(ctx: Context, owner: dict[str, Any], where: str) -> list[tuple[str, str]]:
    """(scheme, its pointer) for each usable scheme of `owner`; https if none."""
    found: list[tuple[str, str]] = []
    for index, scheme in enumerate(as_list(owner.get("schemes"))):
        if scheme in SCHEMES:
            found.append((scheme, join(where, "schemes", index)))
        else:
            ctx.warn(join(where, "schemes", index), f"scheme {scheme!r} is not http, https, ws or wss; left out")
    return found or [("https", join("", "host"))]


def server(ctx: Context, new: str, index: int, url: str, old: str) -> dict[str, Any]:
    ctx.mark(new, old)
    ctx.mark(join(new, index), old)
    ctx.mark(join(new, index, "url"), old)
    return {"url": url}
