"""The one meetings interface: the same conformance suite, written once, for every
vendor whose spec maps onto it (`x-unified`), over real HTTP against its served fake."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import importlib
import inspect
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from conftest import ROOT, served
from spec_driven import VENDORS, Vendor, fake_options

from generator.runtime._unified_records import TIMES

UNIFIED = [v for v in VENDORS if v.api.unified is not None]
START = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
SAMPLES: dict[str, Any] = {
    "title": "Conformance",
    "start": START,
    "duration": datetime.timedelta(minutes=30),
    "timezone": "Europe/Paris",
    "attendees": ["ann@example.com", "bob@example.com"],
    "host": "host@example.com",
    "recurrence": "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6",  # where a vendor stores no rule
}


def options(vendor: Vendor, root: str) -> dict[str, Any]:
    """`connect`'s arguments for the vendor's fake at `root`: its test credentials and context."""
    assert vendor.api.unified is not None
    return fake_options(vendor.api, root) | {name: f"conformance-{name}" for name in vendor.api.unified.context}


async def value(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


async def items(iterator: Any) -> list[Any]:
    return [item async for item in iterator] if hasattr(iterator, "__aiter__") else list(iterator)


def run(mode: str, vendor: Vendor, scenario: Callable[[Any, Any], Any]) -> Any:
    """`scenario(client, meetings)` against the vendor's served fake, sync or async."""
    meetings = importlib.import_module("generated.meetings")
    server = importlib.import_module(f"generated.{vendor.api.package}.server")
    with served(server.create_app()) as root:
        connect = meetings.connect_async if mode == "async" else meetings.connect
        client = connect(vendor.api.package, **options(vendor, root))

        async def go() -> Any:
            try:
                return await scenario(client, meetings)
            finally:
                await value(client.close())

        return asyncio.run(go())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_create_get_list_update_delete_keep_every_field_the_vendor_keeps(vendor: Vendor, mode: str) -> None:
    async def scenario(client: Any, meetings: Any) -> None:
        given = writable_samples(client)
        created = await value(client.create(meetings.Meeting(**given)))
        assert created.id
        for name, sample in given.items():
            assert getattr(created, name) == sample, name
        if {"start", "duration"} <= set(given):
            assert created.end == START + given["duration"]
        assert (await value(client.get(created.id))).model_dump() == created.model_dump()
        others = [await value(client.create(meetings.Meeting(**{**given, "title": f"Other {i}"}))) for i in range(2)]
        listed = [
            m.id for m in await items(client.list(page_size=2))
        ]  # three meetings: two pages, where pages are chosen
        assert {created.id, *(m.id for m in others)} <= set(listed)
        renamed = await value(client.update(created.id, meetings.Meeting(title="Renamed")))
        assert renamed.title == "Renamed"
        for name, sample in given.items():
            if name != "title":
                assert getattr(renamed, name) == sample, name
        await value(client.delete(created.id))
        with pytest.raises(meetings.NotFoundError) as caught:
            await value(client.get(created.id))
        assert caught.value.original is not None and caught.value.status_code == 404

    run(mode, vendor, scenario)


def set_by_the_vendor(vendor: Vendor) -> list[str]:
    """The interface's fields the vendor sets itself: read-only where its fake keeps
    them (the schema of the collection its create stores in), or under a read-only object."""
    unified = vendor.spec["x-unified"]
    create = next(op for op in vendor.api.operations if op.operation_id == unified["operations"]["create"]["operation"])
    assert create.fake is not None  # its x-fake, or what the fake inferred
    collection = vendor.api.collections[create.fake.collection]
    found = []
    for name, field in unified["fields"].items():
        node, read_only = vendor.deref({"$ref": "#" + collection.schema}), False
        for token in field["at"].split("/")[1:]:
            declared = (node.get("properties") or {}).get(token, {})
            node = vendor.deref(declared)
            read_only = read_only or bool(declared.get("readOnly") or node.get("readOnly"))
        if read_only:
            found.append(name)
    return found


