from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from generator.load import Document, load
from generator.problems import Problem


def test_every_pointer_has_the_line_of_its_key(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        """
        openapi: 3.1.0
        paths:
          /a/{id}:
            get:
              responses:
                "200":
                  description: ok
        list: [x, {y: 1}]
        """
    )
    document = load(path)
    assert isinstance(document, Document)
    assert document.lines["/paths/~1a~1{id}/get"] == 4
    assert document.lines["/paths/~1a~1{id}/get/responses/200/description"] == 7
    assert document.lines["/list/1/y"] == 8
    assert document.line_of("/paths/~1a~1{id}/get/missing/deeper") == 4


def test_keys_are_strings_and_dates_stay_strings(write_spec: Callable[..., Path]) -> None:
    document = load(write_spec("200: {when: 2015-06-02T09:00:00Z, day: 2015-06-02, n: 3, b: yes}"))
    assert isinstance(document, Document)
    assert document.data == {"200": {"when": "2015-06-02T09:00:00Z", "day": "2015-06-02", "n": 3, "b": True}}


def test_malformed_yaml_names_the_line(write_spec: Callable[..., Path]) -> None:
    problem = load(write_spec("a: 1\nb: [1, 2\nc: 3\n"))
    assert isinstance(problem, Problem)
    assert problem.line == 3
    assert problem.message.startswith("malformed YAML")


def test_duplicate_keys_are_rejected(write_spec: Callable[..., Path]) -> None:
    problem = load(write_spec("a:\n  b: 1\n  b: 2\n"))
    assert problem == Problem(problem.file, 3, "/a/b", "duplicate key 'b'", "syntax")  # type: ignore[union-attr]


@pytest.mark.slow  # seconds of CPU
def test_alias_bomb_is_rejected_without_expanding(write_spec: Callable[..., Path]) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for n in range(1, 10):
        refs = ", ".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    problem = load(write_spec("\n".join(lines)))
    assert isinstance(problem, Problem)
    assert "expands to more than" in problem.message


def test_python_tags_are_not_constructed(write_spec: Callable[..., Path]) -> None:
    problem = load(write_spec("a: !!python/object/apply:os.system ['echo hi']\n"))
    assert isinstance(problem, Problem)
    assert "unsupported YAML tag" in problem.message


def test_deep_nesting_loads(write_spec: Callable[..., Path]) -> None:
    depth = 3000
    document = load(write_spec("a: " + "[" * depth + "]" * depth))
    assert isinstance(document, Document)
    assert document.line_of("/a" + "/0" * (depth - 1)) == 1


@pytest.mark.slow  # seconds of CPU
def test_absurd_nesting_is_a_clear_problem_not_a_recursion_error(write_spec: Callable[..., Path]) -> None:
    depth = 50_000
    problem = load(write_spec("a: " + "[" * depth + "]" * depth))
    assert isinstance(problem, Problem)
    assert problem.message == "the document is nested too deeply to parse"


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    problem = load(tmp_path / "nope.yaml")
    assert isinstance(problem, Problem)
    assert problem.message.startswith("cannot read the file")


def test_one_line_json_loads_as_the_yaml_path_would(write_spec: Callable[..., Path]) -> None:
    text = '{"a": {"b": ["\\ud83c\\udf89", "\\ud800"]}, "\\ud83c\\udf89": 1, "n": 1.5, "t": "2024-01-01T00:00:00Z"}'
    fast = load(write_spec(text, "api.json"))
    slow = load(write_spec(text + "\n\n", "api.yaml"))  # the same text through PyYAML
    assert isinstance(fast, Document) and isinstance(slow, Document)
    assert fast.data == slow.data == {"a": {"b": ["🎉", "\ufffd"]}, "🎉": 1, "n": 1.5, "t": "2024-01-01T00:00:00Z"}
    assert fast.line_of("/a/b/1") == 1


def test_json_duplicate_keys_are_rejected_where_they_are(write_spec: Callable[..., Path]) -> None:
    problem = load(write_spec('{"a": {"b": 1, "b": 2}}', "api.json"))
    assert problem == Problem(problem.file, 1, "/a/b", "duplicate key 'b'", "syntax")  # type: ignore[union-attr]
    problem = load(write_spec('{"a": {\n  "b": 1,\n  "b": 2}}', "api.json"))
    assert problem == Problem(problem.file, 3, "/a/b", "duplicate key 'b'", "syntax")  # type: ignore[union-attr]
