"""The generated runtime, for every vendor: auth, retries, options, raw responses, paging."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import logging
from typing import Any

import httpx
import pydantic
import pytest

from generator.model import Operation
from spec_driven import VENDORS, Vendor, arguments, client_for, run, with_token_endpoint

NOW = 1_800_000_000.0  # the wall clock the retry tests see
IDS = [v.api.package for v in VENDORS]


def first(vendor: Vendor, method: str) -> Operation:
    return next(op for op in vendor.api.operations if op.http_method == method)


def success_data(vendor: Vendor, op: Operation) -> Any:
    assert op.success is not None
    if op.success.type is None:
        return None
    data = vendor.example(vendor.deref(vendor.operation_spec(op)["responses"][op.success.status]))
    return vendor.sample(op.success.type) if data is None else data


def ok(vendor: Vendor, op: Operation) -> httpx.Response:
    assert op.success is not None
    data = success_data(vendor, op)
    return httpx.Response(int(op.success.status), json=data) if data is not None else httpx.Response(int(op.success.status))


class Script:
    """A transport that plays a list of responses (or exceptions) and records requests."""

    def __init__(self, steps: list[Any]) -> None:
        self.steps = steps
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0)
        if isinstance(step, type) and issubclass(step, Exception):
            raise step("scripted", request=request)
        assert isinstance(step, httpx.Response)
        return step


def invoke(vendor: Vendor, op: Operation, client: Any, mode: str, **call_options: Any) -> Any:
    positional, keywords = arguments(vendor, op)
    return run(mode, lambda: getattr(client, op.method_name)(*positional, **keywords, **call_options))


def with_recorded_sleep(client: Any, mode: str) -> list[float]:
    """Replace the client's sleep and randomness: delays are recorded, jitter is off."""
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


