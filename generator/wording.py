"""How findings name JSON values and types: in words a spec's author reads, not Python reprs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def value(found: Any) -> str:
    """`the string 'boolean'`, `the number 5`, `true`, `null`, `an object`, `an array`."""
    if found is None or isinstance(found, bool):
        return json.dumps(found)
    if isinstance(found, (int, float)):
        return f"the number {found!r}"
    if isinstance(found, str):
        return f"the string {found!r}"
    return "an object" if isinstance(found, dict) else "an array" if isinstance(found, list) else repr(found)


def type_mismatch(found: Any, expected: Iterable[str]) -> str:
    """`expected a boolean, not the string 'boolean'`."""
    names = [TYPES.get(name, repr(name)) for name in expected]
    wanted = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"expected {wanted}, not {value(found)}"
