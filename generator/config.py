"""Which findings count, and how much: `[tool.clientgen.lint]` in pyproject.toml
(as ruff does it) and `x-lint-ignore` on a spec node.

    [tool.clientgen.lint]
    select = ["ALL"]                    # rules to report (default: all)
    ignore = ["component-unused"]       # rules never reported
    severity = { ALL = "warning", "security-required" = "error" }
    fail-on = "error"                   # `lint` exits 1 on errors; "warning": on warnings too

    [tool.clientgen.lint.per-file-overrides."specs/*"]
    severity = { ALL = "error" }        # select, ignore and severity, for matching files

`[tool.clientgen]` itself may say `dist = "clients"`: `generate` then writes
distributions there, as `--dist clients` does (`load_dist`).

Layers apply in order, the top table first, then every matching override; in
each, `ALL` first, then named rules. Fatal rules (`problems.FATAL`) are always
errors and cannot be ignored.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .pointers import mappings
from .problems import FATAL, GeneratorError, Problem, Severity
from .sources import display_path

TABLE = ("tool", "clientgen", "lint")
ALL = "ALL"
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
INLINE = "x-lint-ignore"


@dataclass(frozen=True)
class Layer:
    """One table of settings: the top one, or a per-file override."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)

    def names(self) -> Iterator[str]:
        yield from self.select or ()
        yield from self.ignore
        yield from self.severity


@dataclass(frozen=True)
class LintConfig:
    root: Path = Path(".")  # per-file patterns are relative to this folder
    source: str = ""  # the pyproject.toml it came from, if any
    top: Layer = Layer()
    overrides: tuple[tuple[str, Layer], ...] = ()
    fail_on: Severity = "error"

    def check_rules(self, known: Iterable[str]) -> None:
        """Raise if a setting names a rule that does not exist, or tries to ignore a fatal one."""
        known = set(known) | {ALL}
        for layer in (self.top, *(layer for _, layer in self.overrides)):
            for name in layer.names():
                if name not in known:
                    raise self._error(name, f"unknown rule {name!r} (see `lint --list-rules`)")
            for name in layer.ignore | {n for n, s in layer.severity.items() if s != "error"}:
                if name in FATAL:
                    raise self._error(name, f"rule {name!r} is fatal: it cannot be ignored or made a warning")

    def settle(
        self, problems: Iterable[Problem], suppressed: Mapping[str, frozenset[str]] | None = None
    ) -> list[Problem]:
        """The findings that count, each with its severity; `suppressed` (from
        `inline_suppressions`) silences findings at and below its nodes."""
        suppressed = suppressed or {}
        settled = set()
        for problem in problems:
            severity = self.severity(problem.rule, problem.file)
            if severity is not None and not _suppressed(problem, suppressed):
                settled.add(replace(problem, severity=severity))
        return sorted(settled)

    def severity(self, rule: str, file: str) -> Severity | None:
        """The severity of `rule`'s findings in `file`; None when they are not reported."""
        if rule in FATAL:
            return "error"
        selected = True
        severity: Severity = "warning"
        for layer in self._layers(file):
            if layer.select is not None:
                selected = rule in layer.select or ALL in layer.select
            if rule in layer.ignore or ALL in layer.ignore:
                selected = False
            severity = layer.severity.get(rule, layer.severity.get(ALL, severity))
        return severity if selected else None

    def _layers(self, file: str) -> Iterator[Layer]:
        yield self.top
        try:
            relative = Path(file).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return
        yield from (layer for pattern, layer in self.overrides if fnmatch.fnmatchcase(relative, pattern))

    def _error(self, token: str, message: str) -> GeneratorError:
        return config_error(self.source, message, token)


def config_error(source: str, message: str, token: str = "", line: int = 1) -> GeneratorError:
    """A located error in the configuration file: at `line`, or the first line that names `token`."""
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
        line = next((i for i, text in enumerate(lines, 1) if token and token in text), line)
    except OSError:
        pass
    return GeneratorError([Problem(source, line, "", message, "config")])


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` with a `[tool.clientgen]` table."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _table(candidate, TABLE[:2]) is not None:
            return candidate
    return None


def load_config(path: Path | None) -> LintConfig:
    """The lint configuration in `path` (defaults when None); raises GeneratorError if it is malformed."""
    if path is None:
        return LintConfig()
    source = display_path(path)
    raw = _table(path, TABLE)
    if raw is None:
        return LintConfig(root=path.parent, source=source)
    known = {"select", "ignore", "severity", "fail-on", "per-file-overrides"}
    for key in raw:
        if key not in known:
            raise config_error(source, f"unknown setting {key!r} in [tool.clientgen.lint]", key)
    fail_on = raw.get("fail-on", "error")
    if fail_on not in SEVERITIES:
        raise config_error(source, "fail-on must be 'error' or 'warning'", "fail-on")
    overrides = raw.get("per-file-overrides", {})
    if not isinstance(overrides, dict):
        raise config_error(source, "per-file-overrides must be a table of file patterns", "per-file-overrides")
    return LintConfig(
        root=path.parent,
        source=source,
        top=_layer(source, {k: v for k, v in raw.items() if k in ("select", "ignore", "severity")}),
        overrides=tuple((str(pattern), _layer(source, layer)) for pattern, layer in overrides.items()),
        fail_on=fail_on,
    )


def load_dist(path: Path | None) -> Path | None:
    """`dist` in `[tool.clientgen]`: the folder `generate` writes distributions to
    (`generate --dist`), relative to the file's folder; None when it is not set."""
    raw = _table(path, TABLE[:2]) if path is not None else None
    if path is None or raw is None or "dist" not in raw:
        return None
    if not isinstance(raw["dist"], str) or not raw["dist"]:
        raise config_error(display_path(path), "dist must be a folder (a string)", "dist")
    return path.parent / raw["dist"]


def _table(path: Path, keys: tuple[str, ...]) -> dict[str, Any] | None:
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise config_error(display_path(path), f"cannot read the file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else 1
        raise config_error(display_path(path), f"malformed TOML: {exc}", line=line) from None
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None


def _layer(source: str, raw: Any) -> Layer:
    if not isinstance(raw, dict):
        raise config_error(source, "each per-file override must be a table", "per-file-overrides")
    for key in raw:
        if key not in ("select", "ignore", "severity"):
            raise config_error(source, f"unknown setting {key!r} in a per-file override", key)

    def names(key: str) -> frozenset[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise config_error(source, f"{key} must be a list of rule ids", key)
        return frozenset(value)

    severity = raw.get("severity", {})
    if not isinstance(severity, dict) or not all(v in SEVERITIES for v in severity.values()):
        raise config_error(source, "severity must map rule ids to 'error' or 'warning'", "severity")
    return Layer(names("select") if "select" in raw else None, names("ignore"), severity)


def inline_suppressions(data: Any) -> dict[str, frozenset[str]]:
    """Pointer -> the rule ids an `x-lint-ignore` there suppresses, for every node that has one."""
    found: dict[str, frozenset[str]] = {}
    for pointer, node in mappings(data, skip={INLINE}):
        value = node.get(INLINE)
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            found[pointer] = frozenset(v for v in value if isinstance(v, str))
    return found


def _suppressed(problem: Problem, suppressed: Mapping[str, frozenset[str]]) -> bool:
    if problem.rule in FATAL or not suppressed:
        return False
    pointer = problem.pointer
    while True:
        rules = suppressed.get(pointer)
        if rules is not None and (problem.rule in rules or ALL in rules):
            return True
        if not pointer:
            return False
        pointer = pointer.rsplit("/", 1)[0]
