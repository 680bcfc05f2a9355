"""Build `Operation`s from the spec's paths."""

from __future__ import annotations

import re
from typing import Any, cast

from .. import paths
from ..identifiers import RESERVED_PARAMETERS, NameScope, class_name, literal, snake_case
from ..pointers import deref, join
from ..problems import Problem
from ..runtime._fake_records import Collection, FakeAction
from .api import Body, Decoding, Encoding, Location, Operation, Parameter, Requirements, Response
from .extension import Findings
from .fake import parse_action
from .pagination import parse_pagination
from .paging_inferred import infer_pagination
from .resources import group
from .schemas import SchemaParser
from .types import Scalar, spells_enums

LOCATIONS = ("path", "query", "header", "cookie")
ENCODINGS: dict[str, Encoding] = {"application/x-www-form-urlencoded": "form", "multipart/form-data": "multipart"}
# Attributes of a client: neither a method nor a resource may take their names.
RESERVED_METHODS = frozenset(
    {
        "close",
        "with_options",
        "with_raw_response",
        "base_url",
        "user_agent",
        "timeout",
        "max_retries",
        "retry_non_idempotent",
    }
)
# OpenAPI: header parameters of these names are ignored; the client sets them itself.
# `Authorization` too, but only where a security scheme of the operation sends it:
# a spec that declares none (GoToMeeting's) keeps it as an argument, or no call
# could authenticate.
IGNORED_HEADERS = frozenset({"accept", "content-type"})
NO_BODY = frozenset({"204", "205", "304"})  # statuses whose answers have no body
# Media types by preference, after application/json itself (0).
RANKS: dict[Encoding, int] = {"json": 1, "form": 2, "multipart": 3, "text": 4, "bytes": 5}
HEADER_SAFE = re.compile(r"[!-~](?:[ -~]*[!-~])?")  # printable ASCII, no line breaks


def base_type(media_type: str) -> str:
    """`Application/JSON; charset=utf-8` -> `application/json`."""
    return media_type.split(";")[0].strip().lower()


def is_json(media_type: str) -> bool:
    base = base_type(media_type)
    return base == "application/json" or base.endswith("+json")


def encoding(media_type: str) -> Encoding:
    """How a body of this media type is sent: JSON, a form, multipart, text or raw bytes."""
    base = base_type(media_type)
    if is_json(base):
        return "json"
    if base in ENCODINGS:
        return ENCODINGS[base]
    return "text" if base.startswith("text/") or base == "application/xml" or base.endswith("+xml") else "bytes"


def structured(media_type: str, media: dict[str, Any]) -> bool:
    """Whether a wildcard media type (`*/*`, as springdoc writes for JSON) carries a
    schema that is more than a string: then it is JSON in practice."""
    schema = media.get("schema")
    wildcard = "*" in base_type(media_type)
    return wildcard and isinstance(schema, dict) and bool(schema) and schema.get("type") != "string"


def decoding(media_type: str) -> Decoding:
    """How an answer of this media type is read: JSON, text (forms too) or raw bytes."""
    kind = encoding(media_type)
    return "json" if kind == "json" else "bytes" if kind in ("bytes", "multipart") else "text"


def rank(media_type: str) -> int:
    """Preference: application/json, other JSON, form, multipart, text, binary."""
    return 0 if base_type(media_type) == "application/json" else RANKS[encoding(media_type)]


def header_safe(media_type: str) -> bool:
    """Whether a media type can go into a header as it is."""
    return HEADER_SAFE.fullmatch(media_type) is not None and "," not in media_type


def content_type(media_type: str, kind: Encoding) -> str:
    """The Content-Type the client sets for a body: "" where httpx sets it (JSON, forms,
    multipart with its boundary); a concrete type for a wildcard or unsafe one."""
    if kind in ("form", "multipart") or base_type(media_type) == "application/json":
        return ""
    if "*" in media_type or not header_safe(media_type):
        return {"json": "", "text": "text/plain"}.get(kind, "application/octet-stream")
    return media_type


