"""The pipeline in the order data flows: load, validate, model, render, format, write."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from .identifiers import snake_case
from .problems import GeneratorError, Problem

# The stages, in the order data flows through them.
from .load import load  # isort: skip
from .validate import validate  # isort: skip
from .rules import check_rules  # isort: skip
from .model import Api, build_api  # isort: skip
from .render import environment, render  # isort: skip
from .format import format_file  # isort: skip
from .write import Change, plan  # isort: skip

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def discover(folder: Path) -> list[Path]:
    """Every spec file directly in `folder`, sorted by name."""
    if not folder.is_dir():
        raise GeneratorError([Problem(folder.as_posix(), 1, "", "no such folder of specs")])
    return sorted(p for p in folder.iterdir() if p.suffix in SPEC_SUFFIXES)


def package_name(path: Path) -> str:
    """The generated package's name: the spec's file name as an identifier."""
    return snake_case(path.stem)


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
    return problems or api


def lint(paths: Sequence[Path]) -> list[Problem]:
    """Every problem in every spec, sorted by file and line."""
    problems: list[Problem] = []
    for path in paths:
        result = check_spec(path)
        if not isinstance(result, Api):
            problems.extend(result)
    return sorted(problems)


def build(paths: Sequence[Path]) -> list[Api]:
    """The `Api` of every spec; raises with all problems if any spec has one."""
    apis: list[Api] = []
    problems: list[Problem] = []
    packages: dict[str, Path] = {}
    for path in paths:
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


def render_all(apis: Iterable[Api], prefix: str = "") -> dict[PurePosixPath, str]:
    """Every generated file, formatted, in memory."""
    env = environment()
    files: dict[PurePosixPath, str] = {}
    for api in apis:
        for path, source in render(api, env, prefix).items():
            try:
                files[path] = format_file(path, source)
            except ValueError as exc:
                raise GeneratorError([Problem(api.source, 1, "", f"internal error: {exc}")]) from exc
    return files


def generate(paths: Sequence[Path], out: Path, *, all_specs: bool) -> list[Change]:
    """The changes that bring `out` up to date with `paths`; writes nothing.

    With `all_specs`, every generated file under `out` that no spec renders any
    more is stale; otherwise only those in the rendered packages are.
    """
    apis = build(paths)
    files = render_all(apis, import_prefix(out))
    owned = [out] if all_specs else [out / api.package for api in apis]
    return plan(out, files, [folder for folder in owned if folder.is_dir()])
