"""Format generated Python: with ruff (pinned, one process for every module) or
black (in process, across processes when there is much); each distinct text
once, from the cache when it was formatted before. Both give the same bytes
(tests/test_format.py): black's style is the one of record."""

from __future__ import annotations

import ast
import functools
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

from ruff import find_ruff_bin  # type: ignore[import-untyped]

from .cache import Cache, digest, version

if TYPE_CHECKING:
    import black
    from black.parsing import InvalidInput

Formatter = Literal["ruff", "black"]
FORMATTERS: tuple[Formatter, ...] = ("ruff", "black")
LINE_LENGTH = 88  # black's default, which `black --check generated` applies
TARGET = "py311"
PARALLEL_CHARACTERS = 200_000  # below this, starting black's workers costs more than it saves

Progress = Callable[[Sequence[str], str], Iterable[str]]
PARAMETER_INDENT = 8  # a method's parameters, one a line, as the templates write them


def parameter(name: str, annotation: str, default: str | None = None) -> str:
    """`name: annotation = default` as black writes it, on a line of its own: a
    union too long for the line in parentheses (black's long type hints). The
    formatters cannot agree on any one shape here: ruff neither adds these
    parentheses (astral-sh/ruff#8894) nor removes them where the line fits, as
    black does; so the template writes them only where black would have them."""
    text = f"{name}: {annotation}" + (f" = {default}" if default else "")
    if PARAMETER_INDENT + len(text) + len(",") > LINE_LENGTH and _is_union(annotation):
        return f"{name}: ({annotation})" + (f" = {default}" if default else "")
    return text


def _is_union(annotation: str) -> bool:
    """Whether an annotation is `X | Y` at its top (not only inside brackets)."""
    node = ast.parse(annotation, mode="eval").body
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)


class InvalidSource(ValueError):
    """A body that is not valid Python; `index` is its position in the batch."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def format_all(
    files: Mapping[PurePosixPath, str],
    cache: Cache | None = None,
    progress: Progress = lambda items, label: items,
    formatter: Formatter = "ruff",
) -> dict[PurePosixPath, str]:
    """Every file formatted (Python by `formatter`; other files as they are).

    A module's first line, its one-line header comment, is set apart: both
    formatters leave such a line as it is, and the runtime modules, alike but
    for their headers, are then formatted once. Raises ValueError naming the
    file when a template produced invalid Python.
    """
    split = {path: _split(path, source) for path, source in files.items()}
    bodies = {body for header, body in split.values() if header is not None}
    formatted: dict[str, str] = {}
    for body in bodies:
        hit = cache.get(formatter, _key(formatter, body)) if cache else None
        if hit is not None:
            formatted[body] = hit
    missing = sorted(bodies - set(formatted), key=len, reverse=True)
    try:
        results = format_sources(missing, formatter, progress)
    except InvalidSource as error:
        path = next(p for p, (h, b) in split.items() if b == missing[error.index])
        raise ValueError(f"{path}: generated source is not valid Python: {error}") from None
    for body, result in zip(missing, results):
        formatted[body] = result
        if cache:
            cache.put(formatter, _key(formatter, body), result)
    return {
        path: source if header is None else header + formatted[body]
        for (path, source), (header, body) in zip(files.items(), split.values())
    }


def format_sources(
    sources: list[str], formatter: Formatter, progress: Progress = lambda items, label: items
) -> list[str]:
    """Each source formatted; raises InvalidSource for the first that does not parse."""
    if not sources:
        return []
    return _ruff(sources) if formatter == "ruff" else _black_many(sources, progress)


def _split(path: PurePosixPath, source: str) -> tuple[str | None, str]:
    """(header line and newline, body) of a module; (None, source) for other files."""
    if path.suffix != ".py":
        return None, source
    header, newline, body = source.partition("\n")
    return (header + newline, body) if header.startswith("# ") else ("", source)


def _key(formatter: Formatter, body: str) -> str:
    return digest(formatter, version(formatter), str(LINE_LENGTH), TARGET, body)


# --- ruff ------------------------------------------------------------------------------

RUFF_SETTINGS = (f"line-length={LINE_LENGTH}", f"target-version='{TARGET}'", "format.line-ending='lf'")


def _ruff(sources: list[str]) -> list[str]:
    """One `ruff format` over every source, written to a temporary folder; no
    configuration file is read (ours sets a longer line for our own code)."""
    with tempfile.TemporaryDirectory(prefix="clientgen-format-") as folder:
        paths = [Path(folder, f"{index}.py") for index in range(len(sources))]
        for path, source in zip(paths, sources):
            path.write_bytes(source.encode("utf-8"))
        options = [f"--config={setting}" for setting in RUFF_SETTINGS]
        command = [str(find_ruff_bin()), "format", "--isolated", "--no-cache", *options, *map(str, paths)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        invalid = re.search(rf"Failed to parse {re.escape(folder)}/(\d+)\.py:(.*)", done.stderr)
        if invalid:
            raise InvalidSource(int(invalid[1]), invalid[2].strip())
        if done.returncode != 0:
            raise RuntimeError(f"ruff format failed: {done.stderr.strip()}")
        return [path.read_bytes().decode("utf-8") for path in paths]


# --- black -----------------------------------------------------------------------------


def _black_many(sources: list[str], progress: Progress) -> list[str]:
    _black_mode()  # imports black, before any worker is forked
    workers = min(len(sources), os.cpu_count() or 1)
    if workers < 2 or sum(map(len, sources)) < PARALLEL_CHARACTERS:
        results = [_black(s) for s in progress(sources, "formatting")]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            done = pool.map(_black, sources)
            results = [next(done) for _ in progress(sources, "formatting")]
    formatted = []
    for index, result in enumerate(results):
        if not isinstance(result, str):
            raise InvalidSource(index, str(result))
        formatted.append(result)
    return formatted


@functools.cache
def _black_mode() -> black.Mode:
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion[TARGET.upper()]}, line_length=LINE_LENGTH)


def _black(source: str) -> str | InvalidInput:
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source, mode=_black_mode())
    except InvalidInput as exc:
        return exc
