"""The generated servers and fakes, served for real on loopback, driven by the generated clients."""

from __future__ import annotations

import asyncio
import datetime
import importlib
import inspect
import re
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from conftest import ROOT, served
from spec_driven import VENDORS, fake_options

pytestmark = pytest.mark.slow  # a server on loopback, and `serve` in a subprocess

UTC = datetime.timezone.utc
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MODES = ["sync", "async"]


def package(vendor: str) -> Any:
    return importlib.import_module(f"generated.{vendor}")


def models(vendor: str) -> Any:
    return importlib.import_module(f"generated.{vendor}.models")


def client(vendor: str, root: str, mode: str, **overrides: Any) -> Any:
    """The vendor's client for the fake at `root`, with the fake's default credentials."""
    api = next(v.api for v in VENDORS if v.api.package == vendor)
    name = ("Async" if mode == "async" else "") + api.client_name + "Client"
    return getattr(package(vendor), name)(**{**fake_options(api, root), **overrides})


async def call(value: Any) -> Any:
    """Await a coroutine (async client); pass a value through (sync client)."""
    return await value if inspect.isawaitable(value) else value


async def collect(iterator: Any) -> list[Any]:
    if hasattr(iterator, "__aiter__"):
        return [item async for item in iterator]
    return list(iterator)


async def raises_not_found(vendor: str, value: Callable[[], Any]) -> None:
    with pytest.raises(package(vendor).NotFoundError):
        await call(value())


# --- one lifecycle per vendor: create, get, list across pages, update, actions, delete --


async def joinme(c: Any) -> None:
    m = models("joinme")
    created = [
        await call(
            c.meetings.schedule_meeting(
                body=m.NewMeeting(
                    meeting_name=f"M{i}", meeting_start=START, meeting_end=START + datetime.timedelta(hours=1)
                )
            )
        )
        for i in range(3)
    ]
    first = created[0]
    assert (await call(c.meetings.get_scheduled_meeting(first.meeting_id))).meeting_name == "M0"
    assert [x.meeting_id for x in (await call(c.meetings.get_scheduled_meetings())).meetings] == [
        x.meeting_id for x in created
    ]
    updated = await call(
        c.meetings.update_meeting(
            first.meeting_id, body=m.MeetingUpdate(meeting_name="Renamed", participants=["a@b.example"])
        )
    )
    assert (updated.meeting_name, updated.participants, updated.start_with_personal_url) == (
        "Renamed",
        ["a@b.example"],
        False,
    )
    with pytest.raises(package("joinme").ConflictError):  # the end must stay after the start
        await call(
            c.meetings.update_meeting(
                first.meeting_id, body=m.MeetingUpdate(meeting_end=START - datetime.timedelta(hours=1))
            )
        )
    with pytest.raises(package("joinme").ConflictError):  # and within 14 days of it
        await call(
            c.meetings.update_meeting(
                first.meeting_id, body=m.MeetingUpdate(meeting_end=START + datetime.timedelta(days=15))
            )
        )
    started = await call(c.meetings.start_scheduled_meeting(first.meeting_id))
    assert (await call(c.meetings.get_scheduled_meeting(first.meeting_id))).viewer_link == started.viewer_link
    ad_hoc = await call(c.meetings.start_ad_hoc_meeting(body=m.AdHocMeetingStart(start_with_personal_url=True)))
    assert ad_hoc.presenter_link.startswith("https://")
    await call(c.meetings.delete_meeting(first.meeting_id))
    await raises_not_found("joinme", lambda: c.meetings.get_scheduled_meeting(first.meeting_id))
    await raises_not_found("joinme", lambda: c.meetings.start_scheduled_meeting(first.meeting_id))


