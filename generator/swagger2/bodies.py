"""Request bodies: an `in: body` parameter, or the `in: formData` parameters of an
operation as one form (multipart when a file is among them), with content for each
media type it `consumes`."""

from __future__ import annotations

from typing import Any

from ..pointers import join, refers_to
from .context import Context, as_dict, essence, is_bundled
from .parameters import QUERY_STYLES, TYPE_KEYS
from .refs import follow, role
from .schemas import SCHEMA, walk

FORM, MULTIPART = "application/x-www-form-urlencoded", "multipart/form-data"


def body(ctx: Context, new: str, old: str, parameter: Any, consumes: list[str]) -> Any:
    """A body parameter as a request body; a shared one stays a `$ref` unless the
    operation consumes other media types than the document."""
    if refers_to(parameter) is None:
        return request_body(ctx, new, old, as_dict(parameter), consumes)
    at, resolved = follow(ctx, parameter, old)
    if consumes == ctx.consumes or resolved is None or is_bundled(at):
        if consumes != ctx.consumes and resolved is not None:
            ctx.warn(old, "a request body in another file has the document's consumes, not the operation's")
        return role(ctx, "body", new, old, parameter)
    return request_body(ctx, new, at, as_dict(resolved), consumes)


def request_body(ctx: Context, new: str, old: str, parameter: dict[str, Any], consumes: list[str]) -> dict[str, Any]:
    ctx.same(new, old)
    result: dict[str, Any] = {}
    for key, value in parameter.items():
        at = join(old, key)
        if key in ("description", "required") or key.startswith("x-"):
            result[key] = walk(ctx, join(new, key), at, value)
        elif key == "schema":
            result["content"] = content(ctx, join(new, "content"), at, value, consumes)
        elif key not in ("name", "in"):
            ctx.warn(at, f"{key!r} is not a field of a body parameter; left out")
    if "content" not in result:
        result["content"] = content(ctx, join(new, "content"), old, {}, consumes)
    return result


def content(ctx: Context, new: str, old: str, schema: Any, media_types: list[str]) -> dict[str, Any]:
    """The same schema (at `old`) for each media type."""
    ctx.mark(new, old)
    result: dict[str, Any] = {}
    for media_type in media_types:
        ctx.mark(join(new, media_type), old)
        result[media_type] = {"schema": walk(ctx, join(new, media_type, "schema"), old, schema, SCHEMA)}
    return result


def form(ctx: Context, new: str, old: str, fields: list[tuple[str, Any]], consumes: list[str]) -> dict[str, Any]:
    """formData parameters: one object schema, sent as a form, or multipart when a
    file is among them (or the operation consumes only multipart)."""
    resolved = [follow(ctx, p, at) for at, p in fields]
    has_file = any(as_dict(p).get("type") == "file" for _, p in resolved)
    media_types = [m for m in consumes if essence(m) in (FORM, MULTIPART)]
    if has_file:
        media_types = [m for m in media_types if essence(m) == MULTIPART] or [MULTIPART]
    ctx.mark(new, old)
    ctx.mark(join(new, "content"), old)
    by_type: dict[str, Any] = {}
    for media_type in media_types or [FORM]:
        ctx.mark(join(new, "content", media_type), old)
        by_type[media_type] = form_media(ctx, join(new, "content", media_type), old, fields, resolved, media_type)
    result: dict[str, Any] = {"content": by_type}
    if any(as_dict(p).get("required") is True for _, p in resolved):
        ctx.set(result, new, "required", True, old)
    return result


def form_media(
    ctx: Context,
    new: str,
    old: str,
    fields: list[tuple[str, Any]],
    resolved: list[tuple[str, Any]],
    media_type: str,
) -> dict[str, Any]:
    """The form's object schema, and how its array fields are sent, for one media type."""
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    where = join(new, "schema")
    for key in ("schema", "schema/type", "schema/properties"):
        ctx.mark(join(new, *key.split("/")), old)
    encodings: dict[str, Any] = {}
    for (at, field), (target, parameter) in zip(fields, resolved, strict=True):
        parameter = as_dict(parameter)
        name = str(parameter.get("name", ""))
        to, origin = join(where, "properties", name), at if is_bundled(target) else target
        if is_bundled(target):  # stays in its file, converted to a schema there
            ctx.assign(target, "form")
            schema["properties"][name] = walk(ctx, to, at, {"$ref": "#" + target.replace("%", "%25")})
        else:
            schema["properties"][name] = form_field(ctx, to, target, parameter)
        if parameter.get("required") is True:
            schema.setdefault("required", []).append(name)
            ctx.mark(join(where, "required"), old)
            ctx.mark(join(where, "required", len(schema["required"]) - 1), origin)
        encodings.update(encoding(ctx, join(new, "encoding"), origin, parameter, media_type))
    result: dict[str, Any] = {"schema": schema}
    if encodings:
        result["encoding"] = encodings
        ctx.mark(join(new, "encoding"), old)
    return result


def form_field(ctx: Context, new: str, old: str, parameter: dict[str, Any]) -> Any:
    """A formData parameter as the schema of a form property."""
    keys = {k: v for k, v in parameter.items() if k in TYPE_KEYS or k == "description" or k.startswith("x-")}
    if parameter.get("allowEmptyValue") is not None:
        ctx.warn(join(old, "allowEmptyValue"), "allowEmptyValue has no equivalent for a form field; left out")
    return walk(ctx, new, old, keys, SCHEMA)


def encoding(ctx: Context, new: str, old: str, parameter: dict[str, Any], media_type: str) -> dict[str, Any]:
    """How an array form field is sent: 2.0's collectionFormat (csv by default)."""
    if parameter.get("type") != "array":
        return {}
    name, value = str(parameter.get("name", "")), parameter.get("collectionFormat", "csv")
    at = join(old, "collectionFormat") if "collectionFormat" in parameter else old
    if essence(media_type) != FORM:
        if value != "multi":
            ctx.warn(at, f"a multipart field sends each item as a part; collectionFormat {value!r} is not kept")
        return {}
    style, explode = QUERY_STYLES.get(str(value), ("form", False))
    if str(value) not in QUERY_STYLES:
        ctx.warn(at, f"collectionFormat {value!r} has no OpenAPI 3 style; sent as csv")
    for key in ("", "style", "explode"):
        ctx.mark(join(new, name, *([key] if key else [])), at)
    return {name: {"style": style, "explode": explode}}
