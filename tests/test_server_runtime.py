"""The server runtime and the fake, tested once, directly: a hand-written spec, routes
and typed settings, served by `generator.runtime` itself (no generated package)."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import served as serving

from generator.runtime._fake import Fake
from generator.runtime._fake_records import Collection, FakeAction
from generator.runtime._server_records import Scheme, ServerSettings
from generator.runtime._server_runtime import Param, Result, Route, ServerError, build_app

pytestmark = pytest.mark.slow  # a server on loopback

Thing = dict[str, Any]
ANSWER = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Things", "version": "1"},
    "paths": {
        "/things": {"post": {"responses": {"201": {"description": "made", **ANSWER}}}},
        "/things/{id}": {
            "get": {"responses": {"200": {"description": "it", **ANSWER}}},
            "delete": {"responses": {"204": {"description": "gone"}}},
        },
    },
    "components": {
        "schemas": {
            "Id": {"type": "string", "minLength": 1},
            "New": {  # `id` is required in answers only: a request leaves readOnly properties out
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string", "minLength": 1}},
            },
            "Thing": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
        }
    },
}
ID = Param("id", "id", "path", True, "/components/schemas/Id", lambda: str)


def route(name: str, method: str, path: str, status: int, **fields: Any) -> Route:
    pointer = "/paths/" + path.replace("/", "~1") + "/" + method.lower()
    kind, type_ = ("empty", None) if status == 204 else ("json", Thing)
    defaults: dict[str, Any] = {
        "params": (),
        "body_schema": None,
        "body_required": False,
        "body_of": lambda: None,
        "body_encoding": "json",
    }
    return Route(
        name=name,
        resource="things",
        method=method,
        path=path,
        pointer=pointer,
        results=(Result(status, kind, lambda: type_, "application/json"),),
        result_of=lambda: type_,
        security=(("key",),),
        **{**defaults, **fields},
    )


ROUTES = (
    route(
        "create_thing",
        "POST",
        "/things",
        201,
        body_schema="/components/schemas/New",
        body_of=lambda: Thing,
        body_required=True,
    ),
    route("get_thing", "GET", "/things/{id}", 200, params=(ID,)),
    route("delete_thing", "DELETE", "/things/{id}", 204, params=(ID,)),
)
SETTINGS = ServerSettings(
    errors={"default": {"error": {"code": "{code}", "message": "{message}", "status": "{status}"}}},
    codes={"404": "NOT_FOUND"},
    headers={"401": {"WWW-Authenticate": "Key"}},
    schemes={"key": Scheme("api_key", "header", "X-Key")},
    token_path="/oauth/token",
    base_path="/v1",
)
ACTIONS = {
    "create_thing": FakeAction("create", "things"),
    "get_thing": FakeAction("read", "things", key="id"),
    "delete_thing": FakeAction("delete", "things", key="id"),
}
KEY = {"X-Key": "test-key"}


@contextlib.contextmanager
def served(handlers: object) -> Iterator[httpx.Client]:
    """An HTTP client of the app serving `handlers`, on loopback."""
    with serving(build_app(DOCUMENT, ROUTES, SETTINGS, handlers, None, "Things")) as root:
        with httpx.Client(base_url=root) as http:
            yield http


def test_the_fake_keeps_items_and_answers_in_the_configured_error_shape() -> None:
    fake = Fake(DOCUMENT, ROUTES, ACTIONS, {"things": Collection(schema="/components/schemas/Thing")})
    with served(fake) as http:
        made = http.post("/v1/things", json={"name": "a"}, headers=KEY)
        assert made.status_code == 201 and made.json()["name"] == "a"
        thing = made.json()["id"]
        assert http.get(f"/v1/things/{thing}", headers=KEY).json() == made.json()
        assert fake.items("things") == [made.json()]
        assert http.delete(f"/v1/things/{thing}", headers=KEY).status_code == 204
        gone = http.get(f"/v1/things/{thing}", headers=KEY)
        assert (gone.status_code, gone.json()["error"]["code"], gone.json()["error"]["status"]) == (
            404,
            "NOT_FOUND",
            404,
        )


@pytest.mark.parametrize(
    ("method", "path", "options", "status", "code"),
    [
        ("POST", "/v1/things", {"json": {"name": "a"}}, 401, "401"),  # no key
        ("POST", "/v1/things", {"json": {"name": ""}, "headers": KEY}, 400, "400"),  # the schema's minLength
        ("POST", "/v1/things", {"json": {"id": "x"}, "headers": KEY}, 400, "400"),  # required, not readOnly
        ("POST", "/v1/things", {"content": b"{", "headers": {**KEY, "Content-Type": "application/json"}}, 400, "400"),
        ("POST", "/v1/things", {"headers": KEY}, 400, "400"),  # a required body left out
        ("PATCH", "/v1/things", {"headers": KEY}, 405, "405"),
        ("GET", "/v2/things", {"headers": KEY}, 404, "NOT_FOUND"),  # outside the base path
    ],
)
def test_bad_requests_get_the_configured_status_and_shape(
    method: str, path: str, options: dict[str, Any], status: int, code: str
) -> None:
    with served(Fake(DOCUMENT, ROUTES, ACTIONS, {})) as http:
        response = http.request(method, path, **options)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code), response.text
    if status == 401:
        assert response.headers["WWW-Authenticate"] == "Key"


def test_own_handlers_are_reached_through_their_resource_and_the_rest_answer_501() -> None:
    class Things:
        async def get_thing(self, id: str) -> Thing:
            if id == "missing":
                raise ServerError(404, "no such thing")
            return {"id": id, "name": "mine", "extra": "not in the schema"}

    class Handlers:
        things = Things()

    with served(Handlers()) as http:
        assert http.get("/v1/things/t1", headers=KEY).json() == {
            "id": "t1",
            "name": "mine",
            "extra": "not in the schema",
        }
        assert http.get("/v1/things/missing", headers=KEY).json()["error"]["message"] == "no such thing"
        assert http.delete("/v1/things/t1", headers=KEY).status_code == 501


def test_the_token_endpoint_issues_tokens_to_known_clients_only() -> None:
    def basic(user: str, password: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}

    with served(Fake(DOCUMENT, ROUTES, ACTIONS, {})) as http:
        grant = {"grant_type": "client_credentials"}
        issued = http.post("/oauth/token", data=grant, headers=basic("test-client", "test-secret"))
        assert issued.status_code == 200 and issued.json()["token_type"] == "bearer"
        assert http.post("/oauth/token", data=grant, headers=basic("test-client", "wrong")).status_code == 401
        assert http.get("/openapi.json").json() == DOCUMENT
        assert http.get("/v1/openapi.json").json() == DOCUMENT  # under the base path too
