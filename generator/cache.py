"""Caches keyed by content hashes: formatted modules, and whole runs.

Everything is keyed by a hash that includes the generator's own source and
templates (and black's version), so a change to any input misses. Nothing in
here imports the heavy parts of the pipeline: a run with nothing to do is
answered before they are loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent
TEMPLATES = GENERATOR.parent / "templates"
DEFAULT_DIR = Path(".cache") / "meeting-clientgen"


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def black_version() -> str:
    try:
        return metadata.version("black")
    except metadata.PackageNotFoundError:
        return "?"


def _code_version() -> str:
    """A hash of the generator's source, its templates and black's version."""
    files = sorted([*GENERATOR.rglob("*.py"), *TEMPLATES.rglob("*")])
    parts = [f"{p.relative_to(GENERATOR.parent)}:{file_digest(p)}" for p in files if p.is_file()]
    return digest(black_version(), *parts)


class Cache:
    """A folder of content-addressed entries; `None` turns caching off."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.version = _code_version()

    def _path(self, kind: str, key: str) -> Path | None:
        return None if self.folder is None else self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> str | None:
        path = self._path(kind, key)
        try:
            return path.read_text(encoding="utf-8") if path else None
        except OSError:
            return None

    def put(self, kind: str, key: str, value: str) -> None:
        path = self._path(kind, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(value)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written is only slower

    # --- whole runs --------------------------------------------------------------------

    def run_key(self, specs: Sequence[Path], out: Path, all_specs: bool, settings: str = "") -> str:
        inputs = [f"{p}:{file_digest(p)}" for p in specs]
        return digest(self.version, str(out.resolve()), str(all_specs), settings, *inputs)

    def unchanged(self, key: str, owned: Iterable[Path]) -> list[str] | None:
        """The warnings of the last run with these inputs, if it left the output
        as it still is; None otherwise."""
        recorded = self.get("runs", key)
        if recorded is None:
            return None
        entry = json.loads(recorded)
        if any(file_digest(Path(p)) != h for p, h in entry["inputs"].items()):
            return None  # a file the specs reference changed
        return list(entry["warnings"]) if _listing(owned) == entry["outputs"] else None

    def record(self, key: str, inputs: Iterable[Path], owned: Iterable[Path], warnings: Sequence[str]) -> None:
        entry = {"inputs": {str(p): file_digest(p) for p in inputs}, "outputs": _listing(owned), "warnings": warnings}
        self.put("runs", key, json.dumps(entry, sort_keys=True))


def _listing(folders: Iterable[Path]) -> Mapping[str, str | None]:
    """Every file under the folders (caches aside) with its hash."""
    found: dict[str, str | None] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path)] = file_digest(path)
    return found
