"""Components: `definitions` as schemas, `parameters` as parameters or request
bodies, `responses` and `securityDefinitions` as security schemes, each under a
valid OpenAPI 3 component name."""

from __future__ import annotations

from typing import Any

from ..pointers import join
from .context import SECTIONS, Context
from .refs import kind, role
from .schemas import SCHEMA, walk
from .security import scheme


def components(ctx: Context) -> dict[str, Any]:
    """definitions, parameters (request bodies among them), responses and securityDefinitions."""
    result: dict[str, Any] = {}
    ctx.mark("/components", next((join("", s) for s in ctx.data if s in SECTIONS), ""))
    for name in ctx.data:
        if name not in SECTIONS:
            continue
        entries = ctx.data[name]
        if not isinstance(entries, dict):
            ctx.warn(join("", name), f"{name!r} is not a mapping; left out")
        elif name == "parameters":
            result.update(parameters(ctx, entries))
        else:
            built = section(ctx, name, entries)
            if built:
                result[SECTIONS[name]] = built
    return result


def section(ctx: Context, name: str, entries: dict[str, Any]) -> dict[str, Any]:
    """definitions, responses or securityDefinitions, converted entry by entry."""
    new, old = join("/components", SECTIONS[name]), join("", name)
    ctx.same(new, old)
    result: dict[str, Any] = {}
    for entry, value in entries.items():
        renamed = rename(ctx, name, entry)
        at, to = join(old, entry), join(new, renamed)
        if name == "definitions":
            result[renamed] = walk(ctx, to, at, value, SCHEMA)
        elif name == "responses":
            result[renamed] = role(ctx, "response", to, at, value)
        else:
            result[renamed] = scheme(ctx, to, at, value)
    return result


def rename(ctx: Context, section: str, name: str) -> str:
    """The component name of `name`, with a warning when it had to change."""
    renamed = ctx.names[section][name]
    if renamed != name:
        what = {"definitions": "definition", "securityDefinitions": "security scheme"}.get(section, section[:-1])
        ctx.warn(
            join("", section, name),
            f"{what} name {name!r} is not a valid OpenAPI 3 component name; it becomes {renamed!r}",
        )
    return renamed


def parameters(ctx: Context, entries: dict[str, Any]) -> dict[str, Any]:
    """Shared parameters: body ones become request bodies; formData ones are inlined where used."""
    result: dict[str, dict[str, Any]] = {}
    for name, value in entries.items():
        where = kind(ctx, value)
        if where == "formData":
            continue
        section = "requestBodies" if where == "body" else "parameters"
        renamed, at = rename(ctx, "parameters", name), join("/parameters", name)
        if section not in result:
            result[section] = {}
            (ctx.same if section == "parameters" else ctx.mark)(join("/components", section), "/parameters")
        to = join("/components", section, renamed)
        result[section][renamed] = role(ctx, "body" if where == "body" else "parameter", to, at, value)
    return dict(sorted(result.items(), key=lambda item: item[0] == "requestBodies"))