@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_every_field_the_vendor_sets_is_read_back_after_create(vendor: Vendor) -> None:
    """Its fake fills them (issue 26): RingCentral's `join_url` and `status` were null."""

    async def scenario(client: Any, meetings: Any) -> None:
        given = writable_samples(client)
        created = await value(client.create(meetings.Meeting(**given)))
        fetched = await value(client.get(created.id))
        for name in set_by_the_vendor(vendor):
            assert getattr(created, name) is not None, name
            assert getattr(fetched, name) == getattr(created, name), name

    run("sync", vendor, scenario)


def test_the_fields_set_by_the_vendor_are_found_in_its_spec() -> None:
    ringcentral = next(v for v in UNIFIED if v.api.package == "ringcentral")
    assert {"join_url", "status"} <= set(set_by_the_vendor(ringcentral))


@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_a_field_the_vendor_cannot_keep_is_refused_at_the_call(vendor: Vendor) -> None:
    async def scenario(client: Any, meetings: Any) -> None:
        missing = [name for name in SAMPLES if name not in client.capabilities.writable]
        if not missing:
            pytest.skip("the vendor keeps every field")
        with pytest.raises(meetings.UnsupportedFieldError) as caught:
            await value(client.create(meetings.Meeting(title="x", start=START, **{missing[0]: SAMPLES[missing[0]]})))
        assert caught.value.fields == (missing[0],)

    run("sync", vendor, scenario)


def test_every_spec_that_maps_onto_the_interface_joins_it() -> None:
    meetings = importlib.import_module("generated.meetings")
    declared = [v.api.package for v in VENDORS if "x-unified" in v.api.document]
    assert declared == [v.api.package for v in UNIFIED] == sorted(meetings.VENDORS)


