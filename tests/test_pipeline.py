"""The pipeline as a library: building leaves what it is given as it was, and
`generate` answers a run whose inputs and output are unchanged from its record."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, minimal_spec

from generator import pipeline
from generator.cache import Cache
from generator.load import Document, load

# A default and an example that break their schema: the served spec goes without them.
LEFT_OUT = minimal_spec(
    """
    /a:
      get:
        operationId: getA
        parameters:
          - {name: n, in: query, schema: {type: integer, default: ten, example: eleven}}
          - {name: m, in: query, schema: {type: integer}}
        responses:
          "200": {description: ok}
    """
)


def test_checking_a_document_leaves_it_as_it_was_and_gives_the_same_api_twice(
    write_spec: Callable[..., Path],
) -> None:
    document = load(write_spec(LEFT_OUT))
    assert isinstance(document, Document)
    before = copy.deepcopy(document.data)
    first = pipeline.check_document(document)
    second = pipeline.check_document(document)
    assert document.data == before  # nothing was cut from the caller's document
    assert first == second
    api, findings = first
    assert api is not None and {"invalid-default", "example-valid"} <= {p.rule for p in findings}
    parameters = api.document["paths"]["/a"]["get"]["parameters"]
    assert parameters[0]["schema"] == {"type": "integer"}
    # only the containers on the way to what was cut are new; the rest is shared
    assert parameters[1] is document.data["paths"]["/a"]["get"]["parameters"][1]
    assert api.document["info"] is document.data["info"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        api.warnings = []  # type: ignore[misc]
    assert pipeline.build([document.path]) == pipeline.build([document.path]) == [api]


def test_without_counts_list_indexes_as_they_were_and_passes_over_what_is_not_there() -> None:
    data = {"a": [0, 1, 2, 3], "b": {"c": 1, "d": {"e": 2}}, "f": {"g": 1}}
    before = copy.deepcopy(data)
    cut = pipeline.without(data, ["/a/1", "/a/3", "/b/d/e", "/b/d", "/nope/x", "/a/9", "/b/c/x", ""])
    assert cut == {"a": [0, 2], "b": {"c": 1}, "f": {"g": 1}}
    assert data == before and cut["f"] is data["f"]
    assert pipeline.without(data, []) is data


def test_without_reaches_values_nested_thousands_deep() -> None:
    deep: dict[str, object] = {"x": 1, "y": 2}
    for _ in range(5000):
        deep = {"a": deep}
    cut = pipeline.without(deep, ["/a" * 5000 + "/x"])
    for _ in range(5000):
        cut = cut["a"]
    assert cut == {"y": 2}


def test_generate_called_directly_answers_an_unchanged_run_from_its_record(
    write_spec: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = write_spec(LEFT_OUT, "specs/mini.yaml")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "generated"
    first = pipeline.generate([spec], out, all_specs=False, cache=Cache(tmp_path / "cache"))
    assert first.changes and not first.cached and first.warnings
    assert (out / "mini" / "models.py").is_file()

    def build_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged run was built again")

    monkeypatch.setattr(pipeline, "build", build_again)
    again = pipeline.generate([spec], out, all_specs=False, cache=Cache(tmp_path / "cache"))
    assert again == pipeline.Generated([], first.warnings, cached=True)
    checked = pipeline.generate([spec], out, all_specs=False, check=True, cache=Cache(tmp_path / "cache"))
    assert checked.cached and not checked.changes


def test_a_damaged_record_is_a_miss(
    write_spec: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = write_spec(LEFT_OUT, "specs/mini.yaml")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "generated"
    pipeline.generate([spec], out, all_specs=False, cache=Cache(tmp_path / "cache"))
    [record] = [p for p in (tmp_path / "cache" / "runs").rglob("*") if p.is_file()]
    kept = json.loads(record.read_text())
    for damage in ("{", json.dumps(kept | {"warnings": [{"line": 1}]})):
        record.write_text(damage)
        assert not pipeline.generate([spec], out, all_specs=False, cache=Cache(tmp_path / "cache")).cached
    assert pipeline.generate([spec], out, all_specs=False, cache=Cache(tmp_path / "cache")).cached  # recorded anew


def test_an_unchanged_run_answers_before_the_heavy_stages_are_imported(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    shutil.copy(ROOT / "specs" / "joinme.yaml", tmp_path / "specs")
    program = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n"
        "    main(['generate'])\n"
        "except SystemExit:\n"
        "    print(' '.join(sorted(sys.modules)))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", program], cwd=tmp_path, env=environment, capture_output=True, text=True, check=True
        )
        return done.stdout.splitlines()

    assert re.fullmatch(r"[1-9][0-9]* files written, 0 removed", run()[0])
    answer, modules = run()
    assert answer == "nothing to do"
    heavy = {"jinja2", "jsonschema_rs", "yaml", "black", "generator.load", "generator.validate", "generator.render"}
    assert heavy.isdisjoint(modules.split())
    assert "generator.runs" in modules.split()
