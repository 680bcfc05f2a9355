"""Each generated package's README: its Python examples run, against a mock server."""

from __future__ import annotations

import importlib
import re
from typing import Any

import httpx
import pydantic
import pytest
from conftest import ROOT
from spec_driven import VENDORS, Vendor, with_token_endpoint

from generator.model import Operation

PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def router(vendor: Vendor) -> Any:
    """Answer any operation's request with its sample response (empty pages end paging)."""
    routes = [(op, re.compile(re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(vendor.api.base_url + op.path)) + "$")) for op in vendor.api.operations]

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
def test_readme_examples_run(vendor: Vendor, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
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
