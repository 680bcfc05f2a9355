"""The root README's Python examples run as written, each against the served fake of
the vendor it imports (its `http://127.0.0.1:8000` replaced by a free port)."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from conftest import ROOT, served

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
FAKE_ROOT = "http://127.0.0.1:8000"


def vendor(block: str) -> str | None:
    """The vendor package a block talks to: the one it imports, or the one it connects to."""
    connected = re.search(r'connect\("(\w+)"', block)
    imported = re.search(r"generated\.(\w+)", block)
    return connected.group(1) if connected else imported.group(1) if imported else None


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_each_python_example_runs_as_written(index: int, capsys: pytest.CaptureFixture[str]) -> None:
    block = BLOCKS[index]
    name = vendor(block)
    assert name, "every example imports a generated package"
    namespace: dict[str, Any] = {"__name__": "readme"}
    if FAKE_ROOT not in block:  # builds things, talks to no server
        exec(compile(block, f"README.md block {index}", "exec"), namespace)
        return
    server = importlib.import_module(f"generated.{name}.server")
    with served(server.create_app()) as root:
        exec(compile(block.replace(FAKE_ROOT, root), f"README.md block {index}", "exec"), namespace)
    assert capsys.readouterr().out, "an example that calls the fake shows what it got"


def test_the_examples_are_found() -> None:
    assert len(BLOCKS) >= 4 and all(vendor(block) for block in BLOCKS)
