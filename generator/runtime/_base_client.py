"""The runtime every generated method goes through: auth, retries, errors, parsing.

`SyncAPIClient` and `AsyncAPIClient` send requests; `SyncAPIResource` and
`AsyncAPIResource` are the bases of the groups of operations a client exposes.
"""

from __future__ import annotations

import base64
import contextvars
import copy
import dataclasses
import datetime
import email.utils
import enum
import functools
import importlib
import json
import logging
import math
import os
import random
import re
import threading
import time
import types
import typing
import warnings
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Mapping,
    Sequence,
)
from urllib.parse import quote

import httpx
import pydantic

if typing.TYPE_CHECKING:
    import asyncio  # imported when first needed: it is slow to import

from ._errors import (
    REDACT,
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    shown_url,
    status_error,
)

T = typing.TypeVar("T")
P = typing.ParamSpec("P")

# The package's logger (`generated.<vendor>`): retries are recorded at INFO.
LOGGER = logging.getLogger(__name__.rpartition(".")[0] or __name__)
# In a response's extensions: how often it was retried; seconds from sending to reading it.
RETRIES_TAKEN, ELAPSED = "retries_taken", "elapsed_seconds"

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5  # seconds; doubles with every retry
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0  # a longer Retry-After is cut to this
MAX_RETRY_AFTER_SENT = 86400.0  # a longer one is nonsense: ignored for normal backoff
TOKEN_REFRESH_MARGIN = 60.0  # a token this close to expiry is renewed first
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
# Transport errors that mean the request never reached the server: safe to repeat.
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class LazyModule:
    """A module imported on first attribute access: the client's `models` cost nothing
    until used. The import system's locks make the first access thread-safe."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: types.ModuleType | None = None

    def __getattr__(self, attribute: str) -> typing.Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)


# --- credentials ------------------------------------------------------------


class MissingCredentialError(ValueError):
    """An operation was called without the credentials of any of its security
    alternatives; raised before anything is sent. The message says what to pass."""


@dataclasses.dataclass(frozen=True)
class Credential:
    """A fixed credential: where it goes (`header` or `query`) and under which name."""

    location: str
    name: str
    value: str = dataclasses.field(repr=False)


def basic_credentials(username: str, password: str) -> str:
    """The `Authorization` value of HTTP basic authentication."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


