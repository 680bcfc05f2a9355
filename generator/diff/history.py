"""`diff --against REF`: the specs of a folder as they were at a git revision."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from ..problems import GeneratorError, Problem
from ..sources import display_path


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], capture_output=True, check=False)
    except OSError as exc:
        raise GeneratorError([Problem(".", 1, "", f"cannot run git: {exc}", "file-unreadable")]) from None


def export(ref: str, folder: Path, into: Path) -> None:
    """Write the files of `folder` (every file, so `$ref`d files and overlays come too) as
    they were at `ref` into `into`. Raises GeneratorError, one line, if `ref` is no
    revision here."""
    where = display_path(folder)
    if ref.startswith("-") or _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        message = f"{ref!r} is not a git revision of this repository"
        raise GeneratorError([Problem(where, 1, "", message, "file-unreadable")])
    listed = _git("ls-tree", "-r", "--name-only", ref, "--", f"{folder.as_posix()}/")
    if listed.returncode != 0:
        message = f"cannot list the files at {ref}: {listed.stderr.decode(errors='replace').strip()}"
        raise GeneratorError([Problem(where, 1, "", message, "file-unreadable")])
    prefix = PurePosixPath(folder.as_posix())
    for name in listed.stdout.decode().splitlines():
        relative = PurePosixPath(name).relative_to(prefix) if PurePosixPath(name).is_relative_to(prefix) else None
        if relative is None or ".." in relative.parts:
            continue
        shown = _git("show", f"{ref}:./{name}")
        target = into.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(shown.stdout)
