"""Each vendor's generated client on the runtime: a smoke test driven from `specs/`.

The runtime's own behaviour (retries, options, raw responses, OAuth, paging) is
tested once, in `test_base_client.py`; here each vendor's client shows that it
wires credentials, paging and forward-compatible models as its spec says.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
from typing import Any

import httpx
import pydantic
import pytest
from spec_driven import VENDORS, Vendor, arguments, client_for, method, run, with_token_endpoint

from generator.model import Named, Operation
from generator.model.types import without_none

IDS = [v.api.package for v in VENDORS]


def success_data(vendor: Vendor, op: Operation) -> Any:
    assert op.success is not None
    if op.success.type is None:
        return None
    data = vendor.example(vendor.deref(vendor.operation_spec(op)["responses"][op.success.status]))
    return vendor.sample(op.success.type) if data is None else data


def ok(vendor: Vendor, op: Operation) -> httpx.Response:
    assert op.success is not None
    data = success_data(vendor, op)
    status = int(op.success.status)
    return httpx.Response(status) if data is None else httpx.Response(status, json=data)


def invoke(vendor: Vendor, op: Operation, client: Any, mode: str, raw: bool = False) -> Any:
    """Call `op` with sample arguments on a client (`raw`: its raw-response twin)."""
    positional, keywords = arguments(vendor, op)
    return run(mode, lambda: method(client, op, raw=raw)(*positional, **keywords))


def expected_credential(vendor: Vendor, op: Operation) -> tuple[str, str, str]:
    """Where the credential of `op`'s scheme goes (header or query), its name and value.

    The values are those `client_for` passes: `secret-<argument>`, and `secret-token`
    from the token endpoint for OAuth.
    """
    scheme = next(s for s in vendor.api.security_schemes if s.key in op.security[0])
    secrets = [f"secret-{param}" for param in scheme.params]
    value = {
        "bearer": lambda: "Bearer " + secrets[0],
        "oauth2": lambda: "Bearer secret-token",
        "basic": lambda: "Basic " + base64.b64encode(":".join(secrets).encode()).decode(),
        "api_key": lambda: secrets[0],
    }[scheme.kind]()
    name = "Authorization" if scheme.kind != "api_key" else scheme.wire_name
    return scheme.location, name, value


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_a_call_succeeds_with_credentials_where_the_scheme_says(vendor: Vendor, mode: str) -> None:
    op = next((o for o in vendor.api.operations if o.security), None)
    if op is None:  # a public API: a call sends no credential at all
        op = vendor.api.operations[0]
    response = ok(vendor, op)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response

    client = client_for(vendor, handler, mode)
    parsed = invoke(vendor, op, client, mode)
    raw = invoke(vendor, op, client, mode, raw=True)
    assert (raw.status_code, raw.parsed) == (response.status_code, parsed)
    if not op.security:
        assert seen and not any("Authorization" in request.headers for request in seen)
        return
    location, name, value = expected_credential(vendor, op)
    for request in seen:
        sent = request.headers if location == "header" else request.url.params
        assert sent[name] == value


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_a_client_builds_without_credentials_and_a_call_says_which_it_needs(
    vendor: Vendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    for env_var in vendor.api.credential_arguments.values():
        monkeypatch.delenv(env_var, raising=False)
    op = next((o for o in vendor.api.operations if o.security and all(o.security)), vendor.api.operations[0])
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok(vendor, op)

    client_class = getattr(vendor.package, vendor.api.client_name + "Client")
    base_url = {} if vendor.api.base_url else {"base_url": "http://api.test"}
    positional, keywords = arguments(vendor, op)

    def call() -> Any:
        transport = httpx.MockTransport(with_token_endpoint(vendor, handler))
        client = client_class(http_client=httpx.Client(transport=transport), **base_url)
        return method(client, op)(*positional, **keywords)

    if op.security and all(op.security):  # every alternative needs a credential
        first = next(s for s in vendor.api.security_schemes if s.key in op.security[0])
        argument, env_var = first.needed[0]
        with pytest.raises(vendor.package.MissingCredentialError, match=rf"pass {argument}=\.\.\..*{env_var}"):
            call()
        assert seen == []  # raised before sending
        for scheme in vendor.api.security_schemes:
            for _, env_var in scheme.needed:
                monkeypatch.setenv(env_var, "from-env")
    call()
    assert seen


# --- pagination -------------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_every_paged_operation_has_a_paging_twin(vendor: Vendor) -> None:
    for mode in ("sync", "async"):
        client = client_for(vendor, lambda request: httpx.Response(500), mode)
        for op in vendor.api.operations:
            declared = vendor.operation_spec(op).get("x-pagination", None)
            if declared is not None:  # inferred paging is tested in test_paging_inferred.py
                assert (op.iter_method_name is not None) == (declared is not False), op.operation_id
            assert (op.iter_method_name is not None) == (op.pagination is not None), op.operation_id
            if op.iter_method_name is not None:
                assert op.iter_method_name.startswith(op.method_name + "_iter")
                assert callable(method(client, op, op.iter_method_name))


PAGED = [(v, op) for v in VENDORS for op in v.api.operations if op.pagination]
PER_PAGE = 2


def pages_of(
    vendor: Vendor, op: Operation, count: int = 3, per_page: int = PER_PAGE
) -> list[tuple[dict[str, Any], list[Any]]]:
    """`count` pages of the operation's response, each with `per_page` distinct items."""
    assert op.pagination is not None and op.success is not None and op.success.type is not None
    page_type = vendor.type_of(op.return_annotation)
    item_type = vendor.type_of(op.pagination.item_type.annotation("models."))
    pages = []
    for index in range(count):
        page = pydantic.TypeAdapter(page_type).validate_python(success_data(vendor, op))
        sample = pydantic.TypeAdapter(item_type).validate_python(vendor.sample(op.pagination.item_type))
        items = [tagged(sample, f"{index}-{i}") for i in range(per_page)]
        _set(page, op.pagination.items, items)
        last = index == count - 1
        if op.pagination.style == "cursor":
            _set(page, op.pagination.position, "" if last else f"cursor-{index + 1}")
        elif op.pagination.style == "offset" and op.pagination.total:
            _set(page, op.pagination.total, count * per_page)
        elif op.pagination.style == "page":
            if op.pagination.position:
                _set(page, op.pagination.position, index + 1)
            if op.pagination.total:
                _set(page, op.pagination.total, count)
        pages.append((page.model_dump(mode="json", by_alias=True), items))
    return pages