class OAuthClientCredentials:
    """An OAuth 2 token from the client-credentials grant, fetched once and cached.

    The token is renewed shortly before it expires, and once more when the API
    answers 401. It never appears in a repr, a log line or an exception.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scopes: Sequence[str] = (),
    ) -> None:
        self.token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._scopes = " ".join(scopes)
        self._token: str | None = None
        self._expires_at = 0.0  # when to renew: the expiry less a margin
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None
        self.clock: Callable[[], float] = time.monotonic

    def __repr__(self) -> str:
        return f"OAuthClientCredentials(token_url={self.token_url!r})"

    def _cached(self, stale: str | None) -> str | None:
        token = self._token
        if token is None or token == stale or self.clock() >= self._expires_at:
            return None
        return token

    def request(
        self, client: httpx.Client | httpx.AsyncClient, timeout: httpx.Timeout | float
    ) -> httpx.Request:
        """The token request, sent with `client` under `timeout`."""
        data = self._grant()
        headers = {}
        if self._client_secret:
            headers["Authorization"] = basic_credentials(
                self._client_id, self._client_secret
            )
        elif self._client_id:  # a public client names itself (RFC 6749 section 3.2.1)
            data["client_id"] = self._client_id
        return client.build_request(
            "POST", self.token_url, data=data, headers=headers, timeout=timeout
        )

    def _grant(self) -> dict[str, str]:
        grant = {"grant_type": "client_credentials"}
        if self._scopes:
            grant["scope"] = self._scopes
        return grant

    def _store(self, response: httpx.Response) -> str:
        if not response.is_success:
            raise status_error(response, _error_body(response, None))
        try:
            payload = response.json()
            token = payload.get("access_token")
            lifetime = float(payload.get("expires_in", 3600))
        except (ValueError, AttributeError, TypeError) as exc:
            raise APIResponseValidationError(
                response, "the token endpoint sent no access_token"
            ) from exc
        if not isinstance(token, str) or not token:
            raise AuthenticationError(
                response, payload, "the token endpoint sent no access_token"
            )
        # A token shorter-lived than the margin is renewed a quarter before it ends.
        margin = min(TOKEN_REFRESH_MARGIN, max(lifetime, 0.0) / 4)
        self._token, self._expires_at = token, self.clock() + lifetime - margin
        return token

    def token(
        self, fetch: Callable[[], httpx.Response], stale: str | None = None
    ) -> str:
        """The cached token, or one from the response `fetch` gets if there is none,
        it is about to expire, or it is `stale` (the API refused it). Callers that
        all saw the same token refused wait here for one new token, not one each.
        """
        with self._thread_lock:
            return self._cached(stale) or self._store(fetch())

    async def atoken(
        self, fetch: Callable[[], Awaitable[httpx.Response]], stale: str | None = None
    ) -> str:
        """The async twin of `token`."""
        import asyncio

        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        async with self._async_lock:
            return self._cached(stale) or self._store(await fetch())


class OAuthRefreshToken(OAuthClientCredentials):
    """An access token the caller brings (from an authorization-code, password or
    device flow), renewed with its refresh token (RFC 6749 section 6) when the API
    answers 401, or before it expires once a renewal has said when that is."""

    def __init__(
        self,
        access_token: str,
        token_url: str,
        refresh_token: str,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> None:
        super().__init__(token_url, client_id or "", client_secret or "")
        self._token, self._expires_at = access_token, math.inf
        self._refresh_token = refresh_token

    def __repr__(self) -> str:
        return f"OAuthRefreshToken(token_url={self.token_url!r})"

    def _grant(self) -> dict[str, str]:
        return {"grant_type": "refresh_token", "refresh_token": self._refresh_token}

    def _store(self, response: httpx.Response) -> str:
        token = super()._store(response)
        refresh_token = response.json().get("refresh_token")
        if isinstance(refresh_token, str) and refresh_token:  # the server may rotate it
            self._refresh_token = refresh_token
        return token


Auth = Credential | OAuthClientCredentials


def bearer_token(
    access_token: str,
    token_url: str = "",
    refresh_token: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
) -> Auth:
    """An `Authorization: Bearer` credential; renewable when given a refresh token
    and the URL to renew it at."""
    if refresh_token is None or not token_url:
        return Credential("header", "Authorization", "Bearer " + access_token)
    return OAuthRefreshToken(
        access_token, token_url, refresh_token, client_id, client_secret
    )


def _where(auth: Auth) -> tuple[str, str]:
    """Where a credential is sent: a header (any case) or a query parameter."""
    if isinstance(auth, OAuthClientCredentials):
        return ("header", "authorization")
    return (
        auth.location,
        auth.name.lower() if auth.location == "header" else auth.name,
    )


def _oauth(auths: Mapping[str, Auth]) -> dict[str, OAuthClientCredentials]:
    """The credentials among `auths` whose token is fetched or renewed."""
    return {k: a for k, a in auths.items() if isinstance(a, OAuthClientCredentials)}


# --- requests ---------------------------------------------------------------


class RequestParts(typing.TypedDict, total=False):
    """Everything a generated method says about one request."""

    path_params: Mapping[str, object]
    params: Mapping[str, object]
    headers: Mapping[str, object]
    cookies: Mapping[str, object]
    body: object
    has_body: bool
    body_encoding: str  # json (default), form, multipart, bytes or text
    content_type: str  # the body's Content-Type, where httpx does not set it
    accept: str  # the Accept header: the answers' media types, the preferred first
    security: Sequence[Sequence[str]]  # alternatives, each the schemes sent together
    error_types: Mapping[str, typing.Any]
    extra_headers: Mapping[str, str] | None
    timeout: float | httpx.Timeout | None
    max_retries: int | None
    deprecated: str  # the operation is deprecated: how it is called, for the warning


@dataclasses.dataclass(frozen=True)
class RawResponse(typing.Generic[T]):
    """An HTTP response with the value parsed from it."""

    http_response: httpx.Response
    parsed: T

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def elapsed(self) -> datetime.timedelta:
        """The time from sending the request to reading the whole answer."""
        return datetime.timedelta(seconds=self.http_response.extensions[ELAPSED])

    @property
    def retries_taken(self) -> int:
        """How often the request was sent again before this answer came."""
        return int(self.http_response.extensions.get(RETRIES_TAKEN, 0))

    def parse(self) -> T:
        """The value the method would have returned."""
        return self.parsed


# True while a response is parsed: only then does an enum take a value the spec does
# not list (as its UNKNOWN member), so requests still refuse it.
READING_RESPONSE: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reading_response", default=False
)

_CAPTURE: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "capture", default=None
)


def raw_response_wrapper(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """`method`, returning the raw response along with its parsed value."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        captured: list[httpx.Response] = []
        reset = _CAPTURE.set(captured)
        try:
            parsed = method(*args, **kwargs)
        finally:
            _CAPTURE.reset(reset)
        return RawResponse(captured[-1], parsed)

    return wrapped


