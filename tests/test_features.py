"""The feature fixture's generated package (tests/golden/features), exercised."""

from __future__ import annotations

import asyncio
import base64
import datetime
import json

import httpx
import pytest
from features import AsyncFeaturesClient, BadRequestError, FeaturesClient, UnprocessableEntityError
from features.models import Item, ItemDimensions, ItemDimensionsUnit, ItemInput, Kind, Priority, Problem, PutNoteRequest

ITEM = {"id": 1, "name": "Dune", "kind": "e-book", "priority": 2, "class": "fiction", "createdAt": None}


class Recorder:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.response


def client(recorder: Recorder) -> FeaturesClient:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return FeaturesClient(api_key="k&y", username="ann", password="s3cret", http_client=http)


def test_query_lists_enums_dates_defaults_headers_and_query_auth() -> None:
    recorder = Recorder(httpx.Response(200, json=[ITEM]))
    items = client(recorder).items.list_items(
        x_request_id="r-1", tag=["a", "b"], kind=Kind.E_BOOK, from_=datetime.date(2026, 1, 2)
    )
    request = recorder.requests[0]
    assert request.url.path == "/api/items"
    assert request.url.host == "eu.example.com"
    assert request.url.params.multi_items() == [
        ("tag", "a"),
        ("tag", "b"),
        ("kind", "e-book"),
        ("limit", "10"),
        ("from", "2026-01-02"),
        ("api_key", "k&y"),
    ]
    assert request.headers["X-Request-Id"] == "r-1"
    assert "Authorization" not in request.headers
    (item,) = items
    assert (item.kind, item.priority, item.class_) == (Kind.E_BOOK, Priority.VALUE_2, "fiction")


def test_basic_auth_body_aliases_and_defaults() -> None:
    recorder = Recorder(httpx.Response(201, json=ITEM))
    body = ItemInput(name="Dune", kind=Kind.BOOK, class_="sf", dimensions=ItemDimensions(width=1.5))
    client(recorder).items.create_item(body=body)
    request = recorder.requests[0]
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"ann:s3cret").decode()
    assert "api_key" not in request.url.params
    assert json.loads(request.content) == {"name": "Dune", "kind": "book", "class": "sf", "dimensions": {"width": 1.5}}
    assert body.price == 9.5 and body.tags == [] and body.dimensions is not None
    assert body.dimensions.unit is ItemDimensionsUnit.CM


def test_path_parameters_are_encoded_and_an_optional_body_can_be_left_out() -> None:
    recorder = Recorder(httpx.Response(204))
    assert client(recorder).put_note(7, "a/b c?") is None
    request = recorder.requests[0]
    assert request.url.raw_path.startswith(b"/api/items/7/notes/a%2Fb%20c%3F")
    assert request.content == b""
    client(recorder).put_note(7, "x", body=PutNoteRequest(text="hi"))
    assert json.loads(recorder.requests[1].content) == {"text": "hi"}


def test_an_operation_without_security_sends_no_credentials() -> None:
    recorder = Recorder(httpx.Response(200, json={"ok": 1}))
    assert client(recorder).get_health() == {"ok": 1}
    assert "api_key" not in recorder.requests[0].url.params


@pytest.mark.parametrize(("status", "error"), [(400, BadRequestError), (422, UnprocessableEntityError)])
def test_declared_error_bodies_are_parsed_into_models(status: int, error: type[Exception]) -> None:
    recorder = Recorder(httpx.Response(status, json={"code": "E1", "detail": "no"}))
    with pytest.raises(error) as caught:
        client(recorder).items.create_item(body=ItemInput(name="x", kind=Kind.BOOK))  # 4XX in the spec
    assert caught.value.body == Problem(code="E1", detail="no")  # type: ignore[attr-defined]


def test_an_error_body_that_does_not_match_its_model_is_kept_as_json() -> None:
    recorder = Recorder(httpx.Response(400, json={"unexpected": True}))
    with pytest.raises(BadRequestError) as caught:
        client(recorder).items.list_items(x_request_id="r")
    assert caught.value.body == {"unexpected": True}


def test_recursive_models_and_unknown_fields() -> None:
    item = Item.model_validate({**ITEM, "children": [{**ITEM, "name": "child", "surprise": 1}]})
    assert item.children is not None and item.children[0].name == "child"
    assert item.children[0].model_extra == {"surprise": 1}
    assert item.model_dump(exclude_unset=True)["class"] == "fiction"


def test_async_twin() -> None:
    recorder = Recorder(httpx.Response(200, json={"ok": 2}))

    async def run() -> dict[str, int]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with AsyncFeaturesClient(api_key="k", username="u", password="p", http_client=http) as c:
            return await c.get_health()

    assert asyncio.run(run()) == {"ok": 2}
