"""Exceptions raised by the client: one base, and a class for each status worth catching."""

from __future__ import annotations

import json
import typing

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]


class APIError(Exception):
    """Base class of every error this client raises."""

    def __init__(self, message: str, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The request could not be sent or no response arrived."""

    def __init__(self, request: httpx.Request, message: str | None = None) -> None:
        super().__init__(
            message or f"Connection error: no response from {_host(request)}.",
            request,
        )


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__(request, f"Request to {_host(request)} timed out.")


class APIResponseValidationError(APIError):
    """A successful response whose body does not match the spec."""

    def __init__(self, response: httpx.Response, message: str) -> None:
        super().__init__(message, response.request)
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The server answered with a non-2xx status.

    `body` is the vendor's error model where the spec declares one for this
    status, else the decoded JSON, else the text of the response.
    """

    def __init__(
        self, response: httpx.Response, body: typing.Any, why: str | None = None
    ) -> None:
        message = f"HTTP {response.status_code} from {response.request.method} {shown_url(response.request)}"
        why = why or vendor_message(response)
        super().__init__(f"{message}: {why}" if why else message, response.request)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """Any 5xx status."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(response: httpx.Response, body: typing.Any) -> APIStatusError:
    """The most specific error class for the response's status."""
    if response.status_code >= 500:
        return InternalServerError(response, body)
    return _BY_STATUS.get(response.status_code, APIStatusError)(response, body)


MAX_MESSAGE = 200  # characters of the vendor's message shown in an error


def vendor_message(response: httpx.Response) -> str | None:
    """The message of an error body, on one line and cut short; None if it has none.

    Looks where APIs usually put it: `message`, `error.message`,
    `errors[0].message`, `error_description`, `detail`, `title`, `error`, or a
    body that is a string (JSON, or plain text).
    """
    try:
        data: typing.Any = json.loads(response.content)
    except ValueError:
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        data = response.text if media_type == "text/plain" else None
    found = _message_in(data)
    if found is None:
        return None
    line = " ".join(found.split())
    if len(line) > MAX_MESSAGE:
        line = line[: MAX_MESSAGE - 3] + "..."
    return line or None


def _message_in(data: typing.Any) -> str | None:
    if isinstance(data, str):
        return data
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    errors = data.get("errors")
    candidates = [
        data.get("message"),
        error.get("message") if isinstance(error, dict) else None,
        (
            errors[0].get("message")
            if isinstance(errors, list) and errors and isinstance(errors[0], dict)
            else None
        ),
        data.get("error_description"),
        data.get("detail"),
        data.get("title"),
        error,
    ]
    return next((c for c in candidates if isinstance(c, str) and c.strip()), None)


def _host(request: httpx.Request) -> str:
    """The host (and port, if given) a request went to."""
    url = request.url
    return f"{url.host}:{url.port}" if url.port is not None else url.host


# The request extension that names the query parameters holding credentials.
REDACT = "redact_query_params"


def shown_url(request: httpx.Request) -> httpx.URL:
    """The request's URL as errors show it: credentials in the query replaced."""
    url = request.url
    for name in request.extensions.get(REDACT, ()):
        if name in url.params:
            url = url.copy_set_param(name, "REDACTED")
    return url
