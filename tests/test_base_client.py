"""The client runtime, tested once: a small hand-written client on a mock transport.

`Client` and `AsyncClient` below are shaped as generated clients are: operations
grouped in a resource (`client.things`), a `with_raw_response` twin, and a
paging twin. Every test runs sync and async.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import email.utils
import functools
import json
import logging
import time
import typing
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pydantic
import pytest

from generator.runtime import _base_client as rt
from generator.runtime import _errors as errors

BASE_URL = "https://api.test/v1"
TOKEN_URL = "https://auth.test/token"
USER_AGENT = "things/1.0 (test)"
NOW = 1_800_000_000.0  # the wall clock the retry tests see
MODES = ["sync", "async"]
KEY = {"key": rt.Credential("header", "X-Key", "k-123")}

Handler = Callable[[httpx.Request], httpx.Response]


class Thing(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    id: str


class Things(pydantic.BaseModel):
    things: list[Thing]


class Page(pydantic.BaseModel):
    data: Things
    next: str | None = None
    count: int | None = None
    page: int | None = None
    pages: int | None = None


class Error(pydantic.BaseModel):
    code: str


ERRORS = {"4XX": Error}


# --- the hand-written client --------------------------------------------------------


class ThingsResource(rt.SyncAPIResource):
    def get(self, thing_id: str, **options: Any) -> Thing:
        response = self._request(
            "GET",
            "/things/{id}",
            path_params={"id": thing_id},
            security=(tuple(self._client._credentials),),
            error_types=ERRORS,
            **options,
        )
        return typing.cast(Thing, rt.parse(response, Thing))

    def create(self, body: Thing, **options: Any) -> Thing:
        response = self._request("POST", "/things", body=body, has_body=True, security=(("key",),), **options)
        return typing.cast(Thing, rt.parse(response, Thing))

    def list(self, **params: Any) -> Page:
        return typing.cast(Page, rt.parse(self._request("GET", "/things", params=params), Page))

    def list_iter(self, paging: rt.Pagination, **params: Any) -> Iterator[Thing]:
        return self._paginate(self.list, params, paging)


class AsyncThingsResource(rt.AsyncAPIResource):
    async def get(self, thing_id: str, **options: Any) -> Thing:
        response = await self._request(
            "GET",
            "/things/{id}",
            path_params={"id": thing_id},
            security=(tuple(self._client._credentials),),
            error_types=ERRORS,
            **options,
        )
        return typing.cast(Thing, rt.parse(response, Thing))

    async def create(self, body: Thing, **options: Any) -> Thing:
        response = await self._request("POST", "/things", body=body, has_body=True, security=(("key",),), **options)
        return typing.cast(Thing, rt.parse(response, Thing))

    async def list(self, **params: Any) -> Page:
        response = await self._request("GET", "/things", params=params)
        return typing.cast(Page, rt.parse(response, Page))

    def list_iter(self, paging: rt.Pagination, **params: Any) -> AsyncIterator[Thing]:
        return self._paginate(self.list, params, paging)


class RawThings:
    def __init__(self, things: ThingsResource | AsyncThingsResource) -> None:
        self.get: Any = (
            rt.raw_response_wrapper(things.get)
            if isinstance(things, ThingsResource)
            else rt.async_raw_response_wrapper(things.get)
        )


def _options(options: dict[str, Any]) -> dict[str, Any]:
    defaults = {
        "base_url": BASE_URL,
        "timeout": rt.DEFAULT_TIMEOUT,
        "max_retries": rt.DEFAULT_MAX_RETRIES,
        "retry_non_idempotent": False,
        "credentials": KEY,
        "user_agent": USER_AGENT,
    }
    return {**defaults, **options}


class Client(rt.SyncAPIClient):
    def __init__(self, http_client: httpx.Client | None = None, **options: Any) -> None:
        super().__init__(http_client=http_client, **_options(options))

    @functools.cached_property
    def things(self) -> ThingsResource:
        return ThingsResource(self)

    @functools.cached_property
    def with_raw_response(self) -> RawThings:
        return RawThings(self.things)


class AsyncClient(rt.AsyncAPIClient):
    def __init__(self, http_client: httpx.AsyncClient | None = None, **options: Any) -> None:
        super().__init__(http_client=http_client, **_options(options))

    @functools.cached_property
    def things(self) -> AsyncThingsResource:
        return AsyncThingsResource(self)

    @functools.cached_property
    def with_raw_response(self) -> RawThings:
        return RawThings(self.things)


def make(mode: str, handler: Handler, **options: Any) -> Any:
    """A sync or async client whose requests go to `handler`."""
    transport = httpx.MockTransport(handler)
    if mode == "async":
        return AsyncClient(httpx.AsyncClient(transport=transport), **options)
    return Client(httpx.Client(transport=transport), **options)


def run(mode: str, call: Callable[[], Any]) -> Any:
    """The result of `call()`, awaited for async clients."""
    return asyncio.run(call()) if mode == "async" else call()


def collect(mode: str, iterator: Any) -> list[Any]:
    if mode == "sync":
        return list(iterator)

    async def gather() -> list[Any]:
        return [item async for item in iterator]

    return asyncio.run(gather())


class Script:
    """A transport that plays a list of responses (or exceptions) and records requests."""

    def __init__(self, steps: list[Any]) -> None:
        self.steps = steps
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0)
        if isinstance(step, type) and issubclass(step, httpx.TransportError):
            raise step("scripted", request=request)
        assert isinstance(step, httpx.Response)
        return step


def thing(id_: str = "t1", **extra: Any) -> httpx.Response:
    return httpx.Response(200, json={"id": id_, **extra})


def recorded_sleep(client: Any, mode: str) -> list[float]:
    """Replace the client's sleep, clock and randomness: delays are recorded, jitter is off."""
    slept: list[float] = []
    if mode == "async":

        async def sleep(seconds: float) -> None:
            slept.append(seconds)

        client._sleep = sleep
    else:
        client._sleep = slept.append
    client._random = lambda: 0.0
    client._now = lambda: NOW
    return slept


