"""The templates' compiled code kept in the cache folder: reused, and never trusted
when it is corrupt or stale."""

from __future__ import annotations

import hashlib
import io
import marshal
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.bccache import bc_magic

from generator import pipeline
from generator.cache import Cache
from generator.compiled import TemplateCode, template_code
from generator.render import environment
from generator.sources import discover

ROOT = Path(__file__).resolve().parent.parent
SPEC = discover(ROOT / "specs")[0]


def _templates(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "templates"
    root.mkdir(exist_ok=True)
    (root / "t.jinja").write_text(text)
    return root


def _render(root: Path, store: TemplateCode) -> str:
    return environment(root, store).get_template("t.jinja").render(name=True)


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(name or "")
        return original(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def test_a_second_environment_uses_the_stored_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, store = _templates(tmp_path, "{{ name }}\n"), TemplateCode(tmp_path / "code")
    assert _render(root, store) == "True\n"
    compiled = _compiles(monkeypatch)
    assert _render(root, store) == "True\n"
    assert compiled == []


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    store = TemplateCode(tmp_path / "code")
    assert _render(_templates(tmp_path, "one {{ name }}\n"), store) == "one True\n"
    assert _render(_templates(tmp_path, "two {{ name }}\n"), store) == "two True\n"


def _jinja_file(checksum: bytes, code: bytes) -> bytes:
    """A payload as Jinja writes it: its magic, the pickled source checksum, marshalled code."""
    return bc_magic + checksum + code


DAMAGES = {  # what a damaged file's payload (Jinja's part) may read
    "empty": lambda payload: b"",
    "truncated": lambda payload: payload[: len(payload) // 2],
    "zeros": lambda payload: b"\0" * len(payload),
    "garbage": lambda payload: b"not a cache file at all",
    "checksum unreadable": lambda payload: _jinja_file(b"\x80\x05\x95garbage", b""),
    "not code": lambda payload: payload[: -len(marshal.dumps(_code(payload)))] + marshal.dumps(42),
}


def _code(payload: bytes) -> Any:
    rest = io.BytesIO(payload[len(bc_magic) :])
    pickle.load(rest)
    return marshal.load(rest)


@pytest.mark.parametrize("rehash", [False, True], ids=["hash stale", "hash matching"])
@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_corrupt_file_is_only_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[bytes], bytes], rehash: bool
) -> None:
    root, store = _templates(tmp_path, "{{ name }}\n"), TemplateCode(tmp_path / "code")
    _render(root, store)
    [stored] = (tmp_path / "code").iterdir()
    data = stored.read_bytes()
    payload = damage(data[32:])
    stored.write_bytes((hashlib.sha256(payload).digest() if rehash else data[:32]) + payload)
    compiled = _compiles(monkeypatch)
    assert _render(root, store) == "True\n"
    assert compiled == ["t.jinja"]
    assert _render(root, store) == "True\n"  # rewritten, good again
    assert compiled == ["t.jinja"]


def test_an_unwritable_folder_is_only_slower(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("in the way")
    store = TemplateCode(tmp_path / "file" / "code")
    root = _templates(tmp_path, "{{ name }}\n")
    assert _render(root, store) == "True\n"
    assert _render(root, store) == "True\n"


def test_no_store_without_a_cache_folder() -> None:
    assert template_code(None) is None
    assert template_code(Cache(None)) is None


def test_generated_bytes_do_not_depend_on_the_stored_code(tmp_path: Path) -> None:
    """A run with no cache, one that fills the store and one that reads a store
    whose every file was damaged write the same files."""

    def run(out: Path, cache: Cache) -> dict[str, bytes]:
        pipeline.generate([SPEC], out, all_specs=False, cache=cache)
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    cold = run(tmp_path / "cold", Cache(None))
    folder = tmp_path / "cache"
    assert run(tmp_path / "filled", Cache(folder)) == cold
    stored = list((folder / "templates").rglob("*.cpython-*"))
    assert stored
    for path in stored:
        path.write_bytes(path.read_bytes()[::-1])
    for kind in ("runs", "ruff", "validation"):
        for path in (folder / kind).rglob("*"):
            path.unlink() if path.is_file() else None
    assert run(tmp_path / "damaged", Cache(folder)) == cold
