"""The typed intermediate model between a spec and the templates."""

from __future__ import annotations

import re
from dataclasses import replace

from ..identifiers import Code, NameScope, class_name
from ..load import Document
from ..problems import Problem
from ..sources import source_name
from . import resources as resource_groups
from .api import Api, Body, Operation, Parameter, Resource, Response, SecurityScheme, model_names
from .extension import Findings
from .fake import parse_collections
from .inference import infer
from .operations import RESERVED_METHODS, OperationParser, requirements
from .parts import split
from .schemas import SchemaParser
from .security import parse_schemes
from .server import parse_server
from .types import Alias, Enum, EnumMember, Field, ListOf, LiteralOf, MapOf, Model, Named, PyType, Scalar, UnionOf
from .unified import parse_unified

__all__ = [
    "Alias",
    "Api",
    "Body",
    "Enum",
    "EnumMember",
    "Field",
    "ListOf",
    "LiteralOf",
    "MapOf",
    "Model",
    "Named",
    "Operation",
    "Parameter",
    "PyType",
    "Resource",
    "Response",
    "Scalar",
    "SecurityScheme",
    "UnionOf",
    "build_api",
]

# Names the generated models module defines itself.
RESERVED_CLASSES = frozenset({"BaseModel"})


def build_api(document: Document, package: str) -> Api | list[Problem]:
    """The `Api` for a validated document (its `warnings` say what was typed
    loosely or left out), or every error that stops it."""
    data = document.data
    info = data.get("info") or {}
    findings = Findings(document)  # every parser's: what was typed loosely or left out
    schemas = SchemaParser(findings, NameScope(RESERVED_CLASSES))
    schemas.reserve_components()
    default_security = requirements(data.get("security"))
    collections = parse_collections(findings)
    operations, problems = OperationParser(findings, schemas, default_security, collections).parse_all()
    inferred = infer(data, operations)  # for the operations without x-fake
    operations = [replace(op, fake=inferred.actions.get(op.pointer, op.fake)) for op in operations]
    used = list(dict.fromkeys(name for op in operations for alternative in op.security for name in alternative))
    security = parse_schemes(findings, package, used)
    documented_url = _base_url(data.get("servers"))
    server = parse_server(findings, security, documented_url)
    supported = {scheme.key for scheme in security}
    for op in operations:
        # a scheme the client cannot send is left to the caller (`extra_headers`)
        op.security = tuple(dict.fromkeys(tuple(k for k in alt if k in supported) for alt in op.security))
    problems += schemas.parse_components()
    if problems:
        return sorted(set(problems))
    title = str(info.get("title") or package)
    client_name = class_name(str(info.get("x-client-name") or title))
    client_name = re.sub(r"Client$", "", client_name) or client_name
    resources = resource_groups.build(operations, data.get("tags"), RESERVED_METHODS, client_name)
    # with a finding, the vendor is left out of the `meetings` package
    unified = parse_unified(findings, operations, package, client_name + "Client")
    return Api(
        source=source_name(document.path),
        package=Code(package),
        client_name=Code(client_name),
        title=title,
        version=str(info.get("version", "")),
        description=info.get("description"),
        base_url="" if _self_hosted(data.get("servers")) else documented_url,
        documented_url=documented_url,
        models=schemas.models,
        enums=schemas.enums,
        aliases=schemas.aliases,
        operations=operations,
        model_parts=split(schemas.enums, schemas.models, schemas.aliases, _users(resources, operations)),
        resources=resources,
        security_schemes=security,
        document=data,
        warnings=sorted(set(findings.problems)),
        server=server,
        collections={
            **inferred.collections,
            **{name: c for name, c in collections.items() if c is not None},
        },
        unified=unified,
    )


def _users(resources: list[Resource], operations: list[Operation]) -> dict[str, set[str]]:
    """The generated types each resource's operations name, by resource; "" for the
    client's own operations."""
    users = {str(r.attribute): model_names(r.operations) for r in resources}
    return {**users, "": model_names([op for op in operations if not op.resource])}


def _base_url(servers: object) -> str:
    """The first server's URL, with each variable at its default."""
    if not isinstance(servers, list) or not servers:
        return ""
    server = servers[0]
    url = str(server.get("url", ""))
    for name, variable in (server.get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return url.rstrip("/")


def _self_hosted(servers: object) -> bool:
    """Whether the first server is one each customer runs (`x-self-hosted: true`):
    its URL is then an example, not a default, and `base_url` is required."""
    first = servers[0] if isinstance(servers, list) and servers else None
    return isinstance(first, dict) and first.get("x-self-hosted") is True