def http_date(seconds_from_now: float) -> str:
    return email.utils.formatdate(NOW + seconds_from_now, usegmt=True)


# --- retries ------------------------------------------------------------------------

# method, steps ("ok" for a success), client options, call options,
# attempts made, delays slept, what comes out ("ok" or an exception class name)
RETRY_TABLE: list[tuple[str, list[Any], dict[str, Any], dict[str, Any], int, list[float], str]] = [
    ("GET", [503, 503, 503], {}, {}, 3, [0.5, 1.0], "InternalServerError"),
    ("GET", [500, "ok"], {}, {}, 2, [0.5], "ok"),
    ("GET", [(429, "3"), "ok"], {}, {}, 2, [3.0], "ok"),
    ("GET", [(429, "2.5"), (429, "0"), "ok"], {}, {}, 3, [2.5, 0.0], "ok"),
    ("GET", [(503, "http-date+5"), "ok"], {}, {}, 2, [5.0], "ok"),
    ("GET", [(408, "120"), "ok"], {}, {}, 2, [60.0], "ok"),
    ("GET", [(429, "soon"), "ok"], {}, {}, 2, [0.5], "ok"),
    ("GET", [(429, "nan"), "ok"], {}, {}, 2, [0.5], "ok"),
    ("GET", [(429, "-4"), "ok"], {}, {}, 2, [0.0], "ok"),
    ("GET", [404], {}, {}, 1, [], "NotFoundError"),
    ("GET", [400], {}, {}, 1, [], "BadRequestError"),
    ("GET", [409], {}, {}, 1, [], "ConflictError"),
    ("GET", [502] * 6, {"max_retries": 5}, {}, 6, [0.5, 1.0, 2.0, 4.0, 8.0], "InternalServerError"),
    ("GET", [502] * 10, {"max_retries": 9}, {}, 10, [0.5, 1, 2, 4, 8, 8, 8, 8, 8], "InternalServerError"),
    ("GET", [503, "ok"], {}, {"max_retries": 0}, 1, [], "InternalServerError"),
    ("GET", [503, 503, "ok"], {"max_retries": 0}, {"max_retries": 2}, 3, [0.5, 1.0], "ok"),
    ("GET", [httpx.ReadTimeout] * 3, {}, {}, 3, [0.5, 1.0], "APITimeoutError"),
    ("GET", [httpx.RemoteProtocolError, "ok"], {}, {}, 2, [0.5], "ok"),
    ("POST", [503], {}, {}, 1, [], "InternalServerError"),
    ("POST", [(429, "1")], {}, {}, 1, [], "RateLimitError"),
    ("POST", [503, "ok"], {"retry_non_idempotent": True}, {}, 2, [0.5], "ok"),
    ("POST", [httpx.ConnectError, "ok"], {}, {}, 2, [0.5], "ok"),
    ("POST", [httpx.ConnectTimeout] * 3, {}, {}, 3, [0.5, 1.0], "APITimeoutError"),
    ("POST", [httpx.PoolTimeout, "ok"], {}, {}, 2, [0.5], "ok"),
    ("POST", [httpx.ReadTimeout], {}, {}, 1, [], "APITimeoutError"),
    ("POST", [httpx.RemoteProtocolError], {}, {}, 1, [], "APIConnectionError"),
    ("POST", [httpx.RemoteProtocolError, "ok"], {"retry_non_idempotent": True}, {}, 2, [0.5], "ok"),
]


