"""`diff`'s reports: text for a terminal, a Markdown changelog, and the JSON and CI
formats `reports` writes for `lint` too."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import groupby

from ..reports import FORMATS as CI_FORMATS
from ..reports import Report, plural
from .changes import SEVERITIES, Change

HEADINGS = {"breaking": "Breaking changes", "warning": "Changes to check", "info": "Other changes"}


def text(report: Report) -> str:
    """One line per change (with its effect on the code), then a summary line."""
    changes: Sequence[Change] = [c for c in report.findings if isinstance(c, Change)]
    lines = [str(change) for change in changes]
    specs = plural(len(report.checked), "spec")
    if changes:
        breaking, warnings, info = (sum(1 for c in changes if c.severity == s) for s in SEVERITIES)
        lines.append(f"{breaking} breaking, {plural(warnings, 'warning')}, {info} info in {specs} compared")
    else:
        lines.append(f"{specs} compared: no changes")
    return "".join(f"{line}\n" for line in lines)


MARKDOWN = re.compile(r"([\\`*_\[\]<>|~])")


def _escaped(text: str) -> str:
    """Spec text as Markdown shows it literally, on one line."""
    return MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    """A code span that holds any text: fenced by more backticks than it has in a row."""
    text = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if fence != "`" else f"`{text}`"


def _item(change: Change) -> str:
    effect = f" In the code: {_code(change.effect)}." if change.effect else ""
    return f"- {_escaped(change.message)}.{effect} ({change.rule})\n"


def markdown(report: Report) -> str:
    """A changelog for release notes: per spec, the breaking changes first, each with its effect on the code."""
    changes = sorted((c for c in report.findings if isinstance(c, Change)), key=lambda c: c.spec)
    if not changes:
        return f"No changes in {plural(len(report.checked), 'spec')}.\n"
    out = []
    for spec, found in groupby(changes, key=lambda c: c.spec):
        listed = list(found)
        out.append(f"## {_escaped(spec)}\n")
        for severity in SEVERITIES:
            chosen = [c for c in listed if c.severity == severity]
            if chosen:
                out.append(f"\n### {HEADINGS[severity]}\n\n")
                out += [_item(c) for c in chosen]
        out.append("\n")
    return "".join(out).rstrip("\n") + "\n"


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "json": CI_FORMATS["json"],
    "markdown": markdown,
    **{name: CI_FORMATS[name] for name in ("github", "gitlab", "sarif", "junit")},
}
