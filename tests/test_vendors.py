"""Every operation of every vendor, through its generated client, sync and async.

Requests and canned responses come from the spec's own examples (synthesized
from the schema where a spec has none); the test checks the method, URL,
credentials and body that go out and the typed result or error that comes back.
"""

from __future__ import annotations

import asyncio
import datetime
import importlib
import json
import typing
from types import ModuleType
from typing import Any
from urllib.parse import quote

import httpx
import pydantic
import pytest

from conftest import ROOT
from generator import pipeline
from generator.load import Document, load
from generator.model import Api, ListOf, MapOf, Named, Operation, PyType, Scalar, UnionOf

SPECS = pipeline.discover(ROOT / "specs")
SAMPLE_SCALARS: dict[str, Any] = {
    "str": "sample-1",
    "int": 7,
    "float": 1.5,
    "bool": True,
    "datetime.datetime": "2026-01-02T03:04:05Z",
    "datetime.date": "2026-01-02",
    "typing.Any": {"any": 1},
    "None": None,
}


class Vendor:
    def __init__(self, path: Any) -> None:
        document = load(path)
        assert isinstance(document, Document)
        self.document = document
        built = pipeline.check_spec(path)
        assert isinstance(built, Api), built
        self.api = built
        self.package: ModuleType = importlib.import_module(f"generated.{built.package}")
        models = importlib.import_module(f"generated.{built.package}.models")
        self.namespace = {"models": models, "datetime": datetime, "typing": typing}

    def operation_spec(self, op: Operation) -> dict[str, Any]:
        item = self.document.data["paths"][op.path]
        return typing.cast(dict[str, Any], item[op.http_method.lower()])

    def deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = self.document.resolve(node["$ref"][1:])
        return node

    def example(self, container: Any) -> Any:
        """The first example of a media type or its schema, if there is one."""
        media = next(iter((self.deref(container).get("content") or {}).values()), {})
        if "example" in media:
            return media["example"]
        for example in (media.get("examples") or {}).values():
            return self.deref(example)["value"]
        schema = self.deref(media.get("schema", {}))
        return (schema.get("examples") or [None])[0]

    def type_of(self, annotation: str) -> Any:
        return eval(annotation, self.namespace)  # annotations the generator wrote

    def sample(self, type_: PyType, depth: int = 0) -> Any:
        """Wire data of `type_`: required fields only, first enum member."""
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


def test_every_vendor_is_covered() -> None:
    assert sorted(v.api.package for v in VENDORS) == ["genesys", "joinme", "portsip", "pyas", "ringcentral"]
    counts = {v.api.package: len(v.api.operations) for v in VENDORS}
    assert counts == {"genesys": 8, "joinme": 5, "portsip": 23, "pyas": 5, "ringcentral": 7}


def call(vendor: Vendor, op: Operation, handler: Any, mode: str) -> Any:
    """Call `op` with sample arguments on a client whose transport is `handler`."""
    positional = [_python(vendor, p.type) for p in op.path_parameters]
    keywords = {p.name: _python(vendor, p.type) for p in op.keyword_parameters if p.required}
    keywords["max_retries"] = 0  # retries have tests of their own
    if op.body is not None:
        data = vendor.example(vendor.operation_spec(op)["requestBody"])
        data = vendor.sample(op.body.type) if data is None else data
        keywords["body"] = pydantic.TypeAdapter(vendor.type_of(op.body.type.annotation("models."))).validate_python(data)
    credentials = {name: f"secret-{name}" for name in vendor.api.credential_arguments}
    client_name = vendor.api.client_name + "Client"
    handler = with_token_endpoint(vendor, handler)
    if mode == "sync":
        with httpx.Client(transport=httpx.MockTransport(handler)) as http:
            client = getattr(vendor.package, client_name)(http_client=http, **credentials)
            return getattr(client, op.method_name)(*positional, **keywords)

    async def run() -> Any:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = getattr(vendor.package, "Async" + client_name)(http_client=http, **credentials)
            return await getattr(client, op.method_name)(*positional, **keywords)

    return asyncio.run(run())


