"""The pipeline in the order data flows: load, validate, model, render, format, write."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from .cache import Cache
from .config import LintConfig, inline_suppressions
from .pointers import unescape
from .problems import GeneratorError, Problem
from .sources import display_path, package_name

# The stages, in the order data flows through them.
from .load import Document, load  # isort: skip
from .swagger2 import convert, is_swagger2  # isort: skip
from .validate import validate  # isort: skip
from .rules import check_rules  # isort: skip
from .model import Api, build_api  # isort: skip
from .render import environment, meetings, render, runtime  # isort: skip
from .format import Formatter, format_all  # isort: skip
from .write import Change, plan  # isort: skip

DEFAULTS = LintConfig()


def check_spec(
    path: Path, config: LintConfig = DEFAULTS, cache: Cache | None = None
) -> tuple[Api | None, list[Problem]]:
    """Load, validate, lint and model one spec: its `Api` (None when any finding
    is an error) and every finding that counts under `config`."""
    document = load(path)
    if isinstance(document, Problem):
        return None, [document]
    findings: list[Problem] = []
    if is_swagger2(document.data):
        document, findings = convert(document)
    findings += validate(document, cache)
    suppressed = inline_suppressions(document.data)  # x-lint-ignore, read once
    settled = config.settle(findings, suppressed)
    if _errors(settled):  # the rules and the model need a usable document
        return None, settled
    findings += check_rules(document)
    api = _model(document, package_name(path))
    if isinstance(api, list):  # what stops the model is an error, whatever its rule
        return None, sorted(set(config.settle(findings, suppressed)) | {replace(p, severity="error") for p in api})
    findings += api.warnings
    settled = config.settle(findings, suppressed)
    if _errors(settled):
        return None, settled
    api.sources = [path, *document.sources]
    api.warnings = settled
    _leave_out(document, [p.pointer for p in findings if p.rule in LEFT_OUT])
    return api, settled


# Values that break their schema but not the code: the served spec goes without them.
LEFT_OUT = frozenset({"example-valid", "invalid-default", "invalid-pattern"})


def _leave_out(document: Document, pointers: list[str]) -> None:
    """Remove the values at `pointers` from the document; list items from the last one back."""

    def order(pointer: str) -> tuple[str, int]:
        parent, _, last = pointer.rpartition("/")
        return parent, int(last) if last.isdigit() else -1

    for pointer in sorted(set(pointers), key=order, reverse=True):
        parent_pointer, _, token = pointer.rpartition("/")
        try:
            parent = document.resolve(parent_pointer)
        except KeyError:
            continue
        key = unescape(token)
        if isinstance(parent, dict):
            parent.pop(key, None)
        elif isinstance(parent, list) and key.isdigit() and int(key) < len(parent):
            del parent[int(key)]


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _model(document: Document, package: str) -> Api | list[Problem]:
    """`build_api`, with any failure it did not foresee reported as one located line."""
    try:
        return build_api(document, package)
    except (RecursionError, AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        message = f"the generator failed on this document ({type(exc).__name__}: {exc}); please report it"
        return [document.problem("", message, "internal-error")]


def lint(paths: Sequence[Path], config: LintConfig = DEFAULTS) -> list[Problem]:
    """Every finding in every spec, sorted by file and line."""
    return sorted(problem for path in paths for problem in check_spec(path, config)[1])


T = TypeVar("T")
Progress = Callable[[Sequence[T], str], Iterable[T]]  # shows progress over a sequence, or not


def quiet(items: Sequence[T], label: str) -> Iterable[T]:
    return items


def build(
    paths: Sequence[Path], config: LintConfig = DEFAULTS, progress: Progress[Path] = quiet, cache: Cache | None = None
) -> list[Api]:
    """The `Api` of every spec (their warnings inside); raises with every finding
    if any spec has an error."""
    apis: list[Api] = []
    problems: list[Problem] = []
    packages: dict[str, Path] = {}
    for path in progress(paths, "checking specs"):
        name = package_name(path)
        if name in packages:
            message = f"generates package {name!r}, as {packages[name]} does"
            problems.append(Problem(str(path), 1, "", message, "package-clash"))
        packages[name] = path
        api, findings = check_spec(path, config, cache)
        problems += findings
        if api is not None:
            apis.append(api)
    if _errors(problems):
        raise GeneratorError(problems)
    return apis


def import_prefix(out: Path) -> str:
    """`generated.` for an output folder `generated` below the working directory.

    Empty when the folder is not an importable dotted path from here.
    """
    try:
        parts = out.resolve().relative_to(Path.cwd().resolve()).parts
    except ValueError:
        return ""
    return "".join(p + "." for p in parts) if all(p.isidentifier() for p in parts) else ""


def render_all(
    apis: Iterable[Api],
    prefix: str = "",
    cache: Cache | None = None,
    progress: Progress[str] = quiet,
    formatter: Formatter = "ruff",
    unified: bool = True,
) -> dict[PurePosixPath, str]:
    """Every generated file, formatted, in memory; with `unified`, the `meetings`
    package too."""
    env = environment()
    rendered: dict[PurePosixPath, str] = {}
    copied: dict[PurePosixPath, str] = {}
    apis = list(apis)
    for api in apis:
        copied.update(runtime(api))
        try:
            rendered.update(render(api, env, prefix))
        except Exception as exc:  # a template or a helper it calls failed: a bug, reported as one line
            message = f"the templates failed on this spec ({type(exc).__name__}: {exc}); please report it"
            where = display_path(api.sources[0]) if api.sources else api.source
            raise GeneratorError([Problem(where, 1, "", message, "internal-error")]) from exc
    if unified:
        interface, interface_runtime = meetings(apis, env, prefix)
        rendered.update(interface)
        copied.update(interface_runtime)
    try:
        return format_all(rendered, cache, progress, formatter) | copied
    except ValueError as exc:
        raise GeneratorError(
            [Problem(str(exc).split(":")[0], 1, "", f"internal error: {exc}", "internal-error")]
        ) from exc


def owned_folders(paths: Sequence[Path], out: Path, all_specs: bool) -> list[Path]:
    """Where stale generated files are looked for: all of `out`, or the specs' packages."""
    return [out] if all_specs else [out / package_name(p) for p in paths]


def generate(
    paths: Sequence[Path],
    out: Path,
    *,
    all_specs: bool,
    config: LintConfig = DEFAULTS,
    cache: Cache | None = None,
    progress: Progress[Any] = quiet,
    formatter: Formatter = "ruff",
) -> tuple[list[Change], list[Path], list[Problem]]:
    """The changes that bring `out` up to date with `paths` (writing nothing),
    every file the specs were read from, and the warnings.

    With `all_specs`, every generated file under `out` that no spec renders any
    more is stale; otherwise only those in the rendered packages are. The
    `meetings` package, over every spec with `x-unified`, is made with
    `all_specs` alone: a run on some specs leaves it as it is.
    """
    apis = build(paths, config, progress, cache)
    files = render_all(apis, import_prefix(out), cache, progress, formatter, unified=all_specs)
    owned = [f for f in owned_folders(paths, out, all_specs) if f.is_dir()]
    warnings = sorted(w for api in apis for w in api.warnings)
    return plan(out, files, owned), [source for api in apis for source in api.sources], warnings
