"""The templates' compiled code, kept in the cache folder so a run does not compile
them again (Jinja2's bytecode cache, made safe).

Entries live in `templates/<key>/` below the cache folder, where the key is the
cache's code version: a hash of the generator's source, its templates and the
pinned dependencies' versions (Jinja2's among them), so a change to any of them
uses a new folder. Each file holds a SHA-256 of the rest; one that is short,
corrupt, stale or unreadable is only a miss (the template is compiled again and
the file rewritten), never an error.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

from .cache import Cache

_DIGEST = hashlib.sha256().digest_size


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates in `folder`, one file a template, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.{sys.implementation.cache_tag}"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        payload = data[_DIGEST:]
        if len(data) <= _DIGEST or hashlib.sha256(payload).digest() != data[:_DIGEST]:
            return
        try:
            bucket.bytecode_from_string(payload)  # checks Jinja's magic and the source's checksum
        except Exception:  # a file that passed the hash but not Jinja's reading: compile again
            bucket.reset()
        if not isinstance(bucket.code, CodeType):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        payload = bucket.bytecode_to_string()
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "wb") as file:
                file.write(hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        except OSError:  # a cache that cannot be written is only slower
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)


def template_code(cache: Cache | None) -> TemplateCode | None:
    """The compiled templates' store in `cache`'s folder; None when caching is off."""
    if cache is None or cache.folder is None:
        return None
    return TemplateCode(cache.folder / "templates" / cache.version[:32])
