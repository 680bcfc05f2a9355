"""The first call on one resource of a large API, beside the package's import time.

Each run is a fresh interpreter (bytecode cached, as pip installs it) that times `import httpx, pydantic` and the
package (as bench/import_time.py does), then the first call: the client, its
resource and one method answered by a MockTransport, which imports the resource
module and the model parts it needs. Target: the first call takes at most twice
the import.

    python bench/first_call.py SPEC RESOURCE METHOD [ARGUMENT]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
PROBE = """
import json, sys, time
start = time.perf_counter()
import httpx, pydantic
import {package}
from {package} import {client} as Client
imported = time.perf_counter()
answer = httpx.MockTransport(lambda request: httpx.Response(200, json={{}}))
client = Client(access_token="t", base_url="http://api.test", http_client=httpx.Client(transport=answer))
getattr(client.{resource}, {method!r})(*json.loads(sys.argv[1]))
called = time.perf_counter()
parts = [m for m in sys.modules if m.startswith("{package}.models._part")]
print(json.dumps([imported - start, called - imported, len(parts)]))
"""


class FirstCall(NamedTuple):
    imported: float  # seconds: httpx, pydantic and the package
    called: float  # seconds: the client, the resource and its first call
    parts_loaded: int  # model parts in sys.modules after the call
    parts: int  # model parts the package has

    @property
    def ratio(self) -> float:
        return self.called / self.imported


def measure(spec: Path, resource: str, method: str, arguments: Sequence[object], work: Path) -> FirstCall:
    """Generates `spec` into `work` and returns the medians of RUNS fresh runs."""
    sys.path.insert(0, str(ROOT))
    from generator import pipeline

    (api,) = pipeline.build([spec])
    out = work / "first-call"
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--no-cache", "--out", str(out), str(spec)],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    probe = PROBE.format(package=api.package, client=api.client_name + "Client", resource=resource, method=method)
    # bytecode written, as an installed package has it: the first run writes it and is not counted
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = []
    for _ in range(RUNS + 1):
        done = subprocess.run(
            [sys.executable, "-c", probe, json.dumps(arguments)],
            cwd=out,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    imported, called, loaded = (statistics.median(column) for column in zip(*runs[1:]))
    return FirstCall(imported, called, int(loaded), len(api.model_parts) if len(api.model_parts) > 1 else 0)


def main(argv: list[str]) -> int:
    spec, resource, method, *rest = argv
    with tempfile.TemporaryDirectory(prefix="first-call-") as work:
        found = measure(Path(spec), resource, method, [json.loads(a) for a in rest], Path(work))
    print(f"import (httpx, pydantic, package) {found.imported * 1000:.0f} ms, median of {RUNS}")
    print(f"first call on client.{resource}.{method}: {found.called * 1000:.0f} ms, ratio {found.ratio:.2f}")
    print(f"model parts loaded: {found.parts_loaded} of {found.parts}")
    return 0 if found.ratio <= 2 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
