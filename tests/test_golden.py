"""Committed output equals what the generator makes now, and is well-formed."""

from __future__ import annotations

import pytest
from conftest import ROOT

from generator import pipeline
from generator.sources import MARKER, discover
from generator.write import diff

CASES = {
    "specs": (ROOT / "specs", ROOT / "generated"),
    "fixtures": (ROOT / "tests" / "fixtures", ROOT / "tests" / "golden"),
}


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # headers name specs relative to the working directory


@pytest.mark.parametrize("case", sorted(CASES))
def test_committed_output_is_up_to_date(case: str) -> None:
    specs, out = CASES[case]
    changes = pipeline.generate(discover(specs), out, all_specs=True, check=True).changes
    assert not changes, "run 'make generate':\n" + diff(changes)


@pytest.mark.parametrize("case", sorted(CASES))
def test_rendering_is_deterministic(case: str) -> None:
    specs, _ = CASES[case]
    apis = pipeline.build(discover(specs))
    assert pipeline.render_all(apis) == pipeline.render_all(pipeline.build(discover(specs)))


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_file_says_it_is_generated_and_imports_relatively(case: str) -> None:
    specs, out = CASES[case]
    for spec in discover(specs):
        package = out / pipeline.package_name(spec)
        files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc")
        assert files, package
        for path in files:
            text = path.read_text(encoding="utf-8")
            header = f"{MARKER}{spec.relative_to(ROOT).as_posix()}; do not edit: change the spec or templates and regenerate."
            assert text.splitlines()[0] in (f"# {header}", f"<!-- {header} -->", f'{{"x-generated": "{header}",')
            if path.suffix == ".py":
                assert "from generated" not in text and "import generated" not in text
        assert (package / "py.typed").exists()
