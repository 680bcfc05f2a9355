"""Credentials per operation, on a package generated from a small spec: a client builds
with any credentials; each call sends those of the first alternative of its `security`
the client has, or raises `MissingCredentialError` before sending."""

from __future__ import annotations

import asyncio
import importlib
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from generator.cli import main

SPEC = """
openapi: 3.1.0
info: {title: Creds, version: '1'}
servers: [{url: 'https://creds.example'}]
paths:
  /a: {get: {operationId: needsA, security: [{keyA: []}], responses: {'204': {description: done}}}}
  /b: {get: {operationId: needsB, security: [{keyB: []}], responses: {'204': {description: done}}}}
  /ab: {get: {operationId: needsAAndB, security: [{keyA: [], keyB: []}], responses: {'204': {description: done}}}}
  /b-or-a: {get: {operationId: needsBOrA, security: [{keyB: []}, {keyA: []}], responses: {'204': {description: done}}}}
  /none: {get: {operationId: needsNone, security: [], responses: {'204': {description: done}}}}
  /token-or-anyone: {get: {operationId: tokenOrAnyone, security: [{oauth: []}, {}], responses: {'204': {description: done}}}}
  /bearer: {get: {operationId: needsBoth, security: [{oauth: [], bearer: []}], responses: {'204': {description: done}}}}
components:
  securitySchemes:
    keyA: {type: apiKey, in: header, name: X-Key-A}
    keyB: {type: apiKey, in: query, name: key_b}
    bearer: {type: http, scheme: bearer}
    oauth:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://creds.example/authorize
          tokenUrl: https://creds.example/token
          scopes: {}
"""
ENV_VARS = ["CREDS_API_KEY", "CREDS_KEY_B", "CREDS_ACCESS_TOKEN", "CREDS_REFRESH_TOKEN", "CREDS_CLIENT_ID"]