# method, steps ("ok" for the success response), client options, call options,
# attempts made, delays slept, what comes out ("ok" or an exception class name)
RETRY_TABLE: list[tuple[str, list[Any], dict[str, Any], dict[str, Any], int, list[float], str]] = [
    ("GET", [503, 503, 503], {}, {}, 3, [0.5, 1.0], "InternalServerError"),
    ("GET", [500, "ok"], {}, {}, 2, [0.5], "ok"),
    ("GET", [(429, "3"), "ok"], {}, {}, 2, [3.0], "ok"),
    ("GET", [(429, "2.5"), (429, "0"), "ok"], {}, {}, 3, [2.5, 0.0], "ok"),
    ("GET", [(503, "http-date+5"), "ok"], {}, {}, 2, [5.0], "ok"),
    ("GET", [(408, "120"), "ok"], {}, {}, 2, [60.0], "ok"),
    ("GET", [(429, "soon"), "ok"], {}, {}, 2, [0.5], "ok"),
    ("GET", [404], {}, {}, 1, [], "NotFoundError"),
    ("GET", [400], {}, {}, 1, [], "BadRequestError"),
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
    ("POST", [httpx.ReadTimeout], {}, {}, 1, [], "APITimeoutError"),
    ("POST", [httpx.RemoteProtocolError], {}, {}, 1, [], "APIConnectionError"),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("row", range(len(RETRY_TABLE)))
@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_retry_table(vendor: Vendor, row: int, mode: str) -> None:
    method, steps, client_options, call_options, attempts, delays, outcome = RETRY_TABLE[row]
    op = first(vendor, method)
    script = Script([_step(vendor, op, step) for step in steps])
    client = client_for(vendor, script, mode, **client_options)
    slept = with_recorded_sleep(client, mode)
    if outcome == "ok":
        invoke(vendor, op, client, mode, **call_options)
    else:
        with pytest.raises(getattr(vendor.package, outcome)):
            invoke(vendor, op, client, mode, **call_options)
    assert (len(script.requests), slept) == (attempts, delays)


def _step(vendor: Vendor, op: Operation, step: Any) -> Any:
    if step == "ok":
        return ok(vendor, op)
    if isinstance(step, int):
        return httpx.Response(step, json={})
    if isinstance(step, tuple):
        status, retry_after = step
        if retry_after.startswith("http-date"):
            retry_after = http_date(float(retry_after.split("+")[1]))
        return httpx.Response(status, json={}, headers={"Retry-After": retry_after})
    return step


def test_jitter_shortens_a_delay_by_at_most_a_quarter() -> None:
    vendor = VENDORS[0]
    op = first(vendor, "GET")
    client = client_for(vendor, Script([httpx.Response(503, json={}), ok(vendor, op)]), "sync")
    slept = with_recorded_sleep(client, "sync")
    client._random = lambda: 1.0
    invoke(vendor, op, client, "sync")
    assert slept == [0.375]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_credentials_go_where_the_scheme_says(vendor: Vendor, mode: str) -> None:
    op = next(o for o in vendor.api.operations if o.security)
    script = Script([ok(vendor, op)])
    invoke(vendor, op, client_for(vendor, script, mode), mode)
    request = script.requests[-1]
    (scheme,) = [s for s in vendor.api.security_schemes if s.key in op.security]
    expected = {
        "bearer": ("Authorization", "Bearer secret-access_token"),
        "oauth2": ("Authorization", "Bearer secret-token"),
        "api_key": (scheme.wire_name, "secret-api_key"),
    }[scheme.kind]
    sent = request.headers if scheme.location == "header" else request.url.params
    assert sent[expected[0]] == expected[1]


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_missing_credentials_are_a_clear_error(vendor: Vendor, monkeypatch: pytest.MonkeyPatch) -> None:
    for scheme in vendor.api.security_schemes:
        for env_var in scheme.env_vars:
            monkeypatch.delenv(env_var, raising=False)
    client_class = getattr(vendor.package, vendor.api.client_name + "Client")
    first_scheme = vendor.api.security_schemes[0]
    message = f"pass {first_scheme.params[0]}=... or set the environment variable {first_scheme.env_vars[0]}"
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        client_class()
    for scheme in vendor.api.security_schemes:
        for env_var in scheme.env_vars:
            monkeypatch.setenv(env_var, "from-env")
    assert client_class().base_url == vendor.api.base_url


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_per_call_headers_and_timeout(vendor: Vendor, mode: str) -> None:
    op = first(vendor, "GET")
    script = Script([ok(vendor, op)])
    client = client_for(vendor, script, mode, timeout=7.0)
    extra = {"X-Trace": "t-1", "User-Agent": "mine/1"}
    invoke(vendor, op, client, mode, extra_headers=extra, timeout=1.5)
    request = script.requests[0]
    assert (request.headers["X-Trace"], request.headers["User-Agent"]) == ("t-1", "mine/1")
    assert request.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}
    script.steps.append(ok(vendor, op))
    invoke(vendor, op, client, mode)
    assert script.requests[1].extensions["timeout"]["read"] == 7.0
    assert script.requests[1].headers["User-Agent"] == f"{vendor.api.package}/{vendor.api.version} (meeting-clientgen)"


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_raw_response_carries_status_headers_body_and_parsed_value(vendor: Vendor, mode: str) -> None:
    op = first(vendor, "GET")
    canned = ok(vendor, op)
    script = Script([httpx.Response(canned.status_code, content=canned.content, headers={"X-Rate": "9"})] * 2)
    client = client_for(vendor, script, mode)
    positional, keywords = arguments(vendor, op)
    raw = run(mode, lambda: getattr(client.with_raw_response, op.method_name)(*positional, **keywords))
    parsed = run(mode, lambda: getattr(client, op.method_name)(*positional, **keywords))
    assert (raw.status_code, raw.headers["X-Rate"], raw.content) == (canned.status_code, "9", canned.content)
    assert raw.parsed == parsed


def test_with_options_shares_the_pool_and_changes_settings() -> None:
    vendor = next(v for v in VENDORS if v.api.package == "joinme")
    client = client_for(vendor, Script([]), "sync")
    patient = client.with_options(max_retries=7, timeout=2.0)
    assert patient._client is client._client
    assert (patient.max_retries, patient.timeout.read, client.max_retries) == (7, 2.0, 2)
    patient.close()
    assert not client._client.is_closed  # the copy does not own the pool


# --- OAuth 2 client credentials (Genesys) ----------------------------------------

GENESYS = next(v for v in VENDORS if v.api.oauth is not None)


class TokenServer:
    """The token endpoint in front of a scripted API; tokens are t1, t2, ..."""

    def __init__(self, api: list[Any]) -> None:
        self.api = Script(api)
        self.token_requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert GENESYS.api.oauth is not None
        if str(request.url) == GENESYS.api.oauth.token_url:
            self.token_requests.append(request)
            return httpx.Response(200, json={"access_token": f"t{len(self.token_requests)}", "expires_in": 3600})
        return self.api(request)


