"""Responses: `schema` and `examples` become content, one entry for each media type
an operation `produces`; headers get a schema like parameters do."""

from __future__ import annotations

from typing import Any

from ..pointers import join, refers_to
from .bodies import content
from .context import Context, as_dict, is_bundled
from .parameters import TYPE_KEYS, style
from .refs import follow, role
from .schemas import SCHEMA, walk


def responses(ctx: Context, new: str, old: str, value: Any, produces: list[str]) -> dict[str, Any]:
    """An operation's responses, by status."""
    ctx.same(new, old)
    if not isinstance(value, dict):
        ctx.warn(old, "responses is not a mapping; left out")
        return {}
    result: dict[str, Any] = {}
    for status, each in value.items():
        at, to = join(old, status), join(new, status)
        if status.startswith("x-"):
            result[status] = walk(ctx, to, at, each)
        elif refers_to(each) is not None:
            result[status] = shared_response(ctx, to, at, each, produces)
        else:
            result[status] = response(ctx, to, at, each, produces)
    return result


def shared_response(ctx: Context, new: str, old: str, value: Any, produces: list[str]) -> Any:
    """A `$ref` to a response; inlined when the operation produces other media
    types than the document (unless it is in another file)."""
    at, resolved = follow(ctx, value, old)
    if produces == ctx.produces or resolved is None:
        return role(ctx, "response", new, old, value)
    if is_bundled(at):
        ctx.warn(old, "a response in another file has the document's produces, not the operation's")
        return role(ctx, "response", new, old, value)
    return response(ctx, new, at, resolved, produces)


def response(ctx: Context, new: str, old: str, value: Any, produces: list[str]) -> dict[str, Any]:
    """A response: its schema and examples become content, one entry per media type."""
    ctx.same(new, old)
    if not isinstance(value, dict):
        ctx.warn(old, "a response that is not a mapping becomes one with no body")
        ctx.mark(join(new, "description"), old)
        return {"description": ""}
    result: dict[str, Any] = {}
    if "description" not in value:
        ctx.set(result, new, "description", "", old)
    for key, field in value.items():
        at = join(old, key)
        if key == "description" or key.startswith("x-"):
            result[key] = walk(ctx, join(new, key), at, field)
        elif key in ("schema", "examples"):
            if "content" not in result:
                result["content"] = response_content(ctx, join(new, "content"), old, value, produces)
        elif key == "headers":
            result[key] = headers(ctx, join(new, key), at, field)
        else:
            ctx.warn(at, f"{key!r} is not a field of a response; left out")
    if not result.get("content", True):
        del result["content"]
    return result


def response_content(ctx: Context, new: str, old: str, value: dict[str, Any], produces: list[str]) -> dict[str, Any]:
    """The schema for each media type produced, with the example given for it;
    examples of other media types get an entry of their own."""
    examples = as_dict(value.get("examples"))
    if "examples" in value and not isinstance(value["examples"], dict):
        ctx.warn(join(old, "examples"), "examples is not a mapping; left out")
    result: dict[str, Any] = {}
    if "schema" in value:
        result = content(ctx, new, join(old, "schema"), value["schema"], produces)
    else:
        ctx.mark(new, join(old, "examples"))
    for media_type, example in examples.items():
        at, to = join(old, "examples", media_type), join(new, media_type)
        if media_type not in result:
            result[media_type] = {}
            ctx.mark(to, at)
        result[media_type]["example"] = walk(ctx, join(to, "example"), at, example)
    return result


def headers(ctx: Context, new: str, old: str, value: Any) -> dict[str, Any]:
    ctx.same(new, old)
    if not isinstance(value, dict):
        ctx.warn(old, "headers is not a mapping; left out")
        return {}
    return {name: header(ctx, join(new, name), join(old, name), each) for name, each in value.items()}


def header(ctx: Context, new: str, old: str, value: Any) -> Any:
    """A response header: its type keywords move into `schema`."""
    if not isinstance(value, dict) or isinstance(value.get("$ref"), str):
        if not isinstance(value, dict):
            ctx.warn(old, "a header that is not a mapping is kept as it is")
        return walk(ctx, new, old, value)
    ctx.same(new, old)
    typed = {k: v for k, v in value.items() if k in TYPE_KEYS}
    result: dict[str, Any] = {}
    for key, field in value.items():
        at = join(old, key)
        if key in typed:
            if "schema" not in result:
                result["schema"] = walk(ctx, join(new, "schema"), old, typed, SCHEMA)
        elif key == "collectionFormat":
            style(ctx, result, new, at, field, "header")
        elif key == "description" or key.startswith("x-"):
            result[key] = walk(ctx, join(new, key), at, field)
        else:
            ctx.warn(at, f"{key!r} is not a field of a header; left out")
    if "schema" not in result:
        ctx.set(result, new, "schema", {}, old)
    return result
