"""`make bench`: our generator against openapi-python-client, side by side, in one run.

The peer (with ruff, its default formatter) is installed into .bench-venv. Every
row is measured REPEAT times in fresh processes; the table shows medians of wall
time and of peak memory (the measured process and its children), and ratios
ours / peer. A run that fails or takes longer than BENCH_TIMEOUT seconds is shown
as such, and not repeated. Results go to bench/results.md too.

`--only github,incremental` (or ONLY=...) runs only those groups of rows (see
ROWS) and writes .cache/bench/only.md instead; REPEAT=1 (environment) lowers the
repetitions for a quick look.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
REPEAT = int(os.environ.get("REPEAT", "3"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "1800"))
SIZES = (100, 400, 1600)
SPECS = sorted((ROOT / "specs").glob("*.yaml"))
GITHUB = ("@octokit/openapi", "23.0.2", "generated/api.github.com.json")  # GitHub's REST description, OpenAPI 3.0
LARGEST = 5  # the corpus row: this many of bench/corpus_specs.txt, largest files first
ROWS = (
    "small",
    "ours",
    "peer-specs",
    "synthetic",
    "github",
    "corpus",
    "incremental",
    "import",
    "first-call",
    "call",
    "serve",
)
FIRST_CALL = ("zoom.us.json", "meetings", "meeting", [1])  # a corpus spec, a resource, a method and its arguments
SERVED = "zoom.us.json"  # the serve row's spec, from the corpus (bench/corpus_specs.txt)
# `wait(timeout=...)` polls, with sleeps of up to 50 ms: it would add up to that to
# every figure. A blocking wait, with a timer that kills the child, is exact.
MEASURE = """
import json, os, resource, signal, subprocess, sys, threading, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[3:], cwd=sys.argv[2], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
timed_out = threading.Event()
def kill():
    timed_out.set()
    os.killpg(child.pid, signal.SIGKILL)
