"""`make bench`: our generator against openapi-python-client, side by side, in one run.

The peer (with ruff, its default formatter) is installed into .bench-venv. Every
row is measured REPEAT times in fresh processes; the table shows medians of wall
time and of peak memory (the measured process and its children), and ratios
ours / peer. Results go to bench/results.md too.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = ROOT / ".bench-venv"
REPEAT = 3
SIZES = (100, 400, 1600)
SPECS = sorted((ROOT / "specs").glob("*.yaml"))
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
status = subprocess.run(sys.argv[2:], cwd=sys.argv[1], capture_output=True, env=None).returncode
print(json.dumps([status, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def peer() -> list[str]:
    """openapi-python-client's command, installed into its own environment first."""
    tool = PEER_VENV / "bin" / "openapi-python-client"
    if not tool.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "--quiet", "openapi-python-client", "ruff"], check=True)
    return [str(tool)]


def measure(command: list[str], cwd: Path, before: Callable[[], None] = lambda: None) -> tuple[float, float]:
    """Median wall seconds and peak MiB of `command` over REPEAT fresh runs."""
    times, peaks = [], []
    env = {**os.environ, "PATH": f"{PEER_VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    for _ in range(REPEAT):
        before()
        out = subprocess.run([sys.executable, "-c", MEASURE, str(cwd), *command], capture_output=True, text=True, env=env, check=True)
        status, seconds, peak_kib = json.loads(out.stdout)
        if status != 0:
            raise RuntimeError(f"{' '.join(command)} exited {status}")
        times.append(seconds)
        peaks.append(peak_kib / 1024)
    return statistics.median(times), statistics.median(peaks)


def lines(folder: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fresh(*folders: Path) -> Callable[[], None]:
    def clear() -> None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    return clear


def ours(specs: list[Path], out: Path, cache: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "generate", "--out", str(out), "--cache-dir", str(cache), *extra, *map(str, specs)]


def peer_generates(spec: Path, work: Path) -> bool:
    """Whether the peer makes a client from `spec` at all."""
    env = {**os.environ, "PATH": f"{PEER_VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    command = [*peer(), "generate", "--path", str(spec), "--meta", "none", "--overwrite", "--output-path", str(work / "probe")]
    return subprocess.run(command, cwd=work, capture_output=True, env=env).returncode == 0


def peer_all(specs: list[Path], out: Path) -> list[str]:
    """One shell command that runs the peer on every spec, one after another."""
    runs = [
        f"{peer()[0]} generate --path {s} --meta none --overwrite --output-path {out / s.stem}" for s in specs
    ]
    return ["sh", "-c", " && ".join(runs)]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from bench import import_time, synthetic
    from bench.call_overhead import overhead

    rows: list[tuple[str, str, str, str]] = []  # (what, ours, peer, ratio)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    out, cache = work / "out", work / "cache"
    print(f"measuring ({REPEAT} runs each, medians) in {work} ...", file=sys.stderr)

    cold = measure(ours(SPECS, out, cache), ROOT, fresh(out, cache))
    unchanged = measure(ours(SPECS, out, cache), ROOT)
    check = measure([sys.executable, "-m", "generator", "generate", "--check", "--cache-dir", str(work / "check-cache")], ROOT, fresh(work / "check-cache"))
    rows.append(("5 specs, cold (no caches)", f"{cold[0]:.2f} s, {cold[1]:.0f} MiB", "-", "target < 1.5 s"))
    rows.append(("5 specs, nothing to do", f"{unchanged[0]:.3f} s", "-", "target < 0.3 s"))
    rows.append(("5 specs, generate --check (cold)", f"{check[0]:.2f} s", "-", "-"))
    able = [s for s in SPECS if peer_generates(s, work)]
    failed = ", ".join(s.stem for s in SPECS if s not in able) or "none"
    mine = measure(ours(able, out, cache, "--no-cache"), ROOT, fresh(out))
    their = measure(peer_all(able, work / "peer"), work, fresh(work / "peer"))
    rows.append((
        f"the {len(able)} specs the peer generates (it fails on: {failed})",
        f"{mine[0]:.2f} s, {mine[1]:.0f} MiB", f"{their[0]:.2f} s, {their[1]:.0f} MiB",
        f"{mine[0] / their[0]:.2f} time, {mine[1] / their[1]:.2f} memory",
    ))  # fmt: skip

    per_operation = {}
    for size in SIZES:
        spec = work / f"synthetic{size}.json"
        spec.write_text(json.dumps(synthetic.spec(size)))
        mine = measure(ours([spec], out, cache, "--no-cache"), ROOT, fresh(out))
        peers = measure(peer_all([spec], work / "peer"), work, fresh(work / "peer"))
        ours_lines, peer_lines = lines(out), lines(work / "peer")
        per_operation[size] = mine[0] / size
        rows.append((
            f"synthetic, {size} operations",
            f"{mine[0]:.2f} s, {mine[1]:.0f} MiB, {ours_lines} lines",
            f"{peers[0]:.2f} s, {peers[1]:.0f} MiB, {peer_lines} lines",
            f"{mine[0] / peers[0]:.2f} time, {mine[1] / peers[1]:.2f} memory",
        ))  # fmt: skip
    growth = per_operation[SIZES[-1]] / per_operation[SIZES[0]]
    rows.append((f"time per operation, {SIZES[-1]} vs {SIZES[0]}", f"{growth:.2f}x", "-", "target <= 1.3"))

    for api_package, client in (("joinme", "JoinMeClient"), ("portsip", "PortSipClient"), ("genesys", "GenesysClient")):
        base, total = import_time.measure(api_package, client)
        rows.append((f"import generated.{api_package}", f"{total * 1000:.1f} ms", f"httpx+pydantic {base * 1000:.1f} ms", f"{total / base:.2f} (target < 1.5)"))
    generated, bare = overhead()
    rows.append(("per call on MockTransport", f"{generated * 1e6:.0f} us", f"bare httpx {bare * 1e6:.0f} us", f"{generated / bare:.2f} (target <= 1.3)"))

    table = format_table(rows)
    print(table)
    machine = f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, {platform.processor() or platform.machine()}"
    peer_version = subprocess.run([*peer(), "--version"], capture_output=True, text=True).stdout.strip()
    (ROOT / "bench" / "results.md").write_text(
        "# Benchmark results\n\n"
        f"`make bench`, {time.strftime('%Y-%m-%d')}, on {machine}.\n"
        f"Peer: {peer_version}, with ruff. {REPEAT} runs per row, medians; memory is peak RSS.\n\n"
        + table + "\n"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


def format_table(rows: list[tuple[str, str, str, str]]) -> str:
    header = ("what", "ours", "openapi-python-client", "ours / peer")
    lines = [f"| {' | '.join(header)} |", f"|{'|'.join('---' for _ in header)}|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
