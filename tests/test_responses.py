"""Answers typed by status and media type, raw text and binary bodies, odd parameters,
and a spec without operations: over a mock transport and against the generated server."""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import urllib.parse
from typing import Any

import httpx
import pytest
from conftest import ROOT
from empty import AsyncEmptyClient, EmptyClient
from responses import AsyncResponsesClient, InternalServerError, ResponsesClient
from responses._errors import APIResponseValidationError
from responses.models import Document, Ids, PutThingResponse201, Report, SearchFilter, Stored, Thing
from responses.server import ROUTES, Handlers, create_app
from test_server import served

BINARY = b"\x00\xff\xfe\x80binary\r\n"  # not UTF-8
TEXT = "héllo — 日本語 🎉"
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def recording(*answers: httpx.Response) -> tuple[ResponsesClient, list[httpx.Request]]:
    """A client whose transport answers `answers` in turn and keeps every request."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[min(len(seen), len(answers)) - 1]

    return ResponsesClient(http_client=httpx.Client(transport=httpx.MockTransport(handle)), max_retries=0), seen


# --- over a mock transport ------------------------------------------------------------


def test_the_type_comes_back_by_status() -> None:
    report = {"id": "r1", "rows": [1, 2]}
    client, _ = recording(httpx.Response(200, json=report), httpx.Response(202), httpx.Response(204))
    assert client.get_report("r1") == Report(id="r1", rows=[1, 2])
    assert client.get_report("r1") is None
    raw = client.with_raw_response.get_report("r1")
    assert (raw.status_code, raw.parsed) == (204, None)


def test_two_models_on_two_statuses() -> None:
    client, _ = recording(
        httpx.Response(200, json={"id": "t", "name": "n"}), httpx.Response(201, json={"id": "t", "created": True})
    )
    assert client.put_thing("t", body=Thing(id="t", name="n")) == Thing(id="t", name="n")
    created = client.put_thing("t", body=Thing(id="t", name="n"))
    assert isinstance(created, PutThingResponse201) and created.created is True


def test_ranges_defaults_and_an_ignored_204_body() -> None:
    thing = {"id": "t", "name": "n"}
    client, _ = recording(httpx.Response(206, json=thing))
    assert client.get_range() == Thing(id="t", name="n")  # 2XX
    client, _ = recording(httpx.Response(200, json=thing), httpx.Response(500, json={"id": "e", "name": "broken"}))
    assert client.get_legacy() == Thing(id="t", name="n")  # only `default`: it types the success
    with pytest.raises(InternalServerError) as caught:
        client.get_legacy()
    assert caught.value.body == Thing(id="e", name="broken")  # and the error
    client, _ = recording(httpx.Response(204, json=thing))
    assert client.delete_gone("t") is None


def test_accept_prefers_json_and_another_media_type_is_a_validation_error() -> None:
    xml = httpx.Response(200, text="<doc/>", headers={"Content-Type": "application/xml"})
    client, seen = recording(httpx.Response(200, json={"title": "T"}), xml, httpx.Response(200, json={"title": "T"}))
    assert client.get_document("d") == Document(title="T")
    assert seen[0].headers["Accept"] == "application/json, application/xml;q=0.9, text/plain;q=0.8"
    with pytest.raises(APIResponseValidationError) as caught:
        client.get_document("d")
    assert caught.value.response.text == "<doc/>"
    client.get_document("d", extra_headers={"Accept": "application/xml"})
    assert seen[2].headers.get_list("Accept") == ["application/xml"]
    client.put_note("n", body="x")
    assert seen[3].headers["Accept"] == "text/plain"


def test_raw_bodies_go_out_byte_exact_with_their_content_type() -> None:
    stored = httpx.Response(201, json={"size": 1, "type": "x"})
    client, seen = recording(httpx.Response(204), httpx.Response(200, text=TEXT), stored)
    client.upload_content("f", body=BINARY)
    assert (seen[0].content, seen[0].headers["Content-Type"]) == (BINARY, "application/octet-stream")
    assert client.put_note("n", body=TEXT) == TEXT
    assert (seen[1].content, seen[1].headers["Content-Type"]) == (TEXT.encode(), "text/plain")
    client.upload_image(body=BINARY)
    assert (seen[2].content, seen[2].headers["Content-Type"]) == (BINARY, "image/png")
    client.upload_blob(body=BINARY)  # */*: a concrete type, which extra_headers can name
    assert (seen[3].content, seen[3].headers["Content-Type"]) == (BINARY, "application/octet-stream")
    client.upload_blob(body=BINARY, extra_headers={"Content-Type": "image/gif"})
    assert seen[4].headers.get_list("Content-Type") == ["image/gif"]
    client.upload_blob()
    assert (seen[5].content, "Content-Type" in seen[5].headers) == (b"", False)


def test_a_body_without_content_is_bytes_and_one_without_a_schema_is_any() -> None:
    client, seen = recording(httpx.Response(204), httpx.Response(200, json={"any": [1, None]}))
    client.ping(body=BINARY)
    assert (seen[0].content, seen[0].headers["Content-Type"]) == (BINARY, "application/octet-stream")
    assert client.echo(body={"any": [1, None]}) == {"any": [1, None]}
    assert json.loads(seen[1].content) == {"any": [1, None]}


def test_a_multi_media_body_is_sent_as_json() -> None:
    client, seen = recording(httpx.Response(201, json={"title": "T", "pages": 3}))
    assert client.create_document(body=Document(title="T", pages=3)) == Document(title="T", pages=3)
    assert seen[0].headers["Content-Type"] == "application/json"
    assert json.loads(seen[0].content) == {"title": "T", "pages": 3}


def test_a_wildcard_media_type_with_a_structured_schema_is_json() -> None:
    client, seen = recording(httpx.Response(200, json={"id": "t", "name": "n"}))
    assert client.post_wild(body=Thing(id="t", name="n")) == Thing(id="t", name="n")
    assert seen[0].headers["content-type"] == "application/json"
    assert json.loads(seen[0].content) == {"id": "t", "name": "n"}


def test_content_parameters_are_json_and_names_repeat_across_locations() -> None:
    client, seen = recording(
        httpx.Response(200, json=["a"]), httpx.Response(200, json={k: "x" for k in Ids.model_fields})
    )
    assert client.search(filter=SearchFilter(name="ann", tags=["a", "b"])) == ["a"]
    assert urllib.parse.parse_qs(seen[0].url.query.decode()) == {"filter": ['{"name":"ann","tags":["a","b"]}']}
    client.get_item("p", id_2="q", id_3="h", id_4="c", user_agent="mine/1", authorization="Token abc")
    request = seen[1]
    assert request.headers["Authorization"] == "Token abc"  # no security scheme sends it: the argument does
    assert (request.url.path, request.url.params["id"], request.headers["id"]) == ("/v1/items/p", "q", "h")
    assert request.headers["Cookie"] == "id=c"
    assert request.headers.get_list("User-Agent") == ["mine/1"]  # the parameter replaces the client's own


def test_the_async_client_reads_by_status_too() -> None:
    answers = iter([httpx.Response(200, json={"id": "r", "rows": []}), httpx.Response(202)])
    transport = httpx.MockTransport(lambda request: next(answers))

    async def main() -> list[Any]:
        async with AsyncResponsesClient(http_client=httpx.AsyncClient(transport=transport)) as client:
            return [await client.get_report("r"), await client.get_report("r")]

    assert asyncio.run(main()) == [Report(id="r", rows=[]), None]


# --- against the generated server, on loopback ------------------------------------------


class Answers(Handlers):
    """Handlers that show what the server passed them."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []

    async def get_report(self, report_id: str) -> Report | None:
        return Report(id=report_id, rows=[7]) if report_id == "ready" else None

    async def put_thing(self, thing_id: str, *, body: Thing) -> Thing | PutThingResponse201:
        return body if thing_id == "old" else PutThingResponse201(id=thing_id, created=True)

    async def get_document(self, document_id: str) -> Document:
        return Document(title=document_id)

    async def create_document(self, *, body: Document) -> Document:
        self.bodies.append(body)
        return body

    async def upload_content(self, file_id: str, *, body: bytes) -> None:
        self.bodies.append(body)

    async def put_note(self, note_id: str, *, body: str) -> str:
        self.bodies.append(body)
        return body + "!"

    async def upload_image(self, *, body: bytes) -> Stored:
        self.bodies.append(body)
        return Stored(size=len(body), type="image")

    async def upload_blob(self, *, body: bytes | None = None) -> Stored:
        self.bodies.append(body)
        return Stored(size=len(body or b""), type="blob")

    async def echo(self, *, body: Any) -> Any:
        return body

    async def ping(self, *, body: bytes | None = None) -> None:
        self.bodies.append(body)

    async def search(self, *, filter: SearchFilter) -> list[str]:
        return [filter.name, *(filter.tags or [])]

    async def get_item(
        self,
        id: str,
        *,
        id_2: str,
        id_3: str,
        id_4: str,
        authorization: str | None = None,
        user_agent: str | None = None,
    ) -> Ids:
        return Ids(path=id, query=id_2, header=id_3, cookie=id_4, agent=f"{user_agent or '-'} {authorization or '-'}")

    async def get_legacy(self) -> Thing:
        return Thing(id="l", name="legacy")

    async def delete_gone(self, thing_id: str) -> None:
        return None


