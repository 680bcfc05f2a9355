"""ruff formats what the generator emits as black, the style of record, does."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest
from conftest import ROOT

from bench.synthetic import spec as synthetic
from generator import pipeline
from generator.format import FORMATTERS, Formatter, format_all, format_sources, parameter
from generator.sources import discover

FOLDERS = {"specs": ROOT / "specs", "fixtures": ROOT / "tests" / "fixtures"}
SIZES = (100, 400)  # operations of a synthetic spec


def specs(case: str, tmp_path: Path) -> list[Path]:
    """The case's specs: a folder's, or synthetic ones of each size."""
    if case in FOLDERS:
        return discover(FOLDERS[case])
    paths = [tmp_path / f"synthetic{operations}.json" for operations in SIZES]
    for path, operations in zip(paths, SIZES):
        path.write_text(json.dumps(synthetic(operations)), encoding="utf-8")
    return paths


@pytest.mark.parametrize(
    "case", [*FOLDERS, pytest.param("synthetic", marks=pytest.mark.slow)]
)  # slow: black on a big spec
def test_ruff_formats_as_black_does(case: str, tmp_path: Path) -> None:
    """Every module as generated (formatted by ruff, or copied from the runtime)
    is left as it is by black, its header line included, as `black --check` sees it."""
    files = pipeline.render_all(pipeline.build(specs(case, tmp_path)), formatter="ruff")
    # By body: the runtime's modules, and the resources both synthetic specs have, once.
    modules: dict[str, tuple[PurePosixPath, str]] = {}
    for path, text in files.items():
        if path.suffix == ".py":
            modules.setdefault(text.partition("\n")[2], (path, text))
    texts = [text for _, text in modules.values()]
    for (path, text), black in zip(modules.values(), format_sources(texts, "black")):
        assert black == text, f"{path}: black would reformat what ruff made"


@pytest.mark.parametrize("formatter", FORMATTERS)
def test_invalid_python_is_reported_with_its_file(formatter: Formatter) -> None:
    files = {PurePosixPath("pkg/fine.py"): "# header\nx = 1\n", PurePosixPath("pkg/broken.py"): "# header\ndef (:\n"}
    with pytest.raises(ValueError, match="^pkg/broken.py: generated source is not valid Python: "):
        format_all(files, formatter=formatter)


def test_a_long_union_parameter_is_written_in_parentheses_as_black_keeps_it() -> None:
    long_union = "models.GetDefaultsColor | typing.Literal['red', 'green'] | None"
    assert parameter("color", "int | None", "None") == "color: int | None = None"  # it fits
    assert parameter("color", long_union, "models.GetDefaultsColor.GREEN") == (
        f"color: ({long_union}) = models.GetDefaultsColor.GREEN"
    )
    inner = "list[models.AVeryLongModelNameThatGoesOnAndOn | models.AnotherLongModelName | None]"
    assert parameter("items", inner, "None") == f"items: {inner} = None"  # black splits the brackets
    for text in (parameter("color", long_union, "models.GetDefaultsColor.GREEN"), parameter("items", inner, "None")):
        source = f"class C:\n    def f(\n        self,\n        *,\n        {text},\n    ) -> None:\n        pass\n"
        assert format_sources([source], "ruff") == format_sources([source], "black")
