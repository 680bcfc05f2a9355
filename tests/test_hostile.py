"""Spec text is untrusted input: hostile specs never run, break or escape anything."""

from __future__ import annotations

import ast
import importlib
import json
import keyword
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import ROOT
from mypy import api as mypy

from generator import pipeline
from generator.config import Layer, LintConfig
from generator.load import Document, load
from generator.model import Api, build_api
from generator.problems import GeneratorError
from generator.render import UNIFIED
from generator.validate import validate
from generator.write import apply, plan

EVIL = [
    'ends with a quote"',
    'triple """ quotes """ and \'\'\' too',
    "backslash at the end \\",
    "nul \x00 bell \x07 escape \x1b",
    "lines\nbreak\r\nhere\rand\u2028there",
    "non-ASCII: héllo — 日本語 🎉",
    "'); import os; os.system('echo pwned')  # \"\"\"",
    "{{ jinja }} {% raw %} ${shell}",
]


def hostile_text_spec() -> dict[str, Any]:
    """A valid spec whose every piece of free text is hostile."""
    text = " | ".join(EVIL)
    enum = [*EVIL, "class", "None", "", "1st"]
    return {
        "openapi": "3.1.0",
        "info": {"title": EVIL[1], "version": EVIL[0], "description": text, "x-client-name": "Evil Co; import os"},
        "servers": [{"url": "https://evil.example/\"'\\"}],
        "security": [],
        "paths": {
            "/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "summary": EVIL[2],
                    "description": text,
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": text,
                            "schema": {"type": "string"},
                            "example": EVIL[6],
                        },
                        {
                            "name": "mode",
                            "in": "query",
                            "description": EVIL[4],
                            "schema": {"type": "string", "enum": enum, "default": EVIL[1]},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": text,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"},
                                    "example": {"name": EVIL[3]},
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": text,
                    "title": EVIL[5],
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "description": text, "examples": EVIL, "default": EVIL[7]},
                        "kind": {"type": "string", "enum": enum, "description": EVIL[0]},
                        "count": {"type": "integer", "enum": [0, -1, 2**40]},
                    },
                }
            }
        },
    }


def hostile_names_spec() -> dict[str, Any]:
    """A valid OpenAPI document whose names are keywords, builtins, punctuation and clashes."""
    # Component names are limited to [a-zA-Z0-9._-] by OpenAPI itself; the rest may be anything.
    names = [
        "class",
        "None",
        "1Thing",
        "my.thing",
        "my-thing",
        "Pet",
        "pet",
        "BaseModel",
        "..",
        "...x",
        "__init__",
        "models",
    ]
    props = [
        "class",
        "def",
        "self",
        "from",
        "1st",
        "first name",
        "first_name",
        "firstName",
        "model_dump",
        "",
        "../../x",
        "datetime",
    ]
    schemas = {
        name: {"type": "object", "properties": {p: {"type": "string"} for p in props}, "required": ["class"]}
        for name in names
    }
    params = ["self", "body", "timeout", "extra_headers", "class", "X-Id", "x_id", "1a", "models", "response"]
    operations = [
        "class",
        "get-thing",
        "getThing",
        "get thing",
        "close",
        "../../etc/passwd",
        "with_raw_response",
        "with_options",
    ]
    paths = {}
    for index, operation_id in enumerate(operations):
        paths[f"/p{index}/{{self}}"] = {
            "post": {
                "operationId": operation_id,
                "tags": ["../../x", "/etc/passwd"],
                "parameters": [{"name": "self", "in": "path", "required": True, "schema": {"type": "string"}}]
                + [{"name": p, "in": "query", "schema": {"type": "string"}} for p in params[1:]],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{_escape(names[index])}"}}
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{_escape(names[-index - 1])}"}
                            }
                        },
                    }
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "../../etc/passwd", "version": "1"},
        "servers": [{"url": "https://n.example"}],
        "security": [],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def api_of(path: Path) -> Api:
    """The model of a spec, with the project's style rules left out (names may clash on purpose)."""
    document = load(path)
    assert isinstance(document, Document)
    assert validate(document) == []
    api = build_api(document, pipeline.package_name(path))
    assert isinstance(api, Api), api
    return api


