"""The API as the templates see it: operations, parameters, security."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from ..identifiers import Code, constant_name
from ..problems import Problem
from ..runtime._fake_records import Collection, FakeAction
from ..runtime._server_records import ServerSettings
from ..runtime._unified_records import VendorMap
from .parts import ModelPart, named
from .types import ANY, NONE, Alias, Enum, Imports, Model, PyType, UnionOf, names_enum, nullable

Location = Literal["path", "query", "header", "cookie"]
Encoding = Literal["json", "form", "multipart", "bytes", "text"]  # how a request body is sent
Decoding = Literal["json", "bytes", "text"]  # how an answer is read
Reading = Literal["empty", "json", "bytes", "text", "by_status"]  # how a method reads its answer
# How an operation's pages link up (`x-pagination`, or inferred): a cursor from the body,
# an offset, a page number, or the URL of an RFC 8288 `Link: <...>; rel="next"` header.
Style = Literal["cursor", "offset", "page", "link"]
MODELS = "models."  # how the client's modules qualify the generated types


@dataclass(frozen=True)
class Argument:
    """An argument of a method, as a template writes it (its `parameter` filter):
    `name: annotation = default`."""

    name: Code
    annotation: Code
    default: Code | None = None


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
    json: bool = False  # a `content` parameter of a JSON media type: sent as JSON text
    # The default as its JSON value, which the annotation accepts (an enum's value,
    # not its member): the server's handler interface shows it, so that importing
    # the interface loads no model.
    plain_default: Code | None = None

    @property
    def annotation(self) -> Code:
        """The argument's annotation in the client module."""
        type_ = self.type if self.required or self.default else nullable(self.type)
        return type_.annotation(MODELS, accepting="plain")

    @property
    def value(self) -> Code:
        """The expression the client sends for it."""
        if self.json:
            return Code(f"json_value({self.name})")
        if self.checked:
            return Code(f"checked({self.type.annotation(MODELS)}, {self.name})")
        return self.name

    @property
    def checked(self) -> bool:
        """Whether the client checks the value it is given: a literal the type checker
        let through for an enum is converted (or refused) by `checked`."""
        return not self.json and names_enum(self.type)


@dataclass
class Body:
    type: PyType
    required: bool
    media_type: str  # the preferred of its media types
    description: str | None
    schema_pointer: str = ""  # the schema the server checks it against; "" for none
    encoding: Encoding = "json"
    content_type: str = ""  # the Content-Type the client sets; "" when httpx sets it

    @property
    def annotation(self) -> Code:
        type_ = self.type if self.required else nullable(self.type)
        return type_.annotation(MODELS)


@dataclass
class Response:
    status: str  # "200", "4XX" or "default"
    type: PyType | None  # None: no body, or one that is not read
    description: str | None
    decoding: Decoding = "json"
    media_type: str = ""  # the preferred of its media types; "" for none
    media_types: tuple[str, ...] = ()  # every one it declares, preferred first

    @property
    def status_code(self) -> Code:
        """The status a server answers with: 200 for `2XX` or `default`."""
        return Code(self.status if self.status.isdigit() else "200")

    @property
    def kind(self) -> Code:
        """How its body is read and written: empty, json, bytes or text."""
        return Code("empty" if self.type is None else self.decoding)

    @property
    def annotation(self) -> Code:
        return Code("None") if self.type is None else self.type.annotation(MODELS)

    @property
    def reader(self) -> Code:
        """What the client's per-status table says for it: a type, `Raw.BYTES`, `Raw.TEXT` or None."""
        if self.type is not None and self.decoding != "json":
            return Code(f"Raw.{self.decoding.upper()}")
        return self.annotation


@dataclass(frozen=True)
class Pagination:
    """How an operation pages: its `x-pagination` (read by `pagination.py`), else a
    well-known convention it follows (`paging_inferred.py`). The paths and argument
    names are the client's; `wire` has the same facts as the spec names them (the fake's)."""

    style: Style
    items: tuple[str, ...]  # attribute path from a page to its list of items; () for the page itself
    item_type: PyType
    param: Code  # the argument that selects a page
    position: tuple[str, ...]  # cursor: the next cursor; page: the current page number
    limit_param: Code | None  # the page-size argument
    total: tuple[str, ...]  # offset: the item count; page: the page count
    wire: PagingWire