def _step(step: Any) -> Any:
    if step == "ok":
        return thing()
    if isinstance(step, int):
        return httpx.Response(step, json={})
    if isinstance(step, tuple):
        status, retry_after = step
        if retry_after.startswith("http-date"):
            retry_after = http_date(float(retry_after.split("+")[1]))
        return httpx.Response(status, json={}, headers={"Retry-After": retry_after})
    return step


def call(client: Any, method: str, mode: str, **options: Any) -> Any:
    """A GET or a POST through the client's resource."""
    if method == "GET":
        return run(mode, lambda: client.things.get("t1", **options))
    return run(mode, lambda: client.things.create(Thing(id="new"), **options))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("row", range(len(RETRY_TABLE)))
def test_retry_table(row: int, mode: str) -> None:
    method, steps, client_options, call_options, attempts, delays, outcome = RETRY_TABLE[row]
    script = Script([_step(step) for step in steps])
    client = make(mode, script, **client_options)
    slept = recorded_sleep(client, mode)
    if outcome == "ok":
        assert call(client, method, mode, **call_options) == Thing(id="t1")
    else:
        with pytest.raises(getattr(errors, outcome)):
            call(client, method, mode, **call_options)
    assert (len(script.requests), slept) == (attempts, delays)


@pytest.mark.parametrize("mode", MODES)
def test_jitter_shortens_a_delay_by_at_most_a_quarter(mode: str) -> None:
    client = make(mode, Script([httpx.Response(503), httpx.Response(503), thing()]))
    slept = recorded_sleep(client, mode)
    client._random = iter([1.0, 0.5]).__next__
    call(client, "GET", mode)
    assert slept == [0.375, 0.875]


@pytest.mark.parametrize("date", ["asctime", "-0000"])
def test_retry_after_http_date_without_a_zone_is_gmt(date: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")  # the local time must not matter
    time.tzset()
    try:
        when = time.gmtime(NOW + 7)
        value = time.asctime(when) if date == "asctime" else time.strftime("%a, %d %b %Y %H:%M:%S -0000", when)
        client = make("sync", Script([httpx.Response(503, headers={"Retry-After": value}), thing()]))
        slept = recorded_sleep(client, "sync")
        call(client, "GET", "sync")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert slept == [7.0]


# --- requests -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_credentials_go_in_a_header_or_the_query(mode: str) -> None:
    credentials = {
        "key": rt.Credential("header", "X-Key", "k-123"),
        "sig": rt.Credential("query", "sig", "s-456"),
        "basic": rt.Credential("header", "Authorization", rt.basic_credentials("me", "pw")),
    }
    script = Script([thing()])
    call(make(mode, script, credentials=credentials), "GET", mode)
    (request,) = script.requests
    assert request.headers["X-Key"] == "k-123"
    assert request.url.params["sig"] == "s-456"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"me:pw").decode()
    assert request.url == BASE_URL + "/things/t1?sig=s-456"
    assert "k-123" not in repr(credentials)


@pytest.mark.parametrize("mode", MODES)
def test_per_call_headers_and_timeout(mode: str) -> None:
    script = Script([thing(), thing()])
    client = make(mode, script, timeout=7.0)
    call(client, "GET", mode, extra_headers={"X-Trace": "t-1", "User-Agent": "mine/1"}, timeout=1.5)
    call(client, "GET", mode)
    first, second = script.requests
    assert (first.headers["X-Trace"], first.headers["User-Agent"]) == ("t-1", "mine/1")
    assert first.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}
    assert "X-Trace" not in second.headers
    assert second.headers["User-Agent"] == USER_AGENT
    assert second.extensions["timeout"] == {"connect": 7.0, "read": 7.0, "write": 7.0, "pool": 7.0}