def async_raw_response_wrapper(
    method: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[RawResponse[T]]]:
    """The async twin of `raw_response_wrapper`."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        captured: list[httpx.Response] = []
        reset = _CAPTURE.set(captured)
        try:
            parsed = await method(*args, **kwargs)
        finally:
            _CAPTURE.reset(reset)
        return RawResponse(captured[-1], parsed)

    return wrapped


@dataclasses.dataclass(frozen=True)
class Pagination:
    """How a list operation pages: attribute paths into a page, argument names.

    A `link` list's next page is named by the answer's RFC 8288 `Link: <URL>;
    rel="next"` header: the argument `param` takes the value of the URL's query
    parameter `wire`; no such header ends the list.
    """

    style: str  # "cursor", "offset", "page" or "link"
    items: tuple[str, ...]  # () for the page itself
    param: str  # the argument that selects the page (cursor, offset or page number)
    # cursor: the next cursor; page: the current page number
    position: tuple[str, ...] = ()
    limit_param: str = ""  # offset: the page-size argument
    total: tuple[str, ...] = ()  # offset: the item count; page: the page count
    wire: str = ""  # link: `param`'s name in the query

    def items_of(self, page: object) -> list[typing.Any]:
        """The items of a page (none where the page has no list)."""
        found = _dig(page, self.items) if self.items else page
        return found if isinstance(found, list) else []

    def next_arguments(
        self,
        page: object,
        arguments: dict[str, typing.Any],
        count: int,
        response: httpx.Response | None = None,
    ) -> dict[str, typing.Any] | None:
        """The arguments of the call that fetches the next page, or None at the end."""
        if count == 0:
            return None
        if self.style == "link":
            return self._linked(arguments, response)
        if self.style == "cursor":
            cursor = _dig(page, self.position)
            return {**arguments, self.param: cursor} if cursor else None
        if self.style == "offset":
            offset = (arguments.get(self.param) or 0) + count
            total = _dig(page, self.total)
            limit = arguments.get(self.limit_param)
            if (total is not None and offset >= total) or (
                limit is not None and count < limit
            ):
                return None
            return {**arguments, self.param: offset}
        number = _dig(page, self.position) or arguments.get(self.param) or 1
        total_pages = _dig(page, self.total)
        if total_pages is not None and number >= total_pages:
            return None
        return {**arguments, self.param: number + 1}

    def _linked(
        self, arguments: dict[str, typing.Any], response: httpx.Response | None
    ) -> dict[str, typing.Any] | None:
        """The next arguments by the answer's `Link` header; None without a next link."""
        link = response.links.get("next") if response is not None else None
        if response is None or not link or not link.get("url"):
            return None
        value = httpx.URL(link["url"]).params.get(self.wire)
        if value is None:
            raise APIResponseValidationError(
                response,
                f'the Link rel="next" URL has no {self.wire} query parameter',
            )
        return {**arguments, self.param: value}

    def advance(
        self,
        page: object,
        arguments: dict[str, typing.Any],
        count: int,
        seen: set[str],
        responses: Sequence[httpx.Response],
    ) -> dict[str, typing.Any] | None:
        """`next_arguments`, or `APIResponseValidationError` if they select a page
        already fetched (a repeated cursor, the same page number): paging that
        makes no progress would never end.
        """
        seen.add(repr(arguments.get(self.param)))
        last = responses[-1] if responses else None
        following = self.next_arguments(page, arguments, count, last)
        if following is None:
            return None
        position = repr(following.get(self.param))
        if position in seen and responses:
            shown = position if len(position) <= 60 else position[:57] + "..."
            raise APIResponseValidationError(
                responses[-1],
                f"the page made no progress: it points to {self.param}={shown}, "
                "which was already fetched",
            )
        return following


def _dig(value: object, path: Sequence[str]) -> typing.Any:
    """The attribute at the end of `path`; None where it breaks off, or if none is given."""
    if not path:
        return None
    for name in path:
        if value is None:
            return None
        value = getattr(value, name, None)
    return value


def base_url_from(
    argument: str | None, env_var: str, default: str, example: str = ""
) -> str:
    """The server to call: `argument`, else the environment variable, else the
    spec's default; a `ValueError` saying how to give one when there is none
    (a self-hosted API has no default)."""
    url = argument or os.environ.get(env_var) or default
    if not url:
        hint = f"; for example {example}" if example else ""
        raise ValueError(
            f"missing base_url: pass base_url=... or set the environment variable "
            f"{env_var} (this API has no default server{hint})"
        )
    return url


_HttpClientT = typing.TypeVar("_HttpClientT", httpx.Client, httpx.AsyncClient)


