"""Findings as the reports CI systems read: text, JSON, GitHub workflow commands,
GitLab Code Quality, SARIF 2.1.0 and JUnit XML.

Each writer takes a `Report` (the located findings, the files checked, the tool
and its rule catalogue) and returns the whole report as one string, so the CLI
prints it alone on standard output.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from .problems import FATAL


class Finding(Protocol):
    """What the CI formats read of a finding: a lint `Problem`, or a `diff` change."""

    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def pointer(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...


@dataclass(frozen=True)
class Report:
    """What one run found, and what it looked at."""

    findings: Sequence[Finding]
    checked: Sequence[str]  # the files examined, as findings name them
    tool: str
    version: str
    rules: Mapping[str, tuple[str, str]]  # rule id -> (default severity, summary)


@dataclass(frozen=True)
class Level:
    """How one of our severities reads in each format."""

    github: str  # workflow command
    gitlab: str  # Code Quality severity
    sarif: str  # result level


LEVELS: dict[str, Level] = {
    "error": Level(github="error", gitlab="critical", sarif="error"),
    "warning": Level(github="warning", gitlab="minor", sarif="warning"),
    "breaking": Level(github="error", gitlab="critical", sarif="error"),  # `diff`'s severities
    "info": Level(github="notice", gitlab="info", sarif="note"),
}
FATAL_GITLAB = "blocker"  # a fatal finding: the spec cannot be used at all


def plural(count: int, noun: str) -> str:
    """`1 spec`, `2 specs`."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def text(report: Report) -> str:
    """One line per finding, then a summary line."""
    lines = [str(problem) for problem in report.findings]
    checked = plural(len(report.checked), "spec")
    if report.findings:
        errors = sum(1 for p in report.findings if p.severity == "error")
        counts = f"{plural(errors, 'error')}, {plural(len(report.findings) - errors, 'warning')}"
        lines.append(f"{counts} in {len({p.file for p in report.findings})} of {checked}")
    else:
        lines.append(f"{checked} checked: no problems")
    return "".join(f"{line}\n" for line in lines)


def json_list(report: Report) -> str:
    """Every finding with all its fields, as a JSON array."""
    return json.dumps([dict(vars(p)) for p in report.findings], indent=2, ensure_ascii=False) + "\n"


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _detail(problem: Finding) -> str:
    """The message with the pointer it is about."""
    return f"{_one_line(problem.message)} (at {problem.pointer or '/'})"


def _escape_data(value: str) -> str:
    """As GitHub's toolkit escapes a workflow command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """As GitHub's toolkit escapes a workflow command's property values."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> str:
    """One workflow command per finding: `::error file=F,line=L,title=RULE::message`."""
    lines = []
    for problem in report.findings:
        properties = {"file": problem.file, "line": str(max(problem.line, 1)), "title": problem.rule}
        shown = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        lines.append(f"::{LEVELS[problem.severity].github} {shown}::{_escape_data(_detail(problem))}\n")
    return "".join(lines)


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A hash per finding of its rule, file, pointer and message (not its line, which
    moves with unrelated edits); a repeat of the same finding gets its ordinal too."""
    seen: Counter[tuple[str, ...]] = Counter()
    found = []
    for problem in findings:
        key = (problem.rule, problem.file, problem.pointer, problem.message)
        repeat = seen[key]
        seen[key] += 1
        parts = key + ((str(repeat),) if repeat else ())
        found.append(hashlib.sha256("\0".join(parts).encode()).hexdigest())
    return found


def gitlab(report: Report) -> str:
    """GitLab's Code Quality report: a JSON array of issues."""
    issues = [
        {
            "description": _detail(problem),
            "check_name": problem.rule,
            "fingerprint": fingerprint,
            "severity": FATAL_GITLAB if problem.rule in FATAL else LEVELS[problem.severity].gitlab,
            "location": {"path": problem.file, "lines": {"begin": max(problem.line, 1)}},
        }
        for problem, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(file: str) -> str:
    """A file as SARIF names it: relative to the working directory, or a file:// URI."""
    path = Path(file)
    return path.as_uri() if path.is_absolute() else quote(file)


def sarif(report: Report) -> str:
    """A SARIF 2.1.0 log of one run, the rule catalogue as the driver's rules."""
    index = {rule: i for i, rule in enumerate(report.rules)}
    rules = [
        {
            "id": rule,
            "shortDescription": {"text": summary},
            "defaultConfiguration": {"level": LEVELS[severity].sarif},
        }
        for rule, (severity, summary) in report.rules.items()
    ]
    results = []
    for problem, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True):
        result = {
            "ruleId": problem.rule,
            **({"ruleIndex": index[problem.rule]} if problem.rule in index else {}),
            "level": LEVELS[problem.severity].sarif,
            "message": {"text": _one_line(problem.message)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(problem.file)},
                        "region": {"startLine": max(problem.line, 1)},
                    },
                    "logicalLocations": [{"fullyQualifiedName": problem.pointer or "/"}],
                }
            ],
            "partialFingerprints": {f"{report.tool}/v1": fingerprint},
        }
        results.append(result)
    driver = {"name": report.tool, "version": report.version, "rules": rules}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def junit(report: Report) -> str:
    """JUnit XML: a test suite per file, a failing test case per finding, or one
    passing test case for a file without findings."""
    by_file: dict[str, list[Finding]] = {file: [] for file in report.checked}
    for problem in report.findings:
        by_file.setdefault(problem.file, []).append(problem)
    total = str(sum(max(len(found), 1) for found in by_file.values()))
    root = ET.Element("testsuites", name=report.tool, tests=total, failures=str(len(report.findings)), errors="0")
    for file, found in by_file.items():
        suite = ET.SubElement(
            root, "testsuite", name=file, tests=str(max(len(found), 1)), failures=str(len(found)), errors="0"
        )
        if not found:
            ET.SubElement(suite, "testcase", name="no problems", classname=file, file=file)
        for problem in found:
            name = f"{problem.rule} at {problem.pointer or '/'}"
            case = ET.SubElement(suite, "testcase", name=name, classname=file, file=file, line=str(problem.line))
            failure = ET.SubElement(case, "failure", type=problem.severity, message=_one_line(problem.message))
            failure.text = str(problem)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "json": json_list,
    "github": github,
    "gitlab": gitlab,
    "sarif": sarif,
    "junit": junit,
}
