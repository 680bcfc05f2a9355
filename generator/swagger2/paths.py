"""Paths and operations: an operation's own and inherited parameters, its body and
formData parameters as one request body, its responses, security and servers."""

from __future__ import annotations

from typing import Any

from ..pointers import join, ref_target
from .bodies import body, form
from .context import Context, as_dict, as_list, media_types
from .refs import follow, kind, role
from .responses import responses
from .schemas import walk
from .security import requirements
from .servers import operation_servers

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
OPERATION_KEPT = ("tags", "summary", "description", "externalDocs", "operationId", "deprecated")


def paths(ctx: Context, value: Any) -> dict[str, Any]:
    """`/paths`: each path item converted, extensions copied."""
    ctx.same("/paths", "/paths")
    if not isinstance(value, dict):
        ctx.warn("/paths", "paths is not a mapping; the document gets no operations")
        return {}
    result: dict[str, Any] = {}
    for path, item in value.items():
        at = join("/paths", path)
        result[path] = walk(ctx, at, at, item) if path.startswith("x-") else path_item(ctx, at, at, item)
    return result


def path_item(ctx: Context, new: str, old: str, item: Any) -> dict[str, Any]:
    """A path item: its operations, and the parameters they share that stay parameters."""
    ctx.same(new, old)
    if not isinstance(item, dict):
        ctx.warn(old, "a path item that is not a mapping is left out")
        return {}
    shared = as_list(item.get("parameters"))
    result: dict[str, Any] = {}
    for key, value in item.items():
        at = join(old, key)
        if key in METHODS and isinstance(value, dict):
            result[key] = operation(ctx, join(new, key), at, value, shared, join(old, "parameters"))
        elif key == "$ref" or key.startswith("x-"):
            result[key] = walk(ctx, join(new, key), at, value)
            if key == "$ref" and isinstance(value, str):
                ctx.holders.append((result, value, at))
                ctx.assign(ref_target(value), "path")
        elif key == "parameters":
            kept = [(join(old, key, i), p) for i, p in enumerate(shared) if kind(ctx, p) not in ("body", "formData")]
            if kept:
                result[key] = parameter_list(ctx, join(new, key), join(old, key), kept)
        else:
            ctx.warn(at, f"{key!r} is not an operation or field of a path item; left out")
    return result


def parameter_list(ctx: Context, new: str, old: str, parameters: list[tuple[str, Any]]) -> list[Any]:
    ctx.mark(new, old)
    return [role(ctx, "parameter", join(new, i), at, p) for i, (at, p) in enumerate(parameters)]


def operation(
    ctx: Context, new: str, old: str, value: dict[str, Any], shared: list[Any], shared_at: str
) -> dict[str, Any]:
    """An operation: body and formData parameters become its request body, response
    schemas get a media type each."""
    ctx.same(new, old)
    consumes = media_types(value.get("consumes")) or ctx.consumes
    produces = media_types(value.get("produces")) or ctx.produces
    parameters, request_body = operation_parameters(ctx, new, old, value, shared, shared_at, consumes)
    result: dict[str, Any] = {}
    for key, field in value.items():
        at = join(old, key)
        if key in OPERATION_KEPT or key.startswith("x-"):
            result[key] = walk(ctx, join(new, key), at, field)
        elif key == "security":
            result[key] = requirements(ctx, join(new, key), at, field)
        elif key == "parameters":
            result.update({"parameters": parameters} if parameters else {})
            result.update({"requestBody": request_body} if request_body else {})
        elif key == "responses":
            result.update({"requestBody": request_body} if request_body and "requestBody" not in result else {})
            result[key] = responses(ctx, join(new, key), at, field, produces)
        elif key == "schemes":
            result.update(operation_servers(ctx, new, old, value))
        elif key not in ("consumes", "produces"):
            ctx.warn(at, f"{key!r} is not a field of an operation; left out")
    if request_body and "requestBody" not in result:
        result["requestBody"] = request_body
    if "responses" not in result:
        ctx.set(result, new, "responses", {}, old)
    return result


def operation_parameters(
    ctx: Context,
    new: str,
    old: str,
    operation: dict[str, Any],
    shared: list[Any],
    shared_at: str,
    consumes: list[str],
) -> tuple[list[Any], Any]:
    """The operation's own parameters that stay parameters, and its request body (or None)."""
    own = [(join(old, "parameters", i), p) for i, p in enumerate(as_list(operation.get("parameters")))]
    if "parameters" in operation and not isinstance(operation["parameters"], list):
        ctx.warn(join(old, "parameters"), "parameters is not a list; left out")
    keys = {identity(ctx, p) for _, p in own}
    inherited = [(join(shared_at, i), p) for i, p in enumerate(shared) if identity(ctx, p) not in keys]
    kept: list[tuple[str, Any]] = []
    bodies: list[tuple[str, Any]] = []
    forms: list[tuple[str, Any]] = []
    for at, parameter in own + inherited:
        where = kind(ctx, parameter)
        if where in ("body", "formData"):
            (bodies if where == "body" else forms).append((at, parameter))
        elif at.startswith(old + "/"):
            kept.append((at, parameter))
    request_body = None
    if bodies:
        for at, _ in bodies[1:] + forms:
            ctx.warn(at, "an operation has one request body, its first body parameter; this one is left out")
        request_body = body(ctx, join(new, "requestBody"), *bodies[0], consumes)
    elif forms:
        request_body = form(ctx, join(new, "requestBody"), join(old, "parameters"), forms, consumes)
    listed = parameter_list(ctx, join(new, "parameters"), join(old, "parameters"), kept) if kept else []
    return listed, request_body


def identity(ctx: Context, parameter: Any) -> tuple[str | None, str | None]:
    """(name, in) of a parameter: an operation's own override the shared ones."""
    resolved = as_dict(follow(ctx, parameter, "")[1])
    name, where = resolved.get("name"), resolved.get("in")
    return name if isinstance(name, str) else None, where if isinstance(where, str) else None
