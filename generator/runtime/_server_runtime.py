"""Serve an API from its spec: validated routes, vendor-shaped errors, typed handlers.

Input is checked against the spec's own schemas (the package's `openapi.json`,
which is also served); errors take the shape, and credentials are checked the
way, that the generated `ServerSettings` say (from its `x-server` extension and
security schemes); `_fake.Fake`, the default handlers, follows its `x-fake`.
"""

from __future__ import annotations

import abc
import base64
import binascii
import dataclasses
import functools
import inspect
import json
import logging
import re
import secrets
import threading
import time
import types
import typing
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl, unquote

import fastapi
import jsonschema
import pydantic
from fastapi.responses import JSONResponse, Response
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ._schemas import REQUEST, directed
from ._server_records import JSON, Scheme, ServerSettings

# The standard formats, plus the integer widths OpenAPI adds.
FORMATS = jsonschema.FormatChecker()
FORMATS.checks("int32")(lambda v: not isinstance(v, int) or -(2**31) <= v < 2**31)
FORMATS.checks("int64")(lambda v: not isinstance(v, int) or -(2**63) <= v < 2**63)
# An absolute URI (RFC 3986): a scheme, then no spaces.
# jsonschema checks "uri" only with rfc3987 installed.
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S*")
FORMATS.checks("uri")(lambda v: not isinstance(v, str) or _URI.fullmatch(v) is not None)
# A request leaves out readOnly properties, `required` or not.
REQUEST_VALIDATOR = directed(jsonschema.Draft202012Validator, REQUEST)


