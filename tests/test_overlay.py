"""OpenAPI Overlay 1.0: a spec's overlay beside it is applied before anything
reads the spec, and a node it put there is located in the overlay."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_spec

from generator import pipeline
from generator.cache import Cache
from generator.load import Document, load
from generator.problems import GeneratorError, Problem
from generator.sources import discover

Write = Callable[..., Path]

SPEC = minimal_spec(
    """
    /things:
      get:
        operationId: listThings
        tags: [things]
        responses:
          "200":
            description: The things.
    /things/{id}:
      delete:
        operationId: deleteThing
        parameters:
          - {name: id, in: path, required: true, schema: {type: string}}
          - {name: a, in: query, schema: {type: string}}
          - {name: b, in: query, schema: {type: string}}
          - {name: c, in: query, schema: {type: string}}
        responses:
          "204":
            description: Gone.
    """
)


def overlay(*actions: str) -> str:
    return "overlay: 1.0.0\ninfo: {title: Ours, version: '1'}\nactions:\n" + "".join(actions)


def loaded(path: Path) -> Document:
    document = load(path)
    assert isinstance(document, Document), document
    return document


def test_update_merges_objects_appends_to_arrays_and_remove_removes(write_spec: Write) -> None:
    spec = write_spec(SPEC)
    write_spec(
        overlay(
            "  - target: $.info\n    update: {x-client-name: Things, title: Ours}\n",
            "  - target: $.paths['/things'].get\n    update: {tags: [more], x-deep: {a: 1}}\n",
            "  - target: $.paths['/things'].get.tags\n    update: last\n",
            "  - target: $.paths['/things/{id}'].delete.parameters[?@.in == 'query' && @.name != 'c']\n"
            "    remove: true\n",
        ),
        "api.overlay.yaml",
    )
    data = loaded(spec).data
    assert data["info"] == {"title": "Ours", "version": "1", "x-client-name": "Things"}
    assert data["paths"]["/things"]["get"]["tags"] == ["things", "more", "last"]
    assert data["paths"]["/things"]["get"]["x-deep"] == {"a": 1}
    assert [p["name"] for p in data["paths"]["/things/{id}"]["delete"]["parameters"]] == ["id", "c"]


def test_a_node_the_overlay_put_there_is_located_in_the_overlay(write_spec: Write) -> None:
    spec = write_spec(SPEC)
    write_spec(
        overlay(
            "  - target: $.paths['/things/{id}'].delete.parameters[1]\n    remove: true\n",
            "  - target: $.paths['/things'].get\n",
            "    update:\n",
            "      parameters:\n",
            "        - name: limit\n",
            "          in: query\n",
            "          schema: {type: integer}\n",
            "          x-note: ours\n",
        ),
        "api.overlay.yaml",
    )
    document = loaded(spec)
    added = "/paths/~1things/get/parameters/0"
    assert (document.file_of(added), document.line_of(added + "/x-note")) == (f"{spec.parent}/api.overlay.yaml", 12)
    spec_line = SPEC.splitlines().index("  /things:") + 1
    assert (document.file_of("/paths/~1things"), document.line_of("/paths/~1things")) == (str(spec), spec_line)
    # the query parameter after the removed one moved up, with its line
    moved = "/paths/~1things~1{id}/delete/parameters/1/name"
    assert document.resolve(moved) == "b"
    assert document.line_of(moved) == next(i for i, line in enumerate(SPEC.splitlines(), 1) if "name: b" in line)


def test_a_lint_finding_in_a_node_the_overlay_added_names_the_overlay(write_spec: Write) -> None:
    spec = write_spec(SPEC)
    overlaid = write_spec(
        overlay(
            "  - target: $.paths\n",
            "    update:\n",
            "      /more:\n",
            "        get:\n",
            "          operationId: list_more\n",
            "          responses: {'200': {description: More.}}\n",
        ),
        "api.overlay.yaml",
    )
    found = [p for p in pipeline.lint([spec]) if p.rule == "operation-id-camel-case"]
    assert [(p.file, p.line, p.pointer) for p in found] == [
        (str(overlaid), 8, "/paths/~1more/get/operationId"),
    ]


def test_a_target_that_selects_nothing_is_a_warning_in_the_overlay(write_spec: Write) -> None:
    spec = write_spec(SPEC)
    write_spec(overlay("  - target: $.paths['/nothing']\n    update: {x-a: 1}\n"), "api.overlay.yaml")
    document = loaded(spec)
    assert [str(p) for p in document.findings] == [
        f"{spec.parent}/api.overlay.yaml:4: /actions/0/target: warning [overlay-target] "
        "target $.paths['/nothing'] selects nothing in the spec"
    ]
    assert any(p.rule == "overlay-target" for p in pipeline.lint([spec]))


@pytest.mark.parametrize(
    ("text", "line", "pointer", "message"),
    [
        (
            "overlay: 2.0.0\ninfo: {title: a, version: '1'}\nactions: [{target: $, remove: true}]\n",
            1,
            "/overlay",
            "2.0.0",
        ),
        ("overlay: 1.0.0\nactions: [{target: $, update: {}}]\n", 1, "", "info is required"),
        ("overlay: 1.0.0\ninfo: {title: a}\nactions: [{target: $, update: {}}]\n", 2, "/info", "version is required"),
        ("overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions: []\n", 3, "/actions", "at least one action"),
        (
            "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - target: $.a[\n    update: {}\n",
            4,
            "/actions/0/target",
            "not an RFC 9535 JSONPath",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - target: $.info\n    remove: yes please\n",
            5,
            "/actions/0/remove",
            "remove must be a boolean",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - target: $.info\n    update: {}\n    patch: {}\n",
            6,
            "/actions/0/patch",
            "unknown field 'patch'",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - target: $.info.title\n    update: {a: 1}\n",
            4,
            "/actions/0/target",
            "only objects and arrays",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - target: $.info\n    update: [1]\n",
            5,
            "/actions/0/update",
            "must be an object",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions: [{target: $, remove: true}]\n",
            3,
            "/actions/0/target",
            "the document itself",
        ),
        ("overlay: 1.0.0\ninfo: {title: a, version: '1'\n", 3, "", "malformed YAML"),
    ],
)
def test_a_broken_overlay_is_one_located_error(
    write_spec: Write, text: str, line: int, pointer: str, message: str
) -> None:
    spec = write_spec(SPEC)
    overlaid = write_spec(text, "api.overlay.yaml")
    problem = load(spec)
    assert isinstance(problem, Problem)
    assert (problem.file, problem.line, problem.pointer) == (str(overlaid), line, pointer)
    assert message in problem.message
    assert problem.rule in ("overlay", "syntax")
    assert "\n" not in str(problem)


def test_discovery_pairs_the_overlay_and_never_takes_it_for_a_spec(write_spec: Write) -> None:
    spec = write_spec(SPEC)
    overlaid = write_spec(overlay("  - target: $.info\n    update: {x-a: 1}\n"), "api.overlay.json")
    assert discover(spec.parent) == [spec]
    problem = load(overlaid)
    assert isinstance(problem, Problem) and problem.rule == "overlay"
    write_spec(overlay("  - target: $.info\n    update: {x-b: 1}\n"), "api.overlay.yaml")
    problem = load(spec)
    assert isinstance(problem, Problem) and "2 overlays" in problem.message


def test_a_json_spec_keeps_its_lines_under_an_overlay(write_spec: Write) -> None:
    data = {"openapi": "3.1.0", "info": {"title": "a", "version": "1"}, "paths": {}}
    spec = write_spec(json.dumps(data, indent=2), "api.json")
    write_spec(overlay("  - target: $.info\n    update:\n      x-client-name: A\n"), "api.overlay.yaml")
    document = loaded(spec)
    assert document.line_of("/info/version") == 5
    assert (document.file_of("/info/x-client-name"), document.line_of("/info/x-client-name")) == (
        f"{spec.parent}/api.overlay.yaml",
        6,
    )


def test_generate_reads_the_overlay_and_a_changed_overlay_misses_the_run_cache(
    write_spec: Write, tmp_path: Path
) -> None:
    spec = write_spec(SPEC)
    out, cache = tmp_path / "out", Cache(tmp_path / "cache")
    generated = pipeline.generate([spec], out, all_specs=False, cache=cache)
    assert generated.changes and not generated.cached
    assert pipeline.generate([spec], out, all_specs=False, cache=cache).cached
    write_spec(overlay("  - target: $.info\n    update: {x-client-name: Things}\n"), "api.overlay.yaml")
    again = pipeline.generate([spec], out, all_specs=False, cache=cache)
    assert not again.cached
    assert "class ThingsClient" in (out / "api" / "_client.py").read_text(encoding="utf-8")
    assert pipeline.generate([spec], out, all_specs=False, cache=cache).cached


def test_a_broken_overlay_writes_nothing(write_spec: Write, tmp_path: Path) -> None:
    spec = write_spec(SPEC)
    write_spec(overlay("  - target: $.info\n    update: 1\n"), "api.overlay.yaml")
    with pytest.raises(GeneratorError) as caught:
        pipeline.generate([spec], tmp_path / "out", all_specs=False)
    assert [p.rule for p in caught.value.problems] == ["overlay"]
    assert not (tmp_path / "out").exists()


def test_an_overlay_named_on_the_command_line_stands_for_its_spec(cli: Callable[..., Any], write_spec: Write) -> None:
    write_spec(SPEC)
    overlaid = write_spec(overlay("  - target: $.nothing\n    update: {x-a: 1}\n"), "api.overlay.yaml")
    result = cli("lint", str(overlaid))
    assert result.exit_code == 0, result.output
    assert "api.overlay.yaml:4: /actions/0/target: warning [overlay-target]" in result.output
    (overlaid.parent / "api.yaml").unlink()
    result = cli("lint", str(overlaid))
    assert result.exit_code == 1 and "[overlay] this file is an overlay" in result.output


def test_check_says_the_output_is_stale_when_only_the_overlay_changed(
    cli: Callable[..., Any], write_spec: Write
) -> None:
    write_spec(SPEC)
    assert cli("generate", "--out", "out", "api.yaml").exit_code == 0
    assert cli("generate", "--check", "--out", "out", "api.yaml").exit_code == 0
    write_spec(overlay("  - target: $.info\n    update: {x-client-name: Things}\n"), "api.overlay.yaml")
    stale = cli("generate", "--check", "--out", "out", "api.yaml")
    assert stale.exit_code == 1 and "ThingsClient" in stale.output
    assert "ThingsClient" not in (Path("out") / "api" / "_client.py").read_text(encoding="utf-8")
    write_spec(
        overlay("  - target: $.info\n    update: {x-client-name: 1 2}\n", "  - target: $.x\n"), "api.overlay.yaml"
    )
    broken = cli("generate", "--out", "out", "api.yaml")
    assert broken.exit_code == 1
    assert broken.output.splitlines() == [
        "api.overlay.yaml:6: /actions/1: error [overlay] an action needs update, or remove: true"
    ]


def test_a_target_too_deep_to_evaluate_is_one_located_error(write_spec: Write) -> None:
    depth = 3000
    spec = write_spec('{"openapi": "3.1.0", "x": ' + '{"a": ' * depth + "1" + "}" * depth + "}", "deep.json")
    write_spec(overlay("  - target: $..a\n    update: {x-b: 1}\n"), "deep.overlay.yaml")
    problem = load(spec)
    assert isinstance(problem, Problem)
    assert (problem.line, problem.pointer, problem.rule) == (4, "/actions/0/target", "overlay")
    assert problem.message.startswith("target cannot be evaluated: recursion limit exceeded")
