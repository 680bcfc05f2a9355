"""Every operation of every vendor, through its generated client, sync and async.

Requests and canned responses come from the spec's own examples (synthesized
from the schema where a spec has none); the test checks the method, URL,
credentials and body that go out and the typed result or error that comes back.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pydantic
import pytest
from spec_driven import IDS, OPERATIONS, SPECS, VENDORS, Vendor, call, normalized, wire

from generator import pipeline
from generator.model import Operation
from generator.paths import METHODS


def test_every_spec_and_every_operation_is_covered() -> None:
    assert [v.api.package for v in VENDORS] == [pipeline.package_name(p) for p in SPECS]
    for vendor in VENDORS:
        paths = vendor.spec["paths"].values()
        declared = sum(1 for item in paths for method in METHODS if method in item)
        assert len(vendor.api.operations) == declared, vendor.api.package


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
    for p in op.in_location("path"):
        path = path.replace("{" + p.wire_name + "}", quote(str(wire(vendor.sample(p.type))), safe=""))
    assert request.url.raw_path.split(b"?")[0].decode() == httpx.URL(vendor.api.base_url + path).raw_path.decode()
    for p in op.keyword_parameters:
        if p.required and p.location != "path":
            target = request.url.params if p.location == "query" else request.headers
            assert p.wire_name in target, p.wire_name
    for scheme in vendor.api.security_schemes:
        if scheme.key in op.security:
            sent = request.headers if scheme.location == "header" else request.url.params
            assert "secret-" in sent[scheme.wire_name] or scheme.kind == "basic"
    if op.body is not None and op.body.encoding == "json":
        sent_body = json.loads(request.content)
        expected = vendor.example(vendor.operation_spec(op)["requestBody"])
        assert sent_body == (vendor.sample(op.body.type) if expected is None else normalized(expected))
    elif op.body is not None and op.body.encoding == "multipart" and (fields := vendor.sample(op.body.type)):
        assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
        for name in fields:
            assert f'name="{name}"'.encode() in request.content, name
    if success.type is None:
        assert result is None
    else:
        assert result == pydantic.TypeAdapter(vendor.type_of(op.return_annotation)).validate_python(response_data)


ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}
TYPED = [(v, o) for v, o in OPERATIONS if o.typed_errors]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("vendor", "op"), TYPED, ids=[f"{v.api.package}-{o.method_name}" for v, o in TYPED])
def test_each_error_status_raises_its_class_with_the_vendor_model(vendor: Vendor, op: Operation, mode: str) -> None:
    for error in op.typed_errors:
        if not error.status.isdigit():
            continue
        assert error.type is not None
        status = int(error.status)
        data = vendor.example(vendor.deref(vendor.operation_spec(op)["responses"][error.status]))
        data = vendor.sample(error.type) if data is None else data
        name = "InternalServerError" if status >= 500 else ERROR_CLASSES.get(status, "APIStatusError")
        with pytest.raises(getattr(vendor.package, name)) as caught:
            call(vendor, op, lambda request: httpx.Response(status, json=data), mode)
        assert caught.value.status_code == status
        expected = pydantic.TypeAdapter(vendor.type_of(error.type.annotation("models."))).validate_python(data)
        assert caught.value.body == expected, error.status
