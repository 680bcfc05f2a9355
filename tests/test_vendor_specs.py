"""The specs against the vendors' own descriptions (issue 14): what each spec says, and
that the generated client and fake do what it says."""

from __future__ import annotations

import datetime
import importlib
import typing
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest
import referencing
from conftest import hand_written, served
from spec_driven import VENDORS, fake_options
from test_server import app_for, client, models, package

from generator.pointers import ref_target, resolve

UTC = datetime.timezone.utc
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def spec(vendor: str) -> dict[str, Any]:
    return next(v.spec for v in VENDORS if v.api.package == vendor)


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for item in document["paths"].values():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                yield operation["operationId"], operation


def schemas(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema-like mapping in a document, with its location."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from schemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from schemas(value, f"{where}/{i}")


def deref(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(document, ref_target(node["$ref"]) or "")
    return node


def answer_errors(vendor: str, schema: str, value: Any) -> list[str]:
    """Why `value`, an answer, does not fit the vendor's schema `schema` (none: it fits)."""
    resource = referencing.Resource.from_contents(
        spec(vendor), default_specification=referencing.jsonschema.DRAFT202012
    )
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"urn:spec#/components/schemas/{schema}"},
        registry=referencing.Registry().with_resource("urn:spec", resource),
    )
    return [error.message for error in validator.iter_errors(value)]


# --- RingCentral ------------------------------------------------------------------------


def test_ringcentral_marks_every_operation_deprecated_and_says_so() -> None:
    document = spec("ringcentral")
    assert {name: op.get("deprecated") for name, op in operations(document)} == {
        name: True for name, _ in operations(document)
    }
    assert len(dict(operations(document))) == 7
    assert "Deprecated" in document["info"]["description"]
    api = next(v.api for v in VENDORS if v.api.package == "ringcentral")
    assert all(op.deprecated for op in api.operations)


def test_ringcentral_paging_parameters_are_marked_as_an_assumption() -> None:
    parameters = spec("ringcentral")["components"]["parameters"]
    for name in ("page", "perPage"):
        assert parameters[name].get("x-assumption") is True, name
        assert "assumption" in parameters[name]["description"], name


def test_ringcentral_deletes_with_an_occurrence_id_and_the_fake_accepts_it() -> None:
    m = models("ringcentral")
    sent: list[httpx.URL] = []
    http = httpx.Client(event_hooks={"request": [lambda r: sent.append(r.url)]})
    with http, served(app_for("ringcentral")) as root, client("ringcentral", root, "sync", http_client=http) as c:
        meeting = c.meetings.create_meeting(
            body=m.MeetingRequestResource(topic="Weekly", meeting_type=m.MeetingType.RECURRING)
        )
        c.meetings.delete_meeting(meeting.id, occurrence_id="1717405200000")
        # The fake keeps no occurrences: as the spec says, it deletes the whole meeting.
        with pytest.raises(package("ringcentral").NotFoundError):
            c.meetings.load_meeting(meeting.id)
    assert sent[-2].params["occurrenceId"] == "1717405200000"


def test_ringcentral_alternative_hosts_round_trip() -> None:
    m = models("ringcentral")
    assert "alternative_hosts" in m.MeetingRequestResource.model_fields
    assert "alternative_hosts" in m.MeetingResponseResource.model_fields
    with served(app_for("ringcentral")) as root, client("ringcentral", root, "sync") as c:
        body = m.MeetingRequestResource(topic="Sync", alternative_hosts="400131426009")
        created = c.meetings.create_meeting(body=body)
        assert created.alternative_hosts == "400131426009"
        assert c.meetings.load_meeting(created.id).alternative_hosts == "400131426009"


def test_ringcentral_creates_and_updates_without_a_body_as_the_official_description_allows() -> None:
    operations_ = dict(operations(spec("ringcentral")))
    for name in ("createMeeting", "updateMeeting"):
        assert operations_[name]["requestBody"]["required"] is False, name
    with served(app_for("ringcentral")) as root:
        with client("ringcentral", root, "sync") as c:
            made = c.meetings.create_meeting()  # the body was required: a TypeError
            assert made.id and c.meetings.update_meeting(made.id).id == made.id
        headers = {"Authorization": "Bearer test-token"}
        bare = httpx.post(f"{root}/restapi/v1.0/account/~/extension/~/meeting", headers=headers)
        assert bare.status_code == 201  # the fake answered 400 to a create without a body


