"""Each generated package's README: its Python examples run, against a mock server."""

from __future__ import annotations

import importlib
import re
from typing import Any

import httpx
import pydantic
import pytest
from conftest import ROOT, served
from spec_driven import VENDORS, Vendor, arguments, method, with_token_endpoint

from generator.model import Operation

PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def router(vendor: Vendor) -> Any:
    """Answer any operation's request with its sample response (empty pages end paging)."""
    routes = [
        (
            op,
            re.compile(
                re.sub(
                    r"\\\{[^}]*\\\}", "[^/]+", re.escape((vendor.api.base_url or vendor.api.documented_url) + op.path)
                )
                + "$"
            ),
        )
        for op in vendor.api.operations
    ]

    def handle(request: httpx.Request) -> httpx.Response:
        url = str(request.url.copy_with(query=None))
        op = next(op for op, pattern in routes if op.http_method == request.method and pattern.match(url))
        return respond(vendor, op)

    return with_token_endpoint(vendor, handle)


def respond(vendor: Vendor, op: Operation) -> httpx.Response:
    assert op.success is not None
    if op.success.type is None:
        return httpx.Response(int(op.success.status))
    data = vendor.sample(op.success.type)
    if op.pagination is not None:
        page = pydantic.TypeAdapter(vendor.type_of(op.return_annotation)).validate_python(data)
        holder = page
        for name in op.pagination.items[:-1]:
            holder = getattr(holder, name)
        setattr(holder, op.pagination.items[-1], [])
        data = page.model_dump(mode="json", by_alias=True)
    return httpx.Response(int(op.success.status), json=data)


@pytest.mark.parametrize("vendor", VENDORS, ids=[v.api.package for v in VENDORS])
def test_readme_examples_run(
    vendor: Vendor, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "generated" / vendor.api.package / "README.md").read_text(encoding="utf-8")
    blocks = PYTHON_BLOCK.findall(readme)
    expected = {"Authentication", "Calling an operation", "Async", "Errors"}
    assert expected <= set(re.findall(r"^## (.+)$", readme, re.MULTILINE))
    assert ("## Pagination" in readme) == bool(vendor.api.paginated)
    runtime = importlib.import_module(f"generated.{vendor.api.package}._base_client")
    transport = httpx.MockTransport(router(vendor))
    monkeypatch.setattr(runtime.SyncAPIClient, "_new_client", lambda self: httpx.Client(transport=transport))
    monkeypatch.setattr(runtime.AsyncAPIClient, "_new_client", lambda self: httpx.AsyncClient(transport=transport))
    namespace: dict[str, Any] = {}
    for index, block in enumerate(blocks):
        exec(compile(block, f"{vendor.api.package}/README.md block {index}", "exec"), namespace)
    printed = capsys.readouterr().out
    assert printed.count("\n") >= 3, printed


@pytest.mark.parametrize("vendor", [v for v in VENDORS if v.api.operations], ids=lambda v: v.api.package)
def test_the_readmes_client_for_the_fake_is_let_in_by_the_served_fake(vendor: Vendor) -> None:
    readme = (ROOT / "generated" / vendor.api.package / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(r"^fake = .*$", readme, re.MULTILINE)
    server = importlib.import_module(f"generated.{vendor.api.package}.server")
    reads = [op for op in vendor.api.operations if op.http_method == "GET" and not op.path_parameters]
    op = reads[0] if reads else vendor.api.operations[0]
    with served(server.create_app()) as root:
        namespace: dict[str, Any] = {
            vendor.api.client_name + "Client": getattr(vendor.package, vendor.api.client_name + "Client")
        }
        exec(line.replace("http://127.0.0.1:8000", root), namespace)
        positional, keywords = arguments(vendor, op)
        with namespace["fake"] as fake:
            try:
                method(fake, op)(*positional, **keywords)
            except vendor.package.APIStatusError as error:  # a missing item, say: but never a refused credential
                assert error.status_code not in (401, 403), error
