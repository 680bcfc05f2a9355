"""Faults of the generated servers and fakes (issue 12), served for real on loopback."""

from __future__ import annotations

import base64
import dataclasses
import importlib
import re
import time
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from conftest import ROOT, hand_written, served
from spec_driven import VENDORS
from test_server import client

from generator.pointers import resolve
from generator.runtime._fake import Fake
from generator.runtime._fake_samples import sample
from generator.runtime._server_runtime import Spec, build_app
from generator.sources import discover, package_name

pytestmark = pytest.mark.slow  # servers on loopback

PACKAGES = sorted(v.api.package for v in VENDORS)
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def server(vendor: str) -> Any:
    return importlib.import_module(f"generated.{vendor}.server")


def auth(vendor: str) -> dict[str, str]:
    """Headers with every credential the vendor's fake accepts by default."""
    settings = server(vendor).SETTINGS
    headers = {"Authorization": "Bearer test-token"}
    tokens = any(scheme.kind not in ("api_key", "basic") for scheme in settings.schemes.values())
    for scheme in settings.schemes.values():
        # an API key in Authorization would take the place of the token that the other schemes send there
        if scheme.kind == "api_key" and scheme.location == "header" and not (tokens and scheme.name == "Authorization"):
            headers[scheme.name] = "test-key"
        if scheme.kind == "basic":
            headers["Authorization"] = "Basic dXNlcjpwYXNzd29yZA=="
    return headers


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", path)


@pytest.mark.parametrize("vendor", PACKAGES)
def test_a_405_lists_exactly_the_methods_of_the_path_in_allow(vendor: str) -> None:
    """A fixed path (`.../meeting/service-info`) hides the templated one it also fits
    (`.../meeting/{meetingId}`): its methods are not advertised, nor routed to."""
    module = server(vendor)
    paths = module.SPEC["paths"]
    with served(module.create_app()) as root, httpx.Client(base_url=root) as http:
        for path, item in paths.items():
            declared = {m.upper() for m in item if m in METHODS}
            if not declared:
                continue  # a path without operations is no route
            response = http.request("TRACE", module.SETTINGS.base_path + concrete(path))
            assert response.status_code == 405, (path, response.status_code)
            allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
            assert declared == allowed, (path, response.headers.get("Allow"))


def portsip_with_a_meeting() -> tuple[Any, str]:
    app = server("portsip").create_app()
    [meeting] = app.state.handlers.seed("meetings", [{"subject": "kept"}])
    return app, str(meeting["id"])


def test_an_encoded_slash_stays_inside_its_path_parameter() -> None:
    app, meeting = portsip_with_a_meeting()
    with served(app) as root, httpx.Client(base_url=root, headers=auth("portsip")) as http:
        response = http.post(f"/api/user/meetings/{meeting}%2Fdestroy", json={})
        assert response.status_code == 404, response.text
        assert response.json()["errors"][0]["code"] == "NOT_FOUND"
        assert len(app.state.handlers.items("meetings")) == 1
        newline = http.post(f"/api/user/meetings/{meeting}%0A/mute")
        vendor_shaped("portsip", newline, 404)


def test_a_trailing_slash_is_a_404_in_the_vendors_shape_not_a_redirect() -> None:
    app, _ = portsip_with_a_meeting()
    with served(app) as root, httpx.Client(base_url=root, headers=auth("portsip")) as http:
        response = http.post("/api/user/meetings/", json={"subject": "new"})
        assert response.status_code == 404, response.text
        assert response.json()["errors"][0]["code"] == "NOT_FOUND"
        assert len(app.state.handlers.items("meetings")) == 1


def vendor_shaped(vendor: str, response: httpx.Response, status: int) -> None:
    """The answer has the status and the error body the vendor's `x-server` gives it."""
    assert response.status_code == status, response.text[:300]
    errors = server(vendor).SETTINGS.errors
    template = errors.get(str(status), errors.get("default"))
    if template is None:
        assert response.content == b""
    elif isinstance(template, dict):
        assert set(response.json()) == set(template), response.text[:300]


def fitting(module: Any, route: Any) -> str:
    """The route's path with each parameter a value its schema takes."""
    path = route.path
    for param in route.params:
        if param.location == "path":
            path = path.replace("{" + param.wire_name + "}", quote(value_of(module, param), safe=""))
    return path


