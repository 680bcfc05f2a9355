"""`[tool.clientgen.diff]`: which changes count, and how much.

[tool.clientgen.diff]
ignore = ["operation-added"]                  # rules never reported
severity = { "server-removed" = "warning" }   # raise or lower a rule's severity
acknowledged = [                              # one change accepted, by its pointer (and rule)
    { pointer = "/paths/~1meetings/get", rule = "operation-removed" },
    "/servers/1",                             # every change at this pointer
]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..config import _table, config_error
from ..sources import display_path
from .changes import RULES, SEVERITIES, Change, Severity

TABLE = ("tool", "clientgen", "diff")
SETTINGS = ("ignore", "severity", "acknowledged")


@dataclass(frozen=True)
class DiffConfig:
    source: str = ""
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    acknowledged: frozenset[tuple[str, str]] = frozenset()  # (pointer, rule); rule "" for any

    def settle(self, changes: Iterable[Change]) -> list[Change]:
        """The changes that count, each with its severity, in report order."""
        settled = []
        for change in changes:
            if change.rule in self.ignore or self.accepts(change):
                continue
            settled.append(replace(change, severity=self.severity.get(change.rule, change.severity)))
        return sorted(settled, key=lambda change: change.order)

    def accepts(self, change: Change) -> bool:
        return (change.pointer, change.rule) in self.acknowledged or (change.pointer, "") in self.acknowledged


def load_diff_config(path: Path | None) -> DiffConfig:
    """The `[tool.clientgen.diff]` table of `path` (defaults when None or absent); raises
    GeneratorError, located, if it is malformed or names a rule there is not."""
    if path is None:
        return DiffConfig()
    source = display_path(path)
    raw = _table(path, TABLE)
    if raw is None:
        return DiffConfig(source)
    for key in raw:
        if key not in SETTINGS:
            raise config_error(source, f"unknown setting {key!r} in [tool.clientgen.diff]", key)
    ignore = raw.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(r, str) for r in ignore):
        raise config_error(source, "ignore must be a list of rule ids", "ignore")
    severity = raw.get("severity", {})
    if not isinstance(severity, dict) or not all(v in SEVERITIES for v in severity.values()):
        raise config_error(source, "severity must map rule ids to 'breaking', 'warning' or 'info'", "severity")
    acknowledged = frozenset(_acknowledged(source, raw.get("acknowledged", [])))
    for rule in [*ignore, *severity, *(rule for _, rule in acknowledged if rule)]:
        if rule not in RULES:
            raise config_error(source, f"unknown rule {rule!r} (see `diff --list-rules`)", rule)
    return DiffConfig(source, frozenset(ignore), severity, acknowledged)


def _acknowledged(source: str, raw: Any) -> Iterable[tuple[str, str]]:
    message = "acknowledged must be a list of pointers or of { pointer = ..., rule = ... } tables"
    if not isinstance(raw, list):
        raise config_error(source, message, "acknowledged")
    for entry in raw:
        if isinstance(entry, str):
            yield entry, ""
        elif isinstance(entry, dict) and isinstance(entry.get("pointer"), str) and set(entry) <= {"pointer", "rule"}:
            rule = entry.get("rule", "")
            if not isinstance(rule, str):
                raise config_error(source, message, "acknowledged")
            yield entry["pointer"], rule
        else:
            raise config_error(source, message, "acknowledged")
