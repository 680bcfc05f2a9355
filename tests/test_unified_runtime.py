"""The unified meetings runtime, tested once: a hand-written map of join.me onto its served fake."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import importlib
import zoneinfo
from typing import Any

import httpx
import pydantic
import pytest
from conftest import served

from generator.model import unified
from generator.runtime import _unified as u
from generator.runtime import _unified_records

START = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)


def mapped(can: dict[str, Any] | None = None, **parts: Any) -> u.VendorMap:
    """A hand-written map, its capabilities the fields it keeps and writes (and `can`)."""
    kept, written = _unified_records.kept_and_written(parts["fields"])
    return u.VendorMap(**parts, capabilities=u.Capabilities(kept, written, **(can or {})))


JOINME = mapped(
    name="joinme",
    package="generated.joinme",
    client="JoinMeClient",
    create=u.Verb("meetings.schedule_meeting", body_type="NewMeeting"),
    get=u.Verb("meetings.get_scheduled_meeting", id_argument="meeting_id"),
    list=u.Verb("meetings.get_scheduled_meetings", result=("meetings",)),
    update=u.Verb("meetings.update_meeting", id_argument="meeting_id", body_type="MeetingUpdate"),
    delete=u.Verb("meetings.delete_meeting", id_argument="meeting_id"),
    fields=(
        u.FieldMap("id", ("meetingId",), read_only=True),
        u.FieldMap("title", ("meetingName",)),
        u.FieldMap("start", ("meetingStart",)),
        u.FieldMap("end", ("meetingEnd",)),
        u.FieldMap("attendees", ("participants",)),
        u.FieldMap("join_url", ("viewerLink",), read_only=True),
    ),
)
VENDORS = {"joinme": JOINME}


def fake() -> Any:
    return served(importlib.import_module("generated.joinme.server").create_app())


def test_a_meeting_goes_round_the_vendor_and_back() -> None:
    with fake() as root, u.connect(VENDORS, "joinme", access_token="test-token", base_url=root + "/v1") as client:
        created = client.create(
            u.Meeting(title="Weekly", start=START, duration=datetime.timedelta(minutes=30), attendees=["a@b.example"])
        )
        assert (created.title, created.start, created.end, created.duration) == (
            "Weekly",
            START,
            START + datetime.timedelta(minutes=30),
            datetime.timedelta(minutes=30),
        )
        assert created.attendees == ["a@b.example"] and created.id and created.original["meetingId"] == int(created.id)
        assert client.get(created.id) == created
        assert [m.id for m in client.list()] == [created.id]
        moved = client.update(
            created.id, u.Meeting(start=START + datetime.timedelta(hours=1), end=START + datetime.timedelta(hours=2))
        )
        assert (moved.title, moved.duration) == ("Weekly", datetime.timedelta(hours=1))
        client.delete(created.id)
        with pytest.raises(u.NotFoundError) as caught:
            client.get(created.id)
        assert caught.value.status_code == 404 and caught.value.original is not None


def test_a_field_the_vendor_cannot_store_is_refused_before_anything_is_sent() -> None:
    assert "timezone" not in JOINME.capabilities.kept and {"end", "duration"} <= set(JOINME.capabilities.kept)
    with u.connect(VENDORS, "joinme", access_token="t", base_url="http://127.0.0.1:9") as client:  # nothing listens
        with pytest.raises(u.UnsupportedFieldError, match="timezone") as caught:
            client.create(u.Meeting(title="x", start=START, end=START, timezone="Europe/Paris"))
        assert caught.value.fields == ("timezone",)
        with pytest.raises(u.UnsupportedFieldError, match="join_url"):
            client.update("1", u.Meeting(join_url="https://elsewhere.example"))


def test_the_async_client_does_the_same() -> None:
    async def main(root: str) -> list[Any]:
        async with u.connect_async(VENDORS, "joinme", access_token="test-token", base_url=root + "/v1") as client:
            created = await client.create(
                u.Meeting(title="Async", start=START, end=START + datetime.timedelta(minutes=15))
            )
            listed = [m.id async for m in client.list()]
            await client.delete(created.id)
            try:
                await client.get(created.id)
            except u.NotFoundError as error:
                return [created.duration, listed == [created.id], error.status_code]
            return []

    with fake() as root:
        assert asyncio.run(main(root)) == [datetime.timedelta(minutes=15), True, 404]


def test_refused_credentials_and_an_unknown_vendor_are_typed_errors() -> None:
    with fake() as root, u.connect(VENDORS, "joinme", access_token="wrong", base_url=root + "/v1") as client:
        with pytest.raises(u.AuthenticationError):
            client.get("1")
    with pytest.raises(u.ConfigurationError, match="one of joinme"):
        u.connect(VENDORS, "zoom")
    with pytest.raises(u.ConfigurationError, match="acces_token") as caught:  # the client refuses a misspelt name
        u.connect(VENDORS, "joinme", acces_token="t")
    assert isinstance(caught.value, u.MeetingsError) and isinstance(caught.value.original, TypeError)


def test_no_credential_is_an_authentication_error_before_anything_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOINME_ACCESS_TOKEN", raising=False)
    with u.connect(VENDORS, "joinme", base_url="http://127.0.0.1:9") as client:  # nothing listens
        with pytest.raises(u.AuthenticationError) as caught:
            client.get("1")
    assert caught.value.status_code is None and "access_token" in str(caught.value)


def test_an_answer_unlike_the_vendors_spec_is_an_api_error() -> None:
    answer = httpx.MockTransport(lambda request: httpx.Response(200, json={"meetingStart": "not a time"}))
    with u.connect(
        VENDORS,
        "joinme",
        access_token="t",
        base_url="http://joinme.example/v1",
        http_client=httpx.Client(transport=answer),
    ) as client:
        with pytest.raises(u.APIError) as caught:
            client.get("1")
    assert caught.value.status_code == 200 and caught.value.original is not None


def test_a_meeting_the_vendor_refuses_is_an_invalid_request_error() -> None:
    with fake() as root, u.connect(VENDORS, "joinme", access_token="test-token", base_url=root + "/v1") as client:
        with pytest.raises(u.InvalidRequestError) as caught:  # join.me's rule: the start precedes the end
            client.create(u.Meeting(title="Backwards", start=START, end=START - datetime.timedelta(hours=1)))
        assert caught.value.status_code == 409  # join.me answers its rules with Conflict


SHAPES = mapped(
    name="shapes",
    package="unused",
    client="Unused",
    create=u.Verb(""),
    get=u.Verb(""),
    list=u.Verb(""),
    update=u.Verb(""),
    delete=u.Verb(""),
    fields=(
        u.FieldMap("id", ("key",), read_only=True),
        u.FieldMap("start", ("when", "begins")),
        u.FieldMap("duration", ("when", "seconds"), unit=1.0),
        u.FieldMap("attendees", ("guests",), key=("id",), each=(("kind", "user"),)),
        u.FieldMap("host", ("owners",), separator=","),
        u.FieldMap("status", ("state",), values=(("booked", "scheduled"), ("1", "started")), read_only=True),
        u.FieldMap("title", ("summary",), write=("name",)),
    ),
    constants=((("kind",), 7),),
)


def test_fields_convert_both_ways_as_their_map_says() -> None:
    meeting = u.Meeting(title="T", start=START, end=START + datetime.timedelta(minutes=2), attendees=["a", "b"])
    assert u.to_vendor(meeting, SHAPES, creating=True) == {
        "kind": 7,
        "name": "T",
        "when": {"begins": START.isoformat(), "seconds": 120},
        "guests": [{"kind": "user", "id": "a"}, {"kind": "user", "id": "b"}],
    }
    read = u.from_vendor(
        {
            "key": 5,
            "when": {"begins": "2026-12-01T09:00:00Z", "seconds": 90},
            "state": 1,
            "summary": "S",
            "guests": [{"id": "x"}],
        },
        SHAPES,
    )
    assert (read.id, read.end, read.status, read.title, read.attendees) == (
        "5",
        START + datetime.timedelta(seconds=90),
        u.Status.STARTED,
        "S",
        ["x"],
    )
    assert (
        u.from_vendor({"key": 1, "state": "archived"}, SHAPES).status is u.Status.UNKNOWN
    )  # a value the map does not name
    with pytest.raises(u.UnsupportedFieldError, match="status"):
        u.to_vendor(u.Meeting(status=u.Status.ENDED), SHAPES, creating=False)


def test_the_meeting_has_a_field_for_each_unified_name_and_its_own_choices() -> None:
    assert tuple(u.Meeting.model_fields) == (*u.FIELDS, "original")
    assert u.Status is _unified_records.Status and u.Recurrence is _unified_records.Recurrence
    assert unified.CHOICES["status"] == ("scheduled", "started", "ended", "cancelled")  # not "unknown"


def test_a_meeting_of_the_wrong_types_is_an_invalid_request_not_pydantics_error() -> None:
    with pytest.raises(u.InvalidRequestError, match="start") as caught:
        u.Meeting(title="x", start="soon")
    assert caught.value.fields == ("start",) and caught.value.status_code is None
    assert isinstance(caught.value.original, pydantic.ValidationError)
    with pytest.raises(u.InvalidRequestError, match="give two of them"):  # three times that disagree
        u.to_vendor(u.Meeting(start=START, end=START, duration=datetime.timedelta(hours=1)), JOINME, creating=True)


def test_a_required_vendor_field_no_unified_field_maps_is_named_by_its_pointer() -> None:
    parts = {f.name: getattr(JOINME, f.name) for f in dataclasses.fields(JOINME) if f.name != "capabilities"}
    untitled = mapped(**parts | {"fields": tuple(f for f in JOINME.fields if f.name != "title")})
    with u.connect({"joinme": untitled}, "joinme", access_token="t", base_url="http://127.0.0.1:9") as client:
        with pytest.raises(u.InvalidRequestError) as caught:  # nothing listens: refused before sending
            client.create(u.Meeting(start=START, end=START + datetime.timedelta(hours=1)))
    assert str(caught.value) == "its /meetingName (no Meeting field maps there) is required by joinme"
    assert caught.value.fields == ()


H = datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("changes", "reads", "expected"),
    [
        ({"start": START + 24 * H}, True, (START + 24 * H, START + 25 * H, H)),  # the end moves with it
        ({"end": START + 3 * H}, False, (START, START + 3 * H, 3 * H)),  # join.me keeps the start itself
        ({"duration": 2 * H}, True, (START, START + 2 * H, 2 * H)),  # join.me keeps no duration
        ({"start": START, "end": START + 4 * H}, False, (START, START + 4 * H, 4 * H)),
        ({"title": "only"}, False, (None, None, None)),
    ],
)
def test_a_time_changed_alone_keeps_the_duration_or_the_start(
    changes: dict[str, Any], reads: bool, expected: tuple[Any, ...]
) -> None:
    """The meeting is START for an hour; join.me stores its start and end."""
    assert u._reads_first(u.Meeting(**changes), JOINME) is reads
    moved = u._moved(u._given(u.Meeting(**changes), JOINME), {"start": START, "end": START + H, "duration": H})
    assert (moved.get("start"), moved.get("end"), moved.get("duration")) == expected


def test_a_change_inside_an_object_of_the_meeting_reads_it_first_to_send_it_whole() -> None:
    """A patch may replace the object whole (`when`, holding start and duration)."""
    assert u._reads_first(u.Meeting(start=START), SHAPES) is True
    assert u._reads_first(u.Meeting(title="top level"), SHAPES) is False


ZONED = mapped(
    {
        "timezones": ("America/Los_Angeles", "Asia/Kolkata"),
        "recurrence": ("weekly",),
        "rule_parts": ("frequency", "weekdays", "count"),
    },
    name="zoned",
    package="unused",
    client="Unused",
    create=u.Verb(""),
    get=u.Verb(""),
    list=u.Verb(""),
    update=u.Verb(""),
    delete=u.Verb(""),
    fields=(
        u.FieldMap("id", ("key",), read_only=True),
        u.FieldMap("start", ("begins",)),
        u.FieldMap("timezone", ("tz",), values=(("58", "America/Los_Angeles"), ("59", "Asia/Kolkata"))),
        u.FieldMap(
            "recurrence",
            ("rec",),
            values=((2, "weekly"),),
            parts=(("frequency", ("type",)), ("weekdays", ("days",)), ("count", ("n",))),
            days=(("2", "MO"), ("4", "WE")),
            separator=",",
            constants=((("kind",), "recurring"),),
        ),
    ),
)


def test_times_are_read_in_the_meetings_zone_and_a_time_without_offset_is_in_it() -> None:
    kolkata = zoneinfo.ZoneInfo("Asia/Kolkata")
    read = u.from_vendor({"key": 1, "begins": "2026-12-01T09:00:00", "tz": "59"}, ZONED)
    assert read.timezone == "Asia/Kolkata" and read.start == datetime.datetime(2026, 12, 1, 9, tzinfo=kolkata)
    assert read.start is not None and read.start.tzinfo == kolkata
    read = u.from_vendor({"key": 1, "begins": "2026-12-01T09:00:00+01:00", "tz": "1"}, ZONED)  # an id not named
    assert read.timezone is None and read.start is not None and read.start.tzinfo is datetime.UTC
    assert read.start == START - datetime.timedelta(hours=1)
    assert u.to_vendor(u.Meeting(timezone="Asia/Kolkata"), ZONED, creating=False) == {"tz": "59"}
    with pytest.raises(u.InvalidRequestError, match="America/Los_Angeles, Asia/Kolkata") as caught:
        u.to_vendor(u.Meeting(timezone="Europe/Paris"), ZONED, creating=False)
    assert caught.value.fields == ("timezone",)
    held = u.to_vendor(u.Meeting(start=START.astimezone(kolkata)), ZONED, creating=True)
    assert held["tz"] == "59"  # a create's start in a named zone is held there


def test_a_rule_is_an_rrule_subset_written_and_read_as_the_map_says() -> None:
    rule = u.Rule.parse("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3")
    assert rule == u.Rule(frequency=u.Recurrence.WEEKLY, weekdays=(u.Weekday.MO, u.Weekday.WE), count=3)
    assert str(rule) == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3" and u.Rule.parse(str(rule)) == rule
    until = u.Rule.parse("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15;UNTIL=20270101T000000Z")
    assert until.until == datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC) and until.interval == 2
    assert str(until) == "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15;UNTIL=20270101T000000Z"
    wire = u.to_vendor(u.Meeting(recurrence=str(rule)), ZONED, creating=False)
    assert wire == {"rec": {"type": 2, "days": "2,4", "n": 3}, "kind": "recurring"}
    assert u.from_vendor({"key": 1, **wire}, ZONED).recurrence == rule
    with pytest.raises(u.UnsupportedFieldError, match=r"recurrence \(interval\)"):
        u.to_vendor(u.Meeting(recurrence="FREQ=WEEKLY;INTERVAL=2"), ZONED, creating=False)
    with pytest.raises(u.UnsupportedFieldError, match="daily"):
        u.to_vendor(u.Meeting(recurrence="FREQ=DAILY"), ZONED, creating=False)


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=WEEKLY;BYSETPOS=1",  # a part of RFC 5545 beyond the subset
        "FREQ=WEEKLY;COUNT=2;UNTIL=20270101T000000Z",  # two ends
        "FREQ=HOURLY",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;UNTIL=tomorrow",
        "FREQ=DAILY;INTERVAL=0",
    ],
)
def test_a_rule_refused_is_an_invalid_request_naming_recurrence(text: str) -> None:
    with pytest.raises(u.InvalidRequestError) as caught:
        u.Meeting(recurrence=text)
    assert caught.value.fields == ("recurrence",) and caught.value.status_code is None