@dataclass(frozen=True)
class PagingWire:
    """A `Pagination` in the spec's names: query parameters, JSON pointers into the 2xx body."""

    items: str  # "" for the body itself
    param: str
    position: str = ""
    limit: str = ""
    total: str = ""


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
    successes: list[Response]  # the 2xx answers; `default` when there is none
    errors: list[Response]
    security: Requirements  # alternatives (any one will do), each the keys of the schemes it sends
    pagination: Pagination | None = None
    iter_method_name: Code | None = None  # the auto-paging twin, if it pages
    pointer: str = ""  # where the operation is in the spec
    accept: str = ""  # the Accept header: its media types, the preferred first
    group: str = ""  # the resource the spec puts it in: `x-resource` or its first tag
    resource: Code = Code("")  # the client attribute of its resource; "" when on the client itself
    fake: FakeAction | None = None  # what the fake does for it (its `x-fake`, else inferred)

    @property
    def success(self) -> Response | None:
        """The first success answer."""
        return self.successes[0] if self.successes else None

    @property
    def results(self) -> list[Response]:
        """What a server may answer: the successes, or an empty 200."""
        return self.successes or [Response("200", None, None)]

    @property
    def call_name(self) -> str:
        """How a user calls it: `client.meetings.delete_meeting()`."""
        return f"client.{self.resource + '.' if self.resource else ''}{self.method_name}()"

    @property
    def paging_constant(self) -> Code:
        """The module constant that describes how this operation pages."""
        return Code(f"_{self.method_name.upper()}_PAGES")

    @property
    def path_parameters(self) -> list[Parameter]:
        """The positional arguments: path parameters without a default (`~` for
        "my account" is one) in template order."""
        return [p for p in self.parameters if p.location == "path" and p.default is None]

    @property
    def positional(self) -> list[Argument]:
        """The method's positional arguments (its path parameters), annotated."""
        return [Argument(p.name, p.annotation) for p in self.path_parameters]

    @property
    def keywords(self) -> list[Argument]:
        """The method's keyword-only arguments from the spec: the body, then the rest; with defaults."""
        return self._keywords(plain=False)

    @property
    def handler_keywords(self) -> list[Argument]:
        """The keyword-only arguments of its server handler: as `keywords`, with
        plain defaults (an enum's value) that need no model at import."""
        return self._keywords(plain=True)

    def _keywords(self, plain: bool) -> list[Argument]:
        arguments = []
        if self.body is not None:
            arguments.append(Argument(Code("body"), self.body.annotation, None if self.body.required else Code("None")))
        for p in self.keyword_parameters:
            default = p.plain_default if plain else p.default
            arguments.append(Argument(p.name, p.annotation, default or (None if p.required else Code("None"))))
        return arguments

    @property
    def imports(self) -> Imports:
        """The modules its method names (`models`, `datetime`, `typing`): in an annotation,
        an error type, a status's type or a pager's items."""
        found = [p.type.imports(MODELS, accepting="plain") for p in self.parameters]
        found += [t.imports(MODELS) for t in self._answer_types]
        return frozenset().union(*found)

    @property
    def model_names(self) -> set[str]:
        """The generated types its method names, as `imports` finds them."""
        return set().union(*(named(t) for t in [p.type for p in self.parameters] + self._answer_types))

    @property
    def _answer_types(self) -> list[PyType]:
        """The types of its body, answers, typed errors and pages."""
        found = [self.return_type, self.body.type if self.body else None]
        found += [r.type for r in self.successes + self.typed_errors]
        found += [self.pagination.item_type] if self.pagination else []
        return [t for t in found if t is not None]

    @property
    def argument_names(self) -> list[Code]:
        """Every argument from the spec, by name: what the auto-paging twin passes on."""
        names = [p.name for p in self.path_parameters + self.keyword_parameters]
        return names + [Code("body")] if self.body is not None else names

    @property
    def sent(self) -> list[tuple[Code, list[Parameter]]]:
        """The request's parameters by the `_request` argument that carries them; only those used."""
        where = (("path_params", "path"), ("params", "query"), ("headers", "header"), ("cookies", "cookie"))
        groups = [(Code(argument), self.in_location(cast(Location, location))) for argument, location in where]
        return [(argument, params) for argument, params in groups if params]

    @property
    def returns(self) -> bool:
        """Whether the method returns the answer's body."""
        return self.reading != "empty"

    @property
    def keyword_parameters(self) -> list[Parameter]:
        """The rest, keyword-only: query, header and cookie parameters and path
        parameters with a default; required ones first."""
        rest = [p for p in self.parameters if p not in self.path_parameters]
        return sorted(rest, key=lambda p: not (p.required and p.default is None))

    def in_location(self, location: Location) -> list[Parameter]:
        return [p for p in self.parameters if p.location == location]

    @property
    def return_type(self) -> PyType | None:
        """The union of the success types (None for an empty answer); None when none has a body."""
        if all(r.type is None for r in self.successes):
            return None
        types = [NONE if r.type is None else r.type for r in self.successes]
        options = list(dict.fromkeys(o for t in types for o in (t.options if isinstance(t, UnionOf) else (t,))))
        if ANY in options:
            return ANY
        rest = [o for o in options if o != NONE]
        type_ = rest[0] if len(rest) == 1 else UnionOf(tuple(rest))
        return nullable(type_) if NONE in options else type_

    @property
    def return_annotation(self) -> Code:
        type_ = self.return_type
        return Code("None") if type_ is None else type_.annotation(MODELS)

    @property
    def reading(self) -> Reading:
        """How the client reads the answer: one way for every success status, or by status."""
        kinds = {(r.kind, r.type) for r in self.successes}
        if len(kinds) > 1:
            return "by_status"
        return cast(Reading, next(iter(kinds))[0]) if kinds else "empty"

    @property
    def returns_doc(self) -> str:
        """Which type comes back on which status, for the method's docstring."""
        statuses: dict[str, list[str]] = {}
        for response in self.successes:
            statuses.setdefault(response.annotation, []).append(response.status)
        return "; ".join(f"{annotation} on {', '.join(codes)}" for annotation, codes in statuses.items())

    @property
    def typed_errors(self) -> list[Response]:
        """Error answers with a JSON model, which an `APIStatusError` carries as its body."""
        return [r for r in self.errors if r.type is not None and r.decoding == "json"]