def generate_below(api: Api, out: Path) -> list[Path]:
    files = pipeline.render_all([api])
    apply(plan(out, files, []))
    return sorted(p for p in out.rglob("*") if p.is_file())


def check_package(out: Path, package: str) -> Any:
    """Import the generated package and type-check it; return the package."""
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(package)
        importlib.import_module(f"{package}.models")
        importlib.import_module(f"{package}.server")
    finally:
        sys.path.remove(str(out))
    stdout, _, status = mypy.run(["--strict", "--no-incremental", "--no-error-summary", str(out / package)])
    assert status == 0, stdout
    return module


@pytest.fixture
def fresh_modules() -> Any:
    """Forget the packages a test generated, so the next test imports its own."""
    yield
    for name in [n for n in sys.modules if n.startswith("evil_")]:
        del sys.modules[name]


@pytest.mark.slow  # mypy
def test_hostile_text_never_runs_and_never_breaks_the_module(tmp_path: Path, fresh_modules: Any) -> None:
    spec = tmp_path / "evil_text.json"
    spec.write_text(json.dumps(hostile_text_spec()), encoding="utf-8")
    assert pipeline.lint([spec]) == []  # the spec itself is fine: only its text is hostile
    out = tmp_path / "out"
    files = generate_below(api_of(spec), out)
    for path in files:
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"))  # compiles; black already formatted it
    package = check_package(out, "evil_text")
    models = importlib.import_module("evil_text.models")
    assert [m.value for m in models.ThingKind][: len(EVIL)] == EVIL  # enum values survive, as data
    assert models.Thing(name=EVIL[3]).name == EVIL[3]
    assert models.Thing.model_fields["name"].default == EVIL[7]
    assert package.EvilCoImportOsClient.__name__ == "EvilCoImportOsClient"
    assert not (tmp_path / "pwned").exists()


@pytest.mark.slow  # mypy
def test_hostile_names_become_valid_distinct_identifiers_deterministically(tmp_path: Path, fresh_modules: Any) -> None:
    spec = tmp_path / "evil_names.json"
    spec.write_text(json.dumps(hostile_names_spec()), encoding="utf-8")
    api = api_of(spec)
    identifiers = {
        "classes": [m.name for m in api.models],
        "methods": [op.method_name for op in api.operations],
    }
    for kind, names in identifiers.items():
        assert len(set(names)) == len(names), kind
        assert all(n.isidentifier() and not keyword.iskeyword(n) for n in names), names
    assert "close" not in identifiers["methods"] and "with_options" not in identifiers["methods"]
    for model in api.models:
        fields = [f.name for f in model.fields]
        assert len(set(fields)) == len(fields) and all(f.isidentifier() and not keyword.iskeyword(f) for f in fields)
    for op in api.operations:
        params = [p.name for p in op.parameters]
        assert len(set(params)) == len(params)
        assert not {"self", "body", "timeout", "extra_headers", "models", "response"} & set(params)
    assert pipeline.render_all([api]) == pipeline.render_all([api_of(spec)])  # deterministic
    out = tmp_path / "out"
    generate_below(api, out)
    check_package(out, "evil_names")


def test_no_name_in_a_spec_places_a_file_outside_the_output(tmp_path: Path) -> None:
    spec = tmp_path / "evil_names.json"
    spec.write_text(json.dumps(hostile_names_spec()), encoding="utf-8")
    out = tmp_path / "deep" / "out"
    files = generate_below(api_of(spec), out)
    assert {p.relative_to(out).as_posix() for p in files} == {
        f"evil_names/{name}"
        for name in (
            "README.md",
            "__init__.py",
            "_client.py",
            "_server_config.py",
            "models.py",
            "openapi.json",
            "py.typed",
            "server.py",
            "resources/__init__.py",
            "resources/x.py",
            "handlers/__init__.py",
            "handlers/x.py",
            *(path.name for path in (ROOT / "generator" / "runtime").glob("_[!_]*.py") if path.name not in UNIFIED),
        )
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "evil_names.json"]


