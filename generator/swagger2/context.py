"""What one conversion shares: the source document, and the records every section
module writes to (where each node came from, the warnings, the `$ref`s to rewrite,
the bundled nodes still to convert).

The record is the only state of a conversion; each section module is a set of
functions that take it as their first argument.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..load import BUNDLE, Document
from ..pointers import join
from ..problems import Problem

RULE = "swagger2-convert"
# The 2.0 sections that become components, and their OpenAPI 3 names.
SECTIONS = {
    "definitions": "schemas",
    "parameters": "parameters",
    "responses": "responses",
    "securityDefinitions": "securitySchemes",
}
NOT_A_NAME = re.compile(r"[^A-Za-z0-9._-]")  # what an OpenAPI 3 component name may not hold

# How a node that a `$ref` names is converted: (context, new pointer, original pointer, node).
Convert = Callable[["Context", str, str, Any], Any]


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def is_bundled(pointer: str | None) -> bool:
    return pointer is not None and pointer.startswith(BUNDLE + "/")


def media_types(value: Any) -> list[str]:
    """A `consumes` / `produces` value as a list of distinct media types."""
    items = [value] if isinstance(value, str) else as_list(value)
    return list(dict.fromkeys(m.strip() for m in items if isinstance(m, str) and m.strip()))


def essence(media_type: str) -> str:
    return media_type.split(";")[0].strip().lower()


def component_names(section: Any) -> dict[str, str]:
    """Each name of a 2.0 section, mapped to a valid, distinct OpenAPI 3 component name."""
    names: dict[str, str] = {}
    taken = {n for n in as_dict(section) if not NOT_A_NAME.search(n)}
    for name in as_dict(section):
        if not NOT_A_NAME.search(name):
            names[name] = name
            continue
        base = NOT_A_NAME.sub("_", name.replace("[]", "Array")) or "_"
        new, count = base, 1
        while new in taken:
            count += 1
            new = f"{base}_{count}"
        taken.add(new)
        names[name] = new
    return names


@dataclass(frozen=True, eq=False)
class Context:
    """One conversion. The document's facts are read once here; the collections
    are what the conversion records as it builds the result."""

    source: Document
    data: dict[str, Any]
    by_role: Mapping[str, Convert]  # what a node becomes by the role its references give it
    names: dict[str, dict[str, str]]  # section -> 2.0 name -> component name
    consumes: list[str]  # the document's, for operations that do not say
    produces: list[str]
    lines: dict[str, int] = field(default_factory=dict)  # new pointer -> line of its origin
    found: dict[str, int] = field(default_factory=dict)  # original pointer -> its line (or its nearest ancestor's)
    exact: dict[str, str] = field(default_factory=dict)  # original pointer -> pointer of its copy (the first)
    holders: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)  # (copy, its $ref, $ref's pointer)
    warnings: dict[Problem, None] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)  # bundled pointer -> what its references make it
    pending: list[str] = field(default_factory=list)  # bundled pointers with a role, not converted yet
    substitutes: dict[str, Any] = field(default_factory=dict)  # bundled pointer -> its converted node

    @classmethod
    def of(cls, source: Document, by_role: Mapping[str, Convert]) -> Context:
        data = as_dict(source.data)
        return cls(
            source,
            data,
            by_role,
            {section: component_names(data.get(section)) for section in SECTIONS},
            media_types(data.get("consumes")) or ["application/json"],
            media_types(data.get("produces")) or ["application/json"],
        )

    def mark(self, new: str, old: str) -> None:
        """`new` is built from `old` (and is on its line)."""
        self.lines[new] = self.line_of(old)

    def line_of(self, old: str) -> int:
        """`Document.line_of`, remembered: a one-line JSON document has no line for most
        pointers, and each would otherwise climb to the root."""
        missing: list[str] = []
        pointer = old
        while pointer and pointer not in self.source.lines and pointer not in self.found:
            missing.append(pointer)
            pointer = pointer.rsplit("/", 1)[0]
        line = self.source.lines.get(pointer) or self.found.get(pointer) or self.source.line_of("")
        self.found.update(dict.fromkeys(missing, line))
        return line

    def same(self, new: str, old: str) -> None:
        """`new` is a copy of `old`: a `$ref` to `old` will name `new`."""
        self.mark(new, old)
        self.exact.setdefault(old, new)

    def warn(self, old: str, message: str) -> None:
        self.warnings[replace(self.source.problem(old, message, RULE), severity="warning")] = None

    def set(self, result: dict[str, Any], new: str, key: str, value: Any, old: str) -> None:
        """`result[key] = value` (a scalar, or a container whose items are marked), built from `old`."""
        result[key] = value
        self.mark(join(new, key), old)

    def assign(self, pointer: str | None, role: str) -> None:
        """A bundled node is converted in place as a `role` node (the first role it gets)."""
        if pointer is not None and is_bundled(pointer) and pointer not in self.roles:
            self.roles[pointer] = role
            self.pending.append(pointer)