def test_ringcentral_service_info_carries_the_personal_link_name() -> None:
    fields = spec("ringcentral")["components"]["schemas"]["MeetingExternalUserInfoResource"]["properties"]
    assert fields["personalLinkName"]["type"] == "string"
    with served(app_for("ringcentral")) as root, client("ringcentral", root, "sync") as c:
        info = c.service_info.load_meeting_service_info().external_user_info
    assert info is not None and info.personal_link_name == "jsmith"
    assert info.personal_link == "https://meetings.ringcentral.com/my/jsmith"


# --- Genesys ----------------------------------------------------------------------------


def test_genesys_regions_include_the_newer_ones() -> None:
    servers = spec("genesys")["servers"]
    regions = next(s for s in servers if "variables" in s)["variables"]["region"]["enum"]
    for region in ("apne2.pure.cloud", "aps1.pure.cloud", "sae1.pure.cloud", "use2.us-gov-pure.cloud"):
        assert region in regions


def test_genesys_error_body_carries_a_typed_limit() -> None:
    m = models("genesys")
    body = m.ErrorBody.model_validate(
        {
            "message": "too big",
            "status": 413,
            "limit": {"key": "max.bytes", "namespace": "platform.api", "value": 10000000},
        }
    )
    assert isinstance(body.limit, m.Limit)
    assert (body.limit.key, body.limit.namespace, body.limit.value) == ("max.bytes", "platform.api", 10000000)
    assert "newer" not in spec("genesys")["info"]["description"]


# --- join.me ----------------------------------------------------------------------------


def test_joinme_patch_keeps_start_with_personal_url_as_the_spec_says() -> None:
    document = spec("joinme")
    field = document["components"]["schemas"]["MeetingUpdate"]["properties"]["startWithPersonalUrl"]
    assert "default" not in field and "keeps its current value" in field["description"]
    assert "defaults to false" in " ".join(document["info"]["description"].split())  # the departure is documented
    m = models("joinme")
    with served(app_for("joinme")) as root, client("joinme", root, "sync") as c:
        end = START + datetime.timedelta(hours=1)
        made = c.meetings.schedule_meeting(
            body=m.NewMeeting(meeting_name="M", meeting_start=START, meeting_end=end, start_with_personal_url=True)
        )
        updated = c.meetings.update_meeting(made.meeting_id, body=m.MeetingUpdate(meeting_name="Renamed"))
        assert (updated.meeting_name, updated.start_with_personal_url) == ("Renamed", True)
        off = c.meetings.update_meeting(made.meeting_id, body=m.MeetingUpdate(start_with_personal_url=False))
        assert off.start_with_personal_url is False


def test_joinme_starts_a_scheduled_meeting_and_its_viewer_link_appears() -> None:
    ops = dict(operations(spec("joinme")))
    assert ops["startScheduledMeeting"]["x-assumption"] is True  # its body and answer are inferred
    assert "x-assumption" not in ops["startAdHocMeeting"]  # documented by join.me (vendor notes)
    m = models("joinme")
    with served(app_for("joinme")) as root, client("joinme", root, "sync") as c:
        end = START + datetime.timedelta(hours=1)
        made = c.meetings.schedule_meeting(body=m.NewMeeting(meeting_name="M", meeting_start=START, meeting_end=end))
        assert made.viewer_link is None  # not active before the start call
        started = c.meetings.start_scheduled_meeting(made.meeting_id)
        assert started.presenter_link and started.viewer_link
        assert c.meetings.get_scheduled_meeting(made.meeting_id).viewer_link == started.viewer_link
        ad_hoc = c.meetings.start_ad_hoc_meeting(
            body=m.AdHocMeetingStart(start_with_personal_url=False, viewer_mode=m.AdHocMeetingStartViewerMode.HEADLESS)
        )
        assert ad_hoc.audio_conference is not None and ad_hoc.audio_conference.conference_id == "123456789"
        refused = httpx.post(f"{root}/v1/meetings/start", json={}, headers={"Authorization": "Bearer test-token"})
        assert refused.status_code == 400  # startWithPersonalUrl is required


