"""Drive any generated client from its spec: sample arguments, canned responses."""

from __future__ import annotations

import asyncio
import datetime
import importlib
import json
import typing
import urllib.parse
from types import ModuleType
from typing import Any

import httpx
import pydantic
from conftest import ROOT

from generator import pipeline
from generator.model import Api, ListOf, LiteralOf, MapOf, Named, Operation, PyType, Scalar, UnionOf
from generator.pointers import ref_target, resolve
from generator.sources import discover

SPECS = discover(ROOT / "specs")
SAMPLE_SCALARS: dict[str, Any] = {
    "str": "sample-1",
    "int": 7,
    "float": 1.5,
    "bool": True,
    "datetime.datetime": "2026-01-02T03:04:05Z",
    "datetime.date": "2026-01-02",
    "bytes": "sample-1",
    "typing.Any": {"any": 1},
    "None": None,
}


class Vendor:
    def __init__(self, path: Any) -> None:
        built, findings = pipeline.check_spec(path)
        assert isinstance(built, Api), findings
        self.api = built
        self.spec = built.document  # as the generator read it: Swagger 2.0 converted, files bundled
        self.package: ModuleType = importlib.import_module(f"generated.{built.package}")
        models = importlib.import_module(f"generated.{built.package}.models")
        self.namespace = {"models": models, "datetime": datetime, "typing": typing}

    def operation_spec(self, op: Operation) -> dict[str, Any]:
        item = self.spec["paths"][op.path]
        return typing.cast(dict[str, Any], item[op.http_method.lower()])

    def deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = resolve(self.spec, ref_target(node["$ref"]) or "")
        return node

    def example(self, container: Any) -> Any:
        """The first example of a media type or its schema, if there is one."""
        media = next(iter((self.deref(container).get("content") or {}).values()), {})
        if "example" in media:
            return media["example"]
        for example in (media.get("examples") or {}).values():
            if "value" in (found := self.deref(example)):  # one that breaks its schema is left out
                return found["value"]
        schema = self.deref(media.get("schema", {}))
        return (schema.get("examples") or [None])[0]

    def type_of(self, annotation: str) -> Any:
        return eval(annotation, self.namespace)  # annotations the generator wrote

    def sample(self, type_: PyType, depth: int = 0) -> Any:
        """Wire data of `type_`: required fields only, first enum member."""
        if isinstance(type_, LiteralOf):
            return type_.values[0]
        if isinstance(type_, Scalar):
            return SAMPLE_SCALARS[type_.python]
        if isinstance(type_, ListOf):
            return [self.sample(type_.item, depth + 1)] if depth < 4 else []
        if isinstance(type_, MapOf):
            return {"key": self.sample(type_.value, depth + 1)} if depth < 4 else {}
        if isinstance(type_, UnionOf):
            return self.sample(type_.options[0], depth)
        assert isinstance(type_, Named)
        if type_.is_enum:
            enum = next(e for e in self.api.enums if e.name == type_.name)
            return enum.members[0].value
        model = next(m for m in self.api.models if m.name == type_.name)
        return {f.wire_name: self.sample(f.type, depth + 1) for f in model.fields if f.required}


VENDORS = [Vendor(path) for path in SPECS]
OPERATIONS = [(v, op) for v in VENDORS for op in v.api.operations]
IDS = [f"{v.api.package}-{op.method_name}" for v, op in OPERATIONS]


def arguments(vendor: Vendor, op: Operation) -> tuple[list[Any], dict[str, Any]]:
    """Sample positional and keyword arguments for `op`: required ones and the body."""
    positional = [python_value(vendor, p.type) for p in op.path_parameters]
    keywords = {p.name: python_value(vendor, p.type) for p in op.keyword_parameters if p.required}
    if op.body is not None:
        data = vendor.example(vendor.operation_spec(op)["requestBody"])
        data = vendor.sample(op.body.type) if data is None else data
        body_type = vendor.type_of(op.body.type.annotation("models."))
        keywords["body"] = pydantic.TypeAdapter(body_type).validate_python(data)
    return positional, keywords


def client_for(vendor: Vendor, handler: Any, mode: str, **options: Any) -> Any:
    """The vendor's sync or async client on a mock transport, with sample credentials."""
    needed = (param for scheme in vendor.api.security_schemes for param, _ in scheme.needed)
    credentials = {name: f"secret-{name}" for name in needed}
    name = ("Async" if mode == "async" else "") + vendor.api.client_name + "Client"
    transport = httpx.MockTransport(with_token_endpoint(vendor, handler))
    http = httpx.AsyncClient(transport=transport) if mode == "async" else httpx.Client(transport=transport)
    if not vendor.api.base_url:
        options.setdefault("base_url", "http://api.test")
    return getattr(vendor.package, name)(http_client=http, **credentials, **options)


def run(mode: str, call: Any) -> Any:
    """The result of `call()`, awaited for async clients."""
    return asyncio.run(call()) if mode == "async" else call()


def call(vendor: Vendor, op: Operation, handler: Any, mode: str, **options: Any) -> Any:
    """Call `op` with sample arguments on a client whose transport is `handler`."""
    positional, keywords = arguments(vendor, op)
    keywords["max_retries"] = 0  # retries have tests of their own
    client = client_for(vendor, handler, mode, **options)
    return run(mode, lambda: method(client, op)(*positional, **keywords))


def method(target: Any, op: Operation, name: str = "", raw: bool = False) -> Any:
    """`op`'s method (or its twin `name`) on a client or a handler; with `raw`, its
    `with_raw_response` twin."""
    owner = getattr(target, op.resource) if op.resource else target
    return getattr(owner.with_raw_response if raw else owner, name or op.method_name)


def with_token_endpoint(vendor: Vendor, handler: Any) -> Any:
    """`handler`, with the vendor's OAuth token endpoint (if any) in front of it."""
    token_url = vendor.api.oauth.token_url if vendor.api.oauth else None

    def handle(request: httpx.Request) -> httpx.Response:
        if str(request.url) == token_url:
            return httpx.Response(200, json={"access_token": "secret-token", "expires_in": 3600})
        return typing.cast(httpx.Response, handler(request))

    return handle


def python_value(vendor: Vendor, type_: PyType) -> Any:
    """A Python argument of `type_`, validated from sample wire data."""
    annotation = type_.annotation("models.")
    return pydantic.TypeAdapter(vendor.type_of(annotation)).validate_python(vendor.sample(type_))


def wire(value: Any) -> Any:
    return "true" if value is True else value


def normalized(data: Any) -> Any:
    """Example JSON as the client sends it back: floats for numbers stay equal."""
    return json.loads(json.dumps(data))


def fake_options(api: Api, root: str) -> dict[str, Any]:
    """The client's arguments for the vendor's served fake at `root`: its URL and the
    first credential of each kind the fake accepts; no retries."""
    server = importlib.import_module(f"generated.{api.package}.server")
    accepted = server.Credentials()
    options: dict[str, Any] = {"base_url": root + server.SETTINGS.base_path, "max_retries": 0}
    for scheme in api.security_schemes:
        if scheme.kind == "oauth2":
            client_id, secret = next(iter(accepted.clients.items()))
            token_path = urllib.parse.urlsplit(scheme.token_url).path
            options |= {"client_id": client_id, "client_secret": secret, "token_url": root + token_path}
        elif scheme.kind == "basic":
            options |= dict(zip(scheme.params, next(iter(accepted.users.items()))))
        else:
            options[scheme.params[0]] = min(accepted.api_keys if scheme.kind == "api_key" else accepted.tokens)
    return options
