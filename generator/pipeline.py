"""The pipeline in the order data flows: load, validate, model, render, format, write."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar
from pathlib import Path, PurePosixPath

from .cache import Cache
from .problems import GeneratorError, Problem
from .sources import discover, package_name

# The stages, in the order data flows through them.
from .load import load  # isort: skip
from .validate import validate  # isort: skip
from .rules import check_rules  # isort: skip
from .model import Api, build_api  # isort: skip
from .render import environment, render  # isort: skip
from .format import format_all  # isort: skip
from .write import Change, plan  # isort: skip

def check_spec(path: Path) -> Api | list[Problem]:
    """Load, validate, lint and model one spec: its `Api` or its problems."""
    document = load(path)
    if isinstance(document, Problem):
        return [document]
    problems = validate(document)
    if problems:  # the rules and the model need a valid document
        return problems
    problems = check_rules(document)
    api = build_api(document, package_name(path))
    if isinstance(api, list):
        return sorted(set(problems + api))
    api.sources = [path, *document.sources]
    return problems or api


def lint(paths: Sequence[Path]) -> list[Problem]:
    """Every problem in every spec, sorted by file and line."""
    problems: list[Problem] = []
    for path in paths:
        result = check_spec(path)
        if not isinstance(result, Api):
            problems.extend(result)
    return sorted(problems)


T = TypeVar("T")
Progress = Callable[[Sequence[T], str], Iterable[T]]  # shows progress over a sequence, or not


def quiet(items: Sequence[T], label: str) -> Iterable[T]:
    return items


def build(paths: Sequence[Path], progress: Progress[Path] = quiet) -> list[Api]:
    """The `Api` of every spec; raises with all problems if any spec has one."""
    apis: list[Api] = []
    problems: list[Problem] = []
    packages: dict[str, Path] = {}
    for path in progress(paths, "checking specs"):
        name = package_name(path)
        if name in packages:
            problems.append(Problem(str(path), 1, "", f"generates package {name!r}, as {packages[name]} does"))
        packages[name] = path
        result = check_spec(path)
        if isinstance(result, Api):
            apis.append(result)
        else:
            problems.extend(result)
    if problems:
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
    apis: Iterable[Api], prefix: str = "", cache: Cache | None = None, progress: Progress[str] = quiet
) -> dict[PurePosixPath, str]:
    """Every generated file, formatted, in memory."""
    env = environment()
    rendered = {path: source for api in apis for path, source in render(api, env, prefix).items()}
    try:
        return format_all(rendered, cache, progress)
    except ValueError as exc:
        raise GeneratorError([Problem(str(exc).split(":")[0], 1, "", f"internal error: {exc}")]) from exc


def owned_folders(paths: Sequence[Path], out: Path, all_specs: bool) -> list[Path]:
    """Where stale generated files are looked for: all of `out`, or the specs' packages."""
    return [out] if all_specs else [out / package_name(p) for p in paths]


def generate(
    paths: Sequence[Path], out: Path, *, all_specs: bool, cache: Cache | None = None, progress: Progress[Any] = quiet
) -> tuple[list[Change], list[Path]]:
    """The changes that bring `out` up to date with `paths` (writing nothing), and
    every file the specs were read from.

    With `all_specs`, every generated file under `out` that no spec renders any
    more is stale; otherwise only those in the rendered packages are.
    """
    apis = build(paths, progress)
    files = render_all(apis, import_prefix(out), cache, progress)
    owned = [f for f in owned_folders(paths, out, all_specs) if f.is_dir()]
    return plan(out, files, owned), [source for api in apis for source in api.sources]