def value_of(module: Any, param: Any) -> str:
    """A value the parameter's schema takes, as sent: its example, else a sample."""
    schema = resolve(module.SPEC, param.schema)
    value = schema["example"] if "example" in schema else sample(schema, Spec(module.SPEC))
    return str(value).lower() if isinstance(value, bool) else str(value)


def creates(vendor: str) -> list[tuple[str, str]]:
    """The method and concrete path of every operation the vendor's fake creates with."""
    module = server(vendor)
    actions = importlib.import_module(f"generated.{vendor}._server_config").ACTIONS
    return [
        (r.method, module.SETTINGS.base_path + fitting(module, r))
        for r in module.ROUTES
        if r.name in actions and actions[r.name].action == "create" and r.body_type is not None
    ]


def stored(app: Any) -> int:
    fake = app.state.handlers
    return sum(len(group) for groups in fake._data.values() for group in groups.values())


def send_to_creates(vendor: str, content: bytes, status: int, **headers: str) -> None:
    app = server(vendor).create_app()
    with served(app) as root, httpx.Client(base_url=root, headers=auth(vendor)) as http:
        for method, path in creates(vendor):
            response = http.request(
                method, path, content=content, headers={"Content-Type": "application/json", **headers}
            )
            vendor_shaped(vendor, response, status)
    assert stored(app) == 0


@pytest.mark.parametrize("vendor", PACKAGES)
def test_text_that_is_not_utf8_is_refused_before_anything_is_stored(vendor: str) -> None:
    send_to_creates(vendor, b'{"\\ud800": 1}', 400)
    send_to_creates(vendor, b'{"name": ["ok", {"deep": "\\udfff"}]}', 400)


def test_a_lone_surrogate_never_poisons_a_collection() -> None:
    app, meeting = portsip_with_a_meeting()
    with served(app) as root, httpx.Client(base_url=root, headers=auth("portsip")) as http:
        content = b'{"mode": "AUDIO", "subject": "\\ud800", "timezone": "UTC"}'
        response = http.post("/api/user/meetings", content=content, headers={"Content-Type": "application/json"})
        vendor_shaped("portsip", response, 400)
        vendor_shaped("portsip", http.get(f"/api/user/meetings/{meeting}%ED%A0%80"), 400)
        vendor_shaped("portsip", http.get("/api/user/meetings?search=%ED%A0%80"), 400)
        assert http.get("/api/user/meetings").status_code == 200
        assert http.get(f"/api/user/meetings/{meeting}").status_code == 200


@pytest.mark.parametrize("vendor", PACKAGES)
@pytest.mark.parametrize("depth", [100, 3000])
def test_deeply_nested_json_is_a_400_in_the_vendors_shape(vendor: str, depth: int) -> None:
    send_to_creates(vendor, b'{"a": ' + b"[" * depth + b"]" * depth + b"}", 400)


@pytest.mark.parametrize("vendor", PACKAGES)
def test_a_body_past_the_limit_is_a_413_in_the_vendors_shape(vendor: str) -> None:
    send_to_creates(vendor, b'{"name": "' + b"x" * (2 << 20) + b'"}', 413)


def test_a_streamed_body_past_the_limit_is_a_413() -> None:
    app = server("portsip").create_app()
    chunks = [b'{"subject": "'] + [b"x" * 65536] * 40 + [b'"}']
    with served(app) as root, httpx.Client(base_url=root, headers=auth("portsip")) as http:
        response = http.post("/api/user/meetings", content=iter(chunks), headers={"Content-Type": "application/json"})
        vendor_shaped("portsip", response, 413)
    assert stored(app) == 0


def test_values_quoted_in_messages_are_truncated() -> None:
    app = server("portsip").create_app()
    with served(app) as root, httpx.Client(base_url=root, headers=auth("portsip")) as http:
        response = http.post("/api/user/meetings", json={"subject": ["x" * 50000]})
        vendor_shaped("portsip", response, 400)
        assert len(response.text) < 1000, len(response.text)
        response = http.get("/api/" + "y" * 50000)
        vendor_shaped("portsip", response, 404)
        assert len(response.text) < 1000, len(response.text)