def genesys_client(server: TokenServer, mode: str) -> Any:
    transport = httpx.MockTransport(server)
    http = httpx.AsyncClient(transport=transport) if mode == "async" else httpx.Client(transport=transport)
    name = ("Async" if mode == "async" else "") + GENESYS.api.client_name + "Client"
    return getattr(GENESYS.package, name)(client_id="app", client_secret="s3cret", http_client=http)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_oauth_token_is_fetched_once_and_reused(mode: str) -> None:
    op = first(GENESYS, "GET")
    server = TokenServer([ok(GENESYS, op), ok(GENESYS, op)])
    client = genesys_client(server, mode)
    invoke(GENESYS, op, client, mode)
    invoke(GENESYS, op, client, mode)
    (token_request,) = server.token_requests
    assert token_request.method == "POST"
    assert token_request.content == b"grant_type=client_credentials"
    assert token_request.headers["Authorization"] == "Basic " + base64.b64encode(b"app:s3cret").decode()
    assert [r.headers["Authorization"] for r in server.api.requests] == ["Bearer t1", "Bearer t1"]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_oauth_token_is_renewed_shortly_before_it_expires(mode: str) -> None:
    op = first(GENESYS, "GET")
    server = TokenServer([ok(GENESYS, op)] * 3)
    client = genesys_client(server, mode)
    clock = [0.0]
    for auth in client._credentials.values():
        auth.clock = lambda: clock[0]
    invoke(GENESYS, op, client, mode)
    clock[0] = 3600 - 61  # still more than the margin left
    invoke(GENESYS, op, client, mode)
    clock[0] = 3600 - 59  # within a minute of expiry
    invoke(GENESYS, op, client, mode)
    assert [r.headers["Authorization"] for r in server.api.requests] == ["Bearer t1", "Bearer t1", "Bearer t2"]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_oauth_token_is_renewed_once_on_401(mode: str) -> None:
    op = first(GENESYS, "GET")
    server = TokenServer([httpx.Response(401, json={}), ok(GENESYS, op), httpx.Response(401, json={}), httpx.Response(401, json={})])
    client = genesys_client(server, mode)
    invoke(GENESYS, op, client, mode)
    assert [r.headers["Authorization"] for r in server.api.requests] == ["Bearer t1", "Bearer t2"]
    with pytest.raises(GENESYS.package.AuthenticationError):
        invoke(GENESYS, op, client, mode)
    assert [r.headers["Authorization"] for r in server.api.requests[2:]] == ["Bearer t2", "Bearer t3"]


def test_oauth_secrets_never_show(caplog: pytest.LogCaptureFixture) -> None:
    op = first(GENESYS, "GET")
    server = TokenServer([ok(GENESYS, op)])
    client = genesys_client(server, "sync")
    with caplog.at_level(logging.DEBUG):
        invoke(GENESYS, op, client, "sync")
    assert "s3cret" not in caplog.text and "t1" not in caplog.text
    assert "s3cret" not in repr(client._credentials)


def test_oauth_token_endpoint_failure_is_an_authentication_error() -> None:
    op = first(GENESYS, "GET")

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "invalid_client"})

    client = genesys_client(refuse, "sync")  # type: ignore[arg-type]
    with pytest.raises(GENESYS.package.AuthenticationError) as caught:
        invoke(GENESYS, op, client, "sync")
    assert caught.value.body == {"error": "invalid_client"}


# --- pagination -------------------------------------------------------------------

PAGED = [(v, op) for v in VENDORS for op in v.api.operations if op.pagination]


def pages_of(vendor: Vendor, op: Operation, count: int = 3, per_page: int = 2) -> list[tuple[dict[str, Any], list[Any]]]:
    """`count` pages of the operation's response, each with `per_page` distinct items."""
    assert op.pagination is not None and op.success is not None and op.success.type is not None
    page_type = vendor.type_of(op.return_annotation)
    item_type = vendor.type_of(op.pagination.item_type.annotation("models."))
    pages = []
    for index in range(count):
        page = pydantic.TypeAdapter(page_type).validate_python(success_data(vendor, op))
        items = [
            pydantic.TypeAdapter(item_type).validate_python(vendor.sample(op.pagination.item_type)).model_copy(update={"page_and_index": f"{index}-{i}"})
            for i in range(per_page)
        ]
        _set(page, op.pagination.items, items)
        last = index == count - 1
        if op.pagination.style == "cursor":
            _set(page, op.pagination.position, "" if last else f"cursor-{index + 1}")
        elif op.pagination.style == "offset" and op.pagination.total:
            _set(page, op.pagination.total, count * per_page)
        elif op.pagination.style == "page":
            _set(page, op.pagination.position, index + 1)
            _set(page, op.pagination.total, count)
        pages.append((page.model_dump(mode="json", by_alias=True), items))
    return pages


