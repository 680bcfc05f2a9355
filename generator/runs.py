"""Finished runs of `generate`, remembered in the cache: a run whose specs, the
files they reference, settings and output are as a finished run left them is
answered from its record.

Light on purpose (the standard library, `cache` and `sources`): the check comes
before the formatter, Jinja2 or the validator are imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .cache import Cache, digest, file_digest
from .problems import Problem
from .sources import overlay_paths, package_name


@dataclass(frozen=True)
class Run:
    """One `generate` as the cache knows it: the hash of what decides its output
    (the generator's own code among it, see `Cache.version`), and the folders it owns."""

    cache: Cache
    key: str
    owned: tuple[Path, ...]  # where stale generated files are looked for: all of `out`, or the specs' packages

    @classmethod
    def of(cls, cache: Cache, specs: Sequence[Path], out: Path, all_specs: bool, settings: str) -> Run:
        # a spec's overlay, there or not, decides its output as the spec does
        inputs = [f"{p}:{file_digest(p)}" for spec in specs for p in (spec, *overlay_paths(spec))]
        key = digest(cache.version, str(out.resolve()), str(all_specs), settings, *inputs)
        return cls(cache, key, (out,) if all_specs else tuple(out / package_name(p) for p in specs))

    def unchanged(self) -> list[Problem] | None:
        """The warnings of the last run with these inputs, if it left the output
        as it still is; None otherwise."""
        recorded = self.cache.get("runs", self.key)
        try:
            entry = json.loads(recorded) if recorded is not None else None
            if entry is None or any(file_digest(Path(p)) != h for p, h in entry["inputs"].items()):
                return None  # no such run, or a file the specs reference changed
            if _listing(self.owned) != entry["outputs"]:
                return None
            return [Problem(**warning) for warning in entry["warnings"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # a damaged record is only slower

    def record(self, inputs: Iterable[Path], warnings: Iterable[Problem]) -> None:
        """Remember this run: every file it read, the output as it is now, its warnings."""
        entry = {
            "inputs": {str(p): file_digest(p) for p in inputs},
            "outputs": _listing(self.owned),
            "warnings": [asdict(w) for w in warnings],
        }
        self.cache.put("runs", self.key, json.dumps(entry, sort_keys=True))


def _listing(folders: Iterable[Path]) -> Mapping[str, str | None]:
    """Every file under the folders (caches aside) with its hash."""
    found: dict[str, str | None] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path)] = file_digest(path)
    return found
