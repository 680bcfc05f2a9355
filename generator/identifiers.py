"""The only way spec text becomes Python source: names, literals, docstrings
(and TOML strings, for a distribution's pyproject.toml).

Templates may only emit `Code` values (and ints/bools); a plain string that
came from a spec must pass through one of the functions here first. The
renderer enforces that, so no spec text reaches a module unescaped.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from typing import Any

from .markup import markdown


class Code(str):
    """A fragment of Python source that is safe to emit as it is."""


# Mixed-case terms read as one word: `getCallQoS` -> get, call, qos.
TERMS = ("QoS", "OAuth", "IoT", "IPv4", "IPv6", "GraphQL")
# Words: `HTTPServer` -> HTTP, Server; an acronym's plural stays whole (`PACs`, `URLs`);
# digits stay with the word before them (`LAYOUT0`, `v2`).
_WORDS = re.compile(
    "|".join(f"{term}[0-9]*" for term in TERMS)
    + r"|[A-Z]{2,}[0-9]*s(?![a-z])|[A-Z]+[0-9]*(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+[0-9]*|[0-9]+"
)
# A leading verb with the article glued on (`sendaChatMessage`): send, a, chat, message.
_VERB_AND_ARTICLE = re.compile(r"(add|create|delete|get|list|remove|send|set|update)(an?)")

# Names a generated method body, or pydantic's BaseModel, already uses.
RESERVED_PARAMETERS = frozenset(
    """self cls response body models datetime typing httpx extra_headers timeout max_retries""".split()
)
RESERVED_FIELDS = frozenset(
    """copy dict json parse_obj parse_raw parse_file schema schema_json construct validate
    update_forward_refs fields from_orm model_config model_fields model_computed_fields
    model_extra model_fields_set model_construct model_copy model_dump model_dump_json
    model_json_schema model_parametrized_name model_post_init model_rebuild model_validate
    model_validate_json model_validate_strings register""".split()
    # modules the models module uses, and the built-in types its annotations
    # name: a field of that name would hide them from the fields below it
    + "datetime enum typing pydantic str int float bool bytes list dict".split()
)


def words(text: str) -> list[str]:
    """Split any spec name into ASCII words: camelCase, snake_case, kebab, spaces."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found: list[str] = _WORDS.findall(ascii_text)
    glued = _VERB_AND_ARTICLE.fullmatch(found[0]) if len(found) > 1 else None
    return [*glued.groups(), *found[1:]] if glued else found


def snake_case(text: str) -> str:
    """`meetingId` -> `meeting_id`; always a valid, non-keyword identifier."""
    name = "_".join(w.lower() for w in words(text)) or "value"
    if name[0].isdigit():
        name = "n_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def class_name(text: str) -> str:
    """`join.me meeting` -> `JoinMeMeeting`; always a valid identifier."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or "Model"
    if name[0].isdigit():
        name = "N" + name
    if keyword.iskeyword(name):  # None, True, False
        name += "_"
    return name


def constant_name(text: str) -> str:
    """`in progress` -> `IN_PROGRESS`, for enum members."""
    name = "_".join(w.upper() for w in words(text)) or "EMPTY"
    if name[0].isdigit():
        name = "VALUE_" + name
    return name


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def member_name(value: str | int | float) -> str:
    """An enum member's name for its value: `LAYOUT0`, `VALUE_1`, `VALUE_NEGATIVE_1`, `VALUE_2_5`."""
    text = value if isinstance(value, str) else repr(value)
    if not _NUMBER.fullmatch(text):
        return constant_name(text)
    sign = "NEGATIVE_" if text.startswith("-") else ""
    return "VALUE_" + sign + text.lstrip("-").replace(".", "_")


class NameScope:
    """Hands out distinct names in one namespace, deterministically.

    A name already taken (or reserved) gets the first free suffix `_2`, `_3`...
    Comparison ignores case when `fold_case` is set (file names, class names
    on case-insensitive file systems).
    """

    def __init__(self, reserved: frozenset[str] = frozenset(), fold_case: bool = False) -> None:
        self._fold = fold_case
        self._reserved = {self._key(r) for r in reserved}
        self._taken: set[str] = set()

    def _key(self, name: str) -> str:
        return name.casefold() if self._fold else name

    def _free(self, name: str) -> bool:
        key = self._key(name)
        return key not in self._taken and key not in self._reserved

    def claim(self, name: str) -> Code:
        """`name`, or `name_` if it is reserved, or the first free `name_2`..."""
        base = name + "_" if self._key(name) in self._reserved else name
        separator = "" if base.endswith("_") else "_"
        candidate, n = base, 1
        while not self._free(candidate):
            n += 1
            candidate = f"{base}{separator}{n}"
        self._taken.add(self._key(candidate))
        return Code(candidate)


def literal(value: Any) -> Code:
    """A Python literal for a JSON value (str, number, bool, null, list, dict)."""
    if value is None or isinstance(value, (bool, int, float)):
        return Code(repr(value))
    if isinstance(value, str):
        return Code(_string(value))
    if isinstance(value, list):
        return Code("[" + ", ".join(literal(v) for v in value) + "]")
    if isinstance(value, tuple):
        members = [literal(v) for v in value]
        return Code("(" + ", ".join(members) + ("," if len(members) == 1 else "") + ")")
    if isinstance(value, dict):
        items = (f"{_string(str(k))}: {literal(v)}" for k, v in value.items())
        return Code("{" + ", ".join(items) + "}")
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _string(text: str) -> str:
    """A double-quoted literal; non-printable characters become escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return '"' + "".join(out) + '"'


def docstring(text: str | None, indent: int = 0) -> Code:
    """The body of a triple-quoted docstring that shows `text` (its HTML as Markdown) and nothing else.

    Lines after the first are indented by `indent` spaces.
    """
    if not text:
        return Code("")
    lines = []
    for line in markdown(text.replace("\r\n", "\n").replace("\r", "\n")).strip().split("\n"):
        escaped = []
        for char in line.rstrip():
            if char == "\\":
                escaped.append("\\\\")
            elif char == '"':
                escaped.append('\\"')  # no run of quotes can close the docstring
            elif char.isprintable() or char == "\t":
                escaped.append(char)
            else:
                escaped.append(char.encode("unicode_escape").decode("ascii"))
        lines.append("".join(escaped))
    return Code(("\n" + " " * indent).join(lines))


def comment(text: str) -> Code:
    """A single-line comment body: line breaks and control characters dropped."""
    return Code("".join(c if c.isprintable() else " " for c in text))


def toml(value: str | list[str]) -> Code:
    """A TOML basic string, or an array of them: quotes, backslashes and non-printable
    characters escaped; a lone surrogate (which TOML cannot hold) replaced."""
    if isinstance(value, list):
        return Code("[" + ", ".join(toml(item) for item in value) + "]")
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif "\ud800" <= char <= "\udfff":
            out.append("\\ufffd")
        elif char.isprintable():
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return Code('"' + "".join(out) + '"')