@pytest.mark.parametrize("mode", MODES)
def test_raw_response_carries_status_headers_body_and_parsed_value(mode: str) -> None:
    body = b'{"id":"t1","extra":true}'
    script = Script([httpx.Response(201, content=body, headers={"X-Rate": "9"})])
    client = make(mode, script)
    raw = run(mode, lambda: client.with_raw_response.get("t1"))
    assert (raw.status_code, raw.headers["X-Rate"], raw.content) == (201, "9", body)
    assert raw.parsed == Thing.model_validate({"id": "t1", "extra": True})
    assert raw.http_response.request.url == BASE_URL + "/things/t1"


@pytest.mark.parametrize("mode", MODES)
def test_a_resource_sends_through_its_client(mode: str) -> None:
    script = Script([thing()])
    client = make(mode, script, base_url="https://elsewhere.test/v2/")
    resource = client.things
    assert resource._client is client
    run(mode, lambda: resource._request("GET", "/ping"))
    assert script.requests[0].url == "https://elsewhere.test/v2/ping"
    assert script.requests[0].headers["User-Agent"] == USER_AGENT


@pytest.mark.parametrize("mode", MODES)
def test_with_options_shares_the_pool_and_changes_settings(mode: str) -> None:
    script = Script([httpx.Response(503), httpx.Response(503), thing()])
    client = make(mode, script)
    original = (client.things, client.with_raw_response)  # cached before the copy
    hasty = client.with_options(max_retries=0, timeout=2.0, base_url="https://other.test/")
    assert hasty._client is client._client
    assert (hasty.max_retries, hasty.timeout.read, client.max_retries, client.timeout.read) == (0, 2.0, 2, 30.0)
    assert hasty.things is not original[0] and hasty.things._client is hasty
    assert hasty.with_raw_response is not original[1]
    with pytest.raises(errors.InternalServerError):
        run(mode, lambda: hasty.with_raw_response.get("t1"))  # the copy's settings
    assert [str(r.url) for r in script.requests] == ["https://other.test/things/t1"]
    recorded_sleep(client, mode)
    assert call(client, "GET", mode) == Thing(id="t1")  # the original's settings still
    assert [r.url.host for r in script.requests] == ["other.test", "api.test", "api.test"]
    run(mode, hasty.close)
    assert not client._client.is_closed  # the copy does not own the pool


@pytest.mark.parametrize("mode", MODES)
def test_with_options_adds_default_headers_and_query_and_sends_on_another_pool(mode: str) -> None:
    script, other = Script([thing()]), Script([thing(), httpx.Response(200, json={"data": {"things": []}})])
    client = make(mode, script)
    pool = (
        httpx.AsyncClient(transport=httpx.MockTransport(other))
        if mode == "async"
        else httpx.Client(transport=httpx.MockTransport(other))
    )
    derived = client.with_options(
        http_client=pool, default_headers={"X-Team": "a", "User-Agent": "mine"}, default_query={"tenant": "t1"}
    )
    again = derived.with_options(default_headers={"X-Trace": "1"})
    run(mode, lambda: again.things.get("t1", extra_headers={"X-Team": "b"}))
    run(mode, lambda: again.things.list(tenant="own"))
    first, second = other.requests
    assert (first.headers["X-Team"], first.headers["X-Trace"], first.headers["User-Agent"]) == ("b", "1", "mine")
    assert (first.url.params["tenant"], second.url.params.get_list("tenant")) == (
        "t1",
        ["own"],
    )  # the method's own wins
    assert script.requests == [] and derived._client is pool and not derived._owns_client
    call(client, "GET", mode)
    assert "X-Team" not in script.requests[0].headers and "tenant" not in script.requests[0].url.params
    with pytest.raises(ValueError, match="X-Bad"):
        client.with_options(default_headers={"X-Bad": "a\r\nInjected: 1"})


@pytest.mark.parametrize("mode", MODES)
def test_raw_response_parses_and_says_how_long_and_how_often(mode: str) -> None:
    client = make(mode, Script([httpx.Response(503), httpx.Response(502), thing()]))
    recorded_sleep(client, mode)
    raw = run(mode, lambda: client.with_raw_response.get("t1"))
    assert (raw.parse(), raw.retries_taken) == (Thing(id="t1"), 2)
    assert raw.elapsed >= datetime.timedelta(0)
    assert run(mode, lambda: make(mode, Script([thing()])).with_raw_response.get("t1")).retries_taken == 0