# --- the fake's OAuth token endpoint ---------------------------------------------------


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_the_token_endpoint_issues_client_credentials_tokens_only() -> None:
    import test_server_runtime as things

    app = build_app(
        things.DOCUMENT, things.ROUTES, things.SETTINGS, Fake(things.DOCUMENT, things.ROUTES, {}, {}), None, "T"
    )
    client = basic("test-client", "test-secret")
    with served(app) as root, httpx.Client(base_url=root) as http:
        for form in (
            {"grant_type": "password", "username": "u", "password": "p"},
            {"grant_type": "authorization_code"},
        ):
            refused = http.post("/oauth/token", data=form, headers=client)
            assert (refused.status_code, refused.json()["error"]) == (400, "unsupported_grant_type")
        missing = http.post("/oauth/token", headers=client)
        assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
        issued = http.post("/oauth/token", data={"grant_type": "client_credentials"}, headers=client)
        assert issued.status_code == 200 and issued.json()["token_type"] == "bearer"


def test_issued_tokens_expire_after_their_expires_in() -> None:
    import test_server_runtime as things

    route = dataclasses.replace(things.ROUTES[1], security=(("oauth",),))  # bearer
    settings = dataclasses.replace(things.SETTINGS, token_lifetime=1)
    fake = Fake(things.DOCUMENT, (route,), things.ACTIONS, {})
    fake.seed("things", [{"id": "t1", "name": "a"}])
    app = build_app(things.DOCUMENT, (route,), settings, fake, None, "T")
    with served(app) as root, httpx.Client(base_url=root) as http:
        issued = http.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, headers=basic("test-client", "test-secret")
        )
        assert issued.json()["expires_in"] == 1
        bearer = {"Authorization": "Bearer " + issued.json()["access_token"]}
        assert http.get("/v1/things/t1", headers=bearer).status_code == 200
        time.sleep(1.2)
        assert http.get("/v1/things/t1", headers=bearer).status_code == 401


def test_serve_never_prints_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from click.testing import CliRunner

    from generator.cli import main

    monkeypatch.setattr(uvicorn.Server, "run", lambda *args, **kwargs: None)
    for vendor in PACKAGES:
        output = CliRunner().invoke(main, ["serve", vendor, "--out", str(ROOT / "generated"), "--port", "0"]).output
        credentials = server(vendor).Credentials()
        secrets = [
            *credentials.clients.values(),
            *credentials.users.values(),
            *credentials.tokens,
            *credentials.api_keys,
        ]
        assert vendor in output and not any(secret in output for secret in secrets), output


# --- paging and integers ----------------------------------------------------------------


def lists(vendor: str) -> list[tuple[str, dict[str, str], Any]]:
    """Each list the fake pages: its concrete path, the query it needs, and its action."""
    module = server(vendor)
    actions = importlib.import_module(f"generated.{vendor}._server_config").ACTIONS
    found = []
    for route in module.ROUTES:
        action = actions.get(route.name)
        if action is None or action.action != "list" or not (action.limit or action.paging):
            continue
        query = {}
        for param in route.params:
            if param.location == "query" and param.required:
                query[param.wire_name] = value_of(module, param)
        found.append((module.SETTINGS.base_path + fitting(module, route), query, action))
    return found


PAGED = [v for v in PACKAGES if lists(v)]


@pytest.mark.parametrize("vendor", PAGED)
def test_page_sizes_and_page_tokens_are_parsed_strictly(vendor: str) -> None:
    app = server(vendor).create_app()
    with served(app) as root, httpx.Client(base_url=root, headers=auth(vendor)) as http:
        for path, query, action in lists(vendor):
            assert http.get(path, params=query).status_code == 200, path
            bad: list[tuple[str, str]] = []
            if action.limit:
                bad += [(action.limit, v) for v in ("1_0", " 1 ", "\u0661", "+1", "01", "1.0", "0", "-1")]
            if action.paging:
                bad += [(action.paging.param, v) for v in ("-1", "1_0", " 1", "\u0661")]
                if action.paging.style == "page":
                    bad.append((action.paging.param, "0"))
            for name, value in bad:
                response = http.get(path, params={**query, name: value})
                assert response.status_code == 400, (path, name, value, response.text[:200])
                vendor_shaped(vendor, response, 400)


