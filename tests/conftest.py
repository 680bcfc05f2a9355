"""Shared helpers: spec files in a temporary folder, the CLI, mock transports."""

from __future__ import annotations

import contextlib
import site
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
# The fixture packages in tests/golden import as top-level packages.
sys.path.insert(0, str(ROOT / "tests" / "golden"))

Handler = Callable[[httpx.Request], httpx.Response]


# `serve`'s default port. The suite holds it while it runs (when it is free), so a
# test that depended on a fixed port would fail here, not on a developer's machine.
BUSY_PORT = 8000


@pytest.fixture(scope="session", autouse=True)
def busy_default_port() -> Iterator[socket.socket | None]:
    """Listen on 127.0.0.1:8000 for the whole session, as another program might."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", BUSY_PORT))
        except OSError:  # something else listens there already: just as good
            yield None
            return
        sock.listen()
        yield sock


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a spec (dedented YAML) into tmp_path and return its path."""

    def write(text: str, name: str = "api.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Result]:
    """Run `python -m generator ARGS` in tmp_path; returns click's Result."""
    from generator.cli import main

    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


def minimal_spec(paths: str = "", components: str = "") -> str:
    """A valid OpenAPI 3.1 document with the given paths and components blocks."""
    return (
        "openapi: 3.1.0\n"
        "info: {title: Mini, version: '1'}\n"
        "servers: [{url: 'https://mini.example'}]\n"
        f"paths:\n{textwrap.indent(textwrap.dedent(paths), '  ') if paths else '  {}'}\n"
        + (f"components:\n{textwrap.indent(textwrap.dedent(components), '  ')}\n" if components else "")
    )


@contextlib.contextmanager
def served(app: Any) -> Iterator[str]:
    """`app` under uvicorn on a free loopback port; yields its root URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def fresh_venv(folder: Path) -> tuple[Path, Path]:
    """A venv in `folder` that sees this environment's packages, so that installing into
    it needs no network: (its python, its site-packages). `--system-site-packages` would
    show the base interpreter's packages, not this venv's."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", folder], check=True, timeout=120)
    python = folder / "bin" / "python"
    found = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], capture_output=True, text=True
    )
    purelib = Path(found.stdout.strip())
    (purelib / "parent.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python, purelib


def pip_install(python: Path, source: Path) -> None:
    """`pip install source` (not editable) into `python`'s venv, offline: no dependencies,
    and this environment's setuptools as the build backend."""
    install: list[str | Path] = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps"]
    subprocess.run([*install, "--no-build-isolation", source], check=True, timeout=300)