class BaseClient(typing.Generic[_HttpClientT]):
    """What the sync and async clients share: everything but sending and sleeping."""

    def __init__(
        self,
        *,
        base_url: str,
        timeout: float | httpx.Timeout,
        max_retries: int,
        retry_non_idempotent: bool,
        credentials: Mapping[str, Auth],
        http_client: _HttpClientT | None,
        user_agent: str,
        needed: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.user_agent = user_agent
        self.timeout = (
            timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        )
        self.max_retries = max_retries
        self.retry_non_idempotent = retry_non_idempotent
        self._credentials = dict(credentials)
        # (argument, environment variable) of what each scheme needs: for the error
        # that says what to pass
        self._needed = dict(needed or {})
        self._owns_client = http_client is None
        self._client: _HttpClientT = (
            self._new_client() if http_client is None else http_client
        )
        self._default_headers: dict[str, str] = {}
        self._default_query: dict[str, object] = {}
        self._random: Callable[[], float] = random.random
        self._now: Callable[[], float] = time.time

    def _new_client(self) -> _HttpClientT:
        raise NotImplementedError

    def with_options(
        self,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_non_idempotent: bool | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: _HttpClientT | None = None,
    ) -> typing.Self:
        """A copy with other settings that shares this client's connection pool
        (or sends on `http_client`, which it leaves open).

        `default_headers` and `default_query` go with every request (a method's
        own parameters and `extra_headers` win); they add to the ones this
        client has. Cached properties (`with_raw_response`, resources) hold the
        original client, so the copy makes its own on first use.
        """
        clone = copy.copy(self)
        for cls in type(self).__mro__:
            for name, attribute in vars(cls).items():
                if isinstance(attribute, functools.cached_property):
                    clone.__dict__.pop(name, None)
        clone._owns_client = False
        if http_client is not None:
            clone._client = http_client
        if default_headers is not None:
            _check_headers(list(default_headers.items()))
            clone._default_headers = {**self._default_headers, **default_headers}
        if default_query is not None:
            clone._default_query = {**self._default_query, **default_query}
        if base_url is not None:
            clone.base_url = base_url.rstrip("/")
        if timeout is not None:
            clone.timeout = (
                timeout
                if isinstance(timeout, httpx.Timeout)
                else httpx.Timeout(timeout)
            )
        if max_retries is not None:
            clone.max_retries = max_retries
        if retry_non_idempotent is not None:
            clone.retry_non_idempotent = retry_non_idempotent
        return clone

    @property
    def _credentials(self) -> dict[str, Auth]:
        """The credentials by security scheme; setting them works out once what
        each request needs to know of them."""
        return self._auths

    @_credentials.setter
    def _credentials(self, credentials: Mapping[str, Auth]) -> None:
        self._auths = dict(credentials)
        self._secret_params = tuple(
            auth.name
            for auth in self._auths.values()
            if isinstance(auth, Credential) and auth.location == "query"
        )

    def _chosen(self, method: str, path: str, parts: RequestParts) -> dict[str, Auth]:
        """The credentials to send: those of the first alternative of the operation's
        `security` that this client has them all for, each header or query parameter
        once. None satisfied raises `MissingCredentialError`, naming what would do."""
        alternatives = parts.get("security", ())
        for alternative in alternatives:
            if all(key in self._auths for key in alternative):
                chosen: dict[str, Auth] = {}
                for key in alternative:  # two schemes sent alike: one credential
                    where = _where(self._auths[key])
                    if all(_where(auth) != where for auth in chosen.values()):
                        chosen[key] = self._auths[key]
                return chosen
        if not alternatives:
            return {}
        ways = "; or pass ".join(self._way(alt) for alt in alternatives)
        raise MissingCredentialError(f"{method} {path} needs credentials: pass {ways}")

    def _way(self, alternative: Sequence[str]) -> str:
        """What to pass (or set) for one alternative of an operation's `security`."""
        pairs = dict.fromkeys(
            p for key in alternative for p in self._needed.get(key, ())
        )
        if not pairs:
            return "credentials for " + " and ".join(alternative)
        arguments = " and ".join(f"{argument}=..." for argument, _ in pairs)
        return f"{arguments} (or set {' and '.join(env for _, env in pairs)})"

    def _build_request(
        self,
        method: str,
        path: str,
        parts: RequestParts,
        auths: Mapping[str, Auth],
        tokens: Mapping[str, str],
    ) -> httpx.Request:
        path = _expand_path(path, parts.get("path_params", {}))
        query = _pairs(parts.get("params", {}))
        headers = _pairs(parts.get("headers", {}))
        if self._default_headers or self._default_query:  # the method's own win
            headers += _unset(headers, list(self._default_headers.items()))
            named = {name for name, _ in query}  # query names are case-sensitive
            query = [
                p for p in _pairs(self._default_query) if p[0] not in named
            ] + query
        headers += _defaults(headers, self.user_agent, parts)
        for scheme, auth in auths.items():
            if isinstance(auth, OAuthClientCredentials):
                headers.append(("Authorization", "Bearer " + tokens[scheme]))
            else:
                (headers if auth.location == "header" else query).append(
                    (auth.name, auth.value)
                )
        cookies = _pairs(parts.get("cookies", {}))
        if cookies:
            headers.append(
                ("Cookie", "; ".join(f"{name}={value}" for name, value in cookies))
            )
        extra = parts.get("extra_headers")
        if extra:
            overridden = {name.lower() for name in extra}
            headers = [
                (k, v) for k, v in headers if k.lower() not in overridden
            ] + list(extra.items())
        _check_headers(headers)
        # No params at all when there are none: an empty tuple costs httpx a second URL parse.
        return self._client.build_request(
            method,
            self.base_url + path,
            params=tuple(query) if query else None,
            headers=headers,
            timeout=self._timeout(parts),
            extensions={REDACT: self._secret_params} if self._secret_params else None,
            **_content(parts),
        )

    def _repeatable(self, method: str) -> bool:
        """Whether a request that may have reached the server can be sent again."""
        return method in IDEMPOTENT_METHODS or self.retry_non_idempotent

    def _timeout(self, parts: RequestParts) -> httpx.Timeout | float:
        timeout = parts.get("timeout")
        return self.timeout if timeout is None else timeout

    def _retry_delay(
        self,
        attempt: int,
        repeatable: bool,
        parts: RequestParts,
        outcome: httpx.Response | httpx.TransportError,
    ) -> float | None:
        """Seconds to wait before trying again after `outcome`, or None to stop.

        A request that may have reached the server is repeated only if it is
        `repeatable`; one that never left is always repeated.
        """
        limit = parts.get("max_retries")
        if attempt >= (self.max_retries if limit is None else limit):
            return None
        if isinstance(outcome, httpx.Response):
            if not (repeatable and _retryable(outcome.status_code)):
                return None
            retry_after = _retry_after(outcome.headers.get("Retry-After"), self._now())
            if retry_after is not None:
                return min(retry_after, MAX_RETRY_AFTER)
        elif not (repeatable or isinstance(outcome, _UNSENT)):
            return None
        return min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY) * (
            1 - 0.25 * self._random()
        )

    @staticmethod
    def _finish(response: httpx.Response, parts: RequestParts) -> httpx.Response:
        """Raise the status error for a non-2xx response; else hand it back."""
        if not response.is_success:
            error_types = parts.get("error_types", {})
            status = str(response.status_code)
            error_type = (
                error_types.get(status)
                or error_types.get(status[0] + "XX")
                or error_types.get("default")
            )
            raise status_error(response, _error_body(response, error_type))
        captured = _CAPTURE.get()
        if captured is not None:
            captured.append(response)
        return response