def accept(successes: list[Response], errors: list[Response]) -> str:
    """An Accept header listing the answers' media types, the preferred success type first."""
    ordered = sorted(dict.fromkeys(m for r in successes for m in r.media_types), key=rank)
    ordered += sorted(dict.fromkeys(m for r in errors for m in r.media_types if m not in ordered), key=rank)
    safe = [m for m in ordered if header_safe(m)]
    return ", ".join(m if i == 0 else f"{m};q={max(10 - i, 1) / 10:g}" for i, m in enumerate(safe))


def status_key(key: str) -> str:
    """A response key as the runtime looks it up: `2xx` -> `2XX`."""
    return key.upper() if re.fullmatch(r"[1-5][xX][xX]", key) else key


def text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class OperationParser:
    def __init__(
        self,
        findings: Findings,
        schemas: SchemaParser,
        default_security: Requirements,
        collections: dict[str, Collection | None],
    ) -> None:
        self.findings = findings
        self.schemas = schemas
        self.document = findings.document
        self.default_security = default_security
        self.collections = collections  # the fake's, by name (None: left out)
        self.methods = NameScope(RESERVED_METHODS)

    def parse_all(self) -> tuple[list[Operation], list[Problem]]:
        operations: list[Operation] = []
        problems: list[Problem] = []
        for found in paths.operations(self.document.data):
            if found.path is None:
                continue  # webhooks and callbacks: the server calls them, not the client
            result = self.parse(found)
            if isinstance(result, Problem):
                problems.append(result)
            else:
                operations.append(result)
        return operations, problems

    def parse(self, found: paths.Operation) -> Operation | Problem:
        path, method, spec, pointer = str(found.path), found.method, found.node, found.pointer
        if not isinstance(spec, dict):
            self.findings.add(pointer, "an operation must be an object; it becomes a method without arguments")
            spec = {}
        operation_id = str(spec.get("operationId") or "") or f"{method}{class_name(path)}"
        hint = class_name(operation_id)
        scope = NameScope(RESERVED_PARAMETERS)
        parameters: list[Parameter] = []
        ignored = IGNORED_HEADERS | self._credential_headers(spec)
        with self.schemas.context("request"):
            for listed in found.parameters:
                parameter = self._parameter(listed.node, listed.pointer, hint, scope, ignored)
                if isinstance(parameter, Problem):
                    return parameter
                if parameter is not None:
                    parameters.append(parameter)
            body = self._body(spec.get("requestBody"), join(pointer, "requestBody"), hint)
        if isinstance(body, Problem):
            return body
        answers = self._responses(spec.get("responses"), join(pointer, "responses"), hint)
        if isinstance(answers, Problem):
            return answers
        successes, errors = answers
        success_type = next((r.type for r in successes if r.kind == "json"), None)
        models = self.schemas.finished
        pagination = None
        if spec.get("x-pagination") is False:
            pass  # it does not page, whatever convention it seems to follow
        elif "x-pagination" in spec:
            where = join(pointer, "x-pagination")
            pagination = parse_pagination(self.findings, spec["x-pagination"], where, success_type, parameters, models)
        elif method == "get":
            pagination = infer_pagination(self.findings, spec, pointer, success_type, parameters, models)
        fake: FakeAction | None = None
        if "x-fake" in spec:
            where = join(pointer, "x-fake")
            fake = parse_action(self.findings, spec["x-fake"], where, parameters, self.collections, pagination)
        method_name = self.methods.claim(snake_case(operation_id))
        security = spec.get("security")
        resource, wrong = group(spec)
        if wrong:
            self.findings.under("x-resource").add(join(pointer, "x-resource"), wrong)
        return Operation(
            operation_id=operation_id,
            method_name=method_name,
            http_method=method.upper(),
            path=path,
            summary=text_or_none(spec.get("summary")),
            description=text_or_none(spec.get("description")),
            deprecated=bool(spec.get("deprecated")),
            parameters=parameters,
            body=body,
            successes=successes,
            errors=errors,
            security=self.default_security if security is None else requirements(security),
            pagination=pagination,
            iter_method_name=self.methods.claim(method_name + "_iter") if pagination else None,
            pointer=pointer,
            accept=accept(successes, errors),
            group=resource,
            fake=fake,
        )

    def _credential_headers(self, spec: dict[str, Any]) -> frozenset[str]:
        """The headers (lower case) that a security scheme of the operation sends."""
        data = self.document.data
        security = spec.get("security", data.get("security"))
        schemes = (data.get("components") or {}).get("securitySchemes") or {}
        keys = (
            {key for each in security if isinstance(each, dict) for key in each}
            if isinstance(security, list)
            else set()
        )
        found: set[str] = set()
        for key in keys & set(schemes if isinstance(schemes, dict) else ()):
            _, scheme = deref(data, join("/components/securitySchemes", key), schemes[key])
            kind = scheme.get("type") if isinstance(scheme, dict) else None
            if kind in ("http", "oauth2", "openIdConnect"):
                found.add("authorization")
            elif kind == "apiKey" and scheme.get("in") == "header" and isinstance(scheme.get("name"), str):
                found.add(scheme["name"].lower())
        return frozenset(found)

    def _parameter(
        self, raw: Any, pointer: str, hint: str, scope: NameScope, ignored: frozenset[str]
    ) -> Parameter | Problem | None:
        if not isinstance(raw, dict):
            self.findings.add(pointer, "a parameter must be an object; left out")
            return None
        location = raw.get("in")
        if location not in LOCATIONS:
            what = f"{location!r} parameters are not supported" if "in" in raw else "not a parameter (no 'in')"
            self.findings.add(join(pointer, "in") if "in" in raw else pointer, f"{what}; left out")
            return None
        if raw.get("name") in (None, ""):
            self.findings.add(pointer, "a parameter without a name; left out")
            return None
        wire_name = str(raw["name"])
        if location == "header" and wire_name.lower() in ignored:
            setter = "the client" if wire_name.lower() in IGNORED_HEADERS else "the operation's security scheme"
            message = (
                f"a header parameter named {wire_name!r} is ignored: {setter} sets it; extra_headers= overrides it"
            )
            self.findings.add(join(pointer, "name"), message)
            return None
        schema_pointer, raw_schema, as_json = self._parameter_schema(raw, pointer)
        type_ = self.schemas.parse(raw_schema, schema_pointer, hint + class_name(wire_name))
        if isinstance(type_, Problem):
            return type_
        schema = raw_schema if isinstance(raw_schema, dict) else {}
        default = self.schemas.default(type_, schema, schema_pointer, "models.")
        plain = literal(schema["default"]) if default is not None and spells_enums(type_) else default
        return Parameter(
            name=scope.claim(snake_case(wire_name)),
            wire_name=wire_name,
            location=cast(Location, location),
            type=type_,
            required=bool(raw.get("required")) or location == "path",
            default=default,
            description=text_or_none(raw.get("description")),
            schema_pointer=schema_pointer,
            json=as_json,
            plain_default=plain,
        )

    def _parameter_schema(self, raw: dict[str, Any], pointer: str) -> tuple[str, Any, bool]:
        """(pointer, schema, sent as JSON) of a parameter: its `schema`, or that of its `content` entry."""
        if "schema" in raw:
            return join(pointer, "schema"), raw["schema"], False
        content = raw.get("content")
        for media_type, media in content.items() if isinstance(content, dict) else []:
            if isinstance(media, dict) and "schema" in media:
                return join(pointer, "content", media_type, "schema"), media["schema"], is_json(str(media_type))
        self.findings.add(pointer, "a parameter without a schema is typed as str")
        return join(pointer, "schema"), {"type": "string"}, False

    def _content(self, raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """A request body's or answer's media types (each a dict), preferred first."""
        content = raw.get("content")
        if not isinstance(content, dict):
            return {}
        media = {str(m): value if isinstance(value, dict) else {} for m, value in content.items()}
        return {m: media[m] for m in sorted(media, key=rank)}

    def _body(self, raw: Any, pointer: str, hint: str) -> Body | Problem | None:
        if raw is None:
            return None
        pointer, raw = deref(self.document.data, pointer, raw)
        raw = raw if isinstance(raw, dict) else {}
        required, description = bool(raw.get("required")), text_or_none(raw.get("description"))
        content = self._content(raw)
        if not content:
            self.findings.add(pointer, "a request body without content is sent as raw bytes (application/octet-stream)")
            return Body(
                Scalar("bytes"),
                required,
                "application/octet-stream",
                description,
                "",
                "bytes",
                "application/octet-stream",
            )
        media_type = next(iter(content))
        kind: Encoding = "json" if structured(media_type, content[media_type]) else encoding(media_type)
        if kind in ("bytes", "text"):  # sent as it is: its schema says nothing more
            raw_type = Scalar("bytes" if kind == "bytes" else "str")
            return Body(raw_type, required, media_type, description, "", kind, content_type(media_type, kind))
        media_pointer = join(pointer, "content", media_type)
        schema_pointer = join(media_pointer, "schema") if "schema" in content[media_type] else ""
        if schema_pointer:
            type_ = self.schemas.parse(content[media_type]["schema"], schema_pointer, hint + "Request")
        else:
            type_ = self.schemas.loose(media_pointer, "a request body without a schema")
        if isinstance(type_, Problem):
            return type_
        return Body(type_, required, media_type, description, schema_pointer, kind, content_type(media_type, kind))

    def _responses(self, raw: Any, pointer: str, hint: str) -> tuple[list[Response], list[Response]] | Problem:
        """(successes, errors): the 2xx answers (or `default` when there is none), and the rest."""
        answers = {str(k): v for k, v in raw.items()} if isinstance(raw, dict) else {}
        success_keys = [k for k in answers if k.startswith("2")] or [k for k in answers if k == "default"]
        successes: list[Response] = []
        errors: list[Response] = []
        for key, value in answers.items():
            index = success_keys.index(key) if key in success_keys else -1
            suffix = f"Error{class_name(key)}" if index < 0 else "Response" if index == 0 else f"Response{key}"
            response = self._response(status_key(key), value, join(pointer, key), hint + suffix)
            if isinstance(response, Problem):
                return response
            if index >= 0:
                successes.append(response)
            if not key.startswith("2"):
                errors.append(response)
        return successes, errors

    def _response(self, status: str, raw: Any, pointer: str, hint: str) -> Response | Problem:
        pointer, raw = deref(self.document.data, pointer, raw)
        raw = raw if isinstance(raw, dict) else {}
        description = text_or_none(raw.get("description"))
        content = self._content(raw)
        if status in NO_BODY and content:
            self.findings.add(join(pointer, "content"), f"a {status} answer has no body; its content is ignored")
            content = {}
        if not content:
            return Response(status, None, description)
        media_type = next(iter(content))
        kind: Decoding = "json" if structured(media_type, content[media_type]) else decoding(media_type)
        if kind != "json":  # a file or text: bytes or str, as it came
            return Response(
                status, Scalar("str" if kind == "text" else "bytes"), description, kind, media_type, tuple(content)
            )
        schema_pointer = join(pointer, "content", media_type, "schema")
        type_ = self.schemas.parse(content[media_type].get("schema", True), schema_pointer, hint)
        if isinstance(type_, Problem):
            return type_
        return Response(status, type_, description, "json", media_type, tuple(content))


def requirements(security: Any) -> Requirements:
    """The alternatives of a `security` list, each the scheme names it needs together
    (an empty one: none); no alternative at all when nothing is required."""
    if not isinstance(security, list):
        return ()
    return tuple(dict.fromkeys(tuple(map(str, alt)) for alt in security if isinstance(alt, dict)))
