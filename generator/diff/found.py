"""A change as the comparisons find it, before it is located in a file."""

from __future__ import annotations

import re
from dataclasses import dataclass

TEMPLATE = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Found:
    """A change of rule `rule` at `pointer`: in NEW, or in OLD when `old` (what was removed)."""

    rule: str
    pointer: str
    message: str
    effect: str = ""
    old: bool = False


def removed(rule: str, pointer: str, message: str, effect: str = "") -> Found:
    """A change located in OLD: what NEW no longer has."""
    return Found(rule, pointer, message, effect, old=True)


def route(method: str, path: str) -> tuple[str, str]:
    """How an operation is matched across versions: its method and path, whatever its
    path parameters are called."""
    return method.lower(), TEMPLATE.sub("{}", path)