@pytest.mark.parametrize(
    "vendor", [v for v in PAGED if any(a.paging and a.paging.style == "cursor" for _, _, a in lists(v))]
)
def test_an_empty_cursor_is_the_first_page(vendor: str) -> None:
    app = server(vendor).create_app()
    with served(app) as root, httpx.Client(base_url=root, headers=auth(vendor)) as http:
        for path, query, action in lists(vendor):
            if action.paging and action.paging.style == "cursor":
                first = http.get(path, params=query)
                again = http.get(path, params={**query, action.paging.param: ""})
                assert (again.status_code, again.json()) == (200, first.json()), path


# Our own specs (a vendor's description, kept as published, says what it says).
OURS = {package_name(p) for p in discover(ROOT / "specs") if hand_written(p)}


@pytest.mark.parametrize("vendor", [v for v in PAGED if v in OURS])
def test_the_page_sizes_the_fake_refuses_are_the_ones_its_schema_refuses(vendor: str) -> None:
    """A schema-valid page size is never a 400: our size parameters say `minimum: 1`."""
    module = server(vendor)
    spec = Spec(module.SPEC)
    for route in module.ROUTES:
        action = importlib.import_module(f"generated.{vendor}._server_config").ACTIONS.get(route.name)
        for param in route.params:
            if action is not None and param.wire_name == action.limit:
                assert spec.errors(param.schema, 0) and not spec.errors(param.schema, 1), (route.path, param.wire_name)


def test_a_broken_scheduling_rule_is_a_409_not_a_400() -> None:
    """Fields that each fit their schema but not each other (or the stored item) are a
    conflict: a 400 would say the request itself was malformed."""
    app = server("joinme").create_app()
    [meeting] = app.state.handlers.seed(
        "meetings",
        [{"meetingName": "kept", "meetingStart": "2015-06-02T10:00:00Z", "meetingEnd": "2015-06-02T11:00:00Z"}],
    )
    with served(app) as root, httpx.Client(base_url=root + "/v1", headers=auth("joinme")) as http:
        same = {"meetingName": "m", "meetingStart": "2015-06-02T10:00:00Z", "meetingEnd": "2015-06-02T10:00:00Z"}
        vendor_shaped("joinme", http.post("/meetings", json=same), 409)
        late = http.patch(f"/meetings/{meeting['meetingId']}", json={"meetingStart": "2015-06-02T11:00:00Z"})
        vendor_shaped("joinme", late, 409)
        assert app.state.handlers.items("meetings") == [meeting]


# --- collections scoped by the other path parameters ------------------------------------


def test_items_are_scoped_by_the_path_parameters_that_are_not_their_key() -> None:
    module = server("ringcentral")
    base = module.SETTINGS.base_path + "/restapi/v1.0/account/{}/extension/{}/meeting"
    example = module.SPEC["paths"]["/restapi/v1.0/account/{accountId}/extension/{extensionId}/meeting"]["post"]
    body = example["requestBody"]["content"]["application/json"]["example"]
    with served(module.create_app()) as root, httpx.Client(base_url=root, headers=auth("ringcentral")) as http:
        made = http.post(base.format("a1", "e1"), json=body)
        assert made.status_code == 201, made.text
        meeting = made.json()["id"]
        assert http.get(base.format("a1", "e1") + f"/{meeting}").status_code == 200
        assert len(http.get(base.format("a1", "e1")).json()["records"]) == 1
        for account, extension in (("a2", "e1"), ("a1", "e2")):
            elsewhere = base.format(account, extension)
            assert http.get(elsewhere).json()["records"] == []
            vendor_shaped("ringcentral", http.get(elsewhere + f"/{meeting}"), 404)
            vendor_shaped("ringcentral", http.delete(elsewhere + f"/{meeting}"), 404)
        assert http.get(base.format("a1", "e1") + f"/{meeting}").status_code == 200


# --- query parameters: applied as the vendor documents, or refused ----------------------


def config(vendor: str) -> Any:
    return importlib.import_module(f"generated.{vendor}._server_config")


@pytest.mark.parametrize("vendor", PACKAGES)
def test_every_declared_query_parameter_is_read_or_ignored_on_purpose(vendor: str) -> None:
    actions = config(vendor).ACTIONS
    for route in server(vendor).ROUTES:
        if route.name in actions:
            unread = {p.wire_name for p in route.params if p.location == "query"} - actions[route.name].reads()
            assert unread == set(), (route.path, unread)