@pytest.mark.parametrize("mode", MODES)
def test_each_retry_is_logged_at_info_with_its_reason_and_no_secret(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = make(mode, Script([httpx.Response(503), httpx.ConnectError, thing()]))
    client._credentials = {"key": rt.Credential("query", "api_key", "s3cret-value")}
    recorded_sleep(client, mode)
    with caplog.at_level(logging.INFO, logger=rt.LOGGER.name):
        call(client, "GET", mode)
    retries = [r.getMessage() for r in caplog.records if r.name == rt.LOGGER.name]
    assert len(retries) == 2 and "after HTTP 503" in retries[0] and "after ConnectError" in retries[1]
    assert all("GET https://api.test/v1/things/t1?api_key=" in m and "s3cret" not in m for m in retries)


@pytest.mark.parametrize("mode", MODES)
def test_a_deprecated_operation_warns_once_where_it_is_called(mode: str) -> None:
    client = make(mode, Script([thing(), thing()]))
    rt._WARNED.discard("client.things.old()")

    def old() -> Any:
        return client._request("GET", "/things/t1", deprecated="client.things.old()")

    with pytest.warns(DeprecationWarning, match=r"client\.things\.old\(\) is deprecated") as caught:
        run(mode, old)
        run(mode, old)
    assert len([w for w in caught if issubclass(w.category, DeprecationWarning)]) == 1


def test_close_closes_only_a_pool_the_client_made() -> None:
    lent = httpx.Client()
    owner = Client()
    Client(lent).close()
    owner.with_options(max_retries=0).close()  # a copy borrows its original's pool
    assert not (lent.is_closed or owner._client.is_closed)
    with owner:
        pass
    assert owner._client.is_closed
    lent.close()


def test_async_close_closes_only_a_pool_the_client_made() -> None:
    async def scenario() -> None:
        async with httpx.AsyncClient() as lent:
            owner = AsyncClient()
            await AsyncClient(lent).close()
            await owner.with_options(max_retries=0).close()
            assert not (lent.is_closed or owner._client.is_closed)
            async with owner:
                pass
            assert owner._client.is_closed

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (418, errors.APIStatusError),
        (422, errors.UnprocessableEntityError),
        (429, errors.RateLimitError),
        (500, errors.InternalServerError),
        (599, errors.InternalServerError),
    ],
)
def test_each_status_raises_its_error_class_with_the_body(status: int, error: type[Exception]) -> None:
    client = make("sync", Script([httpx.Response(status, json={"code": "nope"})]), max_retries=0)
    with pytest.raises(errors.APIStatusError) as caught:
        call(client, "GET", "sync")
    assert type(caught.value) is error
    assert (caught.value.status_code, caught.value.response.status_code) == (status, status)
    expected = Error(code="nope") if 400 <= status < 500 else {"code": "nope"}  # "4XX": Error
    assert caught.value.body == expected
    assert str(caught.value) == f"HTTP {status} from GET {BASE_URL}/things/t1"


def test_an_error_body_that_is_not_json_is_kept_as_text() -> None:
    client = make("sync", Script([httpx.Response(404, text="no such thing")]))
    with pytest.raises(errors.NotFoundError) as caught:
        call(client, "GET", "sync")
    assert caught.value.body == "no such thing"


# --- forward compatibility ------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_unknown_fields_are_read_and_sent_back(mode: str) -> None:
    script = Script([thing("t1", addedLater=[1, 2]), thing("t1")])
    client = make(mode, script)
    read = call(client, "GET", mode)
    assert read.model_extra == {"addedLater": [1, 2]}
    run(mode, lambda: client.things.create(read))
    assert json.loads(script.requests[1].content) == {"id": "t1", "addedLater": [1, 2]}


def test_a_success_that_does_not_match_the_spec_is_a_validation_error() -> None:
    client = make("sync", Script([httpx.Response(200, json={"name": "no id"})]))
    with pytest.raises(errors.APIResponseValidationError, match="does not match the spec") as caught:
        call(client, "GET", "sync")
    assert caught.value.status_code == 200


# --- OAuth 2 client credentials ---------------------------------------------------------


class TokenServer:
    """A token endpoint in front of a scripted API; tokens are tok1, tok2, ..."""

    def __init__(self, api: list[Any]) -> None:
        self.api = Script(api)
        self.token_requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            self.token_requests.append(request)
            return httpx.Response(200, json={"access_token": f"tok{len(self.token_requests)}", "expires_in": 3600})
        return self.api(request)

    def authorizations(self) -> list[str]:
        return [r.headers["Authorization"] for r in self.api.requests]