async def genesys(c: Any) -> None:
    m = models("genesys")
    organizer = m.UserKey(id="user-1", key_type="user")

    def meeting(subject: str, days: int = 0) -> Any:
        return m.MeetingInput(
            organizer=organizer,
            subject=subject,
            description="d",
            attendees=[organizer],
            start_date=START + datetime.timedelta(days=days),
            duration=30.0,
        )

    created = [await call(c.meetings.post_meetings(body=meeting(f"S{i}", days=i))) for i in range(3)]
    first = created[0]
    assert (await call(c.meetings.get_meeting(first.id))).subject == "S0"
    listing = await call(
        c.meetings.get_user_meetings("user-1", start_date=START, end_date=START + datetime.timedelta(days=1, hours=1))
    )
    assert (listing.total, sorted(o.subject for o in listing.entities or [])) == (2, ["S0", "S1"])
    replaced = await call(c.meetings.put_meeting(first.id, body=meeting("S0 again")))
    assert (replaced.id, replaced.subject) == (first.id, "S0 again")
    occurrence = await call(c.occurrences.get_meeting_occurrence(first.id, first.id))
    assert (occurrence.subject, occurrence.meeting.subject) == ("S0 again", "S0 again")
    body = m.MeetingOccurrenceInput.model_validate(
        {**occurrence.model_dump(by_alias=True, exclude_none=True), "subject": "just this one"}
    )
    changed = await call(c.occurrences.put_meeting_occurrence(first.id, first.id, body=body))
    assert (changed.subject, (await call(c.meetings.get_meeting(first.id))).subject) == ("just this one", "S0 again")
    series = await call(
        c.occurrences.put_meeting_occurrence(
            first.id, first.id, body=body.model_copy(update={"subject": "all"}), series=True
        )
    )
    assert (series.subject, (await call(c.meetings.get_meeting(first.id))).subject) == ("all", "all")
    await call(c.occurrences.delete_meeting_occurrence(created[1].id, created[1].id))  # one occurrence
    await raises_not_found("genesys", lambda: c.occurrences.get_meeting_occurrence(created[1].id, created[1].id))
    assert (await call(c.meetings.get_meeting(created[1].id))).subject == "S1"  # the series stays
    await call(c.occurrences.delete_meeting_occurrence(created[2].id, created[2].id, series=True))
    await raises_not_found("genesys", lambda: c.meetings.get_meeting(created[2].id))
    await call(c.meetings.delete_meeting(first.id))
    await raises_not_found("genesys", lambda: c.meetings.get_meeting(first.id))


async def pyas(c: Any) -> None:
    m = models("pyas")
    created = []
    for i in range(5):
        data = m.MeetingData(type=m.ZoomMeetingType.SCHEDULED, title=f"T{i}", description="agenda", start_date=START)
        answer = await call(
            c.meetings.create_meeting(body=m.CreateMeetingRequest(account_id="acct", meeting_data=data))
        )
        created.append(answer.data)
    other = m.MeetingData(type=m.ZoomMeetingType.SCHEDULED, title="elsewhere", description="x", start_date=START)
    await call(c.meetings.create_meeting(body=m.CreateMeetingRequest(account_id="other", meeting_data=other)))
    first = created[0]
    got = await call(c.meetings.get_meeting(first.id, account_id="acct"))
    assert (got.success, got.meeting.topic, got.meeting.agenda) == (True, "T0", "agenda")
    listed = await collect(c.meetings.list_meetings_iter(account_id="acct", max_results=2))  # three pages
    assert [x.topic for x in listed] == [f"T{i}" for i in range(5)]
    await call(
        c.meetings.update_meeting(
            first.id, body=m.UpdateMeetingRequest(account_id="acct", meeting_data=m.MeetingDataUpdate(title="New"))
        )
    )
    assert (await call(c.meetings.get_meeting(first.id, account_id="acct"))).meeting.topic == "New"
    await call(c.meetings.delete_meeting(first.id, account_id="acct"))
    await raises_not_found("pyas", lambda: c.meetings.get_meeting(first.id, account_id="acct"))


async def ringcentral(c: Any) -> None:
    m = models("ringcentral")
    created = [
        await call(
            c.meetings.create_meeting(
                body=m.MeetingRequestResource(topic=f"R{i}", meeting_type=m.MeetingType.SCHEDULED)
            )
        )
        for i in range(5)
    ]
    first = created[0]
    assert (await call(c.meetings.load_meeting(first.id))).topic == "R0"
    page = await call(c.meetings.list_meetings(per_page=2, page=3))
    assert (page.paging.page, page.paging.total_pages, page.paging.total_elements) == (3, 3, 5)
    assert [x.topic for x in await collect(c.meetings.list_meetings_iter(per_page=2))] == [f"R{i}" for i in range(5)]
    replaced = await call(c.meetings.update_meeting(first.id, body=m.MeetingRequestResource(topic="Replaced")))
    assert (replaced.id, replaced.topic, replaced.meeting_type) == (first.id, "Replaced", None)  # PUT replaces
    await call(c.meetings.end_meeting(first.id))
    assert (await call(c.meetings.load_meeting(first.id))).status == "Ended"
    info = await call(c.service_info.load_meeting_service_info())
    assert info.uri
    await call(c.meetings.delete_meeting(first.id))
    await raises_not_found("ringcentral", lambda: c.meetings.load_meeting(first.id))