@pytest.mark.parametrize("vendor", PACKAGES)
def test_a_query_parameter_the_action_does_not_read_is_a_400_not_ignored(vendor: str) -> None:
    module, settings = server(vendor), config(vendor)
    for route in module.ROUTES:
        action = settings.ACTIONS.get(route.name)
        if action is None or not action.ignore:
            continue
        actions = {**settings.ACTIONS, route.name: dataclasses.replace(action, ignore=())}
        fake = importlib.import_module(f"generated.{vendor}._fake").Fake(
            module.SPEC, module.ROUTES, actions, settings.COLLECTIONS
        )
        path = module.SETTINGS.base_path + fitting(module, route)
        query = {p.wire_name: value_of(module, p) for p in route.params if p.location == "query" and p.required}
        with served(module.create_app(fake)) as root, httpx.Client(base_url=root, headers=auth(vendor)) as http:
            for param in action.ignore:
                response = http.request(route.method, path, params={**query, param: "1"})
                vendor_shaped(vendor, response, 400)
                if response.content:  # a spec that declares no error body gets none
                    assert f"the fake does not support parameter '{param}'" in response.text


def query_pattern(vendor: str, name: str, param: str) -> str:
    [route] = [r for r in server(vendor).ROUTES if r.name == name]
    [parameter] = [p for p in route.params if p.wire_name == param]
    schema: Any = server(vendor).SPEC
    for token in parameter.schema.split("/")[1:]:
        schema = schema[token.replace("~1", "/").replace("~0", "~")]
    return str(schema["pattern"])


def understands(pattern: str, parse: Any, param: str, fields: Any) -> None:
    """Every text hypothesis makes from the pattern parses (a ServerError if not)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.from_regex(pattern, fullmatch=True))
    def understood(text: str) -> None:
        parse(text, param, fields)

    understood()


@pytest.mark.parametrize("vendor", PACKAGES)
def test_every_filter_and_orderby_the_pattern_admits_is_understood(vendor: str) -> None:
    from generator.runtime import _fake_query

    for name, action in config(vendor).ACTIONS.items():
        fields = server(vendor).create_fake()._fields(action.collection)
        for param, parse in ((action.filter, _fake_query.parse_filter), (action.order, _fake_query.parse_order)):
            if param:
                pattern = query_pattern(vendor, name, param)
                understands(pattern, parse, param, fields)
                assert re.search(pattern, "internal_invitees desc") is None  # not a scalar field
                assert re.search(pattern, "subject\teq 'x'") is None  # single spaces only


def portsip_list(meetings: list[dict[str, Any]], **query: str) -> tuple[int, list[str]]:
    """The status of listing PortSIP's meetings with `query`, and the subjects listed."""
    app = server("portsip").create_app()
    app.state.handlers.seed("meetings", meetings)
    with served(app) as root, httpx.Client(base_url=root, headers=auth("portsip")) as http:
        response = http.get("/api/user/meetings", params=query)
    items = response.json().get("items", []) if response.status_code == 200 else []
    return response.status_code, [m.get("subject") for m in items]


MEETINGS = [
    {"subject": "Weekly sync", "mode": "AUDIO", "capacity": 5},
    {"subject": "O'Brien review", "mode": "VIDEO", "capacity": 20},
    {"subject": "all hands", "mode": "VIDEO", "capacity": 50},
]


def test_portsip_search_filters_and_orderby_sorts() -> None:
    assert portsip_list(MEETINGS, search="WEEK") == (200, ["Weekly sync"])
    assert portsip_list(MEETINGS, search="video") == (200, ["O'Brien review", "all hands"])  # their mode
    assert portsip_list(MEETINGS, filter="mode eq 'VIDEO' and capacity ge 30") == (200, ["all hands"])
    assert portsip_list(MEETINGS, filter="subject eq 'O''Brien review'") == (200, ["O'Brien review"])
    assert portsip_list(MEETINGS, filter="subject gt 5 and capacity ne null") == (200, [])  # types differ
    assert portsip_list(MEETINGS, filter="capacity lt 10.5") == (200, ["Weekly sync"])
    assert portsip_list(MEETINGS, orderby="capacity desc") == (200, ["all hands", "O'Brien review", "Weekly sync"])
    assert portsip_list(MEETINGS, orderby="mode desc, subject")[1] == ["O'Brien review", "all hands", "Weekly sync"]
    assert portsip_list(MEETINGS, orderby="subject")[1] == ["O'Brien review", "Weekly sync", "all hands"]
    for query in ({"filter": "subject eq"}, {"filter": "nothing eq 1"}, {"orderby": "subject up"}):
        assert portsip_list(MEETINGS, **query)[0] == 400, query


