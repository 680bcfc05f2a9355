"""Writing generated files: the modes a plain `open()` would give, kept on rewrite."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from generator.write import apply, plan


@pytest.fixture
def umask() -> Iterator[int]:
    mask = 0o027
    before = os.umask(mask)
    yield mask
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_get_the_mode_the_umask_gives(tmp_path: Path, umask: int) -> None:
    apply(plan(tmp_path, {PurePosixPath("pkg/a.py"): "x = 1\n"}, []), tmp_path)
    assert mode(tmp_path / "pkg" / "a.py") == 0o666 & ~umask == 0o640


def test_a_rewritten_file_keeps_its_mode(tmp_path: Path, umask: int) -> None:
    files = {PurePosixPath("pkg/a.py"): "x = 1\n"}
    apply(plan(tmp_path, files, []), tmp_path)
    target = tmp_path / "pkg" / "a.py"
    target.chmod(0o644)
    changes = plan(tmp_path, {PurePosixPath("pkg/a.py"): "x = 2\n"}, [tmp_path / "pkg"])
    assert changes
    apply(changes, tmp_path)
    assert target.read_text() == "x = 2\n" and mode(target) == 0o644
