"""mypy --strict rejects misuse of the generated clients, line by line."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from mypy import api

pytestmark = pytest.mark.slow  # mypy

MISUSE = ROOT / "tests" / "typecheck" / "misuse.py"


def test_misuse_is_rejected_exactly_where_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    stdout, _, _ = api.run(["--strict", "--no-incremental", "--no-error-summary", str(MISUSE.relative_to(ROOT))])
    errors = {int(m.group(1)) for m in re.finditer(r"^tests/typecheck/misuse\.py:(\d+): error:", stdout, re.MULTILINE)}
    lines = MISUSE.read_text().splitlines()
    marked = {n for n, line in enumerate(lines, start=1) if "# E:" in line}
    assert len(marked) >= 15
    assert errors == marked, stdout