OR_AND_FUNCTIONS = {  # queries the pattern before issue 27 refused, and what each selects
    "mode eq 'AUDIO' or capacity ge 30": ["Weekly sync", "all hands"],
    "mode eq 'AUDIO' or mode eq 'VIDEO' and capacity ge 30": ["Weekly sync", "all hands"],  # `and` binds tighter
    "capacity ge 30 and mode eq 'VIDEO' or mode eq 'AUDIO'": ["Weekly sync", "all hands"],
    "startswith(subject, 'Weekly')": ["Weekly sync"],
    "startswith(subject, 'weekly')": [],  # case matters, as in OData
    "endswith(subject,'review')": ["O'Brien review"],
    "contains(subject, 'O''Brien') or contains(subject, 'hand')": ["O'Brien review", "all hands"],
    "contains(mode, 'VID') and capacity lt 30": ["O'Brien review"],
    "startswith(capacity, '5')": [],  # not a string: no match
}


def test_portsip_filter_admits_or_and_the_string_functions() -> None:
    pattern = query_pattern("portsip", "list_user_meetings", "filter")
    for text, subjects in OR_AND_FUNCTIONS.items():
        assert re.fullmatch(r"[a-z_]+ (eq|ne|gt|ge|lt|le) \S+( and [a-z_]+ (eq|ne|gt|ge|lt|le) \S+)*", text) is None
        assert re.search(pattern, text), text
        assert portsip_list(MEETINGS, filter=text) == (200, subjects), text
    app = server("portsip").create_app()
    app.state.handlers.seed("meetings", MEETINGS)
    with served(app) as root, client("portsip", root, "sync") as c:
        listed = c.meetings.list_user_meetings(filter="startswith(subject, 'all') or capacity eq 5")
        assert [m.subject for m in listed.items] == ["Weekly sync", "all hands"]


def test_portsip_filter_outside_the_grammar_is_a_400_naming_the_parameter() -> None:
    app = server("portsip").create_app()
    with served(app) as root, httpx.Client(base_url=root, headers=auth("portsip")) as http:
        for text in (
            "(mode eq 'AUDIO')",
            "mode eq 'AUDIO' xor capacity eq 1",
            "startswith(subject, 5)",
            "not mode eq 1",
        ):
            response = http.get("/api/user/meetings", params={"filter": text})
            vendor_shaped("portsip", response, 400)
            assert response.json()["errors"][0]["message"].startswith("filter: "), response.text


BLANKS = [
    {"subject": "Weekly sync", "mode": "AUDIO", "capacity": 5},
    {"subject": None, "mode": None, "capacity": None, "timezone": None},
    {"subject": "all hands", "mode": "VIDEO", "capacity": 50},
]


def test_portsip_filters_and_sorts_on_fields_sent_as_null() -> None:
    fields = server("portsip").create_fake()._fields("meetings")
    assert fields is not None and {"subject", "mode", "timezone", "capacity"} <= fields
    assert "internal_invitees" not in fields
    assert portsip_list(BLANKS, filter="subject eq null") == (200, [None])
    assert portsip_list(BLANKS, filter="mode ne null") == (200, ["Weekly sync", "all hands"])
    assert portsip_list(BLANKS, filter="mode ne 'AUDIO'") == (200, [None, "all hands"])
    assert portsip_list(BLANKS, filter="capacity ge 0 or startswith(subject, '')") == (
        200,
        ["Weekly sync", "all hands"],
    )
    assert portsip_list(BLANKS, orderby="capacity")[1] == [None, "Weekly sync", "all hands"]  # null first
    assert portsip_list(BLANKS, orderby="capacity desc")[1] == ["all hands", "Weekly sync", None]  # and last
    assert portsip_list(BLANKS, orderby="mode desc, subject")[1] == ["all hands", "Weekly sync", None]