@dataclass
class Resource:
    """Operations reached as `client.<attribute>`: one module of the client and one of the server."""

    attribute: Code  # on the client, and the module's name
    class_name: Code  # `Meetings`: the sync class; `AsyncMeetings`, `MeetingsHandlers`...
    title: str  # the tag (or x-resource) it comes from
    description: str | None
    operations: list[Operation] = field(default_factory=list)

    @property
    def runtime_imports(self) -> list[Code]:
        return runtime_imports(self.operations)

    @property
    def paginated(self) -> list[Operation]:
        return [op for op in self.operations if op.pagination is not None]

    def uses(self, module: str) -> bool:
        return uses(self.operations, module)


# An operation's `security`: alternatives (any one will do), each the scheme keys it needs
# together; an empty alternative needs nothing, and so does an empty tuple.
Requirements = tuple[tuple[str, ...], ...]


@dataclass
class SecurityScheme:
    """A credential the client sends: where, under which name, and how."""

    key: str  # the name in components.securitySchemes
    kind: Literal["bearer", "api_key", "basic", "oauth2"]  # oauth2: the client-credentials grant
    location: Literal["header", "query"]
    wire_name: str  # header or query parameter name
    params: list[Code]  # constructor arguments that carry the credential, the needed ones first
    env_vars: list[str]  # environment variables that may supply them instead
    description: str | None
    token_url: str = ""  # oauth2: where tokens come from; bearer: where one is renewed
    scopes: list[str] = field(default_factory=list)  # oauth2: the scopes to ask for

    @property
    def needed(self) -> list[tuple[Code, str]]:
        """(argument, environment variable) of each credential the scheme cannot do
        without: a bearer token's refresh token and client are optional."""
        needed = self.params[:1] if self.kind == "bearer" else self.params
        return list(zip(needed, self.env_vars))