def tagged(item: Any, tag: str) -> Any:
    """A copy of a page's item that says which page and place it came from: a model
    gets the field `page_and_index`; a string item is the tag itself."""
    if isinstance(item, pydantic.BaseModel):
        return item.model_copy(update={"page_and_index": tag})
    assert isinstance(item, str), f"pages of {type(item).__name__} items are not tested"
    return tag


def tag_of(item: Any) -> str:
    return item if isinstance(item, str) else str(item.page_and_index)


def _set(value: Any, path: tuple[str, ...], new: Any) -> None:
    for name in path[:-1]:
        value = getattr(value, name)
    setattr(value, path[-1], new)


def page_index(op: Operation, request: httpx.Request) -> int:
    """Which page `request` asks for, by the operation's paging parameter."""
    assert op.pagination is not None
    wire = next(p.wire_name for p in op.parameters if p.name == op.pagination.param)
    value = request.url.params.get(wire)
    if op.pagination.style == "cursor":
        return 0 if value is None else int(value.split("-")[1])
    if op.pagination.style == "offset":
        return int(value or 0) // PER_PAGE
    return int(value or 1) - 1


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("vendor", "op"), PAGED, ids=[f"{v.api.package}-{op.method_name}" for v, op in PAGED])
def test_paging_twin_iterates_every_page(vendor: Vendor, op: Operation, mode: str) -> None:
    assert op.iter_method_name is not None and op.pagination is not None
    pages = pages_of(vendor, op)
    empty, _ = pages_of(vendor, op, 1, per_page=0)[0]  # past the end, if a spec tells no end
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        index = page_index(op, request)
        return httpx.Response(200, json=pages[index][0] if index < len(pages) else empty)

    client = client_for(vendor, handler, mode)
    positional, keywords = arguments(vendor, op)
    if op.pagination.limit_param:  # a short page ends offset paging: ask for pages of PER_PAGE
        keywords[op.pagination.limit_param] = PER_PAGE
    iterator = method(client, op, op.iter_method_name)(*positional, **keywords)
    if mode == "sync":
        seen = [tag_of(item) for item in iterator]
    else:

        async def collect() -> list[str]:
            return [tag_of(item) async for item in iterator]

        seen = asyncio.run(collect())
    assert seen == [tag_of(item) for _, items in pages for item in items]
    assert [page_index(op, r) for r in requests] == list(range(len(requests)))
    assert len(requests) in (3, 4)  # a fourth, empty page ends paging without a total