timer = threading.Timer(float(sys.argv[1]), kill)
timer.start()
status = child.wait()
timer.cancel()
print(json.dumps([None if timed_out.is_set() else status, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""

Row = tuple[str, str, str, str]  # (what, ours, peer, ratio)


class Measured(NamedTuple):
    seconds: float
    mib: float
    status: int | None  # the exit status; None: timed out

    @property
    def ok(self) -> bool:
        return self.status == 0

    def cell(self, digits: int = 2) -> str:
        if self.status is None:
            return f"timed out after {self.seconds:.0f} s"
        figures = f"{self.seconds:.{digits}f} s, {self.mib:.0f} MiB"
        return figures if self.ok else f"failed (exit {self.status}) after {figures}"

    def ratio(self, other: Measured) -> str:
        return f"{self.seconds / other.seconds:.2f} time, {self.mib / other.mib:.2f} memory"


def measure(command: list[str], cwd: Path, before: Callable[[], None] = lambda: None) -> Measured:
    """Medians of wall seconds and peak MiB of `command` over REPEAT fresh runs;
    the first run that fails or times out instead, if one does."""
    from bench.inputs import peer_env

    times, peaks = [], []
    for _ in range(REPEAT):
        before()
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, str(TIMEOUT), str(cwd), *command],
            capture_output=True,
            text=True,
            env=peer_env(),
            check=True,
        )
        status, seconds, peak_kib = json.loads(out.stdout)
        if status != 0:
            return Measured(seconds, peak_kib / 1024, status)
        times.append(seconds)
        peaks.append(peak_kib / 1024)
    return Measured(statistics.median(times), statistics.median(peaks), 0)


def lines(folder: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fresh(*folders: Path) -> Callable[[], None]:
    def clear() -> None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    return clear


def ours(specs: Sequence[Path], out: Path, cache: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "generator",
        "generate",
        "--out",
        str(out),
        "--cache-dir",
        str(cache),
        *extra,
        *map(str, specs),
    ]


def peer_generates(spec: Path, work: Path) -> bool:
    """Whether the peer makes a client from `spec` at all."""
    from bench.inputs import peer, peer_env

    command = [
        *peer(),
        "generate",
        "--path",
        str(spec),
        "--meta",
        "none",
        "--overwrite",
        "--output-path",
        str(work / "probe"),
    ]
    return subprocess.run(command, cwd=work, capture_output=True, env=peer_env()).returncode == 0


def peer_all(specs: Sequence[Path], out: Path) -> list[str]:
    """One shell command that runs the peer on every spec, one after another; the
    stems of the specs it fails on go to out/failed.txt, and then it exits 1."""
    from bench.inputs import peer

    failed = shlex.quote(str(out / "failed.txt"))
    runs = [f"mkdir -p {shlex.quote(str(out))}"] + [
        f"{shlex.quote(peer()[0])} generate --path {shlex.quote(str(s))} --meta none --overwrite"
        f" --output-path {shlex.quote(str(out / s.stem))} || echo {shlex.quote(s.stem)} >> {failed}"
        for s in specs
    ]
    return ["sh", "-c", "; ".join([*runs, f"test ! -e {failed}"])]


def versus(what: str, specs: Sequence[Path], work: Path, count_lines: bool = False) -> tuple[Row, Measured, Measured]:
    """The row for ours and the peer, each making clients from all of `specs`
    (ours without its cache), with both tools' figures."""
    out, their_out = work / "out", work / "peer"
    mine = measure(ours(specs, out, work / "cache", "--no-cache"), ROOT, fresh(out))
    theirs = measure(peer_all(specs, their_out), work, fresh(their_out))
    failures = (their_out / "failed.txt").read_text().split() if (their_out / "failed.txt").exists() else []
    mine_cell, their_cell, ratio = mine.cell(), theirs.cell(), "-"
    if count_lines:
        mine_cell += f", {lines(out)} lines" if mine.ok else ""
        their_cell += f", {lines(their_out)} lines" if theirs.ok else ""
    if (
        failures and len(failures) < len(specs) and theirs.status is not None
    ):  # a partial run: its figures still mean something
        their_cell = f"{theirs.seconds:.2f} s, {theirs.mib:.0f} MiB, but fails on {', '.join(failures)}"
    elif failures:
        their_cell = f"fails after {theirs.seconds:.2f} s, {theirs.mib:.0f} MiB"
    if mine.ok and theirs.status is not None and len(failures) < len(specs):
        ratio = mine.ratio(theirs) + (f" (the peer skips {len(failures)})" if failures else "")
    return (what, mine_cell, their_cell, ratio), mine, theirs


def small_rows(work: Path) -> list[Row]:
    """The fixed cost: the smallest vendor spec the peer generates, in a fresh process,
    against the peer. Ours is cold but for the templates' compiled code (kept in the
    cache folder as Python keeps its bytecode): no run record, no formatted module,
    no validation finding is left from the run before."""
    spec = min((s for s in SPECS if peer_generates(s, work)), key=lambda s: s.stat().st_size)
    out, cache = work / "small-out", work / "small-cache"
    command = ours([spec], out, cache)
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)  # compiles the templates once

    def cold() -> None:
        fresh(out)()
        for kind in cache.iterdir():
            if kind.name != "templates":
                shutil.rmtree(kind)

    mine = measure(command, ROOT, cold)
    bare = measure(ours([spec], out, work / "small-bare", "--no-cache"), ROOT, fresh(out))
    theirs = measure(peer_all([spec], work / "small-peer"), work, fresh(work / "small-peer"))
    python = measure([sys.executable, "-c", "pass"], ROOT)
    cold()
    imports = subprocess.run(
        [sys.executable, "-X", "importtime", *command[1:]], cwd=ROOT, capture_output=True, text=True
    )
    modules = [line.split("|") for line in imports.stderr.splitlines() if line.startswith("import time:")]
    top = sum(int(cumulative) for _, cumulative, name in modules[1:] if not name.startswith("  "))
    return [
        (
            f"{spec.name}, one small spec, cold, in a fresh process",
            mine.cell(),
            theirs.cell(),
            mine.ratio(theirs) + "; target <= 0.3 s and <= 0.25 time" if mine.ok and theirs.ok else "-",
        ),
        (f"{spec.name}, the same with `--no-cache` (the templates compiled too)", bare.cell(), "-", "-"),
        (
            f"{spec.name}: imports (`python -X importtime`, top level), and `python -c pass`",
            f"{top / 1000:.0f} ms of imports, {len(modules)} modules",
            f"python -c pass {python.seconds:.2f} s",
            "-",
        ),
    ]


def ours_only_rows(work: Path) -> list[Row]:
    out, cache = work / "out", work / "cache"
    cold = measure(ours(SPECS, out, cache), ROOT, fresh(out, cache))
    unchanged = measure(ours(SPECS, out, cache), ROOT)
    check = measure(
        [sys.executable, "-m", "generator", "generate", "--check", "--cache-dir", str(work / "check-cache")],
        ROOT,
        fresh(work / "check-cache"),
    )
    return [
        (f"{len(SPECS)} specs, cold (no caches)", cold.cell(), "-", "target <= 1.0 s"),
        (
            f"{len(SPECS)} specs, nothing to do",
            unchanged.cell(3) if not unchanged.ok else f"{unchanged.seconds:.3f} s",
            "-",
            "target <= 0.1 s",
        ),
        (
            f"{len(SPECS)} specs, generate --check (cold)",
            f"{check.seconds:.2f} s" if check.ok else check.cell(),
            "-",
            "-",
        ),
    ]


def peer_specs_row(work: Path) -> Row:
    able = [s for s in SPECS if peer_generates(s, work)]
    failed = ", ".join(s.stem for s in SPECS if s not in able) or "none"
    return versus(f"the {len(able)} specs the peer generates (it fails on: {failed})", able, work)[0]


def synthetic_rows(work: Path, peers: dict[int, Measured]) -> list[Row]:
    from bench import synthetic

    rows, per_operation = [], {}
    for size in SIZES:
        spec = work / f"synthetic{size}.json"
        spec.write_text(json.dumps(synthetic.spec(size)))
        row, mine, peers[size] = versus(f"synthetic, {size} operations", [spec], work, count_lines=True)
        rows.append(row)
        per_operation[size] = mine.seconds / size if mine.ok else float("nan")
    growth = per_operation[SIZES[-1]] / per_operation[SIZES[0]]
    rows.append((f"time per operation, {SIZES[-1]} vs {SIZES[0]}", f"{growth:.2f}x", "-", "target <= 1.2"))
    return rows


def github_row(work: Path) -> Row:
    from bench.inputs import npm_package, operation_count

    name, version, member = GITHUB
    spec = npm_package(name, version, CACHE, [member]) / member
    what = f"GitHub REST: `{name}@{version}` {Path(member).name}, {spec.stat().st_size >> 20} MB, {operation_count(spec)} operations"
    return versus(what, [spec], work)[0]


def corpus_row(work: Path) -> Row:
    from bench.inputs import install_directory, listed_specs

    api = install_directory()
    largest = sorted((api / p for p in listed_specs()), key=lambda p: p.stat().st_size, reverse=True)[:LARGEST]
    names = ", ".join(f"{p.relative_to(api)} ({p.stat().st_size >> 20} MB)" for p in largest)
    return versus(f"the corpus's {LARGEST} largest, one after another: {names}", largest, work)[0]


def incremental_row(work: Path, peers: dict[int, Measured]) -> Row:
    """Ours regenerating the largest synthetic spec, its cache warm, after one
    operation's description changed; the peer (no cache) makes it all again."""
    from bench import synthetic

    size = SIZES[-1]
    folder = work / "incremental"
    folder.mkdir(exist_ok=True)
    spec, out, cache = folder / f"synthetic{size}.json", folder / "out", folder / "cache"
    before = synthetic.spec(size)
    after = copy.deepcopy(before)
    next(iter(after["paths"].values()))["get"]["description"] = "Changed: one operation's description."

    def reset() -> None:  # the output and the cache as the unchanged spec leaves them
        spec.write_text(json.dumps(before))
        subprocess.run(ours([spec], out, cache), cwd=ROOT, capture_output=True, check=True)
        spec.write_text(json.dumps(after))

    mine = measure(ours([spec], out, cache), ROOT, reset)
    if size not in peers:
        spec.write_text(json.dumps(before))
        peers[size] = measure(peer_all([spec], work / "peer"), work, fresh(work / "peer"))
    theirs = peers[size]
    ratio = (mine.ratio(theirs) + "; " if mine.ok and theirs.ok else "") + "target <= 1.0 s"
    return (
        f"synthetic, {size} operations, one description changed, cache warm",
        mine.cell(),
        f"{theirs.cell()} (all of it: no cache)",
        ratio,
    )


def import_rows() -> list[Row]:
    from bench import import_time

    rows = []
    for api_package, client in (("joinme", "JoinMeClient"), ("portsip", "PortSipClient"), ("genesys", "GenesysClient")):
        base, total = import_time.measure(api_package, client)
        rows.append(
            (
                f"import generated.{api_package}",
                f"{total * 1000:.1f} ms",
                f"httpx+pydantic {base * 1000:.1f} ms",
                f"{total / base:.2f} (target <= 1.5)",
            )
        )
    return rows


def first_call_row(work: Path) -> Row:
    """The first call on one resource of the corpus's Zoom spec, in a fresh process,
    beside the package's import time."""
    from bench.first_call import measure
    from bench.inputs import install_directory

    spec, resource, method, arguments = FIRST_CALL
    found = measure(install_directory() / spec, resource, method, arguments, work)
    return (
        f"first call on Zoom `client.{resource}` ({spec}: `{method}()`, fresh process)",
        f"{found.called * 1000:.0f} ms, {found.parts_loaded} of {found.parts} model parts",
        f"import {found.imported * 1000:.0f} ms (httpx, pydantic, package)",
        f"{found.ratio:.2f} (target <= 2)",
    )


def call_rows() -> list[Row]:
    from bench.call_overhead import overheads

    return [
        (
            f"per call on MockTransport, {what}",
            f"{figures.generated * 1e6:.0f} us",
            f"bare httpx {figures.bare * 1e6:.0f} us",
            f"{figures.ratio:.2f} (target <= 1.2)",
        )
        for what, figures in overheads().items()
    ]


def serve_start(out: Path, vendor: str) -> tuple[float, float]:
    """Seconds from starting `serve` in a fresh process to its banner, and to its
    first answer (the spec it serves)."""
    import re
    import urllib.request

    start = time.perf_counter()
    command = [sys.executable, "-m", "generator", "serve", vendor, "--port", "0", "--out", str(out)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        banner = time.perf_counter() - start
        found = re.search(r"\(spec: (\S+)\)", line)
        if not found:
            raise RuntimeError(f"serve printed no banner: {line!r}")
        while True:
            try:
                with urllib.request.urlopen(found.group(1), timeout=TIMEOUT) as answer:
                    answer.read()
                break
            except OSError:  # not listening yet
                time.sleep(0.01)
        return banner, time.perf_counter() - start
    finally:
        process.kill()
        process.wait()


def serve_row(work: Path) -> Row:
    """`serve` on a large generated package: its start-up, to the banner and to the first answer."""
    from bench.inputs import DIRECTORY, VERSION, npm_package, operation_count

    spec = npm_package(DIRECTORY, VERSION, CACHE, [f"api/{SERVED}"]) / "api" / SERVED
    out = work / "served"
    subprocess.run(ours([spec], out, work / "cache", "--no-cache"), cwd=ROOT, capture_output=True, check=True)
    [vendor] = [p.parent.name for p in out.glob("*/server.py")]
    times = [serve_start(out, vendor) for _ in range(REPEAT)]
    banner, answer = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
    return (
        f"serve {SERVED} ({operation_count(spec)} operations): to the banner; to the first answer",
        f"{banner:.2f} s; {answer:.2f} s",
        "-",
        "target <= 1 s",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--only", default=os.environ.get("ONLY", ""), help=f"comma-separated groups of rows: {', '.join(ROWS)}"
    )
    args = parser.parse_args(argv)
    only = [w.strip() for w in args.only.split(",") if w.strip()]
    if unknown := [w for w in only if w not in ROWS]:
        parser.error(f"unknown rows {', '.join(unknown)}; choose from {', '.join(ROWS)}")
    sys.path.insert(0, str(ROOT))
    from bench.inputs import peer

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"measuring ({REPEAT} runs each, medians) in {work} ...", file=sys.stderr)
    peers: dict[int, Measured] = {}  # the peer on the synthetic specs, by size
    groups: dict[str, Callable[[], list[Row]]] = {
        "small": lambda: small_rows(work),
        "ours": lambda: ours_only_rows(work),
        "peer-specs": lambda: [peer_specs_row(work)],
        "synthetic": lambda: synthetic_rows(work, peers),
        "github": lambda: [github_row(work)],
        "corpus": lambda: [corpus_row(work)],
        "incremental": lambda: [incremental_row(work, peers)],
        "import": import_rows,
        "first-call": lambda: [first_call_row(work)],
        "call": call_rows,
        "serve": lambda: [serve_row(work)],
    }
    rows: list[Row] = []
    for name in ROWS:
        if not only or name in only:
            print(f"  {name} ...", file=sys.stderr, flush=True)
            rows += groups[name]()

    table = format_table(rows)
    print(table)
    machine = f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, {platform.processor() or platform.machine()}"
    peer_version = subprocess.run([*peer(), "--version"], capture_output=True, text=True).stdout.strip()
    target = CACHE / "only.md" if only else ROOT / "bench" / "results.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "# Benchmark results\n\n"
        f"`make bench`, {time.strftime('%Y-%m-%d')}, on {machine}.\n"
        f"Peer: {peer_version}, with ruff. {REPEAT} runs per row, medians; memory is peak RSS.\n\n" + table + "\n"
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
