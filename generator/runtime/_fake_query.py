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
_LITERAL = r"'(?:[^']|'')*'|-?[0-9]+(?:\.[0-9]+)?|true|false|null"
_CLAUSE = re.compile(rf"({_NAME}) (eq|ne|gt|ge|lt|le) ({_LITERAL})")
_ORDERED = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
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
    """Sorted by each key in turn; missing values first, strings after numbers."""
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
    """`value op literal`; values of different types never match."""
    kinds = {type(value), type(literal)}
    same = len(kinds) == 1 or kinds == {int, float}
    if op in ("eq", "ne"):
        return (same and value == literal) == (op == "eq")
    return same and value is not None and _ORDERED[op](value, literal)


def parse_filter(
    text: str, param: str, fields: frozenset[str] | None
) -> typing.Callable[[JSON], bool]:
    """`field op literal`, joined by ` and `, as a test of an item."""
    clauses: list[tuple[str, str, JSON]] = []
    position = 0
    while True:
        found = _CLAUSE.match(text, position)
        if found is None:
            message = f"{param}: cannot read it from {text[position:][:40]!r}"
            raise ServerError(400, message, param, "query")
        name = _known(found[1], param, fields)
        clauses.append((name, found[2], _literal(found[3])))
        position = found.end()
        if position == len(text):
            break
        if not text.startswith(" and ", position):
            message = f"{param}: expected ' and ' at {text[position:][:40]!r}"
            raise ServerError(400, message, param, "query")
        position += len(" and ")
    return lambda item: all(_compare(item.get(n), op, v) for n, op, v in clauses)


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