@pytest.mark.slow  # a server on loopback
def test_client_and_server_agree_on_statuses_media_types_and_raw_bodies() -> None:
    handlers, sent = Answers(), []
    with (
        served(create_app(handlers)) as root,
        httpx.Client(event_hooks={"request": [sent.append]}) as http,
        ResponsesClient(base_url=root + "/v1", http_client=http) as client,
    ):
        raw = client.with_raw_response
        assert (raw.get_report("ready").status_code, client.get_report("ready")) == (200, Report(id="ready", rows=[7]))
        assert (raw.get_report("later").status_code, client.get_report("later")) == (202, None)
        assert raw.put_thing("old", body=Thing(id="old", name="n")).parsed == Thing(id="old", name="n")
        created = raw.put_thing("new", body=Thing(id="new", name="n"))
        assert (created.status_code, created.parsed) == (201, PutThingResponse201(id="new", created=True))
        assert client.get_document("d1") == Document(title="d1")
        assert sent[-1].headers["Accept"].startswith("application/json, ")
        assert client.create_document(body=Document(title="T")) == Document(title="T")
        client.upload_content("f", body=BINARY)
        assert client.put_note("n", body=TEXT) == TEXT + "!"
        assert client.upload_image(body=BINARY) == Stored(size=len(BINARY), type="image")
        assert (sent[-1].headers["Content-Type"], sent[-1].content) == ("image/png", BINARY)
        assert client.upload_blob(body=BINARY).size == len(BINARY)
        client.ping(body=BINARY)
        assert client.echo(body={"a": [1, "b"]}) == {"a": [1, "b"]}
        assert client.search(filter=SearchFilter(name="ann", tags=["x"])) == ["ann", "x"]
        ids = client.get_item("p", id_2="q", id_3="h", id_4="c", user_agent="agent/1", authorization="Token t")
        assert ids == Ids(path="p", query="q", header="h", cookie="c", agent="agent/1 Token t")
        assert client.get_legacy() == Thing(id="l", name="legacy")
        assert raw.delete_gone("t").status_code == 204
    assert handlers.bodies == [Document(title="T"), BINARY, TEXT, BINARY, BINARY, BINARY]