def test_joinme_start_is_the_meetings_interfaces_start() -> None:
    meetings = importlib.import_module("generated.meetings")
    with served(app_for("joinme")) as root:
        api = next(v.api for v in VENDORS if v.api.package == "joinme")
        with meetings.connect("joinme", **fake_options(api, root)) as unified:
            assert "start" in unified.actions
            made = unified.create(meetings.Meeting(title="M", start=START, duration=datetime.timedelta(hours=1)))
            assert made.join_url is None
            assert unified.start(made.id).join_url == "https://join.me/123456789"


# --- Pyas -------------------------------------------------------------------------------


def test_pyas_meeting_id_is_one_type_in_the_path_and_the_meeting() -> None:
    m = models("pyas")
    annotation = m.ZoomMeeting.model_fields["id"].annotation
    (field_type,) = [t for t in typing.get_args(annotation) or (annotation,) if t is not type(None)]
    assert field_type is int
    for method in ("get_meeting", "update_meeting", "delete_meeting"):
        resources = importlib.import_module("generated.pyas.resources.meetings")
        for cls in (resources.Meetings, resources.AsyncMeetings):
            hints = typing.get_type_hints(getattr(cls, method), globalns=vars(resources))
            assert hints["id"] is field_type, (cls.__name__, method)


def test_pyas_an_id_read_from_a_meeting_goes_back_as_it_is() -> None:
    m = models("pyas")
    with served(app_for("pyas")) as root, client("pyas", root, "sync") as c:
        data = m.MeetingData(type=m.ZoomMeetingType(2), title="T", description="d", start_date=START)
        made = c.meetings.create_meeting(body=m.CreateMeetingRequest(account_id="acct", meeting_data=data)).data
        (listed,) = c.meetings.list_meetings(account_id="acct").data.meetings
        assert listed.id == made.id and isinstance(made.id, int)
        assert c.meetings.get_meeting(listed.id, account_id="acct").meeting.topic == "T"
        c.meetings.update_meeting(
            listed.id, body=m.UpdateMeetingRequest(account_id="acct", meeting_data=m.MeetingDataUpdate(title="U"))
        )
        assert c.meetings.get_meeting(made.id, account_id="acct").meeting.topic == "U"
        # The id is an integer on the wire too: a path that is no number is a bad request.
        bad = httpx.get(f"{root}/zoom/meetings/abc", params={"accountId": "acct"}, headers={"x-api-key": "test-key"})
        assert bad.status_code == 400 and bad.json()["errors"][0]["param"] == "id"
        c.meetings.delete_meeting(made.id, account_id="acct")
        with pytest.raises(package("pyas").NotFoundError):
            c.meetings.get_meeting(made.id, account_id="acct")


def test_pyas_list_dates_are_month_first_by_assumption_and_say_so() -> None:
    document = spec("pyas")
    parameters = {p["name"]: p for p in dict(operations(document))["listMeetings"]["parameters"] if "name" in p}
    for name in ("startDate", "endDate"):
        assert parameters[name].get("x-assumption") is True, name
        assert "assumption" in parameters[name]["description"], name
        assert "DD-MM-YYYY" in parameters[name]["description"] or "day-first" in parameters[name]["description"]
    assert "Assumption: list's `startDate` and `endDate` are month-first" in document["info"]["description"]


def test_pyas_description_and_responses_agree_on_patch_and_delete() -> None:
    document = spec("pyas")
    ops = dict(operations(document))
    assert set(ops["updateMeeting"]["responses"]) == {"204", "400", "401", "404"}
    assert set(ops["deleteMeeting"]["responses"]) == {"204", "400", "401", "404"}
    text = " ".join(document["info"]["description"].split())
    assert "PATCH has no 401" not in text and "DELETE documents only its 204" not in text
    assert "adds PATCH's 401 and DELETE's 400, 401 and 404" in text


# --- PortSIP ----------------------------------------------------------------------------