def test_the_readmes_example_runs_against_the_served_fake(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "generated" / "meetings" / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    vendor = next(v for v in UNIFIED if f'connect("{v.api.package}"' in example)
    server = importlib.import_module(f"generated.{vendor.api.package}.server")
    with served(server.create_app()) as root:
        exec(compile(example.replace("http://127.0.0.1:8000", root), "meetings/README.md", "exec"), {})
    assert "Weekly" in capsys.readouterr().out


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_start_end_and_cancel_act_where_the_vendor_can_and_are_refused_where_it_cannot(
    vendor: Vendor, mode: str
) -> None:
    async def scenario(client: Any, meetings: Any) -> None:
        created = await value(client.create(meetings.Meeting(**writable_samples(client))))
        for action in ("start", "end", "cancel"):
            if action in client.actions:
                after = await value(getattr(client, action)(created.id))
                assert after.id == created.id
                if action == "end" and "status" in client.capabilities.kept:
                    assert after.status == meetings.Status.ENDED
            else:
                with pytest.raises(meetings.UnsupportedOperationError):
                    await value(getattr(client, action)(created.id))

    run(mode, vendor, scenario)


# --- the rules every vendor follows (issue 23) ---------------------------------------

HOUR = datetime.timedelta(hours=1)


def times(meeting: Any) -> tuple[Any, Any, Any]:
    return (meeting.start, meeting.end, meeting.duration)


def writable_samples(client: Any, leave_out: set[str] = set()) -> dict[str, Any]:
    """A sample of every field the vendor lets a create set, but `leave_out`: a
    zone it can store; no rule where it stores none."""
    can = client.capabilities
    stored = rules(can, importlib.import_module("generated.meetings"))  # weekly, where it can be
    rule = next((r for r in stored if r.frequency == "weekly"), stored[0]) if stored else SAMPLES["recurrence"]
    samples = SAMPLES | {"timezone": can.timezones[0] if can.timezones else SAMPLES["timezone"], "recurrence": rule}
    return {name: sample for name, sample in samples.items() if name in can.writable and name not in leave_out}


def create_operation(vendor: Vendor) -> dict[str, Any]:
    create = vendor.spec["x-unified"]["operations"]["create"]["operation"]
    return next(
        op
        for item in vendor.spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and op.get("operationId") == create
    )


def written(vendor: Vendor) -> dict[str, tuple[bool, dict[str, Any]]]:
    """Each field a create may set: whether create's request body requires it (and
    no constant of `x-unified` fills it), and its schema there."""
    unified = vendor.spec["x-unified"]
    media = next(iter(vendor.deref(create_operation(vendor)["requestBody"])["content"].values()))
    body = unified["operations"]["create"].get("body", "")
    found = {}
    for name, field in unified["fields"].items():
        if field.get("read_only") or name in ("id", "join_url", "status"):
            continue
        where = field.get("write", field["at"])
        node, required = vendor.deref(media["schema"]), where not in unified.get("constants", {})
        for token in (body + where).split("/")[1:]:
            required = required and token in node.get("required", [])
            node = vendor.deref((node.get("properties") or {}).get(token, {}))
        found[name] = (required, node)
    return found


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_a_time_changed_alone_moves_the_meeting_by_the_one_rule(vendor: Vendor, mode: str) -> None:
    """start alone keeps the duration (the end moves with it); end alone keeps the
    start; duration alone keeps the start. Moved past its old end, by a day."""

    async def scenario(client: Any, meetings: Any) -> None:
        if not {"start", "end", "duration"} <= set(client.capabilities.writable):
            pytest.skip("the vendor cannot store a meeting's times")
        given = writable_samples(client, {"start", "end", "duration"})
        created = await value(client.create(meetings.Meeting(**given, start=START, duration=HOUR)))
        later = START + datetime.timedelta(days=1)
        steps = [
            (meetings.Meeting(start=later), (later, later + HOUR, HOUR)),
            (meetings.Meeting(end=later + 2 * HOUR), (later, later + 2 * HOUR, 2 * HOUR)),
            (
                meetings.Meeting(duration=datetime.timedelta(minutes=45)),
                (later, later + datetime.timedelta(minutes=45), datetime.timedelta(minutes=45)),
            ),
            (
                meetings.Meeting(start=START - HOUR),
                (START - HOUR, START - datetime.timedelta(minutes=15), datetime.timedelta(minutes=45)),
            ),
        ]
        for changes, expected in steps:
            changed = await value(client.update(created.id, changes))
            assert times(changed) == expected, changes
            stored = await value(client.get(created.id))
            assert times(stored) == expected, changes
            assert {name: getattr(stored, name) for name in given} == given

    run(mode, vendor, scenario)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_a_naive_datetime_is_refused_before_anything_is_sent(vendor: Vendor, mode: str) -> None:
    async def scenario(client: Any, meetings: Any) -> None:
        naive = START.replace(tzinfo=None)
        given = writable_samples(client, {"start", "end", "duration"})
        with pytest.raises(meetings.InvalidRequestError) as caught:
            await value(client.create(meetings.Meeting(**given, start=naive, duration=HOUR)))
        assert caught.value.status_code is None and caught.value.fields == ("start",)
        assert "tzinfo=" in str(caught.value)  # it says how to give the zone
        assert await items(client.list()) == []
        created = await value(client.create(meetings.Meeting(**given, start=START, duration=HOUR)))
        with pytest.raises(meetings.InvalidRequestError):
            await value(client.update(created.id, meetings.Meeting(start=naive)))
        assert times(await value(client.get(created.id))) == (START, START + HOUR, HOUR)

    run(mode, vendor, scenario)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_a_field_the_vendor_requires_left_out_is_named_before_anything_is_sent(vendor: Vendor, mode: str) -> None:
    async def scenario(client: Any, meetings: Any) -> None:
        required = {name for name, (needed, _) in written(vendor).items() if needed}
        assert set(client.capabilities.required) == required  # what the capabilities say
        # any two times give the third: leave all three out where one is required
        left_out = required | (set(TIMES) if required & set(TIMES) else set())
        given = writable_samples(client, left_out)
        if not required:
            assert (await value(client.create(meetings.Meeting(**given)))).id
            return
        with pytest.raises(meetings.InvalidRequestError) as caught:
            await value(client.create(meetings.Meeting(**given)))
        assert caught.value.status_code is None and caught.value.original is not None
        assert set(caught.value.fields) == required
        for name in required:
            assert f"{name} is required by {vendor.api.package}" in str(caught.value)
        assert await items(client.list()) == []

    run(mode, vendor, scenario)


@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_a_text_longer_than_the_vendor_allows_is_an_invalid_request(vendor: Vendor) -> None:
    limits = {
        name: schema["maxLength"]
        for name, (_, schema) in written(vendor).items()
        if "maxLength" in schema and isinstance(SAMPLES.get(name), str)
    }
    assert vendor.api.unified is not None
    assert dict(vendor.api.unified.capabilities.max_length) == limits  # what the capabilities say
    if not limits:
        pytest.skip("the vendor's spec limits no text field")

    async def scenario(client: Any, meetings: Any) -> None:
        for name, limit in limits.items():
            given = writable_samples(client) | {name: "x" * (limit + 1)}
            with pytest.raises(meetings.InvalidRequestError) as caught:  # refused here, named as ours
                await value(client.create(meetings.Meeting(**given)))
            assert caught.value.status_code is None and caught.value.fields == (name,)
            assert f"{name} is refused by {vendor.api.package}: at most {limit}" in str(caught.value)
            created = await value(client.create(meetings.Meeting(**given | {name: "é" * limit})))
            assert getattr(created, name) == "é" * limit
            await value(client.delete(created.id))
        assert await items(client.list()) == []

    run("sync", vendor, scenario)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_a_meeting_across_midnight_in_another_zone_keeps_its_instants(vendor: Vendor, mode: str) -> None:
    zone = "Asia/Kolkata"  # +05:30: not a whole hour from UTC
    start = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=zoneinfo.ZoneInfo(zone))

    async def scenario(client: Any, meetings: Any) -> None:
        given = writable_samples(client, {"start", "end", "duration", "timezone"})
        created = await value(client.create(meetings.Meeting(**given, start=start, duration=HOUR)))
        assert (start + HOUR).date() != start.date()  # it ends the next day where it is held
        for meeting in (created, await value(client.get(created.id))):
            assert times(meeting) == (start, start + HOUR, HOUR)
            assert meeting.timezone in (None, zone)
        (listed,) = await items(client.list())
        assert times(listed) == (start, start + HOUR, HOUR)

    run(mode, vendor, scenario)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_times_come_back_in_the_meetings_zone_or_else_in_utc(vendor: Vendor, mode: str) -> None:
    """The same instants, in the zone the vendor keeps for the meeting (`zoneinfo`),
    in UTC where it keeps none; a create whose start is in a named zone is held there."""

    async def scenario(client: Any, meetings: Any) -> None:
        can = client.capabilities
        zone = can.timezones[0] if can.timezones else "Asia/Kolkata"
        given = writable_samples(client, {"start", "end", "duration", "timezone"})
        held = "timezone" in can.writable
        made = [meetings.Meeting(**given, start=START, duration=HOUR, **({"timezone": zone} if held else {}))]
        made.append(meetings.Meeting(**given, start=START.astimezone(zoneinfo.ZoneInfo(zone)), duration=HOUR))
        for meeting in made:
            created = await value(client.create(meeting))
            for read in (created, await value(client.get(created.id))):
                assert times(read) == (START, START + HOUR, HOUR)  # the same instants
                for moment in (read.start, read.end):
                    if held:
                        assert moment.tzinfo == zoneinfo.ZoneInfo(zone) and read.timezone == zone
                    else:
                        assert moment.tzinfo is datetime.UTC and read.timezone is None
            await value(client.delete(created.id))

    run(mode, vendor, scenario)


