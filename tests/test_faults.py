"""Faults of issue 12: hostile input, hostile servers and local mistakes, sync and async.

Transport faults are played by a real server on loopback (`HostileServer`);
pure logic runs on the mock transport of `test_base_client`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from conftest import ROOT
from test_base_client import (
    MODES,
    TOKEN_URL,
    AsyncClient,
    Client,
    Script,
    Thing,
    call,
    collect,
    make,
    oauth_client,
    recorded_sleep,
    run,
    thing,
)

from generator.runtime import _base_client as rt
from generator.runtime import _errors as errors

# --- path parameters ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("value", "sent"), [(".", "%2E"), ("..", "%2E%2E"), ("../destroy", "..%2Fdestroy")])
def test_dot_segments_in_path_parameters_are_encoded(value: str, sent: str, mode: str) -> None:
    script = Script([thing()])
    client = make(mode, script)
    run(mode, lambda: client.things.get(value))
    assert script.requests[0].url.raw_path == b"/v1/things/" + sent.encode()


@pytest.mark.parametrize("mode", MODES)
def test_path_parameters_that_join_into_a_dot_segment_are_encoded(mode: str) -> None:
    script = Script([thing()])
    client = make(mode, script)
    parts: dict[str, Any] = {"path_params": {"a": ".", "b": "."}}
    run(mode, lambda: client._request("GET", "/things/{a}{b}/x", **parts))
    assert script.requests[0].url.raw_path == b"/v1/things/%2E%2E/x"


@pytest.mark.parametrize("mode", MODES)
def test_an_empty_path_parameter_is_refused_before_sending(mode: str) -> None:
    script = Script([thing()])
    client = make(mode, script)
    with pytest.raises(ValueError, match="path parameter 'id' is empty"):
        run(mode, lambda: client.things.get(""))
    assert script.requests == []


# --- Retry-After ----------------------------------------------------------------------

ABSURD_RETRY_AFTER = [
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "9" * 400,
    "100000",  # more than a day
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "1_0",  # Python reads it as 10; HTTP does not
    "\u0663",  # an Arabic-Indic three
    "0x10",
    "",
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", ABSURD_RETRY_AFTER)
def test_an_absurd_retry_after_is_ignored_for_normal_backoff(value: str, mode: str) -> None:
    busy = httpx.Response(429, json={}, headers={"Retry-After": value.encode()})
    script = Script([busy, thing()])
    client = make(mode, script)
    slept = recorded_sleep(client, mode)
    assert call(client, "GET", mode) == Thing(id="t1")
    assert slept == [0.5]


# --- a hostile server on loopback -------------------------------------------------------


class HostileServer:
    """An HTTP server on loopback that answers each request with `answer(raw_request)`.

    `answer` returns the raw bytes to send back (b"" to reset the connection);
    every request's head and body are kept in `requests`.
    """

    def __init__(self, answer: Callable[[bytes], bytes]) -> None:
        self.answer = answer
        self.requests: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.listener.close()
        self.thread.join(5)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            data = b""
            while True:
                head, sep, rest = data.partition(b"\r\n\r\n")
                if sep:
                    length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head + b"\r\n")
                    needed = int(length.group(1)) if length else 0
                    if len(rest) >= needed:
                        request, data = head + sep + rest[:needed], rest[needed:]
                        self.requests.append(request)
                        reply = self.answer(request)
                        if not reply:
                            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                            return
                        connection.sendall(reply)
                        return  # every reply says Connection: close: no connection outlives a test
                try:
                    chunk = connection.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                data += chunk


def reply(status: int, body: bytes = b"{}", headers: str = "") -> bytes:
    reason = {200: "OK"}.get(status, "Status")
    return (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n{headers}\r\n"
    ).encode() + body


@pytest.fixture
def real() -> Iterator[Callable[..., Any]]:
    """Makes sync or async clients of `test_base_client` that talk HTTP to a URL; closes them after."""
    made: list[Any] = []

    def make_real(mode: str, url: str, **options: Any) -> Any:
        options = {"base_url": url, **options}
        client = AsyncClient(httpx.AsyncClient(), **options) if mode == "async" else Client(httpx.Client(), **options)
        made.append(client)
        return client

    yield make_real
    for client in made:
        if isinstance(client, AsyncClient):
            asyncio.run(client._client.aclose())
        else:
            client._client.close()


# --- local mistakes -------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "headers",
    [
        {"X-Trace": "a\r\nX-Injected: 1"},
        {"X-Trace": "a\nb"},
        {"X-Trace": "a\rb"},
        {"X-Trace": "caf\u00e9 \u2615"},
        {"X-Bad\r\nName": "a"},
        {"X-Trace": "nul\x00"},
    ],
)
@pytest.mark.slow  # a server on loopback
def test_a_header_that_cannot_be_sent_is_a_value_error_at_once(
    headers: dict[str, str], mode: str, real: Callable[..., Any]
) -> None:
    with HostileServer(lambda request: reply(200, b'{"id": "t1"}')) as server:
        client = real(mode, server.url)
        slept = recorded_sleep(client, mode)
        with pytest.raises(ValueError, match="header") as caught:
            call(client, "GET", mode, extra_headers=headers)
    assert not isinstance(caught.value, errors.APIError)
    assert (server.requests, slept) == ([], [])


@pytest.mark.slow  # a server on loopback
@pytest.mark.parametrize("mode", MODES)
def test_a_credential_with_a_line_break_is_a_value_error_that_hides_it(mode: str, real: Callable[..., Any]) -> None:
    credentials = {"key": rt.Credential("header", "X-Key", "s3cret\r\nX-Injected: 1")}
    with HostileServer(lambda request: reply(200, b'{"id": "t1"}')) as server:
        client = real(mode, server.url, credentials=credentials)
        with pytest.raises(ValueError, match="X-Key") as caught:
            call(client, "GET", mode)
    assert "s3cret" not in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_501_is_not_retried_but_other_5xx_are(mode: str) -> None:
    script = Script([httpx.Response(501, json={})])
    client = make(mode, script)
    slept = recorded_sleep(client, mode)
    with pytest.raises(errors.InternalServerError):
        call(client, "GET", mode)
    assert (len(script.requests), slept) == (1, [])
    script = Script([httpx.Response(505, json={}), thing()])
    client = make(mode, script)
    recorded_sleep(client, mode)
    call(client, "GET", mode)
    assert len(script.requests) == 2


# --- pagination that makes no progress ------------------------------------------------

STUCK = {
    "cursor repeated": (rt.Pagination("cursor", ("data", "things"), "cursor", position=("next",)), ["c1"]),
    "cursor cycle": (rt.Pagination("cursor", ("data", "things"), "cursor", position=("next",)), ["c1", "c2"]),
    "page repeated": (rt.Pagination("page", ("data", "things"), "page", position=("page",)), [1]),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", STUCK)
def test_paging_stops_with_an_error_when_a_page_makes_no_progress(case: str, mode: str) -> None:
    paging, positions = STUCK[case]
    requests: list[httpx.Request] = []

    def stuck(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if len(requests) > 20:  # today's code would never stop: end it for the test
            return httpx.Response(200, json={"data": {"things": []}})
        position = positions[(len(requests) - 1) % len(positions)]
        pointer = "next" if paging.style == "cursor" else "page"
        page = {"data": {"things": [{"id": f"t{len(requests)}"}]}, pointer: position}
        return httpx.Response(200, json=page)

    client = make(mode, stuck)
    with pytest.raises(errors.APIResponseValidationError, match="made no progress"):
        collect(mode, client.things.list_iter(paging))
    assert len(requests) == len(positions) + 1


# --- errors that say why --------------------------------------------------------------

VENDOR_MESSAGES = [
    ({"message": "Meeting 42 is gone"}, "Meeting 42 is gone"),
    ({"error": {"message": "Meeting 42 is gone", "code": 7}}, "Meeting 42 is gone"),
    ({"errors": [{"message": "Meeting 42 is gone"}, {"message": "second"}]}, "Meeting 42 is gone"),
    ({"error": "invalid_client", "error_description": "Meeting 42 is gone"}, "Meeting 42 is gone"),
    ({"detail": "Meeting 42 is gone"}, "Meeting 42 is gone"),
    ({"title": "Meeting 42 is gone", "status": 404}, "Meeting 42 is gone"),
    ({"error": "not_found"}, "not_found"),
    ("Meeting 42 is gone", "Meeting 42 is gone"),
    ({"message": "line one\n  line two\r\n"}, "line one line two"),
    ({"message": "x" * 1000}, "x" * 197 + "..."),
]


@pytest.mark.slow  # a server on loopback
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("body", "shown"), VENDOR_MESSAGES)
def test_a_status_error_shows_the_vendors_message_on_one_line(
    body: Any, shown: str, mode: str, real: Callable[..., Any]
) -> None:
    with HostileServer(lambda request: reply(404, json.dumps(body).encode())) as server:
        client = real(mode, server.url)
        with pytest.raises(errors.NotFoundError) as caught:
            call(client, "GET", mode)
    assert str(caught.value) == f"HTTP 404 from GET {server.url}/things/t1: {shown}"


@pytest.mark.parametrize("mode", MODES)
def test_a_status_error_without_a_message_shows_none(mode: str) -> None:
    client = make(mode, Script([httpx.Response(404, json={"detail": [{"loc": ["id"]}]})]))
    with pytest.raises(errors.NotFoundError) as caught:
        call(client, "GET", mode)
    assert str(caught.value) == "HTTP 404 from GET https://api.test/v1/things/t1"


@pytest.mark.slow  # a server on loopback
@pytest.mark.parametrize("mode", MODES)
def test_a_connection_error_names_the_host(mode: str, real: Callable[..., Any]) -> None:
    with HostileServer(lambda request: b"") as server:  # resets every connection
        client = real(mode, server.url, max_retries=0)
        with pytest.raises(errors.APIConnectionError) as caught:
            call(client, "GET", mode)
    assert type(caught.value) is errors.APIConnectionError
    assert server.url.removeprefix("http://") in str(caught.value)


@pytest.mark.slow  # a server on loopback
@pytest.mark.parametrize("mode", MODES)
def test_a_timeout_names_the_host(mode: str, real: Callable[..., Any]) -> None:
    def hang(request: bytes) -> bytes:
        time.sleep(1)
        return b""

    with HostileServer(hang) as server:
        client = real(mode, server.url, max_retries=0, timeout=0.2)
        with pytest.raises(errors.APITimeoutError) as caught:
            call(client, "GET", mode)
    assert server.url.removeprefix("http://") in str(caught.value)


# --- secrets ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_query_credential_never_shows_in_an_error(mode: str) -> None:
    credentials = {"sig": rt.Credential("query", "api_key", "s-456")}
    client = make(mode, Script([httpx.Response(404, json={})]), credentials=credentials)
    with pytest.raises(errors.NotFoundError) as caught:
        run(mode, lambda: client.things.get("t1", extra_headers={"X-Trace": "1"}))
    shown = str(caught.value) + repr(caught.value)
    assert "s-456" not in shown
    assert str(caught.value) == "HTTP 404 from GET https://api.test/v1/things/t1?api_key=REDACTED"


# --- models imported from many threads at once --------------------------------------

FRESH_IMPORT = """
import threading, httpx
from generated.portsip import PortSipClient, BadRequestError

