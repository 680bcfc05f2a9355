"""A sixth vendor: another team's description dropped into `specs/` generates, and the
spec-driven tests cover it with no change to them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow  # generation and the spec-driven tests in a subprocess

# Another style: Swagger 2.0, no security, operation ids with spaces.
EXTRA = ROOT / "tests" / "fixtures" / "swagger2" / "petstore-expanded.yaml"
SPEC_DRIVEN = ["tests/test_vendors.py", "tests/test_runtime.py", "tests/test_readme.py", "tests/test_golden.py"]
LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv", ".cache", ".*_cache", "__pycache__", ".hypothesis", ".schemathesis", "*.egg-info"
)


def run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def test_a_sixth_spec_generates_and_the_spec_driven_tests_cover_it(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=LEFT_OUT)
    shutil.copy(EXTRA, project / "specs" / "petstore.yaml")

    generated = run([sys.executable, "-m", "generator", "generate"], project)
    assert "warning" in generated  # their style is not ours: warnings, never a refusal
    assert (project / "generated" / "petstore" / "_client.py").is_file()
    run([sys.executable, "-m", "generator", "lint"], project)  # warnings do not fail lint either

    report = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", *SPEC_DRIVEN], project)
    covering = re.findall(r"^PASSED \S*petstore\S*", report, re.MULTILINE)
    assert len(covering) >= 10, report[-3000:]


def test_a_sixth_vendor_joins_the_meetings_interface_with_spec_data_alone(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=LEFT_OUT)
    shutil.copy(ROOT / "tests" / "fixtures" / "unified" / "calendar.yaml", project / "specs" / "calendar.yaml")

    run([sys.executable, "-m", "generator", "generate"], project)
    # named like the standard library's `calendar`, the package is `calendar_api`
    assert '"calendar_api": VendorMap(' in (project / "generated" / "meetings" / "_vendors.py").read_text()
    report = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", "tests/test_unified.py"], project
    )
    for test in (  # create to delete, sync and async; a field it cannot keep
        "create_get_list_update_delete_keep_every_field_the_vendor_keeps[calendar_api-sync]",
        "create_get_list_update_delete_keep_every_field_the_vendor_keeps[calendar_api-async]",
        "a_field_the_vendor_cannot_keep_is_refused_at_the_call[calendar_api]",
    ):
        assert f"PASSED tests/test_unified.py::test_{test}" in report, report[-3000:]
