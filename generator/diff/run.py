"""Compare pairs of spec files, and every spec of a folder against a git revision."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem
from ..sources import discover, display_path
from .changes import RULES, Change
from .compare import compare, load_side
from .history import export


@dataclass(frozen=True)
class Version:
    """One side of a comparison: a spec file (None: there is none), and how findings name it."""

    path: Path | None
    label: str


def diff_pair(old: Version, new: Version) -> tuple[list[Change], list[Problem]]:
    """The changes from `old` to `new`; the errors that stop either side from loading instead."""
    if old.path is None or new.path is None:
        return [_whole(old, new)], []
    before, after = load_side(old.path, old.label), load_side(new.path, new.label)
    if isinstance(before, list) or isinstance(after, list):
        return [], [*(before if isinstance(before, list) else []), *(after if isinstance(after, list) else [])]
    return compare(before, after), []


def _whole(old: Version, new: Version) -> Change:
    """A spec added or removed as a whole."""
    if new.path is None:
        rule, label, message = "spec-removed", old.label, f"{new.label} is gone (it was at the revision)"
    else:
        rule, label, message = "spec-added", new.label, f"{new.label} is new (it is not at the revision)"
    return Change(label, 1, "", message, rule, RULES[rule][0], "", new.label)


def against(ref: str, folder: Path, specs: list[Path] | None = None) -> tuple[list[Change], list[Problem], list[str]]:
    """Every spec of `folder` (or `specs`, files in it) against itself at git revision
    `ref`: the changes, the errors, and the specs compared."""
    current = specs if specs is not None else discover(folder)
    changes: list[Change] = []
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="clientgen-diff-") as temporary:
        export(ref, folder, Path(temporary))
        then = {path.name: path for path in discover(Path(temporary))}  # what counts as a spec, as today
        now = {path.name: path for path in current}
        names = sorted(now.keys() | (then.keys() if specs is None else set()))
        for name in names:
            shown = display_path(now[name]) if name in now else display_path(folder / name)
            old = Version(then.get(name), f"{ref}:{shown}")
            found, failed = diff_pair(old, Version(now.get(name), shown))
            changes += found
            problems += failed
    return sorted(changes, key=lambda change: change.order), sorted(problems), [display_path(folder / n) for n in names]
