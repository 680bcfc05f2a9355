"""Sample data for the fake, made from the spec: values a schema accepts, the
defaults of a request body, an operation's success answer and its schema, and an
answer trimmed to what its schema declares."""

from __future__ import annotations

import copy
import datetime
import uuid
from collections.abc import Mapping

from ._server_records import JSON
from ._server_runtime import Spec


def json_first(content: Mapping[str, JSON]) -> JSON:
    """The JSON media type's entry if there is one, else the first; None for no content."""
    json_media = [
        m
        for m, media in content.items()
        if m.split(";")[0].strip().lower().endswith("json")
    ]
    return content[json_media[0]] if json_media else next(iter(content.values()), None)


def success_media(operation: JSON, spec: Spec) -> JSON:
    """The media type entry of the first 2xx answer with a body, JSON preferred."""
    for status, response in (operation.get("responses") or {}).items():
        content = spec.resolve(response).get("content") or {}
        if status.startswith("2") and status not in ("204", "205") and content:
            return json_first(content)
    return None


def success_schema(operation: JSON, spec: Spec) -> JSON:
    media = success_media(operation, spec)
    return spec.resolve(media.get("schema")) if media else None


def example(operation: JSON, spec: Spec) -> JSON:
    """The operation's success answer: its example, else a sample of its schema."""
    media = success_media(operation, spec)
    if media is None:
        return None
    if "example" in media:
        return copy.deepcopy(media["example"])
    return sample(spec.resolve(media.get("schema", {})), spec)


def defaults(operation: JSON, spec: Spec) -> dict[str, JSON]:
    """The defaults the request body's schema gives its top-level fields."""
    content: JSON = (
        spec.resolve(operation.get("requestBody") or {}).get("content") or {}
    )
    media: JSON = json_first(content) or {}
    schema = spec.resolve(media.get("schema", {}))
    properties = schema.get("properties") or {} if isinstance(schema, dict) else {}
    return {
        k: spec.resolve(v)["default"]
        for k, v in properties.items()
        if "default" in spec.resolve(v)
    }


def project(value: JSON, schema: JSON, spec: Spec, depth: int = 0) -> JSON:
    """Only what the schema declares: stored extras never leak into an answer."""
    schema = spec.resolve(schema)
    if depth > 8 or not isinstance(schema, dict):
        return value
    if isinstance(value, dict) and schema.get("properties"):
        properties = schema["properties"]
        return {
            k: project(v, properties[k], spec, depth + 1)
            for k, v in value.items()
            if k in properties
        }
    if isinstance(value, list) and "items" in schema:
        return [project(v, schema["items"], spec, depth + 1) for v in value]
    return value


def sample(schema: JSON, spec: Spec, depth: int = 0) -> JSON:
    """A value the schema accepts: its example or default, else the simplest one."""
    schema = spec.resolve(schema)
    if not isinstance(schema, dict):
        return None
    for key in ("default", "example"):
        if key in schema:
            return copy.deepcopy(schema[key])
    if schema.get("examples"):
        return copy.deepcopy(schema["examples"][0])
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type", "object" if "properties" in schema else None)
    kind = (
        next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    )
    if kind == "object":
        value: dict[str, JSON] = {}
        if depth < 6:
            complete(value, schema, spec, depth)
        return value
    if kind == "array":
        return [sample(schema.get("items", {}), spec, depth + 1)] * schema.get(
            "minItems", 0
        )
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return schema.get("minimum", 0) if schema.get("minimum", 0) > 0 else 0
    if kind == "boolean":
        return False
    return None


def complete(item: dict[str, JSON], schema: JSON, spec: Spec, depth: int = 0) -> None:
    """Fill in the required fields `item` lacks."""
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        if name not in item:
            item[name] = sample(properties.get(name, {}), spec, depth + 1)


def _string(schema: JSON) -> str:
    formats = {
        "date-time": datetime.datetime.now(datetime.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
        "date": datetime.date.today().isoformat(),
        "email": "someone@example.com",
        "uri": "https://example.com/",
        "uuid": str(uuid.uuid4()),
    }
    return formats.get(
        str(schema.get("format")), "x" * max(1, int(schema.get("minLength", 1)))
    )
