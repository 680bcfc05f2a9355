"""Findings about a spec, the rules they come from, and the one exception that
carries errors to the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# Findings that mean no correct code can be made: always errors, never ignored.
FATAL: dict[str, str] = {
    "file-unreadable": "The spec file can be read and is not empty.",
    "syntax": "The file is well-formed YAML or JSON (no duplicate keys, custom tags or alias bombs).",
    "not-openapi": "The document is OpenAPI 3.0.x or 3.1.x (or Swagger 2.0, converted in memory).",
    "ref-unresolved": "Every $ref resolves to a node in the spec or a file in its folder, without cycles.",
    "package-clash": "No two specs generate the same package.",
    "config": "The [tool.clientgen.lint] configuration is valid.",
    "internal-error": "The generator produced valid Python (a failure here is a bug: please report it).",
}
# Generator findings that are warnings unless configured otherwise; the house
# style rules in `rules.py` join them.
GENERATOR: dict[str, str] = {
    "oas-schema": "The document validates against the OpenAPI schema.",
    "unsupported": "A construct the generator cannot type exactly becomes `typing.Any` (or `bytes`).",
    "invalid-default": "A default matches its schema; one that does not is left out.",
    "invalid-pattern": "A pattern compiles with Python's `re`; one that does not is left out.",
    "x-pagination": "An x-pagination extension names a known style, fields of the 2xx body and query parameters.",
    "paging-inferred": "A list without x-pagination that follows a paging convention gets an auto-paging twin (informational).",
    "x-fake": "An x-fake extension names known actions, keys, collections and the operation's parameters.",
    "x-server": "An x-server extension has known keys, error statuses and values of the right types.",
    "x-resource": "An x-resource extension names the resource (client attribute) an operation belongs to.",
    "x-unified": "An x-unified extension names the spec's operations and fields of its meeting object that convert.",
    "swagger2-convert": "A Swagger 2.0 construct carries over to OpenAPI 3.0 exactly.",
}
# Findings that say what the generator inferred, rather than what is wrong: shown last.
INFORMATIONAL = frozenset({"paging-inferred"})


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located by file, line and JSON pointer."""

    file: str
    line: int
    pointer: str
    message: str
    rule: str
    severity: Severity = "error"

    def __str__(self) -> str:
        message = " ".join(self.message.split())  # always one line
        return f"{self.file}:{self.line}: {self.pointer or '/'}: {self.severity} [{self.rule}] {message}"


class GeneratorError(Exception):
    """Raised at the edge of the pipeline when a spec cannot be used."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
