"""`make contract`: schemathesis against every vendor's fake, served for real.

For each spec, `python -m generator serve VENDOR` runs on a free loopback
port; schemathesis runs all of its checks on every answer of our own specs (server errors;
conformance of status codes, content types, headers and schemas; invalid
input rejected and valid input accepted; authentication; created resources
reachable through the links between operations) in its examples, coverage,
fuzzing and stateful phases, with positive and negative data, a bounded
number of examples, a fixed seed and no example database, so a run repeats
the last. On a vendor's description kept as published (README: Overlays) it
checks only that the inferred fake never answers a 5xx. A check that a vendor's documented behaviour contradicts is
excluded for that vendor alone, in EXCLUDED; cursor parameters are pinned
(`pinned`). The server is stopped with SIGINT, as Ctrl-C would.
"""

from __future__ import annotations

import base64
import importlib
import json
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PHASES = "examples,coverage,fuzzing,stateful"
EXAMPLES = 300  # per operation and phase, for a spec of up to BUDGET_OPERATIONS operations
BUDGET_OPERATIONS = 25  # a larger spec shares EXAMPLES * BUDGET_OPERATIONS among its operations
MIN_EXAMPLES = 2  # but each operation gets at least this many
TIME_LIMIT = 300  # seconds per vendor
# vendor -> {excluded check: the vendor's documented behaviour that contradicts it}
EXCLUDED: dict[str, dict[str, str]] = {
    # missing_required_header wants a 401 for a request without Authorization.
    "joinme": {"missing_required_header": "join.me's gateway answers 403, not 401, without credentials"},
    # ensure_resource_availability counts only DELETE (or a write to the same URL) as deleting.
    "portsip": {"ensure_resource_availability": "PortSIP deletes a meeting with POST .../destroy"},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def auth_header(spec: dict[str, object]) -> list[str]:
    """The schemathesis -H options carrying the fake's default credentials."""
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}  # type: ignore[union-attr]
    tokens = any(scheme.get("type") in ("oauth2", "openIdConnect") for scheme in schemes.values())
    for scheme in schemes.values():
        # an API key in Authorization would take the place of the token that the other schemes send there
        if (
            scheme.get("type") == "apiKey"
            and scheme.get("in") == "header"
            and not (tokens and scheme.get("name") == "Authorization")
        ):
            return ["-H", f"{scheme['name']}: test-key"]
        if scheme.get("type") == "http" and scheme.get("scheme") == "basic":
            return ["-H", "Authorization: Basic " + base64.b64encode(b"user:password").decode()]
    return ["-H", "Authorization: Bearer test-token"]


def checks(vendor: str) -> str:
    """Every check on our own specs; on a vendor's description kept as published (our
    additions in an overlay beside it) the inferred fake's promise, no 5xx: such a file
    leaves statuses and error bodies undocumented, which the other checks would count."""
    from generator.sources import discover, overlay_paths, package_name

    spec = next(p for p in discover(ROOT / "specs") if package_name(p) == vendor)
    return "not_a_server_error" if any(path.is_file() for path in overlay_paths(spec)) else "all"


def excluded(vendor: str) -> list[str]:
    """The --exclude-checks option for the checks in EXCLUDED[vendor], if any."""
    checks = EXCLUDED.get(vendor)
    return ["--exclude-checks", ",".join(sorted(checks))] if checks else []


def pinned(vendor: str, spec: dict[str, Any], folder: Path) -> list[str]:
    """A --config-file that pins every cursor parameter to the empty (first-page) cursor.

    A cursor is valid only if the server issued it, which JSON Schema cannot say, so
    schemathesis would call a random one valid data and its 400 a failure. Issued
    cursors still reach it in the stateful phase, and unissued ones are tested in
    test_server_faults.
    """
    cursors = sorted(
        {
            operation["x-pagination"]["param"]
            for item in spec["paths"].values()
            for operation in item.values()
            if isinstance(operation, dict) and (operation.get("x-pagination") or {}).get("style") == "cursor"
        }
    )
    if not cursors:
        return []
    config = folder / f"{vendor}.toml"
    config.write_text("[parameters]\n" + "".join(f'{json.dumps("query." + c)} = ""\n' for c in cursors))
    return ["--config-file", str(config)]


