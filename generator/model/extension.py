"""The findings about one document: every parser adds to one collector, each
finding located and under its rule; checks for the values of our extensions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from ..load import Document
from ..pointers import join
from ..problems import Problem

IGNORED_KEYS = frozenset({"x-lint-ignore"})  # read everywhere, by `lint`


def suggestion(word: object, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when one of `choices` is close to `word`; else ""."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Findings:
    """What was found in one document, each finding under a rule, and helpers that
    check a value's type.

    `build_api` makes the collector (rule `unsupported`) and hands it to every
    parser; `under(rule)` is a view for one rule or one extension. A view's
    `problems` are those added through it (or its own views); each is also in the
    collector's, which therefore holds every finding.
    """

    def __init__(self, document: Document, rule: str = "unsupported", parent: Findings | None = None) -> None:
        self.document = document
        self.rule = rule
        self.parent = parent
        self.problems: list[Problem] = []

    def under(self, rule: str) -> Findings:
        """A view that adds its findings under `rule`."""
        return Findings(self.document, rule, self)

    def add(self, pointer: str, message: str) -> None:
        problem = self.document.problem(pointer, message, self.rule)
        view: Findings | None = self
        while view is not None:
            view.problems.append(problem)
            view = view.parent

    def need(self, raw: dict[str, Any], keys: Iterable[str], pointer: str, what: str) -> None:
        """A finding for each of `keys` that `raw` lacks."""
        for key in keys:
            if key not in raw:
                self.add(pointer, f"{what} needs {key!r}")

    def mapping(self, value: Any, pointer: str, what: str) -> dict[str, Any]:
        """`value` if it is a mapping; else a finding and {}."""
        if isinstance(value, dict):
            return value
        self.add(pointer, f"{what} must be a mapping, not {_kind(value)}")
        return {}

    def keys(self, raw: dict[str, Any], pointer: str, known: Iterable[str], what: str) -> None:
        """A finding for each key of `raw` that is not in `known`."""
        known = set(known)
        for key in raw:
            if key not in known and key not in IGNORED_KEYS:
                self.add(join(pointer, key), f"unknown key {key!r} in {what}{suggestion(key, known)}")

    def text(self, value: Any, pointer: str, what: str) -> str:
        """`value` if it is a non-empty string; else a finding and ""."""
        if isinstance(value, str) and value:
            return value
        self.add(pointer, f"{what} must be a non-empty string, not {_kind(value)}")
        return ""

    def pointer(self, value: Any, pointer: str, what: str) -> str:
        """`value` if it is a JSON pointer ("" or starting with "/"); else a finding and ""."""
        if isinstance(value, str) and (value == "" or value.startswith("/")):
            return value
        self.add(pointer, f"{what} must be a JSON pointer such as '/data', not {value!r}")
        return ""

    def sequence(self, value: Any, pointer: str, what: str) -> list[Any]:
        """`value` if it is a list; else a finding and []."""
        if isinstance(value, list):
            return value
        self.add(pointer, f"{what} must be a list, not {_kind(value)}")
        return []

    def texts(self, value: Any, pointer: str, what: str) -> tuple[str, ...]:
        """`value` if it is a list of non-empty strings; else findings and ()."""
        items = self.sequence(value, pointer, what)
        return tuple(self.text(v, join(pointer, i), f"each of {what}") for i, v in enumerate(items))


def _kind(value: Any) -> str:
    """How a finding names a value's type: YAML's words."""
    if value is None:
        return "null"
    if value == "":
        return "an empty string"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "a mapping"}
    return names.get(type(value), type(value).__name__)
