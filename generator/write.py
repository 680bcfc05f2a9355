"""Compare rendered files with the output tree, show the difference, write it."""

from __future__ import annotations

import difflib
import glob
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .sources import MARKER, display_path


@dataclass(frozen=True)
class Change:
    """One file to create, replace (`new` set) or remove (`new` None)."""

    path: Path
    old: bytes | None
    new: bytes | None


def is_generated(path: Path) -> bool:
    """Whether this generator wrote `path`: its first line carries the marker."""
    try:
        with path.open("rb") as file:
            first = file.readline(1024)
    except OSError:
        return False
    return MARKER.encode() in first


def plan(out: Path, files: Mapping[PurePosixPath, str], owned: Iterable[Path]) -> list[Change]:
    """What must change under `out` for it to hold exactly `files`.

    Files in the `owned` folders that this generator once wrote and that are
    no longer rendered are removed; nothing else is touched.
    """
    changes = []
    root = out.resolve()
    for relative, text in sorted(files.items()):
        path = out / relative
        if not path.resolve().is_relative_to(root):  # names are sanitised; this is the last guard
            raise ValueError(f"{relative} would be written outside {out}")
        new = text.encode("utf-8")
        old = path.read_bytes() if path.is_file() else None
        if old != new:
            changes.append(Change(path, old, new))
    wanted = {out / relative for relative in files}
    for folder in owned:
        stale = (p for p in folder.rglob("*") if p.is_file() and p not in wanted and p.suffix != ".pyc")
        changes.extend(Change(p, p.read_bytes(), None) for p in sorted(stale) if is_generated(p))
    return changes


def apply(changes: Iterable[Change], out: Path | None = None) -> None:
    """Write each change atomically: a temporary file renamed over the target.

    A removed module's bytecode goes with it, and so does every folder below
    `out` that the removals leave empty.
    """
    emptied: set[Path] = set()
    for change in changes:
        if change.new is None:
            change.path.unlink()
            emptied.add(change.path.parent)
            if change.path.suffix == ".py":
                cached = change.path.parent / "__pycache__"
                for compiled in cached.glob(f"{glob.escape(change.path.stem)}.*.pyc"):
                    compiled.unlink()
                emptied.add(cached)
            continue
        change.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=change.path.parent, prefix=".", suffix=".tmp")
        try:
            os.fchmod(fd, _mode(change.path))
            with os.fdopen(fd, "wb") as file:
                file.write(change.new)
            os.replace(temporary, change.path)
        except BaseException:
            os.unlink(temporary)
            raise
    if out is not None:
        _prune(emptied, out)


def _mode(path: Path) -> int:
    """The mode a rewritten file keeps, or that a plain `open()` gives a new one under the umask
    (`mkstemp` alone would make every file 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask (reading it means setting it, at once set back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _prune(folders: Iterable[Path], out: Path) -> None:
    """Remove each of `folders` that is empty, then its parents that become so, up to `out` (kept)."""
    root = out.resolve()
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder.resolve() != root and folder.resolve().is_relative_to(root):
            try:
                folder.rmdir()
            except OSError:  # not empty, or gone already
                break
            folder = folder.parent


def diff(changes: Iterable[Change]) -> str:
    """A unified diff of the changes, as `git diff` would show them."""
    chunks: list[str] = []
    for change in changes:
        name = display_path(change.path)  # relative to the working directory, else absolute
        name = name if name.startswith("/") else "/" + name
        old = _lines(change.old)
        new = _lines(change.new)
        before = f"a{name}" if change.old is not None else "/dev/null"
        after = f"b{name}" if change.new is not None else "/dev/null"
        chunks.extend(difflib.unified_diff(old, new, before, after))
    return "".join(chunks)


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    lines = data.decode("utf-8", errors="replace").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
