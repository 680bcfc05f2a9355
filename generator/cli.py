"""The command line: `python -m generator lint|generate`."""

from __future__ import annotations

import contextlib
import shlex
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import click

from . import pipeline, sources
from .cache import DEFAULT_DIR, Cache
from .config import LintConfig, find_config, load_config, load_dist
from .format import FORMATTERS, Formatter
from .problems import GENERATOR, INFORMATIONAL, GeneratorError, Problem
from .reports import FORMATS, Report, plural
from .write import diff

SPECS = Path("specs")
PROG = "clientgen"  # the command pyproject.toml installs
DISTRIBUTION = sources.GENERATOR_NAME  # the distribution pyproject.toml names
T = TypeVar("T")


def _specs(given: tuple[Path, ...]) -> list[Path]:
    """The spec files named, a folder standing for the specs in it; none named: those in specs/."""
    if not given:
        return sources.discover(SPECS)
    found: list[Path] = []
    for path in given:
        inside = sources.discover(path) if path.is_dir() else [path]
        if not inside:
            message = f"no spec files ({', '.join(sources.SPEC_SUFFIXES)}) in this folder"
            raise GeneratorError([Problem(sources.display_path(path), 1, "", message, "file-unreadable")])
        found += inside
    return list(dict.fromkeys(found))


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


def _config(path: Path | None) -> LintConfig:
    """The lint configuration: `--config`, or the nearest pyproject.toml with a [tool.clientgen] table."""
    return load_config(path or find_config(Path.cwd()))


def _fix(specs: tuple[Path, ...], out: Path, config_path: Path | None, option: str = "--out") -> str:
    """The command that brings `out` (given as `option`) up to date, as the user would type it."""
    words = ["python", "-m", "generator", "generate", option, sources.display_path(out)]
    if config_path is not None:
        words += ["--config", sources.display_path(config_path)]
    return shlex.join(words + [spec.as_posix() for spec in specs])


SHOWN_WARNINGS = 5  # `generate` shows this many warnings; -v shows all


def _importance(warning: Problem) -> int:
    """What a preview shows first: code that is looser than the spec (an unsupported
    construct, a value left out), then the generator's other findings, then house style,
    then what it inferred."""
    if warning.rule == "unsupported" or warning.rule in pipeline.LEFT_OUT:
        return 0
    if warning.rule in INFORMATIONAL:
        return 3
    return 1 if warning.rule in GENERATOR else 2


def _report_warnings(warnings: Sequence[Problem], verbose: bool) -> None:
    """Every warning with -v; else the few most likely to matter, then a count per rule."""
    shown = list(warnings) if verbose else sorted(warnings, key=_importance)[:SHOWN_WARNINGS]  # stable: by line
    for warning in shown:
        click.echo(str(warning), err=True)
    if len(shown) < len(warnings):
        click.echo(f"... {plural(len(warnings), 'warning')} in all (-v shows every one):", err=True)
        counts = Counter(warning.rule for warning in warnings)
        for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            click.echo(f"  {count:>5} {rule}", err=True)


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A pyproject.toml with a [tool.clientgen.lint] table (default: the nearest one).",
)