@pytest.mark.slow  # a server on loopback
def test_the_async_client_against_the_server() -> None:
    async def main(root: str) -> list[Any]:
        async with AsyncResponsesClient(base_url=root + "/v1") as client:
            return [
                await client.get_report("ready"),
                await client.get_report("later"),
                await client.put_note("n", body=TEXT),
            ]

    with served(create_app(Answers())) as root:
        assert asyncio.run(main(root)) == [Report(id="ready", rows=[7]), None, TEXT + "!"]


def test_every_route_answers_with_a_declared_status() -> None:
    declared = {route.name: {result.status for result in route.results} for route in ROUTES}
    assert declared["get_report"] == {200, 202, 204}
    assert declared["get_legacy"] == declared["get_range"] == {200}  # default and 2XX


# --- a spec without operations, and the READMEs --------------------------------------------


def test_a_spec_without_operations_makes_a_client_without_methods() -> None:
    with EmptyClient() as client:
        assert client.base_url == "https://empty.example"
        assert not [
            name
            for name in vars(type(client))
            if not name.startswith("_") and name not in ("with_raw_response", "with_options")
        ]
        assert vars(client.with_raw_response) == {}

    async def main() -> str:
        async with AsyncEmptyClient(base_url="https://other.example/") as client:
            return client.base_url

    assert asyncio.run(main()) == "https://other.example"
    assert importlib.import_module("empty.server").ROUTES == ()


@pytest.mark.parametrize("package", ["empty", "responses"])
def test_golden_readme_examples_run(
    package: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "tests" / "golden" / package / "README.md").read_text(encoding="utf-8")
    runtime = importlib.import_module(f"tests.golden.{package}._base_client")
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": "r", "rows": [1]}))
    monkeypatch.setattr(runtime.SyncAPIClient, "_new_client", lambda self: httpx.Client(transport=transport))
    monkeypatch.setattr(runtime.AsyncAPIClient, "_new_client", lambda self: httpx.AsyncClient(transport=transport))
    namespace: dict[str, Any] = {}
    for index, block in enumerate(PYTHON_BLOCK.findall(readme)):
        exec(compile(block, f"{package}/README.md block {index}", "exec"), namespace)
    printed = capsys.readouterr().out
    assert printed.count("\n") >= 2, printed