class SyncAPIClient(BaseClient[httpx.Client]):
    """The base of a generated client: sends requests on an `httpx.Client`."""

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _new_client(self) -> httpx.Client:
        return httpx.Client()

    def _request(
        self, method: str, path: str, **parts: typing.Unpack[RequestParts]
    ) -> httpx.Response:
        """Send a request, retrying as the settings allow; a non-2xx answer raises."""
        if "deprecated" in parts:
            _warn_deprecated(parts["deprecated"])
        auths = self._chosen(method, path, parts)
        oauth = _oauth(auths)
        tokens = {key: self._token(auth, parts) for key, auth in oauth.items()}
        repeatable = self._repeatable(method)

        def build() -> httpx.Request:  # with the tokens of the moment: renewed below
            return self._build_request(method, path, parts, auths, tokens)

        response = self._send(build, repeatable, parts)
        if response.status_code == 401 and oauth:
            response.close()  # the token may have been revoked: renew it, once
            tokens = {
                key: self._token(auth, parts, stale=tokens[key])
                for key, auth in oauth.items()
            }
            response = self._send(build, repeatable, parts)
        return self._finish(response, parts)

    def _send(
        self, build: Callable[[], httpx.Request], repeatable: bool, parts: RequestParts
    ) -> httpx.Response:
        """The response to the request `build` makes, sent again after each failure
        worth retrying; the last one whatever its status."""
        attempt = 0
        while True:
            request = build()
            try:
                started = time.monotonic()
                response = self._client.send(request)
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, repeatable, parts, exc)
                if delay is None:
                    raise _transport_error(request, exc) from exc
                _log_retry(request, exc, delay, attempt)
            else:
                response.extensions[RETRIES_TAKEN] = attempt
                response.extensions[ELAPSED] = time.monotonic() - started
                if response.is_success:
                    return response
                delay = self._retry_delay(attempt, repeatable, parts, response)
                if delay is None:
                    return response
                response.close()
                _log_retry(request, response, delay, attempt)
            self._sleep(delay)
            attempt += 1

    def _token(
        self,
        auth: OAuthClientCredentials,
        parts: RequestParts,
        stale: str | None = None,
    ) -> str:
        """A token from `auth`, fetched (with retries: the grant is safe to repeat)
        under this call's timeout when needed."""

        def fetch() -> httpx.Response:
            request = auth.request(self._client, self._timeout(parts))
            return self._send(lambda: request, True, parts)

        return auth.token(fetch, stale)

    def _paginate(
        self,
        fetch: Callable[..., typing.Any],
        arguments: dict[str, typing.Any],
        paging: Pagination,
    ) -> Iterator[typing.Any]:
        """Every item of the pages `fetch` returns, each page fetched only when reached."""
        next_arguments: dict[str, typing.Any] | None = arguments
        seen: set[str] = set()
        while next_arguments is not None:
            captured: list[httpx.Response] = []
            reset = _CAPTURE.set(captured)
            try:
                page = fetch(**next_arguments)
            finally:
                _CAPTURE.reset(reset)
            items = paging.items_of(page)
            yield from items
            next_arguments = paging.advance(
                page, next_arguments, len(items), seen, captured
            )

    def close(self) -> None:
        """Close the connection pool, unless it was passed in as `http_client`."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> typing.Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    """The base of a generated async client: sends requests on an `httpx.AsyncClient`."""

    async def _sleep(self, seconds: float) -> None:
        import asyncio

        await asyncio.sleep(seconds)

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient()

    async def _request(
        self, method: str, path: str, **parts: typing.Unpack[RequestParts]
    ) -> httpx.Response:
        """Send a request, retrying as the settings allow; a non-2xx answer raises."""
        if "deprecated" in parts:
            _warn_deprecated(parts["deprecated"])
        auths = self._chosen(method, path, parts)
        oauth = _oauth(auths)
        tokens = {key: await self._token(auth, parts) for key, auth in oauth.items()}
        repeatable = self._repeatable(method)

        def build() -> httpx.Request:  # with the tokens of the moment: renewed below
            return self._build_request(method, path, parts, auths, tokens)

        response = await self._send(build, repeatable, parts)
        if response.status_code == 401 and oauth:
            await response.aclose()  # the token may have been revoked: renew it, once
            tokens = {
                key: await self._token(auth, parts, stale=tokens[key])
                for key, auth in oauth.items()
            }
            response = await self._send(build, repeatable, parts)
        return self._finish(response, parts)

    async def _send(
        self, build: Callable[[], httpx.Request], repeatable: bool, parts: RequestParts
    ) -> httpx.Response:
        """The async twin of `SyncAPIClient._send`."""
        attempt = 0
        while True:
            request = build()
            try:
                started = time.monotonic()
                response = await self._client.send(request)
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, repeatable, parts, exc)
                if delay is None:
                    raise _transport_error(request, exc) from exc
                _log_retry(request, exc, delay, attempt)
            else:
                response.extensions[RETRIES_TAKEN] = attempt
                response.extensions[ELAPSED] = time.monotonic() - started
                if response.is_success:
                    return response
                delay = self._retry_delay(attempt, repeatable, parts, response)
                if delay is None:
                    return response
                await response.aclose()
                _log_retry(request, response, delay, attempt)
            await self._sleep(delay)
            attempt += 1

    async def _token(
        self,
        auth: OAuthClientCredentials,
        parts: RequestParts,
        stale: str | None = None,
    ) -> str:
        """The async twin of `SyncAPIClient._token`."""

        async def fetch() -> httpx.Response:
            request = auth.request(self._client, self._timeout(parts))
            return await self._send(lambda: request, True, parts)

        return await auth.atoken(fetch, stale)

    async def _paginate(
        self,
        fetch: Callable[..., Awaitable[typing.Any]],
        arguments: dict[str, typing.Any],
        paging: Pagination,
    ) -> AsyncIterator[typing.Any]:
        """Every item of the pages `fetch` returns, each page fetched only when reached."""
        next_arguments: dict[str, typing.Any] | None = arguments
        seen: set[str] = set()
        while next_arguments is not None:
            captured: list[httpx.Response] = []
            reset = _CAPTURE.set(captured)
            try:
                page = await fetch(**next_arguments)
            finally:
                _CAPTURE.reset(reset)
            items = paging.items_of(page)
            for item in items:
                yield item
            next_arguments = paging.advance(
                page, next_arguments, len(items), seen, captured
            )

    async def close(self) -> None:
        """Close the connection pool, unless it was passed in as `http_client`."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> typing.Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class SyncAPIResource:
    """The base of a group of operations (a tag) on a `SyncAPIClient`."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client
        self._request = client._request
        self._paginate = client._paginate


class AsyncAPIResource:
    """The base of a group of operations (a tag) on an `AsyncAPIClient`."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
        self._request = client._request
        self._paginate = client._paginate


