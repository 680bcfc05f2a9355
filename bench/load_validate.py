"""CPU seconds to load and validate specs, medians of 3: `python bench/load_validate.py specs/*.yaml`.

For a big spec: `python bench/synthetic.py 1600 > big.json` (and the same through
`yaml.safe_dump` for YAML). To compare with another version of the generator,
run this with PYTHONPATH at a checkout of it.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from generator.load import load
from generator.problems import Problem
from generator.validate import validate


def measure(path: Path) -> tuple[float, float]:
    """Median CPU seconds of loading `path`, and of validating it (no cache)."""
    loads, checks = [], []
    for _ in range(3):
        start = time.process_time()
        document = load(path)
        loaded = time.process_time()
        if isinstance(document, Problem):
            raise SystemExit(str(document))
        validate(document)
        loads.append(loaded - start)
        checks.append(time.process_time() - loaded)
    return statistics.median(loads), statistics.median(checks)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        loading, checking = measure(Path(name))
        print(f"{name:32} load {loading:7.3f} s  validate {checking:7.3f} s")
