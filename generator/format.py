"""Format generated Python with black, in process."""

from __future__ import annotations

from pathlib import PurePosixPath

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

MODE = black.Mode(target_versions={TargetVersion.PY311})


def format_file(path: PurePosixPath, source: str) -> str:
    """`source` formatted by black if it is Python; other files as they are.

    Raises ValueError when the source is not valid Python (a template bug).
    """
    if path.suffix != ".py":
        return source
    try:
        return black.format_str(source, mode=MODE)
    except InvalidInput as exc:
        raise ValueError(f"{path}: generated source is not valid Python: {exc}") from exc
