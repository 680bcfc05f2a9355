"""Sample data for the fake, made from the spec: values a schema accepts, the
values of the read-only fields the vendor sets, the defaults of a request body, an
operation's success answer and its schema, and an answer trimmed to what its
schema declares."""

from __future__ import annotations

import copy
import datetime
import importlib
import re
import typing
import uuid
from collections.abc import Mapping
from urllib.parse import quote

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
    for named in (media.get("examples") or {}).values():
        if isinstance(spec.resolve(named), dict) and "value" in spec.resolve(named):
            return copy.deepcopy(spec.resolve(named)["value"])
    return sample(spec.resolve(media.get("schema", {})), spec)


def request_schema(operation: JSON, spec: Spec) -> JSON:
    """The schema of the operation's request body (its first JSON media type's)."""
    content: JSON = (
        spec.resolve(operation.get("requestBody") or {}).get("content") or {}
    )
    media: JSON = json_first(content) or {}
    return spec.resolve(media.get("schema", {}))


def defaults(operation: JSON, spec: Spec) -> dict[str, JSON]:
    """The defaults the request body's schema gives its top-level fields."""
    schema = request_schema(operation, spec)
    properties = schema.get("properties") or {} if isinstance(schema, dict) else {}
    return {
        k: spec.resolve(v)["default"]
        for k, v in properties.items()
        if "default" in spec.resolve(v)
    }


def project(value: JSON, schema: JSON, spec: Spec, depth: int = 0) -> JSON:
    """Only what the schema declares: stored extras never leak into an answer, nor a
    field of another type (an item another operation stored with a number where this
    answer has text: `completed` fills it in)."""
    schema = merged(schema, spec)
    if depth > 8 or not isinstance(schema, dict):
        return value
    if isinstance(value, dict) and schema.get("properties"):
        properties = schema["properties"]
        # a field the schema spells otherwise (`meetingid` for `meetingId`) answers as it spells it
        spelled = {_normal(k): k for k in properties if k not in value}
        named = {k: spelled.get(_normal(k), k) for k in value}
        return {
            named[k]: project(v, properties[named[k]], spec, depth + 1)
            for k, v in value.items()
            if named[k] in properties and _fits(v, merged(properties[named[k]], spec))
        }
    if isinstance(value, list) and "items" in schema:
        return [project(v, schema["items"], spec, depth + 1) for v in value]
    return value


