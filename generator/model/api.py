"""The API as the templates see it: operations, parameters, security."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..identifiers import Code
from ..problems import Problem
from .types import Alias, Enum, Model, PyType, nullable

if TYPE_CHECKING:
    from .pagination import Pagination

Location = Literal["path", "query", "header", "cookie"]
Encoding = Literal["json", "form", "multipart"]  # how a request body is sent
Decoding = Literal["json", "bytes", "text"]  # how an answer is read


@dataclass
class Parameter:
    name: Code
    wire_name: str
    location: Location
    type: PyType
    required: bool
    default: Code | None
    description: str | None
    schema_pointer: str = ""  # where its schema is in the spec

    @property
    def annotation(self) -> Code:
        """The argument's annotation in the client module."""
        type_ = self.type if self.required or self.default else nullable(self.type)
        return type_.annotation("models.")


@dataclass
class Body:
    type: PyType
    required: bool
    media_type: str
    description: str | None
    schema_pointer: str = ""
    encoding: Encoding = "json"

    @property
    def annotation(self) -> Code:
        type_ = self.type if self.required else nullable(self.type)
        return type_.annotation("models.")


@dataclass
class Response:
    status: str  # "200", "4XX" or "default"
    type: PyType | None
    description: str | None
    decoding: Decoding = "json"
    media_type: str = "application/json"


@dataclass
class Operation:
    operation_id: str
    method_name: Code
    http_method: str
    path: str
    summary: str | None
    description: str | None
    deprecated: bool
    parameters: list[Parameter]
    body: Body | None
    success: Response | None
    errors: list[Response]
    security: list[str]  # keys of the schemes whose credentials are sent
    pagination: Pagination | None = None
    iter_method_name: Code | None = None  # the auto-paging twin, if it pages
    pointer: str = ""  # where the operation is in the spec

    @property
    def success_status(self) -> Code:
        """The status of the (first) 2xx answer; 200 when the spec says 2XX."""
        status = self.success.status if self.success else "200"
        return Code(status if status.isdigit() else "200")

    @property
    def paging_constant(self) -> Code:
        """The module constant that describes how this operation pages."""
        return Code(f"_{self.method_name.upper()}_PAGES")

    @property
    def path_parameters(self) -> list[Parameter]:
        return [p for p in self.parameters if p.location == "path"]

    @property
    def keyword_parameters(self) -> list[Parameter]:
        """Query, header and cookie parameters: required ones first."""
        rest = [p for p in self.parameters if p.location != "path"]
        return sorted(rest, key=lambda p: not (p.required and p.default is None))

    def in_location(self, location: Location) -> list[Parameter]:
        return [p for p in self.parameters if p.location == location]

    @property
    def return_annotation(self) -> Code:
        if self.success is None or self.success.type is None:
            return Code("None")
        return self.success.type.annotation("models.")

    @property
    def decoding(self) -> Decoding:
        return self.success.decoding if self.success else "json"

    @property
    def typed_errors(self) -> list[Response]:
        return [r for r in self.errors if r.type is not None]


@dataclass
class SecurityScheme:
    """A credential the client sends: where, under which name, and how."""

    key: str  # the name in components.securitySchemes
    kind: Literal["bearer", "api_key", "basic", "oauth2"]  # oauth2: the client-credentials grant
    location: Literal["header", "query"]
    wire_name: str  # header or query parameter name
    params: list[Code]  # constructor arguments that carry the credential
    env_vars: list[str]  # environment variables that may supply them instead
    description: str | None
    token_url: str = ""  # oauth2: where tokens come from
    scopes: list[str] = field(default_factory=list)  # oauth2: the scopes to ask for


@dataclass
class Api:
    source: str
    package: Code
    client_name: Code
    title: str
    version: str
    description: str | None
    base_url: str
    models: list[Model] = field(default_factory=list)
    enums: list[Enum] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    security_schemes: list[SecurityScheme] = field(default_factory=list)
    document: dict[str, Any] = field(default_factory=dict)  # the spec itself, served by the generated server
    sources: list[Path] = field(default_factory=list)  # every file the spec was read from
    warnings: list[Problem] = field(default_factory=list)  # what was typed loosely or left out

    @property
    def credential_arguments(self) -> list[Code]:
        return [param for scheme in self.security_schemes for param in scheme.params]

    @property
    def oauth(self) -> SecurityScheme | None:
        """The client-credentials scheme, whose token URL the client may override."""
        return next((s for s in self.security_schemes if s.kind == "oauth2"), None)

    @property
    def paginated(self) -> list[Operation]:
        return [op for op in self.operations if op.pagination is not None]

    def client_uses(self, module: str) -> bool:
        """Whether an annotation in the client module names `module`."""
        annotations = [
            a
            for op in self.operations
            for a in (op.return_annotation, *(p.annotation for p in op.parameters))
        ]
        annotations += [op.body.annotation for op in self.operations if op.body]
        return any(module + "." in a for a in annotations)
