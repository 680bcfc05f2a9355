"""Build `Operation`s from the spec's paths."""

from __future__ import annotations

from typing import Any, cast

from ..identifiers import RESERVED_PARAMETERS, Code, NameScope, class_name, snake_case
from ..load import join
from ..problems import Problem
from ..validate import ref_target
from .api import Body, Decoding, Encoding, Location, Operation, Parameter, Response
from .pagination import parse_pagination
from .schemas import SchemaParser
from .types import Scalar

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LOCATIONS = ("path", "query", "header", "cookie")
ENCODINGS: dict[str, Encoding] = {"application/x-www-form-urlencoded": "form", "multipart/form-data": "multipart"}
RESERVED_METHODS = frozenset({"close", "with_options", "with_raw_response"})


def is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def decoding(media_type: str) -> Decoding:
    """How an answer of this media type is read: JSON, text or raw bytes."""
    base = media_type.split(";")[0].strip().lower()
    return "json" if is_json(base) else "text" if base.startswith("text/") else "bytes"


class OperationParser:
    def __init__(self, schemas: SchemaParser, default_security: list[str]) -> None:
        self.schemas = schemas
        self.document = schemas.document
        self.default_security = default_security
        self.methods = NameScope(RESERVED_METHODS)

    def parse_all(self) -> tuple[list[Operation], list[Problem]]:
        operations: list[Operation] = []
        problems: list[Problem] = []
        for path, item in (self.document.data.get("paths") or {}).items():
            item_pointer = join("/paths", path)
            item, item_pointer = self._deref(item, item_pointer)
            for method in METHODS:
                if method in (item or {}):
                    result = self.parse(path, method, item, join(item_pointer, method))
                    if isinstance(result, Problem):
                        problems.append(result)
                    else:
                        operations.append(result)
        return operations, problems

    def _deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow `$ref`s (already checked to resolve) to the node they name."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target = ref_target(node["$ref"]) or ""
            if target in seen:
                break
            seen.add(target)
            node, pointer = self.document.resolve(target), target
        return node, pointer

    def parse(self, path: str, method: str, item: dict[str, Any], pointer: str) -> Operation | Problem:
        spec = item[method]
        operation_id = spec.get("operationId") or f"{method}{class_name(path)}"
        hint = class_name(operation_id)
        scope = NameScope(RESERVED_PARAMETERS)
        parameters: list[Parameter] = []
        with self.schemas.context("request"):
            for raw, raw_pointer in self._parameters(item, spec, pointer):
                parameter = self._parameter(raw, raw_pointer, hint, scope)
                if isinstance(parameter, Problem):
                    return parameter
                if parameter is not None:
                    parameters.append(parameter)
            body = self._body(spec.get("requestBody"), join(pointer, "requestBody"), hint)
        if isinstance(body, Problem):
            return body
        responses: list[Response] = []
        for status, raw in (spec.get("responses") or {}).items():
            response = self._response(status, raw, join(pointer, "responses", status), hint)
            if isinstance(response, Problem):
                return response
            responses.append(response)
        successes = [r for r in responses if r.status.startswith("2")]
        if len({r.type for r in successes}) > 1:
            self.schemas.warn(join(pointer, "responses"), "success responses with different bodies: the first is used")
        pagination = None
        if "x-pagination" in spec:
            success_type = successes[0].type if successes else None
            paging = parse_pagination(
                self.document, spec["x-pagination"], join(pointer, "x-pagination"),
                success_type, parameters, self.schemas.models,
            )  # fmt: skip
            if isinstance(paging, Problem):
                self.schemas.warnings.append(paging)
            else:
                pagination = paging
        method_name = self.methods.claim(snake_case(operation_id))
        security = spec.get("security")
        return Operation(
            operation_id=operation_id,
            method_name=method_name,
            http_method=method.upper(),
            path=path,
            summary=spec.get("summary"),
            description=spec.get("description"),
            deprecated=bool(spec.get("deprecated")),
            parameters=parameters,
            body=body,
            success=successes[0] if successes else None,
            errors=[r for r in responses if not r.status.startswith("2")],
            security=self.default_security if security is None else first_requirement(security),
            pagination=pagination,
            iter_method_name=self.methods.claim(method_name + "_iter") if pagination else None,
            pointer=pointer,
        )

    def _parameters(self, item: dict[str, Any], spec: dict[str, Any], pointer: str) -> list[tuple[Any, str]]:
        """Path-item parameters overridden by the operation's, by (name, in)."""
        item_pointer = pointer.rsplit("/", 1)[0]
        merged: dict[tuple[str, str], tuple[Any, str]] = {}
        for owner, owner_pointer in ((item, item_pointer), (spec, pointer)):
            for index, raw in enumerate(owner.get("parameters") or []):
                resolved, resolved_pointer = self._deref(raw, join(owner_pointer, "parameters", index))
                merged[(resolved.get("name", ""), resolved.get("in", ""))] = (resolved, resolved_pointer)
        return list(merged.values())

    def _parameter(self, raw: dict[str, Any], pointer: str, hint: str, scope: NameScope) -> Parameter | Problem | None:
        location = raw.get("in")
        if location not in LOCATIONS:
            self.schemas.warn(join(pointer, "in"), f"{location!r} parameters are not supported; left out")
            return None
        wire_name = str(raw.get("name", ""))
        schema_pointer, raw_schema = self._parameter_schema(raw, pointer)
        type_ = self.schemas.parse(raw_schema, schema_pointer, hint + class_name(wire_name))
        if isinstance(type_, Problem):
            return type_
        schema = raw_schema if isinstance(raw_schema, dict) else {}
        default = self.schemas.default(type_, schema, schema_pointer, "models.")
        return Parameter(
            name=scope.claim(snake_case(wire_name)),
            wire_name=wire_name,
            location=cast(Location, location),
            type=type_,
            required=bool(raw.get("required")) or location == "path",
            default=default,
            description=raw.get("description"),
            schema_pointer=schema_pointer,
        )

    def _parameter_schema(self, raw: dict[str, Any], pointer: str) -> tuple[str, Any]:
        """(pointer, schema) of a parameter: its `schema`, or that of its one `content` entry."""
        if "schema" in raw:
            return join(pointer, "schema"), raw["schema"]
        content = raw.get("content")
        for media_type, media in content.items() if isinstance(content, dict) else []:
            if isinstance(media, dict) and "schema" in media:
                return join(pointer, "content", media_type, "schema"), media["schema"]
        self.schemas.warn(pointer, "a parameter without a schema is typed as str")
        return join(pointer, "schema"), {"type": "string"}

    def _body(self, raw: Any, pointer: str, hint: str) -> Body | Problem | None:
        if raw is None:
            return None
        raw, pointer = self._deref(raw, pointer)
        content = raw.get("content") or {}
        media_type = next((m for m in content if is_json(m)), None) or next((m for m in content if m in ENCODINGS), None)
        if media_type is None:
            kinds = ", ".join(content) or "no content"
            return self.document.problem(join(pointer, "content"), f"request bodies of {kinds} are not supported yet", "unsupported")
        schema_pointer = join(pointer, "content", media_type, "schema")
        type_ = self.schemas.parse(content[media_type].get("schema", True), schema_pointer, hint + "Request")
        if isinstance(type_, Problem):
            return type_
        encoding = ENCODINGS.get(media_type, "json")
        return Body(type_, bool(raw.get("required")), media_type, raw.get("description"), schema_pointer, encoding)

    def _response(self, status: str, raw: Any, pointer: str, hint: str) -> Response | Problem:
        raw, pointer = self._deref(raw, pointer)
        content = raw.get("content") or {}
        description = raw.get("description")
        if not content:
            return Response(status, None, description)
        media_type = next((m for m in content if is_json(m)), None)
        if media_type is None:
            other = next(iter(content))
            if status.startswith("2"):  # a file or text: bytes or str, as it came
                kind = decoding(other)
                return Response(status, Scalar("str" if kind == "text" else "bytes"), description, kind, other)
            return Response(status, None, description)  # an error body we keep as text
        suffix = "Response" if status.startswith("2") else f"Error{class_name(status)}"
        schema_pointer = join(pointer, "content", media_type, "schema")
        type_ = self.schemas.parse(content[media_type].get("schema", True), schema_pointer, hint + suffix)
        if isinstance(type_, Problem):
            return type_
        return Response(status, type_, description)


def first_requirement(security: Any) -> list[str]:
    """Scheme names of the first alternative; none when auth is optional."""
    if not isinstance(security, list) or not security or not isinstance(security[0], dict):
        return []
    return list(security[0])
