"""The pipeline in the order data flows: load, validate, model, render, format, write.

`generate` is its entry point. A run whose inputs and output are as a finished
run left them is answered from its record (`runs`) before the heavy stages
(the loader, the validator, the model, Jinja2) are imported: each is imported
where it is first used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

from .cache import Cache
from .config import LintConfig, inline_suppressions
from .format import Formatter, format_all
from .pointers import resolve, split
from .problems import GeneratorError, Problem
from .runs import Run
from .sources import display_path, package_name
from .write import Change, apply, plan

if TYPE_CHECKING:
    from .load import Document
    from .model import Api

DEFAULTS = LintConfig()


def check_spec(
    path: Path, config: LintConfig = DEFAULTS, cache: Cache | None = None
) -> tuple[Api | None, list[Problem]]:
    """Load, validate, lint and model one spec: its `Api` (None when any finding
    is an error) and every finding that counts under `config`."""
    from .load import load

    document = load(path)
    if isinstance(document, Problem):
        return None, [document]
    return check_document(document, config, cache)


def check_document(
    document: Document, config: LintConfig = DEFAULTS, cache: Cache | None = None
) -> tuple[Api | None, list[Problem]]:
    """`check_spec` of a loaded document, which it leaves as it is."""
    from .rules import check_rules
    from .swagger2 import convert, is_swagger2
    from .validate import validate

    findings: list[Problem] = []
    if is_swagger2(document.data):
        document, findings = convert(document)
    findings += validate(document, cache)
    suppressed = inline_suppressions(document.data)  # x-lint-ignore, read once
    settled = config.settle(findings, suppressed)
    if _errors(settled):  # the rules and the model need a usable document
        return None, settled
    findings += check_rules(document)
    api = _model(document, package_name(document.path))
    if isinstance(api, list):  # what stops the model is an error, whatever its rule
        return None, sorted(set(config.settle(findings, suppressed)) | {replace(p, severity="error") for p in api})
    findings += api.warnings
    settled = config.settle(findings, suppressed)
    if _errors(settled):
        return None, settled
    served = without(document.data, [p.pointer for p in findings if p.rule in LEFT_OUT])
    return replace(api, sources=[document.path, *document.sources], warnings=settled, document=served), settled


# Values that break their schema but not the code: the served spec goes without them.
LEFT_OUT = frozenset({"example-valid", "invalid-default", "invalid-pattern"})

_GONE = object()  # a list item left out, until the end: indexes count as in the original


def without(data: Any, pointers: Iterable[str]) -> Any:
    """`data` less the values at `pointers`, as a new value that copies only the
    containers on the way to them and shares the rest. List indexes count in
    `data` as it is; a pointer that names nothing is passed over. No recursion:
    a document may be nested thousands deep."""
    copies: dict[int, Any] = {}  # the containers copied here (by id), which may change
    cut: list[list[Any]] = []  # copied lists holding left-out items

    def copy(container: Any) -> Any:
        fresh = dict(container) if isinstance(container, dict) else list(container)
        copies[id(fresh)] = fresh
        return fresh

    top = data
    for pointer in pointers:
        try:
            resolve(data, pointer)
        except KeyError:
            continue
        if not pointer:
            continue  # the document itself stays
        *parents, last = split(pointer)
        top = top if id(top) in copies else copy(top)
        node = top
        for token in parents:
            key: int | str = int(token) if isinstance(node, list) else token
            child = node.get(key, _GONE) if isinstance(node, dict) else node[key]
            if child is _GONE:
                break  # left out already
            if id(child) not in copies:
                child = node[key] = copy(child)
            node = child
        else:
            if isinstance(node, dict):
                node.pop(last, None)
            else:
                node[int(last)] = _GONE
                cut.append(node)
    for items in cut:
        items[:] = [item for item in items if item is not _GONE]
    return top


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _model(document: Document, package: str) -> Api | list[Problem]:
    """`build_api`, with any failure it did not foresee reported as one located line."""
    from .model import build_api

    try:
        return build_api(document, package)
    except (RecursionError, AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        message = f"the generator failed on this document ({type(exc).__name__}: {exc}); please report it"
        return [document.problem("", message, "internal-error")]


def lint(paths: Sequence[Path], config: LintConfig = DEFAULTS) -> list[Problem]:
    """Every finding in every spec, sorted by file and line; raises if the
    configuration names a rule there is not."""
    _check_rules(config)
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
    from .render import environment, meetings, render, runtime

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


def _check_rules(config: LintConfig) -> None:
    """Raise GeneratorError if the configuration names a rule there is not."""
    from .rules import catalogue

    config.check_rules(catalogue())


@dataclass(frozen=True)
class Generated:
    """What `generate` did: the changes it made (or, checking, would make) and the warnings."""

    changes: list[Change]
    warnings: list[Problem]
    cached: bool = False  # answered from the record of a finished run


def generate(
    paths: Sequence[Path],
    out: Path,
    *,
    all_specs: bool,
    check: bool = False,
    config: LintConfig = DEFAULTS,
    cache: Cache | None = None,
    progress: Progress[Any] = quiet,
    formatter: Formatter = "ruff",
    dist: bool = False,
) -> Generated:
    """Bring `out` up to date with `paths`; with `check`, write nothing and only
    say what would change. With `dist`, each package is written as a distribution
    (`dist.py`), in `out/<name>/`, and the `meetings` package, which spans the
    vendors' packages, is not.

    With `all_specs`, every generated file under `out` that no spec renders any
    more is stale; otherwise only those in the rendered packages are. The
    `meetings` package, over every spec with `x-unified`, is made with
    `all_specs` alone: a run on some specs leaves it as it is.

    With a `cache`, a run whose inputs and output are as a finished run left
    them is answered from its record, without loading a spec.
    """
    run = Run.of(cache or Cache(None), paths, out, all_specs, f"{config!r} {formatter}" + " dist" * dist)
    recorded = run.unchanged()
    if recorded is not None:
        return Generated([], recorded, cached=True)
    _check_rules(config)  # not before a finished run is reused: that run checked the same configuration
    apis = build(paths, config, progress, cache)
    files = render_all(
        apis, "" if dist else import_prefix(out), cache, progress, formatter, unified=all_specs and not dist
    )
    if dist:
        from .dist import distributions
        from .render import environment

        files = distributions(apis, files, environment())
    changes = plan(out, files, [f for f in run.owned if f.is_dir()])
    warnings = sorted(w for api in apis for w in api.warnings)
    if not check:
        apply(changes, out)
    if not (check and changes):  # the output is as this run leaves it
        run.record([source for api in apis for source in api.sources], warnings)
    return Generated(changes, warnings)