def oauth_client(handler: Handler, mode: str, **options: Any) -> Any:
    auth = rt.OAuthClientCredentials(TOKEN_URL, "app", "s3cret", ["read", "write"])
    return make(mode, handler, credentials={"oauth": auth}, **options)


@pytest.mark.parametrize("mode", MODES)
def test_oauth_token_is_fetched_once_and_reused(mode: str) -> None:
    server = TokenServer([thing(), thing()])
    client = oauth_client(server, mode)
    call(client, "GET", mode)
    call(client, "GET", mode)
    (token_request,) = server.token_requests
    assert token_request.method == "POST"
    assert token_request.content == b"grant_type=client_credentials&scope=read+write"
    assert token_request.headers["Authorization"] == "Basic " + base64.b64encode(b"app:s3cret").decode()
    assert server.authorizations() == ["Bearer tok1", "Bearer tok1"]


@pytest.mark.parametrize("mode", MODES)
def test_oauth_token_is_renewed_shortly_before_it_expires(mode: str) -> None:
    server = TokenServer([thing()] * 3)
    client = oauth_client(server, mode)
    clock = [0.0]
    client._credentials["oauth"].clock = lambda: clock[0]
    call(client, "GET", mode)
    clock[0] = 3600 - 61  # still more than the margin left
    call(client, "GET", mode)
    clock[0] = 3600 - 59  # within a minute of expiry
    call(client, "GET", mode)
    assert server.authorizations() == ["Bearer tok1", "Bearer tok1", "Bearer tok2"]


@pytest.mark.parametrize("mode", MODES)
def test_oauth_token_is_renewed_once_on_401(mode: str) -> None:
    denied = httpx.Response(401, json={})
    server = TokenServer([denied, thing(), denied, denied])
    client = oauth_client(server, mode)
    call(client, "GET", mode)
    assert server.authorizations() == ["Bearer tok1", "Bearer tok2"]
    with pytest.raises(errors.AuthenticationError):
        call(client, "GET", mode)
    assert server.authorizations()[2:] == ["Bearer tok2", "Bearer tok3"]


@pytest.mark.parametrize("mode", MODES)
def test_oauth_retries_after_a_renewal_keep_the_new_token(mode: str) -> None:
    server = TokenServer([httpx.Response(401, json={}), httpx.Response(503), httpx.Response(503), thing()])
    client = oauth_client(server, mode)
    recorded_sleep(client, mode)
    call(client, "GET", mode)
    assert server.authorizations() == ["Bearer tok1", "Bearer tok2", "Bearer tok2", "Bearer tok2"]
    assert len(server.token_requests) == 2


def test_oauth_secrets_never_show(caplog: pytest.LogCaptureFixture) -> None:
    server = TokenServer([thing(), httpx.Response(404, json={})])
    client = oauth_client(server, "sync")
    with caplog.at_level(logging.DEBUG):
        call(client, "GET", "sync")
        with pytest.raises(errors.NotFoundError) as caught:
            call(client, "GET", "sync")
    shown = caplog.text + repr(client._credentials) + repr(caught.value) + str(caught.value)
    assert "s3cret" not in shown and "tok1" not in shown


@pytest.mark.parametrize("mode", MODES)
def test_oauth_token_endpoint_failure_is_an_authentication_error(mode: str) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        assert str(request.url) == TOKEN_URL
        return httpx.Response(401, json={"error": "invalid_client"})

    with pytest.raises(errors.AuthenticationError) as caught:
        call(oauth_client(refuse, mode), "GET", mode)
    assert caught.value.body == {"error": "invalid_client"}


@pytest.mark.parametrize(
    "answer", [httpx.Response(200, json=["x"]), httpx.Response(200, text="not json")]
)  # a JSON object without a string access_token is an AuthenticationError: test_faults
def test_a_token_endpoint_without_an_access_token_is_a_validation_error(answer: httpx.Response) -> None:
    with pytest.raises(errors.APIResponseValidationError, match="no access_token"):
        call(oauth_client(lambda request: answer, "sync"), "GET", "sync")


def test_an_unreachable_token_endpoint_is_a_connection_error() -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    with pytest.raises(errors.APIConnectionError) as caught:
        call(oauth_client(unreachable, "sync"), "GET", "sync")
    assert str(caught.value.request.url) == TOKEN_URL