async def portsip(c: Any) -> None:
    m = models("portsip")
    created = [
        await call(
            c.meetings.create_meeting(
                body=m.CreateMeetingRequest(mode=m.MeetingMode.VIDEO, subject=f"P{i}", timezone="UTC")
            )
        )
        for i in range(5)
    ]
    first = created[0].id
    assert created[0].extension_number.isdigit()
    assert (await call(c.meetings.get_meeting(first))).subject == "P0"
    assert [x.subject for x in await collect(c.meetings.list_user_meetings_iter(top=2))] == [f"P{i}" for i in range(5)]
    await call(c.meetings.update_meeting(first, body=m.UpdateMeetingRequest(subject="Board")))
    assert (await call(c.meetings.get_meeting(first))).subject == "Board"
    for action in ("start_meeting", "lock_meeting", "mute_meeting", "start_recording_meeting"):
        await call(getattr(c.meetings, action)(first))
    status = await call(c.meetings.get_user_meeting_status(first))
    assert (status.status, status.locked, status.muted, status.recording) == (
        m.MeetingOnlineStatus.ONLINE,
        True,
        True,
        True,
    )
    for action in ("unlock_meeting", "unmute_meeting", "stop_recording_meeting", "stop_meeting"):
        await call(getattr(c.meetings, action)(first))
    status = await call(c.meetings.get_user_meeting_status(first))
    assert (status.status, status.locked, status.muted, status.recording) == (
        m.MeetingOnlineStatus.OFFLINE,
        False,
        False,
        False,
    )
    await call(
        c.participants.update_meeting_participants_layout(first, body=m.MeetingParticipantsLayout(items=["a", "b"]))
    )
    await call(c.participants.invite_meeting_participant(first, body=m.InviteMeetingParticipantRequest(number="1001")))
    (participant,) = (await call(c.participants.list_meeting_participants(first))).items
    await call(c.participants.mute_meeting_participant(first, participant.id))
    await call(c.participants.unmute_meeting_participant(first, participant.id))
    await call(c.participants.mute_meeting_participant(first, participant.id))
    await call(c.participants.transfer_meeting_ownership(first, participant.id))
    await call(
        c.participants.set_meeting_participant_position(
            first, participant.id, body=m.MeetingParticipantPosition(position=3)
        )
    )
    got = await call(c.participants.get_meeting_participant(first, participant.id))
    assert (got.display_name, got.muted, got.chairman, got.position) == ("1001", True, True, 3)
    await call(c.participants.kick_out_meeting_participant(first, participant.id))
    assert (await call(c.participants.list_meeting_participants(first))).items == []
    await call(c.meetings.delete_meeting(first))
    await raises_not_found("portsip", lambda: c.meetings.get_meeting(first))


LIFECYCLES: dict[str, Callable[[Any], Awaitable[None]]] = {
    "genesys": genesys,
    "joinme": joinme,
    "portsip": portsip,
    "pyas": pyas,
    "ringcentral": ringcentral,
}


def app_for(vendor: str) -> Any:
    return importlib.import_module(f"generated.{vendor}.server").create_app()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", sorted(LIFECYCLES))
def test_lifecycle_over_http(vendor: str, mode: str) -> None:
    async def run(c: Any) -> None:
        try:
            await LIFECYCLES[vendor](c)
        finally:
            await call(c.close())

    with served(app_for(vendor)) as root:
        asyncio.run(run(client(vendor, root, mode)))


def test_every_operation_is_exercised_by_a_lifecycle() -> None:
    source = inspect.getsource(sys.modules[__name__])
    for vendor in LIFECYCLES:
        server = importlib.import_module(f"generated.{vendor}.server")
        missing = [r.name for r in server.ROUTES if f".{r.name}(" not in source and f'"{r.name}"' not in source]
        assert server.ROUTES, vendor
        assert missing == [], vendor


def test_two_hundred_concurrent_creates_all_land_once() -> None:
    m = models("joinme")
    with served(app_for("joinme")) as root:

        async def run() -> tuple[list[int], list[int]]:
            async with client("joinme", root, "async") as c:
                bodies = [
                    m.NewMeeting(
                        meeting_name=f"C{i}", meeting_start=START, meeting_end=START + datetime.timedelta(hours=1)
                    )
                    for i in range(200)
                ]
                created = await asyncio.gather(*(c.meetings.schedule_meeting(body=b) for b in bodies))
                listed = (await c.meetings.get_scheduled_meetings()).meetings
            return [x.meeting_id for x in created], [x.meeting_id for x in listed]

        created, listed = asyncio.run(run())
    assert len(set(created)) == 200
    assert sorted(listed) == sorted(created)


