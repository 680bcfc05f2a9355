"""What a list of the fake selects, and in which order: the `filter` and `order`
languages, `search`, a date `range` and `when` conditions (see `_fake_records.py`).

Each is a 400 naming its parameter when it cannot be read: the fake never answers
as if it had applied something it did not.
"""

from __future__ import annotations

import datetime
import re
import typing
from collections.abc import Mapping, Sequence

from ._fake_records import Window
from ._server_records import JSON
from ._server_runtime import ServerError, pointer_get

SCALARS = ("string", "integer", "number", "boolean")  # the types filter and order read
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_TERM = re.compile(rf" ?({_NAME})(?: (asc|desc))?")
_TEXT = r"'(?:[^']|'')*'"
_LITERAL = rf"{_TEXT}|-?[0-9]+(?:\.[0-9]+)?|true|false|null"
_CLAUSE = re.compile(
    rf"({_NAME}) (eq|ne|gt|ge|lt|le) ({_LITERAL})"
    rf"|(startswith|endswith|contains)\(({_NAME}), ?({_TEXT})\)"
)
_JOINS = (" and ", " or ")
_ORDERED = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}
_FUNCTIONS: dict[str, typing.Callable[[str, str], bool]] = {
    "startswith": str.startswith,
    "endswith": str.endswith,
    "contains": lambda value, text: text in value,
}


def unsupported(param: str, value: JSON = None) -> ServerError:
    """The 400 for a query parameter (or one of its values) the fake cannot apply."""
    what = f"parameter {param!r}" if value is None else f"{param}={value!r}"
    return ServerError(400, f"the fake does not support {what}", param, "query")


def field(item: JSON, name: str) -> JSON:
    """A stored field by name, or by JSON pointer into the item."""
    if not name.startswith("/"):
        return item.get(name)
    try:
        return pointer_get(item, name)
    except (KeyError, IndexError, TypeError):
        return None


def matches(item: JSON, query: Mapping[str, str], params: Mapping[str, JSON]) -> bool:
    """Whether the item's fields equal the `query` parameters that were sent."""
    return all(
        field(item, name) == params[param]
        for name, param in query.items()
        if params.get(param) is not None
    )


def holds(item: JSON, condition: Mapping[str, JSON]) -> bool:
    """A `when` condition: each field equals its value or is `{after|before: now}`."""
    now = datetime.datetime.now(datetime.UTC)
    for name, test in condition.items():
        value = field(item, name)
        if not isinstance(test, dict):
            if value != test:
                return False
            continue
        try:
            moment = instant(value)
        except (TypeError, ValueError):
            return False
        if ("after" in test and not moment > now) or (
            "before" in test and not moment < now
        ):
            return False
    return True


def search(items: list[JSON], text: str) -> list[JSON]:
    """The items with a string field holding `text`, ignoring case."""
    needle = text.casefold()
    return [
        i
        for i in items
        if any(isinstance(v, str) and needle in v.casefold() for v in i.values())
    ]


def is_scalar(schema: JSON, resolve: typing.Callable[[JSON], JSON]) -> bool:
    """Whether filter and order read a field of this schema: one scalar type, or
    one and null (`type: [string, 'null']`, or `anyOf`/`oneOf` of a scalar schema,
    perhaps a `$ref`, and `{type: 'null'}`)."""
    schema = resolve(schema)
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return len(kinds) == 1 and kinds[0] in SCALARS
    if kind is not None:
        return kind in SCALARS
    for key in ("anyOf", "oneOf"):
        options = [resolve(o) for o in schema.get(key) or []]
        values = [
            o for o in options if not (isinstance(o, dict) and o.get("type") == "null")
        ]
        if len(values) == 1:
            return is_scalar(values[0], resolve)
    return False


def _known(name: str, param: str, fields: frozenset[str] | None) -> str:
    if fields is not None and name not in fields:
        raise ServerError(400, f"{param}: no field {name!r}", param, "query")
    return name


def parse_order(
    text: str, param: str, fields: frozenset[str] | None
) -> list[tuple[str, bool]]:
    """`field [asc|desc]`, comma-separated, as (field, descending) pairs."""
    keys = []
    for term in text.split(","):
        found = _TERM.fullmatch(term)
        if found is None:
            raise ServerError(400, f"{param}: cannot read {term!r}", param, "query")
        keys.append((_known(found[1], param, fields), found[2] == "desc"))
    return keys