def _set(value: Any, path: tuple[str, ...], new: Any) -> None:
    for name in path[:-1]:
        value = getattr(value, name)
    setattr(value, path[-1], new)


def page_index(op: Operation, request: httpx.Request, per_page: int) -> int:
    assert op.pagination is not None
    wire = next(p.wire_name for p in op.parameters if p.name == op.pagination.param)
    value = request.url.params.get(wire)
    if op.pagination.style == "cursor":
        return 0 if value is None else int(value.split("-")[1])
    if op.pagination.style == "offset":
        return int(value or 0) // per_page
    return int(value or 1) - 1


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("vendor", "op"), PAGED, ids=[v.api.package for v, _ in PAGED])
def test_auto_paging_walks_every_page_lazily_and_stops(vendor: Vendor, op: Operation, mode: str) -> None:
    assert op.iter_method_name is not None and op.pagination is not None
    pages = pages_of(vendor, op)
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json=pages[page_index(op, request, 2)][0])

    client = client_for(vendor, handler, mode)
    positional, keywords = arguments(vendor, op)
    if op.pagination.limit_param:  # a short page ends offset paging: ask for pages of 2
        keywords[op.pagination.limit_param] = 2
    iterate = getattr(client, op.iter_method_name)
    expected = [item.page_and_index for _, items in pages for item in items]
    if mode == "sync":
        iterator = iterate(*positional, **keywords)
        first_item = next(iterator)
        assert len(requests) == 1  # nothing fetched ahead
        seen = [first_item.page_and_index] + [item.page_and_index for item in iterator]
    else:

        async def collect() -> list[str]:
            out = []
            async for item in iterate(*positional, **keywords):
                out.append(item.page_and_index)
                if len(out) == 1:
                    assert len(requests) == 1
            return out

        seen = asyncio.run(collect())
    assert seen == expected
    assert [page_index(op, r, 2) for r in requests] == [0, 1, 2]


def test_vendors_with_paging_are_the_three_that_page() -> None:
    assert sorted((v.api.package, op.pagination.style) for v, op in PAGED if op.pagination) == [
        ("portsip", "offset"), ("pyas", "cursor"), ("ringcentral", "page"),
    ]  # fmt: skip


# --- forward compatibility -----------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_unknown_enum_values_and_fields_are_tolerated(vendor: Vendor) -> None:
    models = vendor.namespace["models"]
    for enum in vendor.api.enums:
        enum_class = getattr(models, enum.name)
        unknown = "surprise-value" if enum.base == "str" else 987654
        member = pydantic.TypeAdapter(enum_class).validate_python(unknown)
        assert (member.value, member.name) == (unknown, "UNKNOWN")
        assert enum_class(enum.members[0].value) is getattr(enum_class, enum.members[0].name)
    for model in vendor.api.models:
        data = {**vendor.sample(_named(model.name)), "brandNewField": {"x": 1}}
        instance = getattr(models, model.name).model_validate(data)
        assert instance.model_extra == {"brandNewField": {"x": 1}}


def _named(name: str) -> Any:
    from generator.model import Named

    return Named(name)  # type: ignore[arg-type]


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_a_response_with_unknown_values_still_reads(vendor: Vendor) -> None:
    op = next(o for o in vendor.api.operations if o.success and o.success.type is not None and o.http_method == "GET")
    data = success_data(vendor, op)
    assert isinstance(data, dict)
    data = {**data, "addedLater": [1, 2]}
    result = client_call(vendor, op, httpx.Response(200, json=data))
    assert result.model_extra["addedLater"] == [1, 2]


def client_call(vendor: Vendor, op: Operation, response: httpx.Response) -> Any:
    client = client_for(vendor, lambda request: response, "sync")
    return invoke(vendor, op, client, "sync")