def rules(can: Any, meetings: Any) -> list[Any]:
    """A rule of each frequency the vendor stores, with each part it stores set."""
    found = []
    for frequency in can.recurrence:
        parts: dict[str, Any] = {"frequency": frequency}
        if "interval" in can.rule_parts:
            parts["interval"] = 2
        if frequency == "weekly" and "weekdays" in can.rule_parts:
            parts["weekdays"] = ("MO", "WE")
        if frequency == "monthly" and "month_day" in can.rule_parts:
            parts["month_day"] = 15
        if "count" in can.rule_parts:
            parts["count"] = 5
        elif "until" in can.rule_parts:
            parts["until"] = START + datetime.timedelta(days=90)
        found.append(meetings.Rule(**parts))
    return found


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_a_recurrence_rule_goes_round_the_vendor_and_back(vendor: Vendor, mode: str) -> None:
    """Daily, weekly (with weekdays) and monthly rules with an interval and an end,
    where the vendor's spec can store them; `UnsupportedFieldError` elsewhere."""

    async def scenario(client: Any, meetings: Any) -> None:
        can = client.capabilities
        given = writable_samples(client, {"recurrence"})
        if not can.recurrence:
            with pytest.raises(meetings.UnsupportedFieldError) as refused:
                await value(client.create(meetings.Meeting(**given, recurrence="FREQ=DAILY;COUNT=3")))
            assert refused.value.fields == ("recurrence",)
            return
        for rule in rules(can, meetings):
            assert meetings.Rule.parse(str(rule)) == rule  # its RRULE text says the same
            created = await value(client.create(meetings.Meeting(**given, recurrence=str(rule))))
            assert created.recurrence == rule
            assert (await value(client.get(created.id))).recurrence == rule
            until = START + datetime.timedelta(days=30)
            ended = rule.model_copy(update={"count": None, "until": until} if "until" in can.rule_parts else {})
            changed = await value(client.update(created.id, meetings.Meeting(recurrence=ended)))
            assert changed.recurrence == ended == (await value(client.get(created.id))).recurrence
            assert changed.title == given["title"]
        unstored = [part for part in ("interval", "weekdays", "count", "until") if part not in can.rule_parts]
        if unstored:
            with pytest.raises(meetings.UnsupportedFieldError, match=unstored[0]):
                sample = {"interval": 2, "weekdays": ("MO",), "count": 2, "until": START}[unstored[0]]
                rule = meetings.Rule(frequency="weekly", **{unstored[0]: sample})
                await value(client.create(meetings.Meeting(**given, recurrence=rule)))

    run(mode, vendor, scenario)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_twenty_creates_at_once_each_make_one_meeting(vendor: Vendor, mode: str) -> None:
    """Twenty creates on one client at once: threads (sync), tasks (async)."""

    async def scenario(client: Any, meetings: Any) -> None:
        given = writable_samples(client, {"title"})
        wanted = [meetings.Meeting(**given, title=f"Concurrent {i}") for i in range(20)]
        if mode == "sync":
            with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
                created = list(pool.map(client.create, wanted))
        else:
            created = await asyncio.gather(*(client.create(meeting) for meeting in wanted))
        assert [m.title for m in created] == [m.title for m in wanted]
        assert len({m.id for m in created}) == 20
        listed = {m.id: m.title for m in await items(client.list())}
        assert {m.id: m.title for m in created} == listed

    run(mode, vendor, scenario)