def test_filter_and_order_read_one_scalar_type_or_it_and_null() -> None:
    from generator.runtime._fake_query import is_scalar

    components = {"Mode": {"type": "string", "enum": ["A"]}, "Thing": {"type": "object"}}

    def resolve(node: Any) -> Any:
        return components[node["$ref"]] if isinstance(node, dict) and "$ref" in node else node

    null = {"type": "null"}
    for schema in (
        {"type": "string"},
        {"type": ["integer", "null"]},
        {"anyOf": [{"$ref": "Mode"}, null]},
        {"oneOf": [null, {"type": "boolean"}]},
        {"$ref": "Mode"},
    ):
        assert is_scalar(schema, resolve), schema
    for schema in (
        {"type": "array"},
        {"type": ["string", "integer"]},
        {"type": ["null"]},
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        {"anyOf": [{"$ref": "Thing"}, null]},
        {"anyOf": [null]},
        {},
    ):
        assert not is_scalar(schema, resolve), schema


def test_filters_the_fake_cannot_read_are_a_400_naming_the_parameter() -> None:
    from generator.runtime import _fake_query
    from generator.runtime._server_runtime import ServerError

    fields = frozenset({"subject", "capacity"})
    for text in (
        "subject eq 'x' xor capacity eq 1",
        "nothing eq 1",
        "subject eq 'x'  and capacity eq 1",
        "subject eq x",
        "(subject eq 'x')",  # no parentheses
        "startswith(subject, 5)",  # the functions take text
        "startswith(nothing, 'x')",
        "startswith(subject,  'x')",
        "substringof('x', subject)",
        "subject eq 'x' or",
    ):
        with pytest.raises(ServerError) as raised:
            _fake_query.parse_filter(text, "filter", fields)
        assert (raised.value.status, raised.value.parameter) == (400, "filter")
    for text in ("subject,", "subject descending", "nothing"):
        with pytest.raises(ServerError):
            _fake_query.parse_order(text, "orderby", fields)


# --- pyas: dates in MM-DD-YYYY, the meeting type, and the account -----------------------


def pyas_list(meetings: list[dict[str, Any]], **query: str) -> tuple[int, list[str]]:
    app = server("pyas").create_app()
    app.state.handlers.seed("meetings", [{"accountId": "a1", **m} for m in meetings])
    with served(app) as root, httpx.Client(base_url=root, headers=auth("pyas")) as http:
        response = http.get("/zoom/meetings", params={"accountId": "a1", **query})
    items = response.json()["data"]["meetings"] if response.status_code == 200 else []
    return response.status_code, [m["topic"] for m in items]


def test_pyas_lists_meetings_between_month_day_year_dates_by_whole_days() -> None:
    meetings = [
        {"topic": "eve", "start_time": "2023-01-01T23:30:00Z"},
        {"topic": "day", "start_time": "2023-01-02T10:00:00Z"},
        {"topic": "late", "start_time": "2023-01-02T23:59:59Z"},
        {"topic": "next", "start_time": "2023-01-03T00:00:00Z"},
    ]
    assert pyas_list(meetings, startDate="01-02-2023", endDate="01-02-2023") == (200, ["day", "late"])
    assert pyas_list(meetings, startDate="01-03-2023") == (200, ["next"])
    assert pyas_list(meetings, endDate="12-31-2022") == (200, [])


def test_pyas_lists_meetings_of_a_type() -> None:
    meetings = [
        {"topic": "live", "status": "started", "start_time": "2020-01-01T10:00:00Z"},
        {"topic": "soon", "status": "waiting", "start_time": "2999-01-01T10:00:00Z"},
        {"topic": "done", "status": "waiting", "start_time": "2020-01-01T10:00:00Z"},
        {"topic": "past", "start_time": "2020-01-01T10:00:00Z"},
    ]
    assert pyas_list(meetings, type="live") == (200, ["live"])
    assert pyas_list(meetings, type="upcoming") == (200, ["live", "soon"])
    assert pyas_list(meetings, type="upcoming_meetings") == (200, ["live", "soon"])
    assert pyas_list(meetings, type="previous_meetings") == (200, ["done", "past"])
    assert pyas_list(meetings, type="scheduled") == (200, ["live", "soon", "done", "past"])