def examples(operations: int) -> int:
    """Examples per operation and phase: EXAMPLES, fewer for a large spec, so that
    a vendor's time grows no faster than its operations."""
    return max(MIN_EXAMPLES, min(EXAMPLES, EXAMPLES * BUDGET_OPERATIONS // max(operations, 1)))


def acted(server: Any, actions: dict[str, Any]) -> tuple[list[str], int]:
    """The --include-operation-id options for the operations the fake has an action
    for (none when it has one for every operation: all are tested), and how many
    operations that is. An operation without one answers 501 by design."""
    with_action = [route for route in server.ROUTES if route.name in actions]
    if len(with_action) == len(server.ROUTES):
        return [], len(with_action)
    from generator.pointers import resolve  # after main() put this checkout first on the path

    ids = [resolve(server.SPEC, route.pointer).get("operationId") for route in with_action]
    return [option for id_ in ids if id_ for option in ("--include-operation-id", id_)], len(ids)


def wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not start")


def run(vendor: str, folder: Path) -> tuple[bool, str]:
    started = time.monotonic()
    server = importlib.import_module(f"generated.{vendor}.server")
    actions = importlib.import_module(f"generated.{vendor}._server_config").ACTIONS
    included, operations = acted(server, actions)
    if not operations:
        return True, f"skipped: the fake has no action for any of its {len(server.ROUTES)} operations"
    # the spec as served: with its overlay applied, and its files bundled
    spec = folder / f"{vendor}.json"
    spec.write_text(json.dumps(server.SPEC), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", vendor, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(port, process)
        command = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            *pinned(vendor, server.SPEC, folder),
            "run",
            str(spec),
            *included,
            "--url",
            f"http://127.0.0.1:{port}{server.SETTINGS.base_path}",
            *auth_header(server.SPEC),
            "--checks",
            checks(vendor),
            *excluded(vendor),
            "--mode",
            "all",
            "--phases",
            PHASES,
            "-n",
            str(examples(operations)),
            "--seed",
            "1",
            "--generation-database",
            "none",
            "--request-timeout",
            "10",
            "--no-color",
        ]
        try:
            result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired as exc:
            result = subprocess.CompletedProcess(command, 1, f"schemathesis timed out after {exc.timeout} s", "")
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl-C
        _, errors = process.communicate(timeout=30)
    counts = re.search(r"(\d+) generated, (.*)", result.stdout)
    summary = f"{counts.group(0) if counts else 'no summary'} in {time.monotonic() - started:.0f} s"
    if operations < len(server.ROUTES):
        summary += f"; {len(server.ROUTES) - operations} operations without a fake action left out"
    ok = result.returncode == 0 and process.returncode == 0 and b"Traceback" not in errors
    if not ok:
        print(result.stdout[-6000:], errors.decode(errors="replace")[-3000:], sep="\n")
    return ok, summary


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from generator.sources import discover, package_name

    vendors = sys.argv[1:] or [package_name(p) for p in discover(ROOT / "specs") if checks(package_name(p)) == "all"]
    for left in sorted({package_name(p) for p in discover(ROOT / "specs")} - set(vendors)):
        # not yet within the time limit, nor free of 5xx: run by name (`python tests/contract.py NAME`)
        print(f"{left:<12} {'skipped':<7} a vendor's description kept as published: run it by name", flush=True)
    failed = 0
    for vendor in vendors:
        with tempfile.TemporaryDirectory() as folder:
            ok, summary = run(vendor, Path(folder))
        failed += not ok
        print(f"{vendor:<12} {'ok' if ok else 'FAILED':<7} {summary}", flush=True)
        for check, why in EXCLUDED.get(vendor, {}).items():
            print(f"{'':<20} not checked: {check} ({why})")
    print(f"contract: {len(vendors) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
