"""Resources: operations grouped by tag into modules imported on first use; models in parts."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mypy import api as mypy

from bench.synthetic import spec as synthetic
from generator import pipeline
from generator.model import Api, Model, Named
from generator.model import parts as model_parts
from generator.model.api import model_names
from generator.model.parts import split
from generator.model.types import Field
from generator.sources import discover
from generator.write import apply, plan


def generate(tmp_path: Path, name: str, document: dict[str, Any]) -> tuple[Api, Path]:
    spec = tmp_path / f"{name}.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    api, findings = pipeline.check_spec(spec)
    assert isinstance(api, Api), findings
    out = tmp_path / "out"
    apply(plan(out, pipeline.render_all([api]), []))
    importlib.invalidate_caches()  # `importable` put `out` on sys.path before it existed
    return api, out


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Path]:
    """`tmp_path / "out"` on sys.path, and the packages imported from it forgotten afterwards."""
    out = tmp_path / "out"
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))
    generated = {path.name for path in out.iterdir()}
    for name in [name for name in sys.modules if name.partition(".")[0] in generated]:
        del sys.modules[name]  # not others first imported meanwhile (mypy's, say)


def lines(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("\n")


def test_a_large_spec_gives_small_modules_imported_on_first_use(tmp_path: Path, importable: Path) -> None:
    api, out = generate(tmp_path, "big", synthetic(300))
    package = out / "big"
    sizes = {p.relative_to(package).as_posix(): lines(p) for p in package.rglob("*.py")}
    assert max(sizes.values()) <= 5000, max(sizes.items(), key=lambda item: item[1])
    assert len(api.resources) == 75 and not api.root_operations
    assert len([p for p in sizes if p.startswith("models/_part")]) > 1 and "models.py" not in sizes

    big = importlib.import_module("big")
    answer = {"id": "r1", "title": "T", "state": "live"}
    http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, json=answer)))
    client = big.Synthetic300Client(access_token="t", http_client=http)
    assert "big.resources.resource7" not in sys.modules and "big.models" not in sys.modules
    resource = client.resource7
    assert "big.resources.resource7" in sys.modules and "big.resources.resource8" not in sys.modules
    assert client.resource7 is resource  # made once per client
    found = resource.get_resource7("r1")
    assert type(found).__name__ == "Resource7" and found.state.value == "live"
    assert resource.with_raw_response.get_resource7("r1").status_code == 200
    loaded = [part for part in api.model_parts if f"big.models.{part.module}" in sys.modules]
    assert {part.resource for part in loaded} == {"resource7", None}  # its own and shared ones, no other's

    async def get() -> object:
        answer_async = httpx.MockTransport(lambda request: httpx.Response(200, json=answer))
        async with big.AsyncSynthetic300Client(
            access_token="t", http_client=httpx.AsyncClient(transport=answer_async)
        ) as client:
            return await client.resource8.get_resource8("r1")

    assert type(asyncio.run(get())).__name__ == "Resource8"
    owners = {part.resource for part in api.model_parts if f"big.models.{part.module}" in sys.modules}
    assert owners == {"resource7", "resource8", None}
    models = importlib.import_module("big.models")
    resource9 = models.Resource9
    assert resource9.__module__.startswith("big.models._part") and vars(models)["Resource9"] is resource9  # kept
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchModel'"):
        models.NoSuchModel  # noqa: B018


def test_the_server_starts_without_models_and_loads_a_routes_own_on_its_first_call(
    tmp_path: Path, importable: Path
) -> None:
    document = synthetic(300)
    for item in document["paths"].values():  # an enum default in every handler interface
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter.get("name") == "state":
                parameter["schema"] = {"type": "string", "enum": ["draft", "live"], "default": "live"}
    api, _ = generate(tmp_path, "big", document)
    server = importlib.import_module("big.server")
    app = server.create_app()
    loaded = [name for name in sys.modules if name.startswith("big.models.")]
    assert loaded == ["big.models._base"] or not loaded, loaded
    signature = inspect.signature(server.Resource7Handlers.list_resource7)
    assert signature.parameters["state"].default == "live"  # its value, not the enum's member

    async def calls() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": "Bearer test-token"}
        async with httpx.AsyncClient(transport=transport, base_url="http://test/v1", headers=headers) as http:
            made = await http.post("/resources7", json={"title": "T", "state": "live"})
            return made, await http.get("/resources7", params={"state": "live"})

    made, listed = asyncio.run(calls())
    assert made.status_code == 200 and made.json()["title"] == "T", made.text
    assert listed.status_code == 200 and [r["title"] for r in listed.json()["items"]] == ["T"], listed.text
    owners = {part.resource for part in api.model_parts if f"big.models.{part.module}" in sys.modules}
    assert owners == {"resource7", None}  # its own and shared ones, no other's


@pytest.mark.slow  # mypy
def test_each_model_part_imports_only_from_earlier_parts_and_type_checks(
    tmp_path: Path, importable: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_parts, "PART_LINES", 150)
    api, out = generate(tmp_path, "parted", synthetic(24))
    assert len(api.model_parts) > 3
    folder = out / "parted" / "models"
    for part in api.model_parts:
        source = (folder / f"{part.module}.py").read_text(encoding="utf-8")
        own = int(part.module.removeprefix("_part"))
        assert all(int(n) < own for n in re.findall(r"^from \._part(\d+) import", source, re.MULTILINE))
    models = importlib.import_module("parted.models")
    page = models.Resource5Page.model_validate({"items": [{"id": "1", "title": "t", "state": "draft"}]})
    assert page.items[0].state is models.State.DRAFT
    stdout, _, status = mypy.run(["--strict", "--no-incremental", "--no-error-summary", str(out / "parted")])
    assert status == 0, stdout


def model(name: str, *refs: str) -> Model:
    fields = [Field(f"f{i}", f"f{i}", Named(ref), True, None, None) for i, ref in enumerate(refs)]  # type: ignore[arg-type]
    return Model(name, None, "", fields)  # type: ignore[arg-type]


def test_types_in_a_cycle_share_a_part_and_every_part_follows_what_it_names() -> None:
    models = [model("User", "Team"), model("Team", "User", "Plan"), model("Plan"), model("Invoice", "Plan", "User")]
    parts = split([], models, [], budget=1)  # every definition over budget: one component per part
    home = {name: index for index, part in enumerate(parts) for name in part.names}
    assert home["User"] == home["Team"]
    assert home["Plan"] < home["Team"] < home["Invoice"]
    assert parts[home["Invoice"]].imports == [
        (f"_part{home['Plan'] + 1}", ["Plan"]),
        (f"_part{home['User'] + 1}", ["User"]),
    ]
    assert [p.module for p in split([], models, [])] == [""]  # small: one models.py


def test_types_one_resource_reaches_are_its_own_and_shared_types_come_first() -> None:
    models = [
        model("Page", "Meeting"),
        model("Meeting", "Host", "Error"),
        model("Host"),
        model("Recording", "Error"),
        model("Error"),
        model("Unused", "Host"),
    ]
    users = {"meetings": {"Page"}, "recordings": {"Recording", "Error"}}
    parts = split([], models, [], users, budget=1)
    home = {name: part for part in parts for name in part.names}
    assert [home[n].resource for n in ("Error", "Page", "Meeting", "Host", "Recording", "Unused")] == [
        None,
        "meetings",
        "meetings",
        "meetings",
        "recordings",
        None,
    ]
    order = [part.module for part in parts]
    assert order.index(home["Error"].module) < order.index(home["Host"].module) < order.index(home["Recording"].module)
    assert order.index(home["Unused"].module) == len(parts) - 1  # nobody's: after every resource's
    meetings = {home[n].module for n in ("Page", "Meeting", "Host")}
    assert all(
        module in meetings | {home["Error"].module}
        for p in parts
        if p.resource == "meetings"
        for module, _ in p.imports
    )
    assert len(split([], models, [], users, budget=1000)) == 1  # small: one models.py, whoever uses what


def operation(op_id: str, **extra: Any) -> dict[str, Any]:
    return {"operationId": op_id, "responses": {"204": {"description": "done"}}, **extra}


@pytest.mark.parametrize(
    ("tags", "attributes"),
    [
        (["VideoV1Room", "VideoV1Recording"], ["room", "recording"]),  # Twilio Video's tags
        (["Meeting", "Meeting participants"], ["meeting", "meeting_participants"]),  # nothing would be left
        (["Meetings"], ["meetings"]),
    ],
)
def test_words_every_resource_name_starts_with_are_left_out(
    tmp_path: Path, tags: list[str], attributes: list[str]
) -> None:
    paths = {f"/{i}": {"get": operation(f"op{i}", tags=[tag])} for i, tag in enumerate(tags)}
    document = {"openapi": "3.1.0", "info": {"title": "Prefixed", "version": "1"}, "paths": paths}
    api, _ = generate(tmp_path, "prefixed", document)
    assert [r.attribute for r in api.resources] == attributes
    assert [r.title for r in api.resources] == tags


def test_tags_x_resource_and_untagged_operations(tmp_path: Path, importable: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Grouped", "version": "1"},
        "tags": [{"name": "Other things", "description": "Things of another kind."}, {"name": "Things"}],
        "paths": {
            "/a": {"get": operation("listA", tags=["Things", "Other things"])},
            "/b": {"get": operation("getB", tags=["Things"], **{"x-resource": "Other things"})},
            "/c": {"get": operation("ping")},
            "/d": {"get": operation("things")},  # a method on the client named like a resource
            "/e": {"get": operation("close", tags=["with_options"])},  # names the client has
            "/f": {"get": operation("getF", tags=["Things"], **{"x-resource": 5})},
        },
    }
    api, out = generate(tmp_path, "grouped", document)
    assert [(r.attribute, r.class_name, [op.method_name for op in r.operations]) for r in api.resources] == [
        ("other_things", "OtherThings", ["get_b"]),
        ("things_", "Things", ["list_a", "get_f"]),
        ("with_options_", "WithOptions", ["close_"]),
    ]
    assert [op.method_name for op in api.root_operations] == ["ping", "things"]
    (warning,) = [w for w in api.warnings if w.rule == "x-resource"]
    assert (warning.pointer, warning.line) == ("/paths/~1f/get/x-resource", 1)

    grouped = importlib.import_module("grouped")
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(204)

    client = grouped.GroupedClient(
        base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    client.things_.list_a(), client.other_things.get_b(), client.ping(), client.things(), client.with_options_.close_()
    assert seen == ["/a", "/b", "/c", "/d", "/e"]
    assert client.other_things.__doc__ == "Things of another kind."
    handlers = importlib.import_module("grouped.server").Handlers()
    assert type(handlers.things_).__name__ == "ThingsHandlers" and hasattr(handlers, "ping")


ROOT = Path(__file__).resolve().parent.parent
SPECS = discover(ROOT / "specs") + sorted(
    p for p in (ROOT / "tests" / "fixtures").iterdir() if p.suffix in (".yaml", ".json")
)
LOADED = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
for name in sys.argv[2:]:
    getattr(importlib.import_module(sys.argv[1].partition(".")[0] + ".models"), name)
print(json.dumps(sorted(m.rpartition(".")[2] for m in sys.modules if ".models._part" in m)))
"""


