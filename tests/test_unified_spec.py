"""`x-unified` is checked by lint: each mistake is a located finding of rule x-unified
(a warning unless configured, as for every spec of ours, as an error), and the
vendor is left out of the meetings package while its client is made as ever."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

from generator import pipeline

CALENDAR = yaml.safe_load((ROOT / "tests" / "fixtures" / "unified" / "calendar.yaml").read_text())


def broken(change: Any) -> dict[str, Any]:
    spec = copy.deepcopy(CALENDAR)
    change(spec["x-unified"])
    return spec


MISTAKES = {
    "unknown operation": (
        broken(lambda u: u["operations"]["get"].update(operation="readEvnt")),
        "/x-unified/operations/get/operation",
        "no operation 'readEvnt' in this spec (did you mean 'readEvent'?)",
    ),
    "pointer to nothing": (
        broken(lambda u: u["fields"]["title"].update(at="/subject")),
        "/x-unified/fields/title/at",
        "the meeting object has nothing at '/subject'",
    ),
    "type that cannot convert": (
        broken(lambda u: u["fields"]["duration"].update(at="/summary")),
        "/x-unified/fields/duration/at",
        "duration cannot be read from a string: it needs a integer or number",
    ),
    "written where the request has nothing": (
        broken(lambda u: u["fields"]["title"].update(write="/name")),
        "/x-unified/fields/title/write",
        "create's request has nothing at '/name'",
    ),
    "unknown field": (
        broken(lambda u: u["fields"].update(topic={"at": "/summary"})),
        "/x-unified/fields/topic",
        "unknown key 'topic' in x-unified's fields",
    ),
    "status value it does not have": (
        broken(lambda u: u["fields"]["status"]["values"].update(booked="planned")),
        "/x-unified/fields/status/values/booked",
        "status has no value 'planned'",
    ),
    "a context named by a keyword": (  # connect(class=...) could not be written, nor typed
        broken(lambda u: u.update(context={"class": "size"})),
        "/x-unified/context/class",
        "context name 'class' must be a snake_case Python name",
    ),
    "a zone that is no IANA name": (
        broken(lambda u: u["fields"]["timezone"].update(values={"7": "Mars/Olympus_Mons"})),
        "/x-unified/fields/timezone/values/7",
        "'Mars/Olympus_Mons' is no IANA time zone name",
    ),
    "a rule without its frequency": (
        broken(
            lambda u: u["fields"].update(recurrence={"at": "/when", "interval": "/seconds", "values": {"d": "daily"}})
        ),
        "/x-unified/fields/recurrence",
        "a recurrence rule needs 'frequency'",
    ),
    "a rule's part at nothing": (
        broken(
            lambda u: u["fields"].update(
                recurrence={"at": "/when", "frequency": "/zone", "count": "/times", "values": {"d": "daily"}}
            )
        ),
        "/x-unified/fields/recurrence/count",
        "the recurrence object has nothing at '/times'",
    ),
    "a weekday it does not have": (
        broken(
            lambda u: u["fields"].update(
                recurrence={
                    "at": "/when",
                    "frequency": "/zone",
                    "weekdays": "/zone",
                    "values": {"d": "daily"},
                    "days": {"Mon": "MON"},
                }
            )
        ),
        "/x-unified/fields/recurrence/days/Mon",
        "'MON' is no weekday",
    ),
    "a verb left out": (
        broken(lambda u: u["operations"].pop("delete")),
        "/x-unified/operations",
        "x-unified's operations needs 'delete'",
    ),
}


@pytest.mark.parametrize("case", MISTAKES, ids=list(MISTAKES))
def test_a_mistake_in_x_unified_is_a_located_finding_and_the_vendor_is_left_out(case: str, tmp_path: Path) -> None:
    spec, pointer, message = MISTAKES[case]
    path = tmp_path / "calendar.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    problems = [p for p in pipeline.lint([path]) if p.rule == "x-unified"]
    assert [(p.pointer, p.severity) for p in problems] == [(pointer, "warning")], problems
    assert message in problems[0].message and problems[0].line > 1
    (api,) = pipeline.build([path])
    assert api.unified is None and api.operations  # the client is made as ever


def test_a_correct_mapping_has_no_finding(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_text(yaml.safe_dump(CALENDAR, sort_keys=False))
    assert [p for p in pipeline.lint([path]) if p.rule == "x-unified"] == []