@pytest.mark.parametrize(
    ("stem", "package"),
    [("..", "value"), ("__init__", "init"), ("class", "class_"), ("my-api v2", "my_api_v2"), ("2fa", "n_2fa")],
)
def test_spec_file_names_become_safe_package_names(stem: str, package: str) -> None:
    assert pipeline.package_name(Path(f"{stem}.yaml")) == package


def test_writing_refuses_a_path_outside_the_output(tmp_path: Path) -> None:
    from pathlib import PurePosixPath

    with pytest.raises(ValueError, match="outside"):
        plan(tmp_path / "out", {PurePosixPath("../escape.py"): "x = 1\n"}, [])


# --- failures: one clear line, exit 1, nothing written, no RecursionError -----------------


def _spec(components: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "security": [],
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
                }
            }
        },
        "components": {"schemas": components},
    }


def _chain(length: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(length)}
    schemas[f"S{length}"] = {"type": "string"}
    return _spec(schemas, {"$ref": "#/components/schemas/S0"})


FAILURES: dict[str, tuple[Callable[[Path], None], str]] = {
    "ref-chain-2000": (
        lambda p: p.write_text(json.dumps(_chain(2000))),
        "api.json:1: /paths/~1a/get/responses/200/content/application~1json/schema/$ref: "
        "error [ref-unresolved] $ref '#/components/schemas/S0' starts a chain of 2001 $refs (at most 100 are followed)",
    ),
    "ref-cycle": (
        lambda p: p.write_text(
            json.dumps(
                _spec(
                    {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}},
                    {"$ref": "#/components/schemas/A"},
                )
            )
        ),
        "api.json:1: /paths/~1a/get/responses/200/content/application~1json/schema/$ref: "
        "error [ref-unresolved] $ref '#/components/schemas/A' leads round a cycle of $refs with no schema in it",
    ),
    "alias-bomb": (
        lambda p: p.write_text(
            "\n".join(
                ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
                + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
            )
        ),
        "api.json:1: /a6/7/2/1/2/4/4/7: error [syntax] the document expands to more than 5000000 nodes (YAML aliases nested too deeply?)",
    ),
    "deeply-nested": (
        lambda p: p.write_text("a: " + "[" * 50_000 + "]" * 50_000),
        "api.json:1: /: error [syntax] the document is nested too deeply to parse",
    ),
}

HEAVY = {"alias-bomb", "deeply-nested"}  # seconds of CPU each: left out of `make quick`


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=pytest.mark.slow) if c in HEAVY else c for c in sorted(FAILURES)]
)
def test_hostile_failures_are_one_located_line(case: str, cli: Callable[..., Result], tmp_path: Path) -> None:
    write, expected = FAILURES[case]
    write(tmp_path / "api.json")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("untouched")
    result = cli("generate", "--out", "out", "api.json")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [expected]
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_a_self_referencing_schema_generates(cli: Callable[..., Result], tmp_path: Path) -> None:
    node = {
        "type": "object",
        "properties": {
            "next": {"$ref": "#/components/schemas/Node"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        },
    }
    (tmp_path / "api.json").write_text(json.dumps(_spec({"Node": node}, {"$ref": "#/components/schemas/Node"})))
    assert cli("generate", "--out", "out", "api.json").exit_code == 0
    assert "children: list[Node] | None = None" in (tmp_path / "out" / "api" / "models.py").read_text()


MEASURE = """
import resource, subprocess, sys
status = subprocess.run([sys.executable, "-m", "generator", *sys.argv[1:]], capture_output=True).returncode
print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_rss_mb(*args: str) -> tuple[int, float]:
    """Exit status and peak memory (MiB) of `python -m generator ARGS`, measured by a
    fresh wrapper process whose only child it is."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    status, peak_kib = out.stdout.split()
    return int(status), int(peak_kib) / 1024


@pytest.mark.slow  # subprocesses
def test_big_specs_lint_within_bounded_memory(tmp_path: Path) -> None:
    paths = {
        f"/things{i}/{{id}}": {
            "get": {
                "operationId": f"getThing{i}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            }
        }
        for i in range(10_000)
    }
    many = _spec({"Thing": {"type": "object", "properties": {"name": {"type": "string"}}}}, {"type": "string"})
    many["paths"] = paths
    (tmp_path / "ops.json").write_text(json.dumps(many))
    fat = _spec({}, {"type": "string"})
    fat["info"]["description"] = "d" * (20 * 1024 * 1024)
    (tmp_path / "fat.json").write_text(json.dumps(fat))
    for name in ("ops.json", "fat.json"):
        status, peak = _peak_rss_mb("lint", str(tmp_path / name))
        assert status == 0
        assert peak < 1024, f"{name}: {peak:.0f} MiB"


@pytest.mark.slow  # seconds of CPU
def test_an_alias_bomb_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)
    ]
    (tmp_path / "bomb.yaml").write_text("\n".join(bomb))
    status, peak = _peak_rss_mb("lint", str(tmp_path / "bomb.yaml"))
    assert status == 1
    assert peak < 1024, f"{peak:.0f} MiB"