_WARNED: set[str] = set()


def _warn_deprecated(call: str) -> None:
    """A `DeprecationWarning`, once per process, for a call of a deprecated operation."""
    if call not in _WARNED:
        _WARNED.add(call)
        warnings.warn(
            f"{call} is deprecated: the API's description says it may go away",
            DeprecationWarning,
            stacklevel=4,  # the caller of the generated method
        )


def _log_retry(
    request: httpx.Request,
    outcome: httpx.Response | httpx.TransportError,
    delay: float,
    attempt: int,
) -> None:
    """Record, at INFO on the package's logger, a request about to be sent again
    and why; the URL is shown as errors show it, its credentials redacted."""
    if not LOGGER.isEnabledFor(logging.INFO):
        return
    why = (
        f"HTTP {outcome.status_code}"
        if isinstance(outcome, httpx.Response)
        else type(outcome).__name__
    )
    LOGGER.info(
        "retrying %s %s in %.2f s (retry %d) after %s",
        request.method,
        shown_url(request),
        delay,
        attempt + 1,
        why,
    )


def _transport_error(
    request: httpx.Request, error: httpx.TransportError
) -> APIConnectionError:
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(request)
    return APIConnectionError(request)


def _retryable(status: int) -> bool:
    """408, 429 and 5xx but 501 (Not Implemented), which no retry changes."""
    return status in (408, 429) or (status >= 500 and status != 501)