# --- pagination -------------------------------------------------------------------------

ITEMS = [f"t{i}" for i in range(6)]  # three full pages of two
PER_PAGE = 2

# Each style with every pointer, and offset and page with none but the items:
# those end on the first empty page.
PAGINGS = {
    "cursor": (rt.Pagination("cursor", ("data", "things"), "cursor", position=("next",)), 3),
    "offset": (rt.Pagination("offset", ("data", "things"), "offset", limit_param="limit", total=("count",)), 3),
    "offset-no-total": (rt.Pagination("offset", ("data", "things"), "offset", limit_param="limit"), 4),
    "page": (rt.Pagination("page", ("data", "things"), "page", position=("page",), total=("pages",)), 3),
    "page-no-pointers": (rt.Pagination("page", ("data", "things"), "page"), 4),
}


def page_index(paging: rt.Pagination, request: httpx.Request) -> int:
    value = request.url.params.get(paging.param)
    if paging.style == "cursor":
        return 0 if value is None else int(value[1:])
    if paging.style == "offset":
        return int(value or 0) // PER_PAGE
    return int(value or 1) - 1


def paging_server(paging: rt.Pagination, requests: list[httpx.Request]) -> Handler:
    """Pages of ITEMS, as the request's cursor, offset or page number (and limit) select them."""

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        index = page_index(paging, request)
        start = int(request.url.params.get("offset", index * PER_PAGE))
        end = start + int(request.url.params.get("limit", PER_PAGE))
        items, last = ITEMS[start:end], end >= len(ITEMS)
        page = {
            "data": {"things": [{"id": i} for i in items]},
            "next": None if last else f"c{index + 1}",
            "count": len(ITEMS),
            "page": index + 1,
            "pages": len(ITEMS) // PER_PAGE,
        }
        return httpx.Response(200, json=page)

    return handle


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("style", PAGINGS)
def test_auto_paging_walks_every_page_lazily_and_stops(style: str, mode: str) -> None:
    paging, fetches = PAGINGS[style]
    requests: list[httpx.Request] = []
    client = make(mode, paging_server(paging, requests))
    params = {"limit": PER_PAGE} if paging.limit_param else {}
    iterator = client.things.list_iter(paging, **params)
    assert requests == []  # nothing fetched before the first item is asked for

    async def first_then_rest() -> list[str]:
        seen = [(await anext(iterator)).id]
        assert len(requests) == 1  # nothing fetched ahead
        return seen + [item.id async for item in iterator]

    if mode == "async":
        seen = asyncio.run(first_then_rest())
    else:
        seen = [next(iterator).id]
        assert len(requests) == 1
        seen += [item.id for item in iterator]
    assert seen == ITEMS
    assert [page_index(paging, r) for r in requests] == list(range(fetches))
    if paging.limit_param:
        assert {r.url.params["limit"] for r in requests} == {str(PER_PAGE)}


@pytest.mark.parametrize("mode", MODES)
def test_a_short_page_ends_offset_paging(mode: str) -> None:
    paging, _ = PAGINGS["offset-no-total"]
    requests: list[httpx.Request] = []
    client = make(mode, paging_server(paging, requests))
    seen = collect(mode, client.things.list_iter(paging, limit=4))  # pages of 4, then 2
    assert [item.id for item in seen] == ITEMS
    assert [r.url.params.get("offset") for r in requests] == [None, "4"]


@pytest.mark.parametrize("mode", MODES)
def test_an_empty_first_page_ends_paging(mode: str) -> None:
    paging, _ = PAGINGS["cursor"]
    script = Script([httpx.Response(200, json={"data": {"things": []}, "next": "more"})])
    assert collect(mode, make(mode, script).things.list_iter(paging)) == []
    assert len(script.requests) == 1


def test_a_lazy_module_is_imported_once_on_first_use_by_many_threads_at_once(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import threading

    (tmp_path / "slow_models.py").write_text("import time\ntime.sleep(0.2)\nclass Thing:\n    pass\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "slow_models", raising=False)
    models = rt.LazyModule("slow_models")
    assert "slow_models" not in sys.modules  # nothing until used
    seen: list[Any] = []
    threads = [threading.Thread(target=lambda: seen.append(models.Thing)) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 16 and len(set(seen)) == 1 and seen[0] is sys.modules["slow_models"].Thing
