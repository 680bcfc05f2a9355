"""`make quick`: declared, documented, and running what it promises; `make test` still runs everything."""

from __future__ import annotations

import re

from conftest import ROOT

MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def recipe(target: str) -> tuple[list[str], list[str]]:
    """A target's prerequisites and the lines of its recipe."""
    found = re.search(rf"^{target}:(.*)\n((?:\t.*\n)*)", MAKEFILE, re.M)
    assert found, f"no target {target}"
    return found.group(1).split(), [line.strip() for line in found.group(2).splitlines()]


def test_make_quick_lints_checks_the_golden_files_and_runs_the_quick_tests() -> None:
    phony = re.search(r"^\.PHONY:(.*)$", MAKEFILE, re.M)
    assert phony and "quick" in phony.group(1).split()
    prerequisites, lines = recipe("quick")
    assert "lint" in prerequisites
    assert "$(PY) -m generator generate --check" in lines
    assert "$(PY) -m generator generate --check --out tests/golden $(FIXTURES)" in lines
    assert '$(PY) -m pytest -m "not slow"' in lines
    assert "make quick" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_make_test_still_runs_every_test() -> None:
    assert "pytest" in recipe("test")[0]
    assert recipe("pytest")[1] == ["$(PY) -m pytest"]  # no marker left out


def test_make_test_checks_the_formatting_of_our_own_code() -> None:
    assert "ruff" in recipe("test")[0]
    assert "$(PY) -m ruff format --check generator tests bench" in recipe("ruff")[1]


def test_every_dependency_installs_at_a_locked_version() -> None:
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    locked = dict(line.split("==") for line in lines if line and not line.startswith("#"))
    locked = {canonicalize_name(name): version for name, version in locked.items()}
    for requirement in map(Requirement, wanted):
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in constraints.txt: run 'make lock'"
        assert requirement.specifier.contains(locked[name]), f"{name}=={locked[name]} is outside {requirement}"
    prerequisites, lines = recipe(r"\$\(INSTALLED\)")
    assert "constraints.txt" in prerequisites
    assert any("-c constraints.txt" in line for line in lines)
    assert "make lock" in (ROOT / "README.md").read_text(encoding="utf-8")