def test_pyas_reads_and_deletes_a_meeting_only_under_its_account() -> None:
    app = server("pyas").create_app()
    [meeting] = app.state.handlers.seed("meetings", [{"accountId": "a1", "topic": "mine"}])
    path = f"/zoom/meetings/{meeting['id']}"
    with served(app) as root, httpx.Client(base_url=root, headers=auth("pyas")) as http:
        vendor_shaped("pyas", http.get(path, params={"accountId": "a2"}), 404)
        vendor_shaped("pyas", http.delete(path, params={"accountId": "a2"}), 404)
        assert http.get(path, params={"accountId": "a1"}).status_code == 200
        assert http.delete(path, params={"accountId": "a1"}).status_code in (200, 204)
    assert app.state.handlers.items("meetings") == []


# --- a 5xx says why (issue 26) ----------------------------------------------------------


def why(vendor: str, response: httpx.Response) -> str:
    """The message of a 5xx as the vendor's client shows it: its error's string."""
    errors = importlib.import_module(f"generated.{vendor}._errors")
    shown = str(errors.status_error(response, None))
    assert shown.startswith(f"HTTP {response.status_code} from "), shown
    return shown


def listing(vendor: str) -> tuple[Any, str]:
    """A route the vendor's fake lists with (without one: a GET that needs no more
    than its path), and its concrete path."""
    module = server(vendor)
    actions = importlib.import_module(f"generated.{vendor}._server_config").ACTIONS
    lists = (r for r in module.ROUTES if r.name in actions and actions[r.name].action == "list")
    gets = (r for r in module.ROUTES if r.method == "GET" and all(p.location == "path" for p in r.params if p.required))
    route = next(lists, None) or next(gets)
    return route, module.SETTINGS.base_path + fitting(module, route)


@pytest.mark.parametrize("vendor", PACKAGES)
def test_a_501_names_the_operation_without_an_action_in_the_vendors_shape(vendor: str) -> None:
    module = server(vendor)
    config = importlib.import_module(f"generated.{vendor}._server_config")
    route, path = listing(vendor)
    actions = {name: action for name, action in config.ACTIONS.items() if name != route.name}
    fake = module.Fake(module.SPEC, module.ROUTES, actions, config.COLLECTIONS)
    with served(module.create_app(fake)) as root, httpx.Client(base_url=root, headers=auth(vendor)) as http:
        response = http.request(route.method, path)
    assert response.status_code == 501, response.text
    operation_id = module.SPEC["paths"][route.path][route.method.lower()]["operationId"]
    expected = f"the fake has no action for operationId {operation_id}: add x-fake to the operation (see README)"
    assert why(vendor, response).endswith(": " + expected)
    if module.SETTINGS.errors.get("501", module.SETTINGS.errors.get("default")) is not None:
        vendor_shaped(vendor, response, 501)


@pytest.mark.parametrize("vendor", PACKAGES)
def test_a_500_names_the_exception_and_never_a_secret(vendor: str) -> None:
    module = server(vendor)
    app = module.create_app()
    actions = importlib.import_module(f"generated.{vendor}._server_config").ACTIONS
    route = next(
        (
            r
            for r in module.ROUTES
            if r.name in actions
            and r.method == "GET"
            and all(p.location in ("path", "query") for p in r.params if p.required)
        ),
        None,
    )
    if route is None:
        pytest.skip("no GET operation has a fake action to break")
    query = {p.wire_name: "1" for p in route.params if p.required and p.location == "query"}
    path = module.SETTINGS.base_path + re.sub(r"\{[^}]+\}", "1", route.path)
    token = next(iter(auth(vendor).values())).split()[-1]

    def broken(call: Any) -> Any:
        raise RuntimeError(f"the store is down\nfor {token}")

    app.state.handlers._run = broken
    with served(app) as root, httpx.Client(base_url=root, headers=auth(vendor)) as http:
        response = http.request(route.method, path, params=query)
    assert response.status_code == 500, response.text
    shown = why(vendor, response)
    assert "failed: RuntimeError: the store is down for [REDACTED]" in shown, shown
    assert token not in response.text and "Traceback" not in response.text
    if module.SETTINGS.errors.get("500", module.SETTINGS.errors.get("default")) is not None:
        vendor_shaped(vendor, response, 500)