_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")


def _check_headers(headers: Sequence[tuple[str, str]]) -> None:
    """Refuse, before anything is sent, a header HTTP cannot carry.

    A line break could smuggle in another header; a non-ASCII value has no
    agreed encoding. The message names the header, never its value (it may be
    a credential).
    """
    for name, value in headers:
        if not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"header name {name!r} is not a valid HTTP header name")
        if not _HEADER_VALUE.fullmatch(value):
            problem = (
                "is not ASCII"
                if not value.isascii()
                else "has a line break or a control character"
            )
            raise ValueError(f"header {name!r} cannot be sent: its value {problem}")


_DELTA_SECONDS = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds a Retry-After header asks for: a number, or an HTTP date.

    None (normal backoff) for anything else, and for a wait of more than a day,
    which no server means.
    """
    if value is None:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        # An HTTP date without a zone (asctime, -0000) is in GMT.
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        seconds = when.timestamp() - now
    if not math.isfinite(seconds) or seconds > MAX_RETRY_AFTER_SENT:
        return None
    return max(seconds, 0.0)


def parse(response: httpx.Response, type_: typing.Any) -> typing.Any:
    """The response body as `type_` (a class, a generic or a union).

    The Content-Type is not looked at: the client asked for the operation's
    preferred media type (JSON) first, and a body that does not parse as it,
    whatever other media type the server chose, raises `APIResponseValidationError`.
    """
    reading = READING_RESPONSE.set(True)
    try:
        return _adapter(type_).validate_json(response.content)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(
            response, f"response does not match the spec: {exc}"
        ) from exc
    finally:
        READING_RESPONSE.reset(reading)


class Raw(enum.Enum):
    """How `parse_by_status` reads an answer that is not JSON."""

    BYTES = "bytes"  # the body as it came
    TEXT = "text"  # the body decoded as its charset says


def parse_by_status(
    response: httpx.Response, types: Mapping[str, typing.Any]
) -> typing.Any:
    """The body read as the spec says for its status.

    `types` maps statuses to a JSON type, `Raw.BYTES`, `Raw.TEXT`, or None for no
    body. The status is looked up as it is, then as `2XX`, then `default`; an
    undeclared one is read as the first declared.
    """
    status = str(response.status_code)
    key = next((k for k in (status, status[0] + "XX", "default") if k in types), None)
    type_ = types[key] if key is not None else next(iter(types.values()))
    if type_ is None:
        return None
    if type_ is Raw.BYTES:
        return response.content
    if type_ is Raw.TEXT:
        return response.text
    return parse(response, type_)


_ADAPTERS: dict[object, pydantic.TypeAdapter[typing.Any]] = {}


def _adapter(type_: typing.Any) -> pydantic.TypeAdapter[typing.Any]:
    """A validator for `type_`, built once: building one is expensive."""
    adapter = _ADAPTERS.get(type_)
    if adapter is None:
        adapter = _ADAPTERS[type_] = pydantic.TypeAdapter(type_)
    return adapter


def _error_body(response: httpx.Response, error_type: typing.Any) -> typing.Any:
    """The vendor's error model if it parses, else JSON, else text."""
    try:
        data = response.json()
    except ValueError:
        return response.text
    if error_type is not None:
        reading = READING_RESPONSE.set(True)
        try:
            return _adapter(error_type).validate_python(data)
        except pydantic.ValidationError:
            pass
        finally:
            READING_RESPONSE.reset(reading)
    return data


