"""Format generated Python with black: in process, each distinct text once,
from the cache when it was formatted before, across processes when there is much."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import PurePosixPath

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from .cache import Cache, black_version, digest

MODE = black.Mode(target_versions={TargetVersion.PY311})
PARALLEL_CHARACTERS = 200_000  # below this, starting workers costs more than it saves


Progress = Callable[[Sequence[str], str], Iterable[str]]


def format_all(
    files: Mapping[PurePosixPath, str], cache: Cache | None = None, progress: Progress = lambda items, label: items
) -> dict[PurePosixPath, str]:
    """Every file formatted (Python by black; other files as they are).

    A module's first line, its one-line header comment, is set apart: black
    leaves such a line as it is, and the runtime modules, alike but for their
    headers, are then formatted once. Raises ValueError naming the file when a
    template produced invalid Python.
    """
    split = {path: _split(path, source) for path, source in files.items()}
    bodies = {body for header, body in split.values() if header is not None}
    formatted: dict[str, str] = {}
    for body in bodies:
        hit = cache.get("black", _key(body)) if cache else None
        if hit is not None:
            formatted[body] = hit
    missing = sorted(bodies - set(formatted), key=len, reverse=True)
    results = _format_many(missing, progress)
    for body, result in zip(missing, results):
        if isinstance(result, InvalidInput):
            path = next(p for p, (h, b) in split.items() if b == body)
            raise ValueError(f"{path}: generated source is not valid Python: {result}")
        formatted[body] = result
        if cache:
            cache.put("black", _key(body), result)
    return {
        path: source if header is None else header + formatted[body]
        for (path, source), (header, body) in zip(files.items(), split.values())
    }


def _split(path: PurePosixPath, source: str) -> tuple[str | None, str]:
    """(header line and newline, body) of a module; (None, source) for other files."""
    if path.suffix != ".py":
        return None, source
    header, newline, body = source.partition("\n")
    return (header + newline, body) if header.startswith("# ") else ("", source)


def _key(body: str) -> str:
    return digest("black", black_version(), repr(MODE), body)


def _format_many(sources: list[str], progress: Progress) -> list[str | InvalidInput]:
    workers = min(len(sources), os.cpu_count() or 1)
    if workers < 2 or sum(map(len, sources)) < PARALLEL_CHARACTERS:
        return [_format(s) for s in progress(sources, "formatting")]
    context = multiprocessing.get_context("fork")  # the workers start with black imported
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        done = pool.map(_format, sources)
        return [next(done) for _ in progress(sources, "formatting")]


def _format(source: str) -> str | InvalidInput:
    try:
        return black.format_str(source, mode=MODE)
    except InvalidInput as exc:
        return exc