def test_concurrent_updates_are_never_torn() -> None:
    m = models("portsip")
    with served(app_for("portsip")) as root:

        async def run() -> Any:
            async with client("portsip", root, "async") as c:
                meeting = await c.meetings.create_meeting(
                    body=m.CreateMeetingRequest(mode=m.MeetingMode.VIDEO, subject="s", timezone="UTC")
                )
                await asyncio.gather(
                    *(
                        c.meetings.update_meeting(
                            meeting.id, body=m.UpdateMeetingRequest(subject=f"s{i}", timezone=f"s{i}")
                        )
                        for i in range(100)
                    )
                )
                return await c.meetings.get_meeting(meeting.id)

        final = asyncio.run(run())
    assert final.subject == final.timezone  # both fields from the same update


# --- bad input: the vendor's status and error shape, never a 500 ---------------------

BAD: dict[str, list[tuple[str, str, dict[str, Any], int, Callable[[Any], bool]]]] = {
    "joinme": [
        ("GET", "/v1/meetings/abc", {}, 400, lambda body: body is None),
        ("POST", "/v1/meetings", {"json": {"meetingName": "x"}}, 400, lambda body: body is None),
        ("GET", "/v1/meetings?endDate=yesterday", {}, 400, lambda body: body is None),
        ("GET", "/v1/meetings", {"headers": {"Authorization": "Bearer wrong"}}, 403, lambda body: body is None),
    ],
    "genesys": [
        (
            "POST",
            "/api/v2/meetings",
            {"json": {"subject": 5}},
            400,
            lambda b: b["code"] == "bad.request" and b["status"] == 400,
        ),
        (
            "GET",
            "/api/v2/users/u/meetings?startDate=2026-01-01T00:00:00Z",
            {},
            400,
            lambda b: "endDate" in b["message"],
        ),
        (
            "GET",
            "/api/v2/meetings/x",
            {"headers": {"Authorization": ""}},
            401,
            lambda b: b["code"] == "authentication.required",
        ),
    ],
    "pyas": [
        (
            "GET",
            "/zoom/meetings",
            {},
            400,
            lambda b: b["errors"][0]["param"] == "accountId" and b["errors"][0]["location"] == "query",
        ),
        (
            "POST",
            "/zoom/meetings",
            {"json": {"accountId": "a", "meetingData": {"type": 5}}},
            400,
            lambda b: b["errors"][0]["location"] == "body",
        ),
        (
            "GET",
            "/zoom/meetings?accountId=a&maxResults=many",
            {},
            400,
            lambda b: b["errors"][0]["param"] == "maxResults",
        ),
        ("GET", "/zoom/meetings?accountId=a", {"headers": {"x-api-key": "wrong"}}, 401, lambda b: set(b) == {"error"}),
        ("GET", "/zoom/meetings/9?accountId=a", {}, 404, lambda b: b["success"] is False and b["code"] == 404),
    ],
    "ringcentral": [
        (
            "GET",
            "/restapi/v1.0/account/~/extension/~/meeting?perPage=0",
            {},
            400,
            lambda b: b["errors"][0]["errorCode"] == "CMN-101",
        ),
        (
            "POST",
            "/restapi/v1.0/account/~/extension/~/meeting",
            {"json": {"meetingType": "Weekly"}},
            400,
            lambda b: b["errors"][0]["errorCode"] == "CMN-101",
        ),
        (
            "GET",
            "/restapi/v1.0/account/~/extension/~/meeting/1",
            {},
            404,
            lambda b: b["errors"][0]["errorCode"] == "CMN-102",
        ),
        (
            "GET",
            "/restapi/v1.0/account/~/extension/~/meeting",
            {"headers": {"Authorization": "Bearer no"}},
            401,
            lambda b: b["errors"][0]["errorCode"] == "OAU-123",
        ),
    ],
    "portsip": [
        ("GET", "/api/user/meetings?top=101", {}, 400, lambda b: b["errors"][0]["code"] == "VALIDATE_FAILED"),
        ("GET", "/api/user/meetings?skip=-1", {}, 400, lambda b: b["errors"][0]["code"] == "VALIDATE_FAILED"),
        (
            "POST",
            "/api/user/meetings",
            {"json": {"mode": "VIDEO", "subject": "s", "timezone": "UTC", "admin_pin": "12ab"}},
            400,
            lambda b: "admin_pin" in b["errors"][0]["message"],
        ),
        (
            "POST",
            "/api/user/meetings",
            {"json": {"mode": "VIDEO"}},
            400,
            lambda b: b["errors"][0]["code"] == "VALIDATE_FAILED",
        ),
        (
            "POST",
            "/api/user/meetings",
            {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
            400,
            lambda b: "JSON" in b["errors"][0]["message"],
        ),
        (
            "GET",
            "/api/user/meetings",
            {"headers": {"Authorization": "Basic eDp5"}},
            401,
            lambda b: b["errors"][0]["code"] == "UNAUTHORIZED",
        ),
    ],
}
AUTH = {"pyas": {"x-api-key": "test-key"}}


@pytest.mark.parametrize(
    ("vendor", "case"), [(v, i) for v, cases in BAD.items() for i in range(len(cases))], ids=lambda x: str(x)
)
def test_bad_input_gets_the_vendor_error(vendor: str, case: int) -> None:
    method, path, options, status, shape = BAD[vendor][case]
    options = dict(options)
    headers = {"Authorization": "Bearer test-token", **AUTH.get(vendor, {}), **options.pop("headers", {})}
    with served(app_for(vendor)) as root:
        response = httpx.request(method, root + path, headers=headers, **options)
    assert response.status_code == status, response.text
    assert shape(response.json() if response.content else None)


# --- handlers of one's own, the fake's controls, the spec, serve ---------------------------


def test_own_handlers_serve_typed_values_and_unimplemented_operations_answer_501() -> None:
    server = importlib.import_module("generated.joinme.server")
    m = models("joinme")
    seen: list[Any] = []

    class Meetings(server.MeetingsHandlers):
        def get_scheduled_meeting(self, meeting_id: int) -> Any:
            seen.append(meeting_id)
            if meeting_id == 404:
                raise server.ServerError(404, "no such meeting")
            return m.Meeting(
                meeting_id=meeting_id,
                meeting_name="mine",
                meeting_start=START,
                meeting_end=START,
                start_with_personal_url=False,
            )

    with served(server.create_app(server.Handlers(meetings=Meetings()))) as root, client("joinme", root, "sync") as c:
        assert c.meetings.get_scheduled_meeting(7).meeting_name == "mine"
        with pytest.raises(package("joinme").NotFoundError):
            c.meetings.get_scheduled_meeting(404)
        with pytest.raises(package("joinme").APIStatusError) as caught:
            c.meetings.get_scheduled_meetings()
    assert seen == [7, 404]
    assert caught.value.status_code == 501
    # join.me has no error shape: the 501 says why in plain text, and the error shows it
    assert str(caught.value).endswith(
        ": operationId getScheduledMeetings is not implemented: override Meetings.get_scheduled_meetings (see README)"
    )


def test_the_fake_can_be_seeded_and_reset() -> None:
    server = importlib.import_module("generated.joinme.server")
    app = server.create_app()
    fake = app.state.handlers
    fake.seed(
        "meetings",
        [
            {
                "meetingId": 41,
                "meetingName": "seeded",
                "meetingStart": "2026-01-01T09:00:00Z",
                "meetingEnd": "2026-01-01T10:00:00Z",
            }
        ],
    )
    with served(app) as root, client("joinme", root, "sync") as c:
        assert c.meetings.get_scheduled_meeting(41).meeting_name == "seeded"
        fake.reset()
        with pytest.raises(package("joinme").NotFoundError):
            c.meetings.get_scheduled_meeting(41)


def test_the_server_serves_its_spec() -> None:
    with served(app_for("portsip")) as root:
        document = httpx.get(root + "/openapi.json").json()
    assert document["info"]["title"] == importlib.import_module("generated.portsip.server").SPEC["info"]["title"]


def test_serve_answers_a_generated_client_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "portsip", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    banner = process.stdout.readline()  # before uvicorn logs anything: the port actually bound
    found = re.match(r"serving the portsip fake at http://127\.0\.0\.1:(\d+)/api ", banner)
    assert found, banner
    port = int(found.group(1))
    c = package("portsip").PortSipClient(access_token="test-token", base_url=f"http://127.0.0.1:{port}/api")
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                meetings = c.meetings.list_user_meetings()
                break
            except package("portsip").APIConnectionError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert meetings.count == 0
    finally:
        c.close()
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0
    assert '"GET /api/user/meetings?skip=0&top=100 HTTP/1.1" 200 OK' in output  # one line per request
    assert "Traceback" not in output