def loaded_parts(out: Path, module: str, *names: str) -> set[str]:
    """The model parts a fresh interpreter has imported after `module` (and `names` of the models)."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, module, *names], cwd=out, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout))


@pytest.mark.slow  # a subprocess per resource
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_a_resource_module_imports_only_the_model_parts_its_operations_reach(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_parts, "PART_LINES", 1)  # a part per type, or per cycle of types
    api, findings = pipeline.check_spec(spec)
    assert isinstance(api, Api), findings
    if len(api.model_parts) == 1:
        pytest.skip("no models")
    out = tmp_path / "out"
    apply(plan(out, pipeline.render_all([api]), []))
    definitions = {str(d.name): d for part in api.model_parts for d in [*part.enums, *part.models, *part.aliases]}
    home = {str(name): str(part.module) for part in api.model_parts for name in part.names}

    def parts_reached(names: set[str]) -> set[str]:
        todo, seen = list(names), set()
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += model_parts.references(definitions[name]) & definitions.keys()
        return {home[name] for name in seen}

    client = loaded_parts(out, api.package)  # only those of the defaults of its own operations' arguments
    assert client <= parts_reached(model_names(api.root_operations))
    last = str(api.model_parts[-1].names[-1])
    assert loaded_parts(out, api.package, last) == client | parts_reached({last})
    for resource in api.resources:
        used = model_names(resource.operations)
        assert loaded_parts(out, f"{api.package}.resources.{resource.attribute}") == parts_reached(used), resource