@pytest.fixture(scope="module")
def creds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The package generated from SPEC."""
    folder = tmp_path_factory.mktemp("creds")
    (folder / "creds.yaml").write_text(textwrap.dedent(SPEC).lstrip(), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", "--out", str(folder / "out"), str(folder / "creds.yaml")])
    assert result.exit_code == 0, result.output
    sys.path.insert(0, str(folder / "out"))
    try:
        yield importlib.import_module("creds")
    finally:
        sys.path.remove(str(folder / "out"))
        for module in [m for m in sys.modules if m == "creds" or m.startswith("creds.")]:
            del sys.modules[module]


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


class Recorder:
    """A mock transport's handler that records requests: the token endpoint issues
    `new` (rotating the refresh token); the API refuses the token `old` with 401."""

    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.path == "/token":
            return httpx.Response(200, json={"access_token": "new", "refresh_token": "r2", "expires_in": 3600})
        if request.headers.get("Authorization") == "Bearer old":
            return httpx.Response(401, json={"error": "expired"})
        return httpx.Response(204)

    def client(self, creds: Any, **credentials: str) -> Any:
        return creds.CredsClient(http_client=httpx.Client(transport=httpx.MockTransport(self)), **credentials)


def sent(request: httpx.Request) -> dict[str, str]:
    """The credentials a request carries."""
    found = {"X-Key-A": request.headers.get("X-Key-A"), "key_b": request.url.params.get("key_b")}
    found["Authorization"] = ", ".join(request.headers.get_list("Authorization")) or None
    return {name: value for name, value in found.items() if value is not None}


def test_arguments_are_named_after_the_scheme_and_shared_when_sent_alike(creds: Any) -> None:
    arguments = creds.CredsClient.__init__.__kwdefaults__
    assert {"api_key", "key_b", "access_token", "refresh_token", "client_id", "client_secret"} <= set(arguments)
    assert not any(name.endswith("_2") for name in arguments)


def test_a_client_with_one_credential_sends_it_where_it_is_enough(creds: Any) -> None:
    recorder = Recorder()
    client = recorder.client(creds, api_key="a")
    client.needs_a()
    client.needs_b_or_a()
    client.needs_none()
    client.token_or_anyone()
    assert [(r.url.path, sent(r)) for r in recorder.seen] == [
        ("/a", {"X-Key-A": "a"}),
        ("/b-or-a", {"X-Key-A": "a"}),
        ("/none", {}),
        ("/token-or-anyone", {}),
    ]


def test_a_call_without_the_credentials_it_needs_raises_before_sending(creds: Any) -> None:
    recorder = Recorder()
    client = recorder.client(creds, api_key="a")
    with pytest.raises(
        creds.MissingCredentialError, match=r"GET /b needs credentials: pass key_b=\.\.\. \(or set CREDS_KEY_B\)$"
    ):
        client.needs_b()
    with pytest.raises(
        creds.MissingCredentialError,
        match=r"pass api_key=\.\.\. and key_b=\.\.\. \(or set CREDS_API_KEY and CREDS_KEY_B\)",
    ):
        client.needs_a_and_b()
    with pytest.raises(ValueError, match=r"pass key_b=\.\.\. \(or set CREDS_KEY_B\); or pass api_key=\.\.\."):
        recorder.client(creds).needs_b_or_a()
    with pytest.raises(creds.MissingCredentialError):
        asyncio.run(creds.AsyncCredsClient().needs_a())
    assert recorder.seen == []


def test_credentials_come_from_the_environment_and_the_first_alternative_wins(
    creds: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDS_KEY_B", "b")
    recorder = Recorder()
    client = recorder.client(creds, api_key="a")
    client.needs_b()
    client.needs_a_and_b()
    client.needs_b_or_a()
    assert [sent(r) for r in recorder.seen] == [{"key_b": "b"}, {"X-Key-A": "a", "key_b": "b"}, {"key_b": "b"}]


def test_two_schemes_sent_as_bearer_take_one_token_sent_once(creds: Any) -> None:
    recorder = Recorder()
    recorder.client(creds, access_token="t").needs_both()
    recorder.client(creds, access_token="t").token_or_anyone()
    assert [sent(r) for r in recorder.seen] == [{"Authorization": "Bearer t"}, {"Authorization": "Bearer t"}]


def test_a_refused_token_is_renewed_once_with_the_refresh_token(creds: Any) -> None:
    recorder = Recorder()
    client = recorder.client(creds, access_token="old", refresh_token="r", client_id="id", client_secret="s")
    client.needs_both()
    client.needs_both()
    token_request = recorder.seen[1]
    assert [(r.method, r.url.path, sent(r)) for r in recorder.seen] == [
        ("GET", "/bearer", {"Authorization": "Bearer old"}),
        ("POST", "/token", {"Authorization": "Basic aWQ6cw=="}),  # id:s
        ("GET", "/bearer", {"Authorization": "Bearer new"}),
        ("GET", "/bearer", {"Authorization": "Bearer new"}),
    ]
    assert token_request.content == b"grant_type=refresh_token&refresh_token=r"


def test_the_async_client_renews_too(creds: Any) -> None:
    recorder = Recorder()
    transport = httpx.MockTransport(recorder)
    client = creds.AsyncCredsClient(
        access_token="old", refresh_token="r", http_client=httpx.AsyncClient(transport=transport)
    )
    asyncio.run(client.needs_both())
    assert [(r.url.path, sent(r).get("Authorization")) for r in recorder.seen] == [
        ("/bearer", "Bearer old"),
        ("/token", None),  # a public client: no secret, no Basic header
        ("/bearer", "Bearer new"),
    ]


def test_without_a_refresh_token_a_refused_token_is_an_error(creds: Any) -> None:
    recorder = Recorder()
    with pytest.raises(creds.AuthenticationError):
        recorder.client(creds, access_token="old").needs_both()
    assert [r.url.path for r in recorder.seen] == ["/bearer"]
