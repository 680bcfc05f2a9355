"""The event-driven loader against PyYAML's own composer, on every committed spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from generator import load as loader
from generator.load import Document, Fault, load, parse
from generator.pointers import join
from generator.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    [*ROOT.glob("specs/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.json")]
)


def reference(text: str) -> tuple[Any, dict[str, int]]:
    """Data and lines as the loader made them before it read events: PyYAML's
    pure-Python composer, then a walk of its node graph (keys' lines for mapping values)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[str, int] = {}
    result: list[Any] = [None]
    stack: list[tuple[yaml.Node, str, Any, Any, int]] = [(root, "", result, 0, 1)]
    while stack:
        node, pointer, parent, key, line = stack.pop()
        lines[pointer] = line
        value: Any
        if isinstance(node, yaml.MappingNode):
            value = {loader._text(str(k.value)): None for k, _ in node.value}
            for k, v in reversed(node.value):
                name = loader._text(str(k.value))
                stack.append((v, join(pointer, name), value, name, k.start_mark.line + 1))
        elif isinstance(node, yaml.SequenceNode):
            value = [None] * len(node.value)
            stack += [
                (item, join(pointer, i), value, i, item.start_mark.line + 1)
                for i, item in reversed(list(enumerate(node.value)))
            ]
        elif node.tag == "tag:yaml.org,2002:timestamp":
            value = node.value
        else:
            value = loader._SCALARS.construct_object(node)
            value = loader._text(value) if isinstance(value, str) else value
        parent[key] = value
    return result[0], lines


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_committed_spec_loads_as_pyyaml_composes_it(path: Path) -> None:
    data, lines = reference(path.read_text(encoding="utf-8"))
    document = loader._load_file(path)
    assert isinstance(document, Document)
    assert document.data == data
    assert {p: document.line_of(p) for p in lines} == lines


@pytest.mark.parametrize("path", FILES[:8], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_pure_python_parser_composes_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse(path.read_text(encoding="utf-8"))
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert parse(path.read_text(encoding="utf-8")) == fast


def test_an_alias_is_a_copy_with_the_lines_of_its_anchor() -> None:
    parsed = parse("a: &x\n  b: [1]\nc: *x\n")
    assert not isinstance(parsed, Fault)
    data, lines = parsed
    assert data == {"a": {"b": [1]}, "c": {"b": [1]}}
    assert data["a"] is not data["c"] and data["a"]["b"] is not data["c"]["b"]
    assert lines == {"": 1, "/a": 1, "/a/b": 2, "/a/b/0": 2, "/c": 3, "/c/b": 2, "/c/b/0": 2}


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("a: &x [1]\nb: &x [2]\n", Fault(2, "", "malformed YAML: second occurrence")),
        ("a: *nope\n", Fault(1, "", "malformed YAML: found undefined alias 'nope'")),
        ("a: &x [1, *x]\n", Fault(1, "/a/1", "the alias *x is inside the node it names")),
        ("a: 1\n---\nb: 2\n", Fault(2, "", "malformed YAML: but found another document")),
        ("? [a]\n: 1\n", Fault(1, "", "a mapping key must be a scalar")),
        ("a: !!set {x}\n", Fault(1, "/a", "unsupported YAML tag tag:yaml.org,2002:set")),
        ("a: {<<: {b: 1}}\n", Fault(1, "/a", "YAML merge keys (<<) are not supported")),
        (
            "a: {b: 1, b: 2}\nc: [\n",
            Fault(3, "", "malformed YAML: expected the node content, but found '<stream end>'"),
        ),
        ("# nothing\n", Fault(1, "", "the file is empty", "file-unreadable")),
    ],
)
def test_faults_are_located_as_pyyaml_would(text: str, fault: Fault) -> None:
    assert parse(text) == fault


def test_a_json_document_locates_its_pointers_only_when_asked(
    write_spec: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = load(write_spec('{\n  "a": {\n    "b": [1, 2]\n  }\n}\n', "api.json"))
    assert isinstance(document, Document) and callable(document.located)
    assert document.line_of("/a/b/1") == 3
    assert document.lines == {"": 1, "/a": 2, "/a/b": 3, "/a/b/0": 3, "/a/b/1": 3}


def test_a_referenced_json_file_keeps_its_lines(write_spec: Callable[..., Path]) -> None:
    write_spec('{\n  "S": {\n    "type": "string"\n  }\n}\n', "shared.json")
    document = load(write_spec('{"x": {"$ref": "shared.json#/S"}}', "api.json"))
    assert isinstance(document, Document)
    assert document.line_of("/x-bundled/shared.json/S/type") == 3
    assert document.line_of("/x") == 1


def test_problems_in_json_files_are_problems(write_spec: Callable[..., Path]) -> None:
    problem = load(write_spec("{\n", "api.json"))
    assert isinstance(problem, Problem) and problem.message.startswith("malformed JSON")  # not YAML: it is a .json file
    assert problem.rule == "syntax" and problem.line == 2
    yaml_inside = load(write_spec("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "yaml.json"))
    assert isinstance(yaml_inside, Document)  # YAML in a .json file is still read