@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_the_page_sizes_the_capabilities_name_are_the_ones_taken(vendor: Vendor) -> None:
    async def scenario(client: Any, meetings: Any) -> None:
        for _ in range(3):
            await value(client.create(meetings.Meeting(**writable_samples(client))))
        sizes = client.capabilities.page_sizes
        if sizes is None:  # not passed on: any size lists everything
            assert len(await items(client.list(page_size=1))) == 3
            return
        least, most = sizes
        assert len(await items(client.list(page_size=most or 2))) == 3
        assert len(await items(client.list(page_size=least or 1))) == 3  # page after page
        for refused in ([least - 1] if least else []) + ([most + 1] if most else []):
            with pytest.raises(meetings.InvalidRequestError, match="page_size") as caught:
                await items(client.list(page_size=refused))
            assert caught.value.status_code is None  # refused before sending

    run("sync", vendor, scenario)


@pytest.mark.parametrize("vendor", UNIFIED, ids=[v.api.package for v in UNIFIED])
def test_the_capabilities_say_what_an_attendee_is_as_the_spec_does(vendor: Vendor) -> None:
    assert vendor.api.unified is not None
    can = vendor.api.unified.capabilities
    if "attendees" not in can.writable:
        assert can.attendees == ""
        return
    _, schema = written(vendor)["attendees"]
    field = vendor.spec["x-unified"]["fields"]["attendees"]
    if schema.get("type") == "array":
        schema = vendor.deref(schema["items"])
        for token in field.get("key", "").split("/")[1:]:
            schema = vendor.deref(schema["properties"][token])
    assert can.attendees == ("email" if schema.get("format") == "email" else "id")