def test_lint_refuses_what_only_the_lower_layers_accept(tmp_path: Path) -> None:
    spec = tmp_path / "evil_names.json"
    spec.write_text(json.dumps(hostile_names_spec()), encoding="utf-8")
    strict = LintConfig(top=Layer(severity={"ALL": "error"}))  # as this repository's specs/ are linted
    with pytest.raises(GeneratorError) as caught:
        pipeline.build([spec], strict)
    rules = {p.rule for p in caught.value.problems}
    assert {"operation-id-camel-case", "python-name-clash"} <= rules


def test_fields_named_like_builtins_do_not_hide_the_types_of_later_fields(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    names = ["int", "str", "float", "bool", "bytes", "list", "dict"]
    properties = {name: {"type": "boolean"} for name in names} | {
        "count": {"type": "integer"},
        "ratio": {"type": "number"},
    }
    schema = {"type": "object", "properties": properties}
    (tmp_path / "api.json").write_text(json.dumps(_spec({"Thing": schema}, {"$ref": "#/components/schemas/Thing"})))
    assert cli("generate", "--out", "out", "api.json").exit_code == 0
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        models = importlib.import_module("api.models")
        thing = models.Thing.model_validate({"int": True, "count": 2, "ratio": 0.5})
        assert (thing.int_, thing.count, thing.ratio) == (True, 2, 0.5)
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for module in [m for m in sys.modules if m == "api" or m.startswith("api.")]:
            del sys.modules[module]


def test_a_list_that_contains_itself_generates_with_a_warning(write_spec: Callable[..., Path]) -> None:
    # just-eat.co.uk: an array whose items hold the array again, with no model between the two
    items = {
        "type": "array",
        "items": {"type": "object", "properties": {"Items": {"$ref": "#/components/schemas/Items"}}},
    }
    path = write_spec(json.dumps(_spec({"Items": items}, {"$ref": "#/components/schemas/Items"})), "api.json")
    api, findings = pipeline.check_spec(path)
    assert api is not None
    [warning] = [f for f in findings if f.rule == "unsupported"]
    assert warning.pointer == "/components/schemas/Items/items/properties/Items/$ref"
    assert "contains itself through a list or a union" in warning.message


def test_a_union_that_contains_itself_imports(cli: Callable[..., Result], tmp_path: Path) -> None:
    # vercel.com: a oneOf component with a list of itself among its options
    value = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/Value"}}]}
    (tmp_path / "api.json").write_text(json.dumps(_spec({"Value": value}, {"$ref": "#/components/schemas/Value"})))
    assert cli("generate", "--out", "out", "api.json").exit_code == 0
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        models = importlib.import_module("api.models")
        assert (
            "Value: typing.TypeAlias = typing.Union[str, list[typing.Any]]"
            in (tmp_path / "out" / "api" / "models.py").read_text()
        )
        assert models.Value is not None
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for module in [m for m in sys.modules if m == "api" or m.startswith("api.")]:
            del sys.modules[module]
