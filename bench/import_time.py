"""Import time of each generated package, as a ratio to `import httpx, pydantic`.

Each run is a fresh interpreter that times `import httpx, pydantic` and then the
package on top of it, in process (interpreter start-up is left out). The ratio
is median(httpx + pydantic + package) / median(httpx + pydantic); 1.0 would
mean the package costs nothing. Target: under 1.5.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
PROBE = """
import json, time
start = time.perf_counter()
import httpx, pydantic
base = time.perf_counter()
import generated.{package}
from generated.{package} import {client}
end = time.perf_counter()
print(json.dumps([base - start, end - start]))
"""


def measure(package: str, client: str) -> tuple[float, float]:
    """Median seconds for httpx + pydantic, and for them plus the package."""
    base, total = [], []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(package=package, client=client)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        b, t = json.loads(out)
        base.append(b)
        total.append(t)
    return statistics.median(base), statistics.median(total)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from generator import pipeline, sources

    apis = pipeline.build(sources.discover(ROOT / "specs"))
    print(f"import time, median of {RUNS} fresh interpreters each")
    print(f"{'package':<14}{'httpx+pydantic':>16}{'+ package':>12}{'ratio':>8}")
    worst = 0.0
    for api in apis:
        base, total = measure(api.package, api.client_name + "Client")
        ratio = total / base
        worst = max(worst, ratio)
        print(f"{api.package:<14}{base * 1000:>13.1f} ms{total * 1000:>9.1f} ms{ratio:>8.2f}")
    print(f"worst ratio {worst:.2f} (target < 1.5)")
    return 0 if worst < 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
