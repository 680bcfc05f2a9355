"""`python -m generator` without its dependencies: one line that says what to run."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

# Runs the module as `python -m generator` would, with `missing` made unimportable.
RUN = """
import runpy, sys
sys.modules[{missing!r}] = None
sys.argv = ["generator", "generate", "--help"]
runpy.run_module("generator", run_name="__main__")
"""


@pytest.mark.slow
@pytest.mark.parametrize("missing", ["click", "ruff"])
def test_a_missing_dependency_is_one_line_naming_the_command_to_run(missing: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(missing=missing)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"Error: {missing!r} is not installed for {sys.executable}: run 'make generate', "
        "which creates .venv with every dependency, then '.venv/bin/python -m generator'"
    ]


@pytest.mark.slow
def test_our_own_missing_module_is_not_mistaken_for_set_up() -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(missing="generator.cli")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" in done.stderr