@dataclass(frozen=True)
class Api:
    source: str
    package: Code
    client_name: Code
    title: str
    version: str
    description: str | None
    base_url: str  # the default server; "" for none (a self-hosted API, or no servers)
    documented_url: str = ""  # the spec's first server, placeholder or not
    models: list[Model] = field(default_factory=list)
    enums: list[Enum] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    model_parts: list[ModelPart] = field(default_factory=list)  # the models module, or the parts of the package
    security_schemes: list[SecurityScheme] = field(default_factory=list)
    document: dict[str, Any] = field(default_factory=dict)  # the spec itself, served by the generated server
    unified: VendorMap | None = None  # its place in the `meetings` package (`x-unified`)
    sources: list[Path] = field(default_factory=list)  # every file the spec was read from
    warnings: list[Problem] = field(default_factory=list)  # what was typed loosely or left out
    server: ServerSettings = field(default_factory=ServerSettings)  # `x-server`, auth and paths
    collections: dict[str, Collection] = field(default_factory=dict)  # the fake's (`x-fake`, else inferred)

    @property
    def root_operations(self) -> list[Operation]:
        """The operations on the client itself: those of no resource."""
        return [op for op in self.operations if not op.resource]

    @property
    def root_paginated(self) -> list[Operation]:
        return [op for op in self.root_operations if op.pagination is not None]

    @property
    def client_imports(self) -> list[Code]:
        """What the client module takes from the runtime beside its fixed names."""
        kinds = {scheme.kind for scheme in self.security_schemes}
        names = ["basic_credentials"] if "basic" in kinds else []
        names += ["bearer_token"] if "bearer" in kinds else []
        names += ["OAuthClientCredentials"] if "oauth2" in kinds else []
        names += ["LazyModule"] if self.client_uses("models") else []
        return [Code(n) for n in names] + runtime_imports(self.root_operations)

    @property
    def base_url_env(self) -> Code:
        """The environment variable a client's `base_url` defaults to."""
        return Code(constant_name(f"{self.package}_base_url"))

    @property
    def credential_arguments(self) -> dict[Code, str]:
        """The constructor's credential arguments (schemes may share one) and the
        environment variable each defaults to."""
        pairs = (pair for scheme in self.security_schemes for pair in zip(scheme.params, scheme.env_vars))
        return dict(pairs)

    def schemes_of(self, param: str) -> str:
        """The keys of the schemes that take credential argument `param`, for its docstring."""
        keys = [repr(s.key) for s in self.security_schemes if param in s.params]
        return ("the scheme " if len(keys) == 1 else "the schemes ") + ", ".join(keys)

    @property
    def oauth(self) -> SecurityScheme | None:
        """The client-credentials scheme, whose token URL the client may override."""
        return next((s for s in self.security_schemes if s.kind == "oauth2"), None)

    @property
    def fake_actions(self) -> dict[Code, FakeAction]:
        """What the fake does, by handler method."""
        return {op.method_name: op.fake for op in self.operations if op.fake is not None}

    @property
    def paginated(self) -> list[Operation]:
        return [op for op in self.operations if op.pagination is not None]

    @property
    def by_status(self) -> list[Operation]:
        """Operations whose answer's type depends on its status."""
        return [op for op in self.operations if op.reading == "by_status"]

    @property
    def raw_bodies(self) -> list[Operation]:
        """Operations whose request body is sent as bytes or text."""
        return [op for op in self.operations if op.body is not None and op.body.encoding in ("bytes", "text")]

    def model_imports(self, resource: Resource) -> list[Code]:
        """The model parts a resource's module imports: those defining the types its
        operations name (each imports the earlier parts it needs); none for `models.py`."""
        if len(self.model_parts) == 1:
            return []
        found = {self._part_of[name] for name in model_names(resource.operations) if name in self._part_of}
        return [self.model_parts[index].module for index in sorted(found)]

    @functools.cached_property
    def _part_of(self) -> dict[str, int]:
        """The index of the model part defining each generated type, by its name."""
        return {name: index for index, part in enumerate(self.model_parts) for name in part.names}

    def client_uses(self, module: str) -> bool:
        """Whether an annotation of the client module names `module` (`datetime`, `models`)."""
        return uses(self.root_operations, module)


def uses(operations: list[Operation], module: str) -> bool:
    """Whether the methods of these operations name `module` (`models`, `datetime`)."""
    return any(module in op.imports for op in operations)


def model_names(operations: list[Operation]) -> set[str]:
    """The generated types the methods of these operations name."""
    return set().union(*(op.model_names for op in operations))


def runtime_imports(operations: list[Operation]) -> list[Code]:
    """The runtime names that methods of these operations need, beyond the client's own."""
    names = ["Pagination"] if any(op.pagination for op in operations) else []
    names += ["parse"] if any(op.reading == "json" for op in operations) else []
    names += ["Raw", "parse_by_status"] if any(op.reading == "by_status" for op in operations) else []
    names += ["json_value"] if any(p.json for op in operations for p in op.parameters) else []
    names += ["checked"] if any(p.checked for op in operations for p in op.parameters) else []
    return [Code(name) for name in names]