# --- forward compatibility -----------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_unknown_enum_values_and_fields_are_tolerated_in_responses_only(vendor: Vendor) -> None:
    models = vendor.namespace["models"]
    parse = importlib.import_module(f"{vendor.package.__name__}._base_client").parse
    for enum in vendor.api.enums:
        enum_class = getattr(models, enum.name)
        unknown = "surprise-value" if enum.base == "str" else 987654
        member = parse(httpx.Response(200, json=unknown), enum_class)
        assert (member.value, member.name) == (unknown, "UNKNOWN")
        with pytest.raises(pydantic.ValidationError):  # what a request is made of: refused
            pydantic.TypeAdapter(enum_class).validate_python(unknown)
        assert enum_class(enum.members[0].value) is getattr(enum_class, enum.members[0].name)
    for model in vendor.api.models:
        data = {**vendor.sample(Named(model.name)), "brandNewField": {"x": 1}}
        instance = getattr(models, model.name).model_validate(data)
        assert instance.model_extra == {"brandNewField": {"x": 1}}


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_a_response_with_unknown_values_still_reads(vendor: Vendor) -> None:
    """A field the spec does not list, in the body of the first read that answers with an object."""
    reads = [o for o in vendor.api.operations if o.http_method == "GET" and o.success and o.success.type is not None]
    op = next((o for o in reads if isinstance(success_data(vendor, o), dict)), None)
    if op is None:
        pytest.skip("no read answers with an object")
    data = success_data(vendor, op)
    client = client_for(vendor, lambda request: httpx.Response(200, json={**data, "addedLater": [1, 2]}), "sync")
    assert invoke(vendor, op, client, "sync").model_extra["addedLater"] == [1, 2]


ENUM_PARAMETERS = [
    (v, op, p)
    for v in VENDORS
    for op in v.api.operations
    for p in op.parameters
    if isinstance(t := without_none(p.type), Named) and t.is_enum and not p.json
]