def sort(items: list[JSON], keys: Sequence[tuple[str, bool]]) -> list[JSON]:
    """Sorted by each key in turn; null and missing values first (last when
    descending), strings after numbers."""
    for name, descending in reversed(keys):
        items = sorted(items, key=_sort_key(name), reverse=descending)
    return items


def _sort_key(name: str) -> typing.Callable[[JSON], tuple[bool, bool, JSON]]:
    def key(item: JSON) -> tuple[bool, bool, JSON]:
        value = item.get(name)
        return value is not None, isinstance(value, str), 0 if value is None else value

    return key


def _literal(text: str) -> JSON:
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    constants: dict[str, JSON] = {"true": True, "false": False, "null": None}
    if text in constants:
        return constants[text]
    return float(text) if "." in text else int(text)


def _compare(value: JSON, op: str, literal: JSON) -> bool:
    """`value op literal`, or `op(value, literal)` for the string functions;
    values of different types never match."""
    if op in _FUNCTIONS:
        return isinstance(value, str) and _FUNCTIONS[op](value, str(literal))
    kinds = {type(value), type(literal)}
    same = len(kinds) == 1 or kinds == {int, float}
    if op in ("eq", "ne"):
        return (same and value == literal) == (op == "eq")
    return same and value is not None and _ORDERED[op](value, literal)


def parse_filter(
    text: str, param: str, fields: frozenset[str] | None
) -> typing.Callable[[JSON], bool]:
    """Terms `field op literal` and `startswith|endswith|contains(field, 'text')`,
    joined by ` and ` and ` or ` (`and` binds tighter), as a test of an item."""
    groups: list[list[tuple[str, str, JSON]]] = [[]]  # or-ed groups of and-ed clauses
    position = 0
    while True:
        found = _CLAUSE.match(text, position)
        if found is None:
            message = f"{param}: cannot read it from {text[position:][:40]!r}"
            raise ServerError(400, message, param, "query")
        if found[1] is not None:
            name, op, literal = found[1], found[2], found[3]
        else:
            name, op, literal = found[5], found[4], found[6]
        groups[-1].append((_known(name, param, fields), op, _literal(literal)))
        position = found.end()
        if position == len(text):
            break
        join = next((j for j in _JOINS if text.startswith(j, position)), None)
        if join is None:
            message = f"{param}: expected ' and ' or ' or ' at {text[position:][:40]!r}"
            raise ServerError(400, message, param, "query")
        if join == " or ":
            groups.append([])
        position += len(join)
    return lambda item: any(
        all(_compare(item.get(n), op, v) for n, op, v in clauses) for clauses in groups
    )


def instant(value: JSON) -> datetime.datetime:
    """An ISO 8601 date-time; `Z` for UTC."""
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def window(items: list[JSON], span: Window, params: Mapping[str, JSON]) -> list[JSON]:
    """The items whose field lies in the window the parameters sent give."""
    bounds = []
    for param in (span.from_param, span.to_param):
        value = params.get(param)
        bounds.append(None if value is None else _bound(value, span.format, param))
    low, high = bounds
    found = []
    for item in items:
        value = item.get(span.field)
        if value is None:
            continue
        moment = instant(value)
        point: typing.Any = moment.utctimetuple()[:3] if span.format else moment
        if (low is None or point >= low) and (high is None or point <= high):
            found.append(item)
    return found


def _bound(value: JSON, form: str, param: str) -> typing.Any:
    """An ISO 8601 instant; with a `format` (YYYY, MM, DD), a (year, month, day)."""
    if not form:
        return instant(value)
    pattern = re.escape(form)
    for token, group in (("YYYY", "y"), ("MM", "m"), ("DD", "d")):
        pattern = pattern.replace(token, f"(?P<{group}>[0-9]{{{len(token)}}})")
    found = re.fullmatch(pattern, str(value))
    if found is None:
        message = f"{param} must be a date in the form {form}"
        raise ServerError(400, message, param, "query")
    return (int(found["y"]), int(found["m"]), int(found["d"]))
