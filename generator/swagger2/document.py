"""The whole document: each top-level field converted by its section's module, in
the source's order, then the bundled files and every `$ref` rewritten."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..pointers import join
from .bodies import form_field, request_body
from .components import components
from .context import SECTIONS, Context, Convert, as_dict
from .parameters import parameter
from .paths import path_item, paths
from .refs import bundled, rewrite_refs
from .responses import response
from .schemas import SCHEMA, walk
from .security import requirements
from .servers import servers

OPENAPI = "3.0.3"
KEPT = ("info", "tags", "externalDocs")  # top-level keys that carry over as they are

# What a node becomes by the role its references give it (see `refs.role`).
BY_ROLE: Mapping[str, Convert] = {
    "schema": lambda ctx, new, old, value: walk(ctx, new, old, value, SCHEMA),
    "parameter": parameter,
    "body": lambda ctx, new, old, value: request_body(ctx, new, old, as_dict(value), ctx.consumes),
    "form": lambda ctx, new, old, value: form_field(ctx, new, old, as_dict(value)),
    "response": lambda ctx, new, old, value: response(ctx, new, old, value, ctx.produces),
    "path": path_item,
}


def document(ctx: Context) -> dict[str, Any]:
    """The whole converted document, in the source's order."""
    ctx.mark("", "")
    ctx.mark("/openapi", "/swagger")
    built = components(ctx)  # before the paths: a $ref names the component, not an inlined copy
    parts: dict[str, Any] = {"openapi": OPENAPI}
    for key, value in ctx.data.items():
        if key in KEPT or key.startswith("x-") and key != "x-bundled":
            parts[key] = walk(ctx, join("", key), join("", key), value)
        elif key == "security":
            parts[key] = requirements(ctx, "/security", "/security", value)
        elif key in ("host", "basePath", "schemes"):
            parts["servers"] = parts["servers"] if "servers" in parts else servers(ctx)
        elif key == "paths":
            parts[key] = paths(ctx, value)
        elif key in SECTIONS:
            parts["components"] = built
        elif key not in ("swagger", "consumes", "produces", "x-bundled", *SECTIONS):
            ctx.warn(join("", key), f"{key!r} is not a Swagger 2.0 field; left out")
    if "paths" not in parts:
        parts["paths"] = paths(ctx, {})
    if "x-bundled" in ctx.data:
        parts["x-bundled"] = bundled(ctx)
    rewrite_refs(ctx)
    return {k: v for k, v in parts.items() if v or k not in ("servers", "components")}
