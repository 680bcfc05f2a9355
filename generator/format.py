"""Format generated Python with black, in process; each distinct text once."""

from __future__ import annotations

import functools
from pathlib import PurePosixPath

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

MODE = black.Mode(target_versions={TargetVersion.PY311})


def format_file(path: PurePosixPath, source: str) -> str:
    """`source` formatted by black if it is Python; other files as they are.

    A file's first line, its one-line header comment, is set apart: black leaves
    such a line as it is, and the runtime modules, alike but for their headers,
    are then formatted once. Raises ValueError when the source is not valid
    Python (a template bug).
    """
    if path.suffix != ".py":
        return source
    header, newline, body = source.partition("\n")
    if not header.startswith("# "):
        header, newline, body = "", "", source
    try:
        return header + newline + format_python(body)
    except InvalidInput as exc:
        raise ValueError(f"{path}: generated source is not valid Python: {exc}") from exc


@functools.lru_cache(maxsize=4096)
def format_python(source: str) -> str:
    return black.format_str(source, mode=MODE)
