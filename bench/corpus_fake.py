"""One corpus spec's inferred fake, driven by its generated client and by schemathesis.

    python bench/corpus_fake.py SPEC OUT WORK --budget SECONDS

SPEC is the spec the package in OUT (a folder holding one generated package) was
made from; WORK holds schemathesis's report. Prints one JSON object: whether the
client builds with the credentials of one security alternative (the one most
operations accept), the CRUD groups the fake infers (collections with create, read,
list, update and delete), how many round-trip (bench/roundtrip.py), why the others
did not, and how many operations the served fake answers a 5xx under `schemathesis
--checks not_a_server_error` (examples, fuzzing and stateful phases, within the
time budget). Run by bench/corpus.py in a process of its own, so a spec that hangs
or crashes costs only its own row.
"""

from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PHASES = "examples,fuzzing,stateful"
EXAMPLES = 5  # per operation and phase: the corpus wants breadth, not depth


class Counted:
    """An ASGI app that counts the 5xx answers of the app it wraps, by method and path."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.errors: Counter[str] = Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 500:
                self.errors[f"{scope['method']} {scope['path']} {message['status']}"] += 1
            await send(message)

        await self.app(scope, receive, sending)


@contextmanager
def served(app: Any) -> Iterator[str]:
    """`app` under uvicorn on a free loopback port, in a thread; yields its root URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    if not server.started:
        raise RuntimeError("uvicorn did not start")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def headers(options: dict[str, Any], api: Any, keys: tuple[str, ...]) -> list[str]:
    """schemathesis -H options with the alternative's header credentials (a query key
    or an OAuth client cannot be given this way: those requests answer 401, not 5xx)."""
    found: list[str] = []
    for scheme in api.security_schemes:
        if scheme.key not in keys or scheme.location != "header":
            continue
        if scheme.kind == "basic":
            pair = f"{options[scheme.params[0]]}:{options[scheme.params[1]]}"
            found += ["-H", "Authorization: Basic " + base64.b64encode(pair.encode()).decode()]
        elif scheme.kind == "bearer":
            found += ["-H", f"Authorization: Bearer {options[scheme.params[0]]}"]
        elif scheme.kind == "api_key":
            found += ["-H", f"{scheme.wire_name}: {options[scheme.params[0]]}"]
    return found


def schemathesis(spec: Path, url: str, auth: list[str], work: Path, budget: float) -> dict[str, Any]:
    """schemathesis's run against the fake, summed up from its JSON report (the 5xx
    answers themselves are counted by the server, `Counted`)."""
    report = work / "schemathesis.json"
    report.unlink(missing_ok=True)
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "run", str(spec), "--url", url, *auth),
        *("--checks", "not_a_server_error", "--phases", PHASES, "-n", str(EXAMPLES), "--seed", "1"),
        *("--generation-database", "none", "--request-timeout", "10", "--max-time", str(int(budget))),
        *("--report", "json", "--report-json-path", str(report), "--no-color"),
    ]
    start = time.monotonic()
    try:
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=budget + 300)
    except subprocess.TimeoutExpired:  # it never got going (a schema it takes minutes to read)
        return {"schemathesis": f"did not finish in {budget + 300:.0f} s", "schemathesis_seconds": budget + 300}
    (work / "schemathesis.log").write_text(done.stdout + done.stderr)
    seconds = round(time.monotonic() - start, 1)
    if not report.exists():
        return {"schemathesis": " ".join((done.stdout + done.stderr).split()[-30:]), "schemathesis_seconds": seconds}
    said = json.loads(report.read_text())
    operations, cases = said.get("operations", {}), said.get("test_cases", {})
    return {
        "schemathesis": (
            f"{operations.get('tested')}/{operations.get('total')} operations, {cases.get('generated')} cases,"
            f" {len(said.get('failures') or [])} failures, {len(said.get('errors') or [])} errors,"
            f" stopped: {said.get('stop_reason')}"
        ),
        "schemathesis_seconds": seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("spec", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--budget", type=float, default=300.0, help="seconds for schemathesis")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(args.out))
    from bench.roundtrip import Failed, Package, alternative, crud_groups, options, round_trip
    from generator import pipeline

    api, _ = pipeline.check_spec(args.spec)
    if api is None:
        print("error: the spec has error findings", file=sys.stderr)
        return 1
    package = Package(api)
    keys = alternative(api)
    found: dict[str, Any] = {"alternative": list(keys)}
    groups = crud_groups(api)
    found |= {"groups": len(groups), "round_trips": 0, "failures": {}}
    app = Counted(package.server.create_app())
    with served(app) as root:
        arguments = options(api, package.server, root, keys)
        try:
            client = getattr(package.client_module, api.client_name + "Client")(**arguments)
        except Exception as exc:
            found["credentials"] = f"{type(exc).__name__}: {exc}"
            print(json.dumps(found))
            return 0
        found["credentials"] = ""
        with client:
            for name, ops in groups.items():
                try:
                    round_trip(package, client, name, ops)
                except Failed as failure:
                    found["failures"][name] = str(failure)
                else:
                    found["round_trips"] += 1
        url = root + package.server.SETTINGS.base_path
        served_spec = args.out / api.package / "openapi.json"
        found |= schemathesis(served_spec, url, headers(arguments, api, keys), args.work, args.budget)
    found["server_errors"] = sum(app.errors.values())
    found["server_error_routes"] = [route for route, _ in app.errors.most_common(10)]
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