_TYPES: Mapping[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _fits(value: JSON, schema: JSON) -> bool:
    """Whether a value is of the JSON type its schema names (any, if it names none)
    and one of its enum's values, if it has one."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    choices = schema.get("enum") if isinstance(schema, dict) else None
    if value is not None and isinstance(choices, list) and value not in choices:
        return False
    if value is None or not isinstance(kind, str) or kind not in _TYPES:
        return True
    if isinstance(value, bool) and kind != "boolean":
        return False
    return isinstance(value, _TYPES[kind])


def merged(schema: JSON, spec: Spec, depth: int = 0) -> JSON:
    """The schema `$ref`s lead to, its `allOf` members' properties and required
    fields merged into it (an object); members that describe no object, their
    keywords (`allOf: [{$ref: a string enum}, {description: …}]` is that enum)."""
    schema = spec.resolve(schema)
    if not isinstance(schema, dict) or not schema.get("allOf") or depth > 8:
        return schema
    members = [merged(m, spec, depth + 1) for m in schema["allOf"]]
    members = [m for m in members if isinstance(m, dict)]
    flat = {k: v for k, v in schema.items() if k != "allOf"}
    if not any(
        m.get("type") == "object" or "properties" in m for m in [flat, *members]
    ):
        for member in members:  # a string with a description: the string
            for key, value in member.items():
                flat.setdefault(key, value)
        return flat
    properties: dict[str, JSON] = {}
    required: list[str] = []
    for member in [schema, *members]:
        if isinstance(member, dict):
            for name, value in (member.get("properties") or {}).items():
                properties.setdefault(name, value)
            required += [r for r in member.get("required") or [] if r not in required]
    return {**flat, "type": "object", "properties": properties, "required": required}


def _normal(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def completed(value: JSON, schema: JSON, spec: Spec, depth: int = 0) -> JSON:
    """An answer with the required fields it lacks filled in, in every object of it
    that its schema describes (an array's items, an envelope's item)."""
    schema = merged(schema, spec)
    if depth > 8 or not isinstance(schema, dict):
        return value
    if isinstance(value, dict):
        complete(value, schema, spec)
        properties = schema.get("properties") or {}
        for name, field in value.items():
            if name in properties:
                completed(field, properties[name], spec, depth + 1)
    elif isinstance(value, list) and "items" in schema:
        for element in value:
            completed(element, schema["items"], spec, depth + 1)
    return value


def numbered(pattern: str, number: int) -> str | None:
    """A string `pattern` matches that ends in `number`, in digits (or letters, a
    for 0), padded as the pattern asks; None when none is found."""
    base = matching(pattern)
    if base is None:
        return None
    letters = "".join(chr(ord("a") + int(d)) for d in str(number))  # 12 -> "bc"
    for digits, pad in ((str(number), "0"), (letters, "a"), (letters.upper(), "A")):
        for width in range(len(digits), len(base) + len(digits) + 1):
            text = base[: max(0, len(base) - width)] + digits.rjust(width, pad)
            if re.search(pattern, text):
                return text
    return None


def sample(schema: JSON, spec: Spec, depth: int = 0) -> JSON:
    """A value the schema accepts: its example or default, else the simplest one."""
    schema = merged(schema, spec)
    if not isinstance(schema, dict):
        return None
    for key in ("default", "example"):
        if key in schema:
            return copy.deepcopy(schema[key])
    if schema.get("examples"):
        return copy.deepcopy(schema["examples"][0])
    if schema.get("enum"):
        return schema["enum"][0]
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    kind = schema.get("type", "object" if "properties" in schema else None)
    kind = (
        next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    )
    options = schema.get("oneOf") or schema.get("anyOf")
    if kind is None and isinstance(options, list) and options and depth < 6:
        return sample(options[0], spec, depth + 1)  # the first alternative
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
    schema = merged(schema, spec)
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        if name not in item:
            item[name] = sample(properties.get(name, {}), spec, depth + 1)


# Where the fake's items live, for the links it makes: `https://example.com/meetings/7`.
EXAMPLE_HOST = "https://example.com"
# Fields named so are the item's own address; other links get their name appended.
_SELF = frozenset({"uri", "url", "href", "self", "selfuri", "selfurl", "selflink"})


def address(collection: str, parent: str, key: str) -> str:
    """The URL the fake gives an item: under the example host, ending in its key."""
    steps = [parent, collection, key] if parent else [collection, key]
    return "/".join([EXAMPLE_HOST, *(quote(s, safe="") for s in steps)])


def fill_read_only(
    item: dict[str, JSON], schema: JSON, spec: Spec, url: str, depth: int = 0
) -> None:
    """Give each read-only field `item` lacks (or holds as null) a plausible value,
    as the vendor would set it: from its schema's enum, format (a `uri` is `url`,
    the item's address, or a link under it), pattern, default or example, else the
    value the enclosing schema's example gives it. Fields present stay as they are;
    objects present are filled the same way."""
    schema = merged(schema, spec)
    if depth > 6 or not isinstance(schema, dict):
        return
    example = _example(schema)
    for name, declared in (schema.get("properties") or {}).items():
        resolved = spec.resolve(declared)
        if not isinstance(resolved, dict):
            continue
        link = url if name.lower() in _SELF else f"{url}/{quote(name, safe='')}"
        if item.get(name) is None and (
            declared.get("readOnly") or resolved.get("readOnly")
        ):
            item[name] = plausible(resolved, spec, link, example.get(name), depth + 1)
        elif isinstance(item.get(name), dict):
            fill_read_only(item[name], resolved, spec, link, depth + 1)


def plausible(
    schema: JSON, spec: Spec, url: str, example: JSON = None, depth: int = 0
) -> JSON:
    """A value for a field the vendor sets, its schema `schema`: see `fill_read_only`.
    The same item gets the same values but for timestamps (now)."""
    schema = merged(schema, spec)
    if not isinstance(schema, dict):
        return copy.deepcopy(example)
    if schema.get("enum"):
        return schema["enum"][0]
    kind = _kind(schema)
    if kind == "object" and depth < 6:
        inner = example if isinstance(example, dict) else _example(schema)
        return {
            name: plausible(
                spec.resolve(declared),
                spec,
                url if name.lower() in _SELF else f"{url}/{quote(name, safe='')}",
                inner.get(name),
                depth + 1,
            )
            for name, declared in (schema.get("properties") or {}).items()
        }
    if kind == "array":
        return []
    if kind == "string":
        shaped = _shaped(schema, url)
        if shaped is not None:
            return shaped
    for key in ("default", "example"):
        if key in schema:
            return copy.deepcopy(schema[key])
    if schema.get("examples"):
        return copy.deepcopy(schema["examples"][0])
    if example is not None:
        return copy.deepcopy(example)
    return sample(schema, spec, depth)


def _example(schema: Mapping[str, JSON]) -> Mapping[str, JSON]:
    """The schema's first example when it is an object; else empty."""
    examples = schema.get("examples") or []
    found = schema.get("example", examples[0] if examples else None)
    return found if isinstance(found, dict) else {}


def _kind(schema: Mapping[str, JSON]) -> str | None:
    kind = schema.get("type", "object" if "properties" in schema else None)
    if isinstance(kind, list):
        return next((k for k in kind if k != "null"), None)
    return kind if isinstance(kind, str) else None


def _shaped(schema: Mapping[str, JSON], url: str) -> str | None:
    """A string its format or pattern asks for; None when neither says."""
    fmt = schema.get("format")
    if fmt in ("uri", "url", "iri", "uri-reference", "iri-reference"):
        return url
    if fmt == "uuid":
        return str(uuid.uuid5(uuid.NAMESPACE_URL, url))
    if fmt in ("date-time", "date", "email"):
        return _string(schema)
    pattern = schema.get("pattern")
    return matching(pattern) if isinstance(pattern, str) else None


# `matching` reads patterns with the standard library's regular expression parser,
# `re._parser`: a private module, so anything it does not offer, down to the module
# itself, makes `matching` answer None, never fail (and never the fake's import).
# Each class escape: a character it matches, and the escape.
_CLASSES = {
    "CATEGORY_DIGIT": ("0", r"\d"),
    "CATEGORY_NOT_DIGIT": ("a", r"\D"),
    "CATEGORY_WORD": ("a", r"\w"),
    "CATEGORY_NOT_WORD": ("-", r"\W"),
    "CATEGORY_SPACE": (" ", r"\s"),
    "CATEGORY_NOT_SPACE": ("x", r"\S"),
}


def matching(pattern: str) -> str | None:
    """A short string the regular expression `pattern` matches (as JSON Schema
    matches: anywhere in the string); None when none is found."""
    try:
        parser: typing.Any = importlib.import_module("re._parser")
        text = _emit(parser.parse(pattern))
        return text if re.search(pattern, text) else None
    except Exception:  # a private parser's shapes: give up, never fail
        return None


def _emit(items: typing.Any) -> str:
    text = []
    for op, argument in items:
        name = op.name
        if name == "LITERAL":
            text.append(chr(argument))
        elif name == "NOT_LITERAL":
            text.append("b" if argument == ord("a") else "a")
        elif name == "ANY":
            text.append("x")
        elif name == "IN":
            text.append(_member(argument))
        elif name == "CATEGORY":
            text.append(_CLASSES[argument.name][0])
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            least, most, repeated = argument
            text.append(_emit(repeated) * max(least, min(1, most)))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            text.append(_emit(argument[-1]))
        elif name == "BRANCH":
            text.append(_emit(argument[1][0]))
    return "".join(text)


def _member(members: typing.Any) -> str:
    """A character of a class `[...]` (a negated one: one its members leave out)."""
    (op, argument), *_ = members
    if op.name == "NEGATE":
        return next(c for c in "xa0-_ " if re.fullmatch(_source(members), c))
    if op.name == "RANGE":
        return chr(argument[0])
    if op.name == "CATEGORY":
        return _CLASSES[argument.name][0]
    return chr(argument)


def _source(members: typing.Any) -> str:
    """The class `members` as a regular expression again (its characters escaped)."""
    parts = []
    for op, argument in members:
        if op.name == "NEGATE":
            parts.append("^")
        elif op.name == "RANGE":
            parts.append(f"{re.escape(chr(argument[0]))}-{re.escape(chr(argument[1]))}")
        elif op.name == "CATEGORY":
            parts.append(_CLASSES[argument.name][1])
        else:
            parts.append(re.escape(chr(argument)))
    return "[" + "".join(parts) + "]"


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
    pattern = schema.get("pattern")
    shaped = matching(pattern) if isinstance(pattern, str) else None
    if shaped is not None and str(schema.get("format")) not in formats:
        return shaped
    return formats.get(
        str(schema.get("format")), "x" * max(1, int(schema.get("minLength", 1)))
    )