def not_found(request):
    return httpx.Response(400, json={"message": "no"})

client = PortSipClient(access_token="t", base_url="https://pbx.test/api", http_client=httpx.Client(transport=httpx.MockTransport(not_found)))
barrier = threading.Barrier(16)
failures = []

def call():
    barrier.wait()
    try:
        client.meetings.list_user_meetings()
    except BadRequestError:
        pass
    except Exception as exc:
        failures.append(repr(exc))

threads = [threading.Thread(target=call) for _ in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(failures)
"""


@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize("attempt", range(3))
def test_sixteen_threads_on_a_fresh_import_all_see_the_models(attempt: int) -> None:
    done = subprocess.run([sys.executable, "-c", FRESH_IMPORT], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- OAuth client credentials ---------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("answer", [{"access_token": None}, {"token": "x"}, {"access_token": 42}, {"access_token": ""}])
def test_a_token_response_without_a_string_token_is_an_authentication_error(answer: Any, mode: str) -> None:
    api = Script([thing()])

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return httpx.Response(200, json=answer)
        return api(request)

    with pytest.raises(errors.AuthenticationError, match="access_token"):
        call(oauth_client(handler, mode), "GET", mode)
    assert api.requests == []  # never "Bearer None"


@pytest.mark.parametrize("mode", MODES)
def test_a_short_lived_token_is_not_fetched_on_every_call(mode: str) -> None:
    fetched: list[httpx.Request] = []
    api = Script([thing()] * 3)

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            fetched.append(request)
            return httpx.Response(200, json={"access_token": f"tok{len(fetched)}", "expires_in": 30})
        return api(request)

    client = oauth_client(handler, mode)
    clock = [0.0]
    client._credentials["oauth"].clock = lambda: clock[0]
    call(client, "GET", mode)
    clock[0] = 10.0
    call(client, "GET", mode)
    clock[0] = 29.0  # close to expiry: renewed
    call(client, "GET", mode)
    assert [r.headers["Authorization"] for r in api.requests] == ["Bearer tok1", "Bearer tok1", "Bearer tok2"]


@pytest.mark.parametrize("mode", MODES)
def test_the_token_request_uses_the_clients_timeout_or_the_calls(mode: str) -> None:
    token_requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            token_requests.append(request)
            return httpx.Response(401, json={"error": "invalid_client"})
        return thing()

    client = oauth_client(handler, mode, timeout=httpx.Timeout(7.0, connect=2.0))
    with pytest.raises(errors.AuthenticationError):
        call(client, "GET", mode)
    with pytest.raises(errors.AuthenticationError):
        call(client, "GET", mode, timeout=1.5)
    timeouts = [r.extensions["timeout"] for r in token_requests]
    assert timeouts == [httpx.Timeout(7.0, connect=2.0).as_dict(), httpx.Timeout(1.5).as_dict()]


@pytest.mark.parametrize("mode", MODES)
def test_the_token_request_is_retried_on_5xx_and_connection_errors(mode: str) -> None:
    answers: list[Any] = [
        httpx.Response(503),
        httpx.ConnectError,
        httpx.ReadError,
        httpx.Response(200, json={"access_token": "tok"}),
    ]
    token_requests: list[httpx.Request] = []
    api = Script([thing()])

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) != TOKEN_URL:
            return api(request)
        token_requests.append(request)
        answer = answers.pop(0)
        if isinstance(answer, type):
            raise answer("scripted", request=request)
        return answer

    client = oauth_client(handler, mode, max_retries=3)
    slept = recorded_sleep(client, mode)
    call(client, "GET", mode)
    assert len(token_requests) == 4 and len(slept) == 3
    assert [r.headers["Authorization"] for r in api.requests] == ["Bearer tok"]


def test_many_threads_refused_the_same_token_renew_it_once() -> None:
    callers = 30
    refused = threading.Barrier(callers, timeout=10)  # every caller holds tok1 when it is refused
    fetched: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            fetched.append(f"tok{len(fetched) + 1}")
            return httpx.Response(200, json={"access_token": fetched[-1]})
        if request.headers["Authorization"] == "Bearer tok1":
            refused.wait()
            return httpx.Response(401, json={})
        return thing()

    client = oauth_client(handler, "sync")
    with concurrent.futures.ThreadPoolExecutor(callers) as pool:
        results = list(pool.map(lambda _: call(client, "GET", "sync"), range(callers)))
    assert len(results) == callers and fetched == ["tok1", "tok2"]


def test_many_tasks_refused_the_same_token_renew_it_once() -> None:
    callers = 30
    fetched: list[str] = []

    async def main() -> list[Any]:
        refused = asyncio.Barrier(callers)

        async def handler(request: httpx.Request) -> httpx.Response:
            if str(request.url) == TOKEN_URL:
                await asyncio.sleep(0.01)  # the others queue up behind this fetch
                fetched.append(f"tok{len(fetched) + 1}")
                return httpx.Response(200, json={"access_token": fetched[-1]})
            if request.headers["Authorization"] == "Bearer tok1":
                await asyncio.wait_for(refused.wait(), 10)
                return httpx.Response(401, json={})
            return thing()

        client = oauth_client(handler, "async")
        return await asyncio.gather(*(client.things.get("t1") for _ in range(callers)))

    assert len(asyncio.run(main())) == callers and fetched == ["tok1", "tok2"]
