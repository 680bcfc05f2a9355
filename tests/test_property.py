"""Random valid specs, built from a grammar of the supported features, always work out:
generation succeeds and the package imports and type-checks, or lint rejects the spec
with clear one-line messages."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mypy import api as mypy

from generator import pipeline
from generator.write import apply, plan

pytestmark = pytest.mark.slow  # mypy on random specs

EXAMPLES = 15
NAMES = st.one_of(
    st.from_regex(r"[a-z][a-zA-Z0-9_]{0,8}", fullmatch=True),
    st.sampled_from(["class", "from", "self", "1st", "x-y", "A B", "model_dump", "None", "datetime"]),
)
SCALARS = st.sampled_from(
    [
        {"type": "string"},
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
        {"type": "integer", "minimum": 0},
        {"type": "number"},
        {"type": "boolean"},
        {"type": ["string", "null"]},
        {"type": "string", "enum": ["a", "b c", "1", "class"]},
        {"type": "integer", "enum": [1, 2, 30]},
        {"const": "fixed"},
        {},
        {"type": "string", "default": "x"},
        {"type": "integer", "nullable": True},
    ]
)
PROBLEM = re.compile(r"^\S+\.json:\d+: /\S*: .+$")


def objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(NAMES, children, min_size=1, max_size=4).flatmap(
        lambda properties: st.lists(st.sampled_from(sorted(properties)), unique=True).map(
            lambda required: {"type": "object", "properties": properties, "required": required}
        )
    )


def schemas(refs: list[str]) -> st.SearchStrategy[Any]:
    leaves = (
        st.one_of(SCALARS, st.sampled_from([{"$ref": f"#/components/schemas/{r}"} for r in refs])) if refs else SCALARS
    )

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            children.map(lambda items: {"type": "array", "items": items}),
            objects(children),
            children.map(lambda values: {"type": "object", "additionalProperties": values}),
            st.lists(children, min_size=2, max_size=3).map(lambda options: {"oneOf": options}),
            st.tuples(objects(children), objects(children)).map(lambda parts: {"allOf": list(parts)}),
            objects(children).map(
                lambda o: {**o, "properties": {**o["properties"], "id": {"type": "integer", "readOnly": True}}}
            ),
        )

    return st.recursive(leaves, extend, max_leaves=6)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.from_regex(r"[A-Z][a-zA-Z0-9]{0,6}", fullmatch=True), unique=True, max_size=3))
    components = {name: draw(schemas(names[:index])) for index, name in enumerate(names)}
    paths: dict[str, Any] = {}
    for index in range(draw(st.integers(1, 3))):
        method = draw(st.sampled_from(["get", "post", "put", "delete"]))
        query = draw(st.dictionaries(NAMES, SCALARS, max_size=3))
        operation: dict[str, Any] = {
            "operationId": f"operation{index}",
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": draw(st.sampled_from([{"type": "integer"}, {"type": "string"}])),
                }
            ]
            + [{"name": n, "in": "query", "schema": s} for n, s in query.items()],
            "responses": {"204": {"description": "nothing"}},
        }
        if draw(st.booleans()):
            operation["responses"] = {
                "200": {"description": "a body", "content": {"application/json": {"schema": draw(schemas(names))}}}
            }
        if method in ("post", "put") and draw(st.booleans()):
            operation["requestBody"] = {
                "required": draw(st.booleans()),
                "content": {"application/json": {"schema": draw(schemas(names))}},
            }
        paths[f"/r{index}/{{id}}"] = {method: operation}
    if names:  # one operation that uses every component, so that lint has no unused ones
        catalog = {"type": "object", "properties": {n.lower(): {"$ref": f"#/components/schemas/{n}"} for n in names}}
        paths["/catalog"] = {
            "get": {
                "operationId": "catalog",
                "responses": {"200": {"description": "all", "content": {"application/json": {"schema": catalog}}}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Random", "version": "1"},
        "servers": [{"url": "https://random.example"}],
        "security": [],
        "paths": paths,
        "components": {"schemas": components},
    }


def test_random_specs_generate_importable_typed_code_or_clear_lint_errors(tmp_path: Path) -> None:
    generated: list[str] = []
    rejected: list[str] = []
    out = tmp_path / "out"

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(specs())
    def check(spec: dict[str, Any]) -> None:
        name = f"random{len(generated) + len(rejected)}"
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(spec))
        result, findings = pipeline.check_spec(path)
        assert all(PROBLEM.match(str(p)) for p in findings), [str(p) for p in findings]
        if result is None:
            rejected.append(name)
            return
        apply(plan(out, pipeline.render_all([result]), []))
        sys.path.insert(0, str(out))
        try:
            for module in ("", ".models", ".server"):
                importlib.import_module(name + module)
        finally:
            sys.path.remove(str(out))
            for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                del sys.modules[module]
        generated.append(name)

    check()
    assert len(generated) >= EXAMPLES // 2, f"only {len(generated)} of {EXAMPLES} generated; rejected: {rejected}"
    stdout, _, status = mypy.run(
        ["--strict", "--no-incremental", "--no-error-summary", *(str(out / n) for n in generated)]
    )
    assert status == 0, stdout