def version() -> str:
    """This package's version, as installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _show_version(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value and not context.resilient_parsing:
        click.echo(f"{PROG} {version()}")
        context.exit()


@click.group()
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
def main() -> None:
    """Generate typed Python clients from OpenAPI specs."""


@main.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output",
    type=click.Choice(list(FORMATS)),
    default="text",
    help="Output format: the text of a terminal, JSON, or a CI system's report.",
)
@click.option("--list-rules", is_flag=True, help="List every rule with its default severity and exit.")
@click.option(
    "--explain-fake",
    is_flag=True,
    help="Print what the served fake does for each operation (its x-fake, or what was inferred) and exit.",
)
@config_option
def lint(specs: tuple[Path, ...], output: str, list_rules: bool, explain_fake: bool, config_path: Path | None) -> None:
    """Check SPECS (default: every file in specs/).

    Exits 1 on any error, and on warnings too when the configuration says
    `fail-on = "warning"`. Runs the OpenAPI schema, the house rules (see
    --list-rules) and the generator's own checks of what it can turn into code.
    Each format prints its report alone on standard output.
    """
    from .rules import catalogue

    if list_rules:
        for rule, (severity, summary) in catalogue().items():
            click.echo(f"{rule} ({severity}): {summary}")
        return

    if explain_fake:
        _explain_fake(_specs(specs), _config(config_path))
        return

    def report(problems: list[Problem], paths: list[Path]) -> None:
        checked = [sources.display_path(path) for path in paths]
        found = Report(problems, checked, tool=PROG, version=version(), rules=catalogue())
        click.echo(FORMATS[output](found), nl=False)

    try:
        config = _config(config_path)
        paths = _specs(specs)
        problems = pipeline.lint(paths, config)
    except GeneratorError as error:
        if output == "text":
            _fail(error)
        report(error.problems, [])  # a CI report carries what stopped the run, too
        sys.exit(1)
    report(problems, paths)
    failing = ("error",) if config.fail_on == "error" else ("error", "warning")
    sys.exit(1 if any(p.severity in failing for p in problems) else 0)


def _explain_fake(paths: list[Path], config: LintConfig) -> None:
    """`lint --explain-fake`: each spec's fake, operation by operation; exit 1 on errors."""
    from .model.inference import explain

    failed = False
    for path in paths:
        api, problems = pipeline.check_spec(path, config)
        click.echo(f"{sources.display_path(path)}:")
        if api is None:
            failed = True
            for problem in problems:
                if problem.severity == "error":
                    click.echo(f"  {problem}")
            continue
        for line in explain(api.operations, api.collections, api.document):
            click.echo(f"  {line}")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("generated"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--dist",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write each package as an installable distribution, DIST/<name>/ with its pyproject.toml,"
    " instead of into --out (default: `dist` in [tool.clientgen], if set).",
)
@click.option("--check", is_flag=True, help="Write nothing; show a diff and exit 1 if anything would change.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DIR,
    show_default=True,
    help="Where formatted output and finished runs are remembered.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--formatter",
    type=click.Choice(FORMATTERS),
    default="ruff",
    show_default=True,
    help="What formats the code (the same bytes either way; ruff is quicker).",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help=f"Show every warning (also when nothing changed), not only {SHOWN_WARNINGS} and a count per rule.",
)
@config_option
def generate(
    specs: tuple[Path, ...],
    out: Path,
    dist: Path | None,
    check: bool,
    cache_dir: Path,
    no_cache: bool,
    formatter: Formatter,
    verbose: bool,
    config_path: Path | None,
) -> None:
    """Generate a client package per spec (default: every file in specs/).

    Stops only on errors; warnings are reported and the code is written.
    With --dist, each package is a distribution that `pip install DIST/<name>`
    installs; the `meetings` package, which spans the vendors' packages, is not written.
    """
    out_given = click.get_current_context().get_parameter_source("out") is not click.core.ParameterSource.DEFAULT
    if dist is not None and out_given:
        raise click.UsageError("--dist and --out each name the output folder: give one")
    try:
        config_file = config_path or find_config(Path.cwd())
        dist = dist or (None if out_given else load_dist(config_file))
        done = pipeline.generate(
            _specs(specs),
            out if dist is None else dist,
            all_specs=not specs,
            check=check,
            config=load_config(config_file),
            cache=Cache(None if no_cache else cache_dir),
            progress=_progress,
            formatter=formatter,
            dist=dist is not None,
        )
    except GeneratorError as error:
        _fail(error)
        return
    changes = done.changes
    if changes or verbose:  # nothing changed: the warnings are the last run's news
        _report_warnings(done.warnings, verbose)
    if check and changes:
        click.echo(diff(changes), nl=False)
        stale = plural(len(changes), "generated file")
        fix = _fix(specs, out, config_path) if dist is None else _fix(specs, dist, config_path, "--dist")
        click.echo(
            f"{stale} {'is' if len(changes) == 1 else 'are'} out of date; run '{fix}'",
            err=True,
        )
        sys.exit(1)
    removed = sum(1 for c in changes if c.new is None)
    if changes:
        click.echo(f"{plural(len(changes) - removed, 'file')} written, {removed} removed")
    else:
        click.echo("generated files are up to date" if check else "nothing to do")


@main.command()
@click.argument("vendor")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("generated"),
    show_default=True,
    help="Where the generated packages are.",
)
def serve(vendor: str, host: str, port: int, out: Path) -> None:
    """Serve VENDOR's in-memory fake (its generated server) until Ctrl-C."""
    import importlib

    from . import serve as serving

    known = serving.vendors(out)
    if vendor not in known:
        hint = f"one of {', '.join(known)}" if known else "none there: run 'make generate'"
        raise click.ClickException(f"no generated server for {vendor!r} in {sources.display_path(out)}/ ({hint})")
    try:
        sock = serving.bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    import uvicorn

    sys.path.insert(0, str(out.resolve().parent))
    module = f"{out.resolve().name}.{vendor}.server"
    server = importlib.import_module(module)
    settings = getattr(server, "SETTINGS", None)  # packages generated before it lack it
    click.echo(serving.banner(vendor, module, serving.root_url(sock), settings, server.Credentials()))
    config = uvicorn.Config(server.create_app(), log_level="info", access_log=True)
    with sock, contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once it has shut down
        uvicorn.Server(config).run(sockets=[sock])
