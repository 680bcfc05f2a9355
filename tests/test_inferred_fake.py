"""Others' specs, without our extensions: the fake the generator infers from each
public description in tests/fixtures/public/ (and each spec of specs/ that has no
x-fake of its own: a vendor's file as published, through its committed package) keeps what the generated client
creates, and gets, lists, updates, deletes and pages through it; the client is
built with the credentials of one security alternative only."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, served

from bench.roundtrip import Package, crud_groups, round_trip
from generator import pipeline
from generator.load import Document, load
from generator.sources import discover

pytestmark = pytest.mark.slow  # generates three packages and serves their fakes

PUBLIC = sorted((ROOT / "tests" / "fixtures" / "public").glob("*.json"))
# and ours: items in envelopes and arrays, ids a pattern shapes, items made under a parent
FIXTURES = [*PUBLIC, *sorted((ROOT / "tests" / "fixtures" / "inferred").glob("*.yaml"))]
SPECS = [p for p in discover(ROOT / "specs") if isinstance(d := load(p), Document) and "x-fake" not in d.data]
CASES = [(p, "") for p in FIXTURES] + [(p, "generated.") for p in SPECS]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every public fixture generated into one folder, importable."""
    out = tmp_path_factory.mktemp("public")
    pipeline.generate(FIXTURES, out, all_specs=False)
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))


@pytest.mark.parametrize(("fixture", "prefix"), CASES, ids=[p.stem for p, _ in CASES])
def test_a_public_spec_round_trips_through_its_inferred_fake(fixture: Path, prefix: str, generated: Path) -> None:
    api, findings = pipeline.check_spec(fixture)
    assert api is not None, findings
    package = Package(api, prefix)
    complete = crud_groups(api)
    assert complete, "no collection with create, read, list, update and delete was inferred"
    with served(package.server.create_app()) as root, package.client(root) as client:
        for name, ops in complete.items():
            round_trip(package, client, name, ops)


@pytest.mark.parametrize("fixture", PUBLIC, ids=[p.stem for p in PUBLIC])
def test_a_public_spec_lists_page_without_our_extension(fixture: Path) -> None:
    api, findings = pipeline.check_spec(fixture)
    assert api is not None, findings
    assert any(ops["list"].iter_method_name for ops in crud_groups(api).values()), "no list pages"
