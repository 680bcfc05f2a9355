"""The per-call path's shortcuts keep the behaviour of the long way: header checks,
the credentials chosen per operation, the User-Agent of a client's own pool, path
values that need no quoting."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from generator.runtime import _base_client as rt

USER_AGENT = "things/1.0 (test)"
KEY = {"key": rt.Credential("header", "X-Key", "k-1")}
SECURITY = (("key",),)


def client(http_client: httpx.Client | None = None, **options: Any) -> rt.SyncAPIClient:
    settings: dict[str, Any] = {
        "base_url": "https://api.test/v1",
        "timeout": rt.DEFAULT_TIMEOUT,
        "max_retries": 0,
        "retry_non_idempotent": False,
        "credentials": KEY,
        "user_agent": USER_AGENT,
    }
    return rt.SyncAPIClient(http_client=http_client, **{**settings, **options})


def request(api: rt.SyncAPIClient, **parts: Any) -> httpx.Request:
    parts.setdefault("security", SECURITY)
    return api._build_request("GET", "/things/{id}", parts, api._chosen("GET", "/things", parts), {})


@pytest.mark.parametrize(
    "headers",
    [
        [("A", "1"), ("", "2")],
        [("A", "1"), ("B", "x\ny")],
        [("A", "1"), ("B\n", "2")],
        [("A b", "1")],
        [("A", "caf\u00e9")],
        [("A", "1"), ("B", "2\r")],
    ],
    ids=["empty name", "line break in a value", "line break in a name", "space in a name", "not ascii", "return"],
)
def test_one_bad_header_among_good_ones_is_refused(headers: list[tuple[str, str]]) -> None:
    with pytest.raises(ValueError, match="header"):
        rt._check_headers([("User-Agent", USER_AGENT), *headers, ("Accept", "application/json")])


def test_good_headers_pass() -> None:
    rt._check_headers([("User-Agent", USER_AGENT), ("X-Trace", "a\tb ~!"), ("Accept", "application/json")])
    rt._check_headers([])


def test_the_chosen_credentials_follow_a_change_of_credentials() -> None:
    api = client(httpx.Client())
    assert request(api).headers["X-Key"] == "k-1"
    api._credentials = {"key": rt.Credential("header", "X-Other", "k-2")}
    sent = request(api)
    assert (sent.headers.get("X-Key"), sent.headers["X-Other"]) == (None, "k-2")
    api._credentials = {}
    for _ in range(2):  # a missing credential is never remembered as a choice
        with pytest.raises(rt.MissingCredentialError):
            request(api)


@pytest.mark.parametrize("lent", [False, True], ids=["own pool", "lent pool"])
def test_the_user_agent_is_sent_once(lent: bool) -> None:
    api = client(httpx.Client() if lent else None)
    assert request(api).headers.get_list("User-Agent") == [USER_AGENT]
    assert request(api, headers={"User-Agent": "mine/1"}).headers.get_list("User-Agent") == ["mine/1"]
    assert request(api, extra_headers={"user-agent": "x/2"}).headers.get_list("User-Agent") == ["x/2"]
    elsewhere = api.with_options(http_client=httpx.Client())
    assert request(elsewhere).headers.get_list("User-Agent") == [USER_AGENT]
    assert request(api.with_options(timeout=3)).headers.get_list("User-Agent") == [USER_AGENT]


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (12345, "12345"),
        ("abcXYZ09", "abcXYZ09"),
        ("a b/c", "a%20b%2Fc"),
        ("\u00e9t\u00e9", "%C3%A9t%C3%A9"),
        ("..", "%2E%2E"),
    ],
)
def test_a_path_value_is_quoted_unless_it_is_letters_and_digits(value: object, sent: str) -> None:
    assert rt._expand_path("/things/{id}", {"id": value}) == f"/things/{sent}"


def test_the_timeout_follows_the_client_and_each_request_has_its_own() -> None:
    api = client(httpx.Client(), timeout=7.0)
    first = request(api)
    assert first.extensions["timeout"] == {"connect": 7.0, "read": 7.0, "write": 7.0, "pool": 7.0}
    first.extensions["timeout"]["read"] = 0.0  # a transport may change its request's
    assert request(api).extensions["timeout"]["read"] == 7.0
    api.timeout = httpx.Timeout(3.0, connect=1.0)
    assert request(api).extensions["timeout"] == {"connect": 1.0, "read": 3.0, "write": 3.0, "pool": 3.0}
    assert request(api, timeout=2.0).extensions["timeout"]["read"] == 2.0
    assert request(api.with_options(timeout=5.0)).extensions["timeout"]["read"] == 5.0
    assert request(api).extensions["timeout"]["read"] == 3.0
