"""The command line: `python -m generator lint|generate`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

import click

from . import sources
from .cache import DEFAULT_DIR, Cache
from .problems import GeneratorError

# The pipeline's modules (black, Jinja2, the validator) are imported by the
# commands that need them, so that a run with nothing to do is quick.
SPECS = Path("specs")
T = TypeVar("T")


def _specs(given: tuple[Path, ...]) -> list[Path]:
    return list(given) or sources.discover(SPECS)


def _progress(items: Sequence[T], label: str) -> Iterable[T]:
    """A progress bar on a terminal, for long steps; nothing otherwise."""
    if not sys.stderr.isatty() or len(items) < 3:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


def _fail(error: GeneratorError) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    sys.exit(1)


@click.group()
def main() -> None:
    """Generate typed Python clients from OpenAPI specs."""


@main.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("--list-rules", is_flag=True, help="List the project's lint rules and exit.")
def lint(specs: tuple[Path, ...], output: str, list_rules: bool) -> None:
    """Check SPECS (default: every file in specs/); exit 1 on any problem.

    Runs openapi-spec-validator, then the project's rules (see --list-rules),
    then the generator's own checks of what it can turn into code.
    """
    from . import pipeline
    from .model import pagination
    from .rules import RULES

    if list_rules:
        for rule in RULES:
            click.echo(f"{rule.id}: {rule.summary}")
        click.echo(f"{pagination.RULE}: {pagination.SUMMARY}")
        return
    try:
        paths = _specs(specs)
    except GeneratorError as error:
        _fail(error)
        return
    problems = pipeline.lint(paths)
    if output == "json":
        click.echo(json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(str(problem))
        files = len({p.file for p in problems})
        noun = "spec" if len(paths) == 1 else "specs"
        click.echo(f"{len(problems)} problems in {files} of {len(paths)} {noun}" if problems else f"{len(paths)} {noun} checked: no problems")
    sys.exit(1 if problems else 0)


@main.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("generated"), show_default=True, help="Output folder.")
@click.option("--check", is_flag=True, help="Write nothing; show a diff and exit 1 if anything would change.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_DIR, show_default=True, help="Where formatted output and finished runs are remembered.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
def generate(specs: tuple[Path, ...], out: Path, check: bool, cache_dir: Path, no_cache: bool) -> None:
    """Generate a client package per spec (default: every file in specs/)."""
    up_to_date = "generated files are up to date" if check else "nothing to do"
    try:
        paths = _specs(specs)
        cache = Cache(None if no_cache else cache_dir)
        key = cache.run_key(paths, out, not specs)
        owned = [out] if not specs else [out / sources.package_name(p) for p in paths]
        if cache.unchanged(key, owned):  # the inputs and the output are as a finished run left them
            click.echo(up_to_date)
            return
        from . import pipeline
        from .write import apply, diff

        changes, inputs = pipeline.generate(paths, out, all_specs=not specs, cache=cache, progress=_progress)
    except GeneratorError as error:
        _fail(error)
        return
    if check and changes:
        click.echo(diff(changes), nl=False)
        click.echo(f"{len(changes)} generated files are out of date; run 'make generate'", err=True)
        sys.exit(1)
    if not check:
        apply(changes)
    cache.record(key, inputs, owned)
    removed = sum(1 for c in changes if c.new is None)
    click.echo(f"{len(changes) - removed} files written, {removed} removed" if changes else up_to_date)


@main.command()
@click.argument("vendor")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("generated"), show_default=True, help="Where the generated packages are.")
def serve(vendor: str, host: str, port: int, out: Path) -> None:
    """Serve VENDOR's in-memory fake (its generated server) until Ctrl-C."""
    import importlib
    import sys

    import uvicorn

    sys.path.insert(0, str(out.resolve().parent))
    try:
        server = importlib.import_module(f"{out.name}.{vendor}.server")
    except ModuleNotFoundError:
        raise click.ClickException(f"no generated server for {vendor!r} in {out}/ (run 'make generate')") from None
    base = server.base_path(server.SPEC) if hasattr(server, "base_path") else ""
    click.echo(f"serving the {vendor} fake at http://{host}:{port}{base}; accepted credentials: {server.Credentials()}")
    uvicorn.run(server.create_app(), host=host, port=port, log_level="info", access_log=True)