class ServerError(Exception):
    """An error answer, rendered in the vendor's error shape."""

    def __init__(
        self, status: int, message: str, parameter: str = "", location: str = "body"
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.parameter, self.location = (
            status,
            message,
            parameter,
            location,
        )


# A Python type, looked up when a route is first called: the generated routes
# name models as `lambda: models.Meeting`, so serving loads no model at start-up.
TypeOf = typing.Callable[[], typing.Any]


@dataclasses.dataclass(frozen=True)
class Param:
    wire_name: str
    name: str  # the handler's argument
    location: str  # path, query or header
    required: bool
    schema: str  # JSON pointer of its schema in the spec
    type_of: TypeOf  # the Python type the handler receives
    json: bool = False  # its value is JSON text (a `content` parameter)

    @functools.cached_property
    def type(self) -> typing.Any:
        return self.type_of()


@dataclasses.dataclass(frozen=True)
class Result:
    """One success answer an operation declares."""

    status: int
    kind: str  # empty, json, bytes or text
    type_of: TypeOf  # the Python type of its body; None when empty
    media: str  # its media type

    @functools.cached_property
    def type(self) -> typing.Any:
        return self.type_of()


@dataclasses.dataclass(frozen=True)
class Route:
    name: str  # the handler method
    method: str
    path: str
    pointer: str  # JSON pointer of the operation in the spec
    params: tuple[Param, ...]
    body_schema: str | None  # JSON pointer of the body's schema; None: not checked
    body_required: bool
    body_of: TypeOf  # the body's Python type; None: the operation takes no body
    body_encoding: str  # json, form, multipart, bytes or text
    results: tuple[Result, ...]  # the success answers, in the spec's order
    result_of: TypeOf  # the handler's return type: their union (None: no body)
    security: tuple[
        tuple[str, ...], ...
    ]  # alternatives, each the schemes needed together
    # The handlers' attribute that has the method; "" for the handlers themselves.
    resource: str = ""

    @functools.cached_property
    def body_type(self) -> typing.Any:
        return self.body_of()

    @functools.cached_property
    def result_type(self) -> typing.Any:
        return self.result_of()


@dataclasses.dataclass(frozen=True)
class Linked:
    """A handler's answer that has a next page: the server sends `value` with an
    RFC 8288 `Link: <URL>; rel="next"` header, URL the request's own with the
    query parameters of `next` (wire names) set."""

    value: object
    next: Mapping[str, str]


BEARER = Scheme("bearer")
_LOG = logging.getLogger(__name__)
Handler = typing.Callable[..., typing.Any]  # sync or async; takes the route's arguments


class HandlerTable(abc.ABC):
    """Handlers kept in a table by route name (the fake's), not as the methods of
    each resource's interface (`Handlers` and its resources, implemented by hand)."""

    @abc.abstractmethod
    def handler(self, name: str) -> Handler | None:
        """The handler of the route `name`; None when there is none."""

    def unhandled(self, operation_id: str) -> str:
        """Why an operation the table has no handler for answers 501."""
        return f"no handler for operationId {operation_id}"


def find_handler(handlers: object, route: Route) -> Handler | None:
    """What answers `route`: the table's entry for it, or the method of its name on
    the handlers' resource attribute; None when there is none."""
    if isinstance(handlers, HandlerTable):
        return handlers.handler(route.name)
    owner = getattr(handlers, route.resource, None) if route.resource else handlers
    found: Handler | None = getattr(owner, route.name, None)
    return found


@dataclasses.dataclass
class Credentials:
    """What the server accepts; OAuth tokens it issues join `tokens`."""

    tokens: set[str] = dataclasses.field(default_factory=lambda: {"test-token"})
    api_keys: set[str] = dataclasses.field(default_factory=lambda: {"test-key"})
    users: dict[str, str] = dataclasses.field(
        default_factory=lambda: {"user": "password"}
    )
    clients: dict[str, str] = dataclasses.field(
        default_factory=lambda: {"test-client": "test-secret"}
    )


def pointer_get(document: JSON, pointer: str) -> JSON:
    """The value at a JSON pointer (`~0`/`~1` unescaped); KeyError if absent."""
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        document = (
            document[int(token)] if isinstance(document, list) else document[token]
        )
    return document


class Spec:
    """The spec, with validators for its schemas."""

    def __init__(self, document: Mapping[str, JSON]) -> None:
        self.document = document
        self.registry: Registry[JSON] = Registry().with_resource(
            "urn:spec",
            Resource.from_contents(document, default_specification=DRAFT202012),
        )
        self._validators: dict[str, jsonschema.protocols.Validator] = {}
        self._lock = threading.Lock()

    def resolve(self, node: JSON) -> JSON:
        """Follow local `$ref`s."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = pointer_get(self.document, unquote(node["$ref"][1:]))
        return node

    def errors(self, pointer: str, value: JSON) -> list[jsonschema.ValidationError]:
        """Why `value` does not fit the schema at `pointer` as a request (none: it fits)."""
        with self._lock:
            validator = self._validators.get(pointer)
            if validator is None:
                schema = {"$ref": "urn:spec#" + pointer}
                validator = REQUEST_VALIDATOR(
                    schema, registry=self.registry, format_checker=FORMATS
                )
                self._validators[pointer] = validator
        return sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))


def error_response(settings: ServerSettings, error: ServerError) -> Response:
    """The vendor's answer for an error: its status, body shape and headers."""
    status = str(error.status)
    templates = settings.errors
    template = templates[status] if status in templates else templates.get("default")
    codes = settings.codes
    values = {
        "status": error.status,
        "code": codes.get(status, codes.get("default", status)),
        "message": error.message,
        "parameter": error.parameter,
        "location": error.location,
    }
    headers = dict(settings.headers.get(status) or {})
    if template is None and error.status >= 500:  # no vendor shape: still say why
        return Response(error.message, error.status, headers, media_type="text/plain")
    if template is None:
        return Response(status_code=error.status, headers=headers)
    return JSONResponse(
        _fill(template, values), status_code=error.status, headers=headers
    )


def _fill(template: JSON, values: Mapping[str, JSON]) -> JSON:
    """The template with `{name}` placeholders replaced; a lone placeholder keeps its type."""
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    if isinstance(template, str):
        whole = re.fullmatch(r"\{(\w+)\}", template)
        if whole and whole.group(1) in values:
            return values[whole.group(1)]
        return re.sub(
            r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template
        )
    return template


# Numbers spelled as JSON spells them: no "+", "_", spaces, leading zeros or non-ASCII digits.
INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def coerce(text: str, schema: JSON, spec: Spec) -> JSON:
    """A path, query or header string as the JSON value its schema describes;
    a number is read only as JSON writes it, else it stays a string (and fails)."""
    schema = spec.resolve(schema)
    kinds = schema.get("type", "string") if isinstance(schema, dict) else "string"
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if kind == "integer" and INTEGER.fullmatch(text):
            return int(text)
        if kind == "number" and NUMBER.fullmatch(text):
            return float(text)
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        if kind == "string":
            return text
    return text


class Server:
    """Turns requests into validated handler calls, and answers into responses."""

    def __init__(
        self,
        spec: Spec,
        settings: ServerSettings,
        handlers: object,
        credentials: Credentials,
    ) -> None:
        self.spec = spec
        self.settings = settings
        self.handlers = handlers
        self.credentials = credentials
        self.validation_status = settings.validation_status
        self.auth_status = settings.auth_status
        self.expiry: dict[str, float] = {}  # issued token -> when it expires

    def issue(self) -> str:
        """A new OAuth token, accepted for `token_lifetime` seconds."""
        token = secrets.token_urlsafe(24)
        self.credentials.tokens.add(token)
        self.expiry[token] = time.monotonic() + self.settings.token_lifetime
        return token

    def _valid_token(self, token: str) -> bool:
        expires = self.expiry.get(token)
        if expires is not None and time.monotonic() >= expires:
            self.credentials.tokens.discard(token)
            del self.expiry[token]
        return token in self.credentials.tokens

    async def handle(self, route: Route, request: fastapi.Request) -> Response:
        try:
            self.authorize(route, request)
            handler = find_handler(self.handlers, route)
            if handler is None:
                raise ServerError(501, self._unhandled(route))
            arguments = await self.arguments(route, request)
            try:
                result = handler(**arguments)
                if inspect.isawaitable(result):
                    result = await result
                if isinstance(result, Linked):
                    response = answer(route, result.value)
                    following = request.url.include_query_params(**result.next)
                    response.headers["Link"] = f'<{following}>; rel="next"'
                    return response
                return answer(route, result)
            except NotImplementedError as exc:
                raise ServerError(501, self._unimplemented(route, exc)) from exc
            except ServerError:
                raise
            except Exception as exc:  # answered as a 500 that says why
                _LOG.exception("operationId %s failed", self._operation_id(route))
                raise ServerError(500, self._failed(route, exc)) from exc
        except ServerError as error:
            return error_response(self.settings, error)

    def _operation_id(self, route: Route) -> str:
        operation = pointer_get(self.spec.document, route.pointer)
        found = operation.get("operationId") if isinstance(operation, dict) else None
        return found if isinstance(found, str) else route.name

    def _unhandled(self, route: Route) -> str:
        """Why an operation without a handler answers 501."""
        operation_id = self._operation_id(route)
        if isinstance(self.handlers, HandlerTable):
            return self.handlers.unhandled(operation_id)
        return (
            f"no handler for operationId {operation_id}:"
            f" the handlers have no method {route.name}"
        )

    def _unimplemented(self, route: Route, exc: NotImplementedError) -> str:
        """Why a handler that raised NotImplementedError answers 501: the
        interface's own methods raise it with the operationId."""
        operation_id = self._operation_id(route)
        said = str(exc)
        if said and said != operation_id:
            return self._redacted(said)
        owner = (
            getattr(self.handlers, route.resource, None)
            if route.resource
            else self.handlers
        )
        return (
            f"operationId {operation_id} is not implemented:"
            f" override {type(owner).__name__}.{route.name} (see README)"
        )

    def _failed(self, route: Route, exc: Exception) -> str:
        """Why a handler's failure answers 500: the exception's type and message
        (never a credential the server accepts; the traceback goes to the log)."""
        said = _short(" ".join(self._redacted(str(exc)).split()), 300)
        kind = type(exc).__name__
        return f"operationId {self._operation_id(route)} failed: " + (
            f"{kind}: {said}" if said else kind
        )

    def _redacted(self, text: str) -> str:
        """`text` with every secret the server accepts replaced."""
        held = self.credentials
        secrets_ = [
            *held.tokens,
            *held.api_keys,
            *held.users.values(),
            *held.clients.values(),
        ]
        for secret in sorted(secrets_, key=len, reverse=True):
            if secret:
                text = text.replace(secret, "[REDACTED]")
        return text

    def authorize(self, route: Route, request: fastapi.Request) -> None:
        """Pass when the request presents every credential of one alternative."""
        missing = [
            [key for key in alternative if not self._presents(key, request)]
            for alternative in route.security
        ]
        if missing and all(missing):
            raise ServerError(
                self.auth_status,
                "missing or invalid credentials",
                missing[0][0],
                "header",
            )

    def _presents(self, key: str, request: fastapi.Request) -> bool:
        return self._presented(self.settings.schemes.get(key, BEARER), request)

    def _presented(self, scheme: Scheme, request: fastapi.Request) -> bool:
        if scheme.kind == "api_key":
            source: Mapping[str, str] = (
                request.headers if scheme.location == "header" else request.query_params
            )
            return source.get(scheme.name) in self.credentials.api_keys
        authorization = request.headers.get("Authorization", "")
        method, _, value = authorization.partition(" ")
        if scheme.kind == "basic":
            try:
                user, _, password = base64.b64decode(value).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            return (
                method.lower() == "basic"
                and self.credentials.users.get(user) == password
            )
        return method.lower() == "bearer" and self._valid_token(value)

    async def arguments(
        self, route: Route, request: fastapi.Request
    ) -> dict[str, JSON]:
        """The handler's arguments, each checked against its schema and typed."""
        arguments: dict[str, JSON] = {}
        try:
            parse_qsl(
                request.scope.get("query_string", b"").decode("latin-1"),
                keep_blank_values=True,
                errors="strict",
            )
        except UnicodeDecodeError:
            raise ServerError(
                self.validation_status, "the query is not UTF-8", "", "query"
            ) from None
        for param in route.params:
            source: Mapping[str, str] = {
                "path": request.path_params,
                "query": request.query_params,
                "header": request.headers,
                "cookie": request.cookies,
            }[param.location]
            if (
                param.location == "query"
                and not param.json
                and _schema_is_array(self.spec, param.schema)
            ):
                raw: JSON = request.query_params.getlist(param.wire_name) or None
            else:
                raw = source.get(param.wire_name)
            if raw is None:
                if param.required:
                    raise ServerError(
                        self.validation_status,
                        f"{param.wire_name} is required",
                        param.wire_name,
                        param.location,
                    )
                continue
            value = self._value(param, raw)
            _check_text(value, self.validation_status, param.wire_name, param.location)
            self._check(param.schema, value, param.wire_name, param.location)
            arguments[param.name] = self._typed(
                param.type, value, param.wire_name, param.location
            )
        if route.body_type is not None:
            body = await self._read(request)
            if not body:
                if route.body_required:
                    raise ServerError(
                        self.validation_status, "a request body is required"
                    )
                return arguments
            arguments["body"] = await self._body(route, request, body)
        return arguments

    async def _read(self, request: fastapi.Request) -> bytes:
        """The request body, refused (413) past `max_body` bytes before it is all read."""
        limit = self.settings.max_body
        too_large = ServerError(413, f"the request body is larger than {limit} bytes")
        declared = request.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
        body = b"".join(chunks)
        request._body = body  # for request.form(), which reads it again
        return body

    def _value(self, param: Param, raw: JSON) -> JSON:
        """A parameter's text (or texts) as the JSON value its schema describes."""
        if param.json:
            return _json(
                raw,
                self.validation_status,
                self.settings.max_depth,
                param.wire_name,
                param.location,
            )
        schema = pointer_get(self.spec.document, param.schema)
        if isinstance(raw, list):
            item_schema = self.spec.resolve(schema).get("items", {})
            return [coerce(r, item_schema, self.spec) for r in raw]
        return coerce(raw, schema, self.spec)

    async def _body(
        self, route: Route, request: fastapi.Request, body: bytes
    ) -> typing.Any:
        """The request body as the handler takes it: bytes or text as they came,
        else checked and typed."""
        if route.body_encoding == "bytes":
            return body
        if route.body_encoding == "text":
            return _decoded(
                body, request.headers.get("Content-Type", ""), self.validation_status
            )
        data = (
            await self._form(route, request)
            if route.body_encoding != "json"
            else _json(body, self.validation_status, self.settings.max_depth)
        )
        _check_text(data, self.validation_status, "", "body")
        if route.body_schema is not None:
            checked = (
                {
                    k: v.decode("latin-1") if isinstance(v, bytes) else v
                    for k, v in data.items()
                }
                if isinstance(data, dict)
                else data
            )
            self._check(route.body_schema, checked, "", "body")
        return self._typed(route.body_type, data, "", "body")

    async def _form(self, route: Route, request: fastapi.Request) -> dict[str, JSON]:
        """A form or multipart body as JSON-like data: files as bytes, the rest by schema."""
        schema = (
            self.spec.resolve(pointer_get(self.spec.document, route.body_schema))
            if route.body_schema
            else {}
        )
        properties = schema.get("properties") or {} if isinstance(schema, dict) else {}
        data: dict[str, JSON] = {}
        async with request.form() as form:  # closes uploaded files when done
            for name in form.keys():
                values = [
                    await v.read() if hasattr(v, "read") else v
                    for v in form.getlist(name)
                ]
                prop = self.spec.resolve(properties.get(name, {}))
                item_schema = (
                    prop.get("items", {})
                    if isinstance(prop, dict) and prop.get("type") == "array"
                    else None
                )
                coerced = [
                    (
                        coerce(v, item_schema or prop, self.spec)
                        if isinstance(v, str)
                        else v
                    )
                    for v in values
                ]
                data[name] = coerced if item_schema is not None else coerced[-1]
        return data

    def _check(self, pointer: str, value: JSON, name: str, location: str) -> None:
        errors = self.spec.errors(pointer, value)
        if errors:
            error = errors[0]
            path = _short(".".join(str(p) for p in error.absolute_path))
            where = ".".join(p for p in (name, path) if p)
            quoted = repr(error.instance)
            message = error.message.replace(quoted, _short(quoted))
            raise ServerError(
                self.validation_status,
                f"{where or 'body'}: {_short(message, 300)}",
                where,
                location,
            )

    def _typed(
        self, type_: typing.Any, value: JSON, name: str, location: str
    ) -> typing.Any:
        try:
            return adapter(type_).validate_python(value)
        except pydantic.ValidationError as exc:
            raise ServerError(
                self.validation_status,
                f"{name or 'body'}: {_short(exc.errors()[0]['msg'], 300)}",
                name,
                location,
            ) from exc


def answer(route: Route, value: object) -> Response:
    """A handler's return value as the success answer it fits: its status, media type and body."""
    result = _result_for(route.results, value)
    if result.kind == "empty" or value is None:
        return Response(status_code=result.status)
    if result.kind in ("bytes", "text") and isinstance(value, (bytes, str)):
        return Response(value, status_code=result.status, media_type=result.media)
    data = adapter(result.type).dump_python(
        value, mode="json", by_alias=True, exclude_none=True
    )
    return JSONResponse(
        data,
        status_code=result.status,
        media_type=result.media if result.kind == "json" else None,
    )


def _result_for(results: Sequence[Result], value: object) -> Result:
    """The first declared answer whose type `value` has; else the first."""
    if len(results) > 1:
        for result in results:
            if _fits(result, value):
                return result
    return results[0]


def _fits(result: Result, value: object) -> bool:
    if result.kind == "empty" or value is None:
        return result.kind == "empty" and value is None
    if result.kind in ("bytes", "text"):
        return isinstance(value, bytes if result.kind == "bytes" else str)
    if isinstance(result.type, type) and not isinstance(
        result.type, types.GenericAlias
    ):
        return isinstance(value, result.type)
    try:
        adapter(result.type).validate_python(value)
    except pydantic.ValidationError:
        return False
    return True


def _decoded(body: bytes, content_type: str, status: int) -> str:
    """A text body, in the charset its Content-Type names (UTF-8 by default)."""
    charset = re.search(r"charset=\"?([\w.:-]+)", content_type, re.IGNORECASE)
    try:
        return body.decode(charset.group(1) if charset else "utf-8")
    except (LookupError, UnicodeDecodeError) as exc:
        raise ServerError(
            status, f"the body is not text in its charset: {exc}"
        ) from exc


def _json(
    text: bytes | str,
    status: int,
    max_depth: int,
    name: str = "",
    location: str = "body",
) -> JSON:
    """JSON text as its value; 400 if it is not JSON or nests past `max_depth`."""
    what = name or "the body"
    try:
        value = json.loads(text)
    except RecursionError:
        raise ServerError(
            status, f"{what} nests deeper than {max_depth} levels", name, location
        ) from None
    except ValueError as exc:
        raise ServerError(
            status, f"{what} is not JSON: {_short(str(exc))}", name, location
        ) from exc
    if _depth(value) > max_depth:
        raise ServerError(
            status, f"{what} nests deeper than {max_depth} levels", name, location
        )
    return value


def _depth(value: JSON) -> int:
    """How deep arrays and objects nest in a JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, level + 1)
            stack.extend((child, level + 1) for child in node)
    return deepest


def _check_text(value: JSON, status: int, name: str, location: str) -> None:
    """400 for a string (value or key, at any depth) that is not UTF-8 text: a lone
    surrogate from a JSON escape would be stored, then fail every answer."""
    stack = [value]
    while stack:
        node = stack.pop()
        texts: list[object] = [node]
        if isinstance(node, dict):
            texts = list(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        for text in texts:
            if not isinstance(text, str):
                continue
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                where = name or "the body"
                raise ServerError(
                    status, f"{where} holds text that is not UTF-8", name, location
                ) from None


def _schema_is_array(spec: Spec, pointer: str) -> bool:
    schema = spec.resolve(pointer_get(spec.document, pointer))
    return isinstance(schema, dict) and schema.get("type") == "array"


_ADAPTERS: dict[object, pydantic.TypeAdapter[typing.Any]] = {}


def adapter(type_: typing.Any) -> pydantic.TypeAdapter[typing.Any]:
    """A pydantic adapter for a type, made once."""
    found = _ADAPTERS.get(type_)
    if found is None:
        found = _ADAPTERS[type_] = pydantic.TypeAdapter(type_)
    return found


class Router:
    """Finds the route of a raw (percent-encoded) path: it is split into segments
    first and each decoded after, so an encoded slash stays inside its parameter."""

    def __init__(self, prefix: str, routes: Sequence[Route]) -> None:
        # Fixed paths before templated ones, so /meeting/service-info is not a {meetingId}.
        self._routes = [
            (route, _segments(prefix + route.path))
            for route in sorted(routes, key=lambda r: r.path.count("{"))
        ]

    def match(
        self, raw_path: str, method: str
    ) -> tuple[tuple[Route, dict[str, str]] | None, list[str]]:
        """The route for `method` and its path parameters (None if there is none),
        and every method of the first template that fits (so a fixed path hides a
        templated one); UnicodeDecodeError for a segment not UTF-8."""
        segments = [unquote(s, errors="strict") for s in raw_path.split("/")]
        found: tuple[Route, dict[str, str]] | None = None
        allowed: list[str] = []
        path: str | None = None
        for route, template in self._routes:
            params = (
                _matched(template, segments) if path in (None, route.path) else None
            )
            if params is None:
                continue
            path = route.path
            if route.method not in allowed:
                allowed.append(route.method)
            if found is None and route.method == method:
                found = route, params
        return found, allowed


Segment = tuple[re.Pattern[str], tuple[str, ...]]


def _segments(template: str) -> list[Segment]:
    """Each segment of a path template as a pattern and the parameters it names."""
    compiled = []
    for segment in template.split("/"):
        parts = re.split(r"\{([^}]+)\}", segment)
        pattern = "".join(
            "(.+?)" if i % 2 else re.escape(p) for i, p in enumerate(parts)
        )
        compiled.append((re.compile(pattern, re.DOTALL), tuple(parts[1::2])))
    return compiled


def _matched(
    template: Sequence[Segment], segments: Sequence[str]
) -> dict[str, str] | None:
    """The path parameters if the decoded segments fit the template, else None."""
    if len(template) != len(segments):
        return None
    params: dict[str, str] = {}
    for (pattern, names), segment in zip(template, segments, strict=True):
        matched = pattern.fullmatch(segment)
        if matched is None:
            return None
        params.update(zip(names, matched.groups(), strict=True))
    return params


def _short(text: str, limit: int = 100) -> str:
    """Text as quoted in a message: at most `limit` characters."""
    return text if len(text) <= limit else text[:limit] + "..."


def build_app(
    document: Mapping[str, JSON],
    routes: Sequence[Route],
    settings: ServerSettings,
    handlers: object,
    credentials: Credentials | None,
    title: str,
) -> fastapi.FastAPI:
    """A FastAPI app that serves `routes` under the base path, and the spec."""
    spec = Spec(document)
    server = Server(spec, settings, handlers, credentials or Credentials())
    app = fastapi.FastAPI(title=title, openapi_url=None, docs_url=None, redoc_url=None)
    app.state.handlers = handlers
    prefix = settings.base_path

    router = Router(prefix, routes)
    methods = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"]

    # Every other request: routed on its raw path, so `%2F` stays inside a parameter.
    async def dispatch(request: fastapi.Request) -> Response:
        raw = request.scope.get("raw_path") or request.scope["path"].encode()
        try:
            found, allowed = router.match(raw.decode("latin-1"), request.method)
        except UnicodeDecodeError:
            error = ServerError(
                settings.validation_status, "the path is not UTF-8", "", "path"
            )
            return error_response(settings, error)
        if found is None:
            status = 405 if allowed else 404
            message = (
                f"{request.method} is not allowed on {_short(request.url.path)}"
                if allowed
                else f"no route for {_short(request.url.path)}"
            )
            response = error_response(settings, ServerError(status, message))
            if allowed:
                response.headers["Allow"] = ", ".join(allowed)
            return response
        route, path_params = found
        request.scope["path_params"] = path_params
        return await server.handle(route, request)

    async def openapi() -> JSONResponse:
        return JSONResponse(document)

    # The spec, at the root and under the base path (`/v1/openapi.json`).
    for where in dict.fromkeys(["/openapi.json", prefix + "/openapi.json"]):
        app.add_api_route(where, openapi, methods=["GET"], include_in_schema=False)

    if settings.token_path is not None:

        @app.post(settings.token_path, include_in_schema=False)
        async def issue_token(request: fastapi.Request) -> JSONResponse:
            method, _, value = request.headers.get("Authorization", "").partition(" ")
            try:
                client_id, _, secret = base64.b64decode(value).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                client_id, secret = "", ""
            accepted = server.credentials.clients
            if method.lower() != "basic" or accepted.get(client_id) != secret:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            try:
                form = dict(parse_qsl((await server._read(request)).decode()))
            except (ServerError, UnicodeDecodeError, ValueError):
                form = {}
            grant = form.get("grant_type")
            if grant != "client_credentials":
                error = "invalid_request" if grant is None else "unsupported_grant_type"
                return JSONResponse({"error": error}, status_code=400)
            return JSONResponse(
                {
                    "access_token": server.issue(),
                    "token_type": "bearer",
                    "expires_in": settings.token_lifetime,
                }
            )

    app.add_api_route(
        "/{path:path}", dispatch, methods=methods, include_in_schema=False
    )
    # Any path at all, newlines too (Starlette's `path` stops at one).
    typing.cast(typing.Any, app.router.routes[-1]).path_regex = re.compile(
        "^(?P<path>.*)$", re.DOTALL
    )
    app.router.redirect_slashes = False

    @app.exception_handler(404)
    async def not_found(request: fastapi.Request, exc: Exception) -> Response:
        error = ServerError(404, f"no route for {_short(request.url.path)}")
        return error_response(settings, error)

    return app
