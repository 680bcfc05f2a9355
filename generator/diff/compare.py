"""Compare two versions of a spec: load each through the pipeline, compare, locate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..load import Document, load
from ..model import Api
from ..pipeline import check_spec
from ..problems import Problem
from ..sources import display_path
from .changes import RULES, Change
from .effects import Surface
from .found import Found
from .operations import OperationComparison
from .security import compare_security, compare_servers
from .types import compare_types


@dataclass(frozen=True)
class Side:
    """One version of a spec, as the pipeline models it, and the lines of its file."""

    api: Api
    lines: Document
    label: str  # how findings name its file

    def locate(self, pointer: str) -> tuple[str, int]:
        file = self.lines.file_of(pointer)
        return (self.label if file == self.lines.display else file), self.lines.line_of(pointer)


def load_side(path: Path, label: str = "") -> Side | list[Problem]:
    """A spec loaded, checked and modelled by the pipeline (overlays and all); its
    errors, named as `label`, if it has any."""
    label = label or display_path(path)
    api, problems = check_spec(path)
    errors = [p for p in problems if p.severity == "error"]
    lines = load(path) if api is not None else None
    if api is None or not isinstance(lines, Document):
        shown = display_path(path)
        return [Problem(label if p.file == shown else p.file, p.line, p.pointer, p.message, p.rule) for p in errors]
    return Side(api, lines, label)


def compare(old: Side, new: Side) -> list[Change]:
    """Every change from `old` to `new`, located, each once, in report order."""
    before, after = Surface.of(old.api), Surface.of(new.api)
    found = OperationComparison(old.api.document, new.api.document, before, after).run()
    found += compare_security(before, after) + compare_servers(before, after) + compare_types(before, after)
    changes = [_located(f, old if f.old else new, new.label) for f in dict.fromkeys(found)]
    return sorted(dict.fromkeys(changes), key=lambda change: change.order)


def _located(found: Found, side: Side, spec: str) -> Change:
    file, line = side.locate(found.pointer)
    severity = RULES[found.rule][0]
    return Change(file, line, found.pointer, found.message, found.rule, severity, found.effect, spec)
