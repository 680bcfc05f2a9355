"""Check the regular expressions of schemas (`pattern`, `patternProperties`) with Python's `re`."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from ...pointers import join, walk
from ..extension import Findings
from .keywords import VALUES

RULE = "invalid-pattern"


def check_pattern(findings: Findings, schema: dict[str, Any], pointer: str) -> None:
    if isinstance(schema.get("pattern"), str):
        check_regex(findings, schema["pattern"], join(pointer, "pattern"))


def check_regex(findings: Findings, pattern: str, pointer: str) -> None:
    """A finding (`invalid-pattern`) when Python's `re` cannot compile `pattern`."""
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        findings.under(RULE).add(pointer, f"the pattern does not compile with Python's re ({exc}); left out")


def check_pattern_properties(findings: Findings, patterns: Any, pointer: str) -> None:
    """Check the regular expressions that name `patternProperties`."""
    for pattern in patterns if isinstance(patterns, dict) else {}:
        check_regex(findings, str(pattern), join(pointer, pattern))


def check_patterns(findings: Findings, node: Any, pointer: str) -> None:
    """Check every pattern in schemas the client does not type (under `not`, `if`...)."""
    for where, value in islice(walk(node, pointer, skip=VALUES, reverse=True), 10_000):
        if isinstance(value, dict):
            check_pattern(findings, value, where)
            check_pattern_properties(findings, value.get("patternProperties"), join(where, "patternProperties"))