def with_token_endpoint(vendor: Vendor, handler: Any) -> Any:
    """`handler`, with the vendor's OAuth token endpoint (if any) in front of it."""
    token_url = vendor.api.oauth.token_url if vendor.api.oauth else None

    def handle(request: httpx.Request) -> httpx.Response:
        if str(request.url) == token_url:
            return httpx.Response(200, json={"access_token": "secret-token", "expires_in": 3600})
        return typing.cast(httpx.Response, handler(request))

    return handle


def _python(vendor: Vendor, type_: PyType) -> Any:
    """A Python argument of `type_`, validated from sample wire data."""
    annotation = type_.annotation("models.")
    return pydantic.TypeAdapter(vendor.type_of(annotation)).validate_python(vendor.sample(type_))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("vendor", "op"), OPERATIONS, ids=IDS)
def test_operation_round_trip(vendor: Vendor, op: Operation, mode: str) -> None:
    success = op.success
    assert success is not None, f"{op.operation_id} has no 2xx response"
    response_data = None
    if success.type is not None:
        response_data = vendor.example(vendor.deref(vendor.operation_spec(op)["responses"][success.status]))
        response_data = vendor.sample(success.type) if response_data is None else response_data
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if response_data is None:
            return httpx.Response(int(success.status))
        return httpx.Response(int(success.status), json=response_data)

    result = call(vendor, op, handler, mode)
    (request,) = seen
    assert request.method == op.http_method
    path = op.path
    for p in op.path_parameters:
        path = path.replace("{" + p.wire_name + "}", quote(str(_wire(vendor.sample(p.type))), safe=""))
    assert request.url.raw_path.split(b"?")[0].decode() == httpx.URL(vendor.api.base_url + path).raw_path.decode()
    for p in op.keyword_parameters:
        if p.required:
            target = request.url.params if p.location == "query" else request.headers
            assert p.wire_name in target, p.wire_name
    for scheme in vendor.api.security_schemes:
        if scheme.key in op.security:
            sent = request.headers if scheme.location == "header" else request.url.params
            assert "secret-" in sent[scheme.wire_name] or scheme.kind == "basic"
    if op.body is not None:
        sent_body = json.loads(request.content)
        expected = vendor.example(vendor.operation_spec(op)["requestBody"])
        assert sent_body == (vendor.sample(op.body.type) if expected is None else _normalized(expected))
    if success.type is None:
        assert result is None
    else:
        assert result == pydantic.TypeAdapter(vendor.type_of(op.return_annotation)).validate_python(response_data)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("vendor", "op"), [(v, o) for v, o in OPERATIONS if o.typed_errors], ids=[i for i, (v, o) in zip(IDS, OPERATIONS) if o.typed_errors])
def test_operation_error_is_typed(vendor: Vendor, op: Operation, mode: str) -> None:
    error = next((r for r in op.typed_errors if r.status[0] in "45" and r.status[1:].isdigit()), None)
    if error is None:
        pytest.skip("only range or default error responses")
    assert error.type is not None
    data = vendor.example(vendor.deref(vendor.operation_spec(op)["responses"][error.status]))
    data = vendor.sample(error.type) if data is None else data
    with pytest.raises(vendor.package.APIStatusError) as caught:
        call(vendor, op, lambda request: httpx.Response(int(error.status), json=data), mode)
    assert caught.value.status_code == int(error.status)
    expected = pydantic.TypeAdapter(vendor.type_of(error.type.annotation("models."))).validate_python(data)
    assert caught.value.body == expected


def _wire(value: Any) -> Any:
    return "true" if value is True else value


def _normalized(data: Any) -> Any:
    """Example JSON as the client sends it back: floats for numbers stay equal."""
    return json.loads(json.dumps(data))