def to_json(value: object) -> object:
    """A request body as JSON data: models by wire name, unset fields left out."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return _adapter(type(value)).dump_python(value, mode="json")


def _defaults(
    headers: list[tuple[str, str]], user_agent: str, parts: RequestParts
) -> list[tuple[str, str]]:
    """User-Agent, Accept and the body's Content-Type, unless a header parameter sets them."""
    defaults = [("User-Agent", user_agent)]
    if parts.get("accept"):
        defaults.append(("Accept", parts["accept"]))
    if parts.get("content_type") and parts.get("has_body"):
        defaults.append(("Content-Type", parts["content_type"]))
    return _unset(headers, defaults) if headers else defaults


def _unset(
    given: list[tuple[str, str]], defaults: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The `defaults` whose names (any case) none of `given` has."""
    names = {name.lower() for name, _ in given}
    return [(name, value) for name, value in defaults if name.lower() not in names]


def _content(parts: RequestParts) -> dict[str, typing.Any]:
    """httpx's arguments for the request body: JSON, bytes, text, a form or multipart parts."""
    if not parts.get("has_body"):
        return {}
    body, encoding = parts.get("body"), parts.get("body_encoding", "json")
    if encoding == "json":
        return {"json": to_json(body)}
    if encoding == "bytes":
        return {"content": body}
    if encoding == "text":
        return {"content": _encoded(body, parts.get("content_type", ""))}
    if isinstance(body, pydantic.BaseModel):
        fields = body.model_dump(mode="python", by_alias=True, exclude_unset=True)
    else:
        fields = dict(typing.cast(Mapping[str, object], body))
    pairs = [
        (k, v)
        for k, value in fields.items()
        for v in (value if isinstance(value, list) else [value])
        if v is not None
    ]
    if encoding == "form":
        form: dict[str, list[str]] = {}
        for name, value in pairs:
            form.setdefault(name, []).append(_text(value))
        return {"data": form}
    # Every field a part, so that the body is multipart even without a file.
    return {
        "files": [
            (
                k,
                (
                    (k, v, "application/octet-stream")
                    if isinstance(v, bytes)
                    else (None, _text(v))
                ),
            )
            for k, v in pairs
        ]
    }


def _encoded(text: object, content_type: str) -> bytes:
    """A text body in the charset its Content-Type names; else (or if unknown) UTF-8."""
    if isinstance(text, bytes):
        return text
    charset = re.search(r"charset=\"?([\w.:-]+)", content_type, re.IGNORECASE)
    try:
        return str(text).encode(charset.group(1) if charset else "utf-8")
    except LookupError:
        return str(text).encode("utf-8")


def checked(type_: typing.Any, value: T) -> T:
    """`value`, a parameter's, as `type_` reads it: an enum's literal value becomes
    its member; one the enum does not list raises `pydantic.ValidationError`
    (a `ValueError`) before anything is sent. None stays None."""
    return (
        value
        if value is None
        else typing.cast(T, _adapter(type_).validate_python(value))
    )


def json_value(value: object) -> str | None:
    """A `content` parameter of a JSON media type: its value as JSON text (None stays out)."""
    return (
        None
        if value is None
        else json.dumps(to_json(value), separators=(",", ":"), ensure_ascii=False)
    )


def _expand_path(template: str, values: Mapping[str, object]) -> str:
    """`template` with its parameters percent-encoded in place.

    A segment that comes out as `.` or `..` is sent as `%2E` or `%2E%2E`, so that
    no value can move the request to another path; an empty value is refused.
    """
    if not values:
        return template
    encoded: dict[str, str] = {}
    for name, value in values.items():
        text = _text(value)
        if not text:
            raise ValueError(f"path parameter {name!r} is empty")
        encoded["{" + name + "}"] = quote(text, safe="")
    if all(text.strip(".") for text in encoded.values()):
        for placeholder, text in encoded.items():  # no segment can become a dot segment
            template = template.replace(placeholder, text)
        return template
    segments = []
    for segment in template.split("/"):
        if "{" in segment:
            for placeholder, text in encoded.items():
                segment = segment.replace(placeholder, text)
            if segment in (".", ".."):
                segment = segment.replace(".", "%2E")
        segments.append(segment)
    return "/".join(segments)


def _pairs(values: Mapping[str, object]) -> list[tuple[str, str]]:
    """Query or header pairs: None left out, one pair per item of a list."""
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        if isinstance(value, (list, tuple)):
            items = value
        else:
            items = [] if value is None else [value]
        pairs.extend((name, _text(item)) for item in items)
    return pairs


def _text(value: object) -> str:
    """A path, query or header value as the wire expects it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _text(value.value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)