def test_portsip_answers_require_no_field_and_send_blanks_as_null() -> None:
    """PortSIP's official description requires no field of these answers; its REST
    conventions send a blank field as null."""
    assert answer_errors("portsip", "Meeting", {}) == []
    assert answer_errors("portsip", "MeetingStatus", {}) == []
    assert (
        answer_errors("portsip", "Meeting", {"id": "x", "internal_invitees": None, "outbound_caller_ids": None}) == []
    )
    meeting = spec("portsip")["components"]["schemas"]["Meeting"]["properties"]
    blank_meeting = {name: None for name in meeting if name not in ("id", "extension_number")}
    assert {"subject", "mode", "timezone", "capacity", "scheduled_start_at"} <= blank_meeting.keys()
    assert answer_errors("portsip", "Meeting", {"id": "x", "extension_number": "8001", **blank_meeting}) == []
    assert answer_errors("portsip", "Meeting", {"mode": "NONE"}) != []  # the enum still holds
    assert answer_errors("portsip", "Meeting", {"id": None}) != []
    blank = {"id": "p", "display_name": None, "muted": None, "chairman": None, "position": None}
    assert answer_errors("portsip", "MeetingParticipant", blank) == []
    assert answer_errors("portsip", "MeetingParticipant", {"position": 9}) != []  # the range still holds
    # A real answer without the fields this spec required before reads through the client.
    answers = {
        "/api/user/meetings/x": {"id": "x", "extension_number": "8001", **blank_meeting},
        "/api/user/meetings/x/participants/p": blank,
    }
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=answers[r.url.path])))
    with http, client("portsip", "https://pbx.example", "sync", http_client=http) as c:
        meeting = c.meetings.get_meeting("x")
        assert (meeting.subject, meeting.mode, meeting.timezone, meeting.internal_invitees) == (None, None, None, None)
        assert c.participants.get_meeting_participant("x", "p").display_name is None


def test_portsip_participant_requests_require_no_field() -> None:
    schemas_ = spec("portsip")["components"]["schemas"]
    for name in ("InviteMeetingParticipantRequest", "MeetingParticipantsLayout", "MeetingParticipantPosition"):
        assert "required" not in schemas_[name], name
    m = models("portsip")
    with served(app_for("portsip")) as root, client("portsip", root, "sync") as c:
        made = c.meetings.create_meeting(
            body=m.CreateMeetingRequest(mode=m.MeetingMode.AUDIO, subject="S", timezone="UTC")
        )
        # Each body was refused without its field (a pydantic error before the request).
        c.participants.invite_meeting_participant(made.id, body=m.InviteMeetingParticipantRequest())
        c.participants.update_meeting_participants_layout(made.id, body=m.MeetingParticipantsLayout())
        (participant,) = c.participants.list_meeting_participants(made.id).items
        assert participant.id is not None
        c.participants.set_meeting_participant_position(made.id, participant.id, body=m.MeetingParticipantPosition())
        assert c.participants.get_meeting_participant(made.id, participant.id).position == -1  # left as it was
        c.participants.set_meeting_participant_position(
            made.id, participant.id, body=m.MeetingParticipantPosition(position=4)
        )
        assert c.participants.get_meeting_participant(made.id, participant.id).position == 4


# --- enum member names ------------------------------------------------------------------


def test_integer_enums_name_their_members() -> None:
    found = []
    for vendor in VENDORS:
        if not hand_written(vendor.api.sources[0]):
            continue  # a vendor's own file is as published
        for where, schema in schemas(vendor.spec):
            if schema.get("type") == "integer" and "enum" in schema:
                names = schema.get("x-enum-varnames")
                found.append((vendor.api.package, where))
                assert names is not None, (vendor.api.package, where)
                assert len(names) == len(schema["enum"]), where
                assert all(n.isidentifier() and n.isupper() for n in names), where
    assert len(found) >= 3  # pyas: the meeting type, the recurrence type, the monthly week


def test_enum_names_read_as_their_values() -> None:
    pyas = spec("pyas")["components"]["schemas"]
    assert pyas["ZoomMeetingType"]["x-enum-varnames"] == [
        "INSTANT",
        "SCHEDULED",
        "RECURRING_NO_FIXED_TIME",
        "RECURRING_FIXED_TIME",
    ]
    week = pyas["ZoomRecurrence"]["properties"]["monthly_week"]
    assert dict(zip(week["enum"], week["x-enum-varnames"]))[-1] == "LAST_WEEK"
    assert dict(zip(week["enum"], week["x-enum-varnames"]))[1] == "FIRST_WEEK"
    layout = spec("portsip")["components"]["schemas"]["MeetingLayout"]
    assert layout["x-enum-varnames"] == layout["enum"]