@pytest.mark.parametrize(
    ("vendor", "op", "parameter"),
    ENUM_PARAMETERS,
    ids=[f"{v.api.package}-{op.method_name}-{p.name}" for v, op, p in ENUM_PARAMETERS],
)
def test_an_enum_parameter_takes_its_literal_values_and_refuses_others_before_sending(
    vendor: Vendor, op: Operation, parameter: Any
) -> None:
    enum = next(e for e in vendor.api.enums if e.name == without_none(parameter.type).name)
    sent: list[httpx.Request] = []
    client = client_for(vendor, lambda request: sent.append(request) or ok(vendor, op), "sync")
    positional, keywords = arguments(vendor, op)
    index = op.path_parameters.index(parameter) if parameter in op.path_parameters else None

    def call_with(value: Any) -> None:
        if index is None:
            keywords[parameter.name] = value
        else:
            positional[index] = value
        method(client, op)(*positional, **keywords)

    for member in enum.members:
        call_with(member.value)  # the literal value, as a type checker allows
        assert str(member.value) in str(sent.pop().url) or parameter.location != "query"
    with pytest.raises(ValueError, match=enum.name):
        call_with("not-one-of-them" if enum.base == "str" else 987654)
    assert sent == []


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_the_server_comes_from_base_url_then_the_environment_then_the_spec(
    vendor: Vendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = {name: "secret" for name in vendor.api.credential_arguments}
    client_class = getattr(vendor.package, vendor.api.client_name + "Client")
    monkeypatch.delenv(vendor.api.base_url_env, raising=False)
    if vendor.api.base_url:
        assert client_class(**credentials).base_url == vendor.api.base_url
    else:  # a self-hosted API: its documented server is an example, never a default
        with pytest.raises(ValueError, match=f"base_url=.*{vendor.api.base_url_env}"):
            client_class(**credentials)
    monkeypatch.setenv(vendor.api.base_url_env, "https://from-the-environment.test/api")
    assert client_class(**credentials).base_url == "https://from-the-environment.test/api"
    assert client_class(**credentials, base_url="https://given.test/").base_url == "https://given.test"


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_with_options_replaces_a_credential_and_keeps_the_rest(vendor: Vendor) -> None:
    op = next((op for op in vendor.api.operations if op.security), None)
    if op is None or not vendor.api.credential_arguments:
        pytest.skip("no operation needs a credential")
    sent: list[httpx.Request] = []
    client = client_for(vendor, lambda request: sent.append(request) or ok(vendor, op), "sync")
    first = next(iter(vendor.api.credential_arguments))
    renewed = client.with_options(**{first: "secret-renewed"})
    positional, keywords = arguments(vendor, op)
    method(client, op)(*positional, **keywords)
    method(renewed, op)(*positional, **keywords)
    before, after = ((r.headers, r.url.params) for r in sent if "token" not in r.url.path)
    shown = lambda parts: " ".join(str(v) for headers, query in [parts] for v in [*headers.values(), *query.values()])  # noqa: E731
    oauth = vendor.api.oauth
    granted = oauth is not None and any(s.key == oauth.key and first in s.params for s in vendor.api.security_schemes)
    if oauth is None or not granted:  # a credential sent as it is
        assert "secret-renewed" in shown(after) or base64.b64encode(b"secret-renewed").decode()[:8] in shown(after)
        assert shown(before) != shown(after)
    else:  # the mock's token endpoint answers every client alike: the renewed client's grant names the new id
        auth = next(a for a in renewed._credentials.values() if hasattr(a, "_client_id"))
        assert auth._client_id == "secret-renewed" and auth is not client._credentials[oauth.key]


DEPRECATED = [(v, op) for v in VENDORS for op in v.api.operations if op.deprecated]


@pytest.mark.parametrize(
    ("vendor", "op"), DEPRECATED, ids=[f"{v.api.package}-{op.method_name}" for v, op in DEPRECATED]
)
def test_a_deprecated_operation_warns_once(vendor: Vendor, op: Operation) -> None:
    client = client_for(vendor, lambda request: ok(vendor, op), "sync")
    positional, keywords = arguments(vendor, op)
    importlib.import_module(f"{vendor.package.__name__}._base_client")._WARNED.clear()
    with pytest.warns(DeprecationWarning, match=op.method_name) as caught:
        method(client, op)(*positional, **keywords)
        method(client, op)(*positional, **keywords)
    assert len(caught) == 1 and caught[0].filename == __file__


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_every_package_exports_raw_response(vendor: Vendor) -> None:
    assert isinstance(vendor.package.RawResponse, type) and "RawResponse" in vendor.package.__all__
