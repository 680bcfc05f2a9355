"""The records of `x-unified`: how one vendor's operations and meeting object map
onto the one meetings interface, and the names that interface has.

Standard library only: the generator reads and checks a spec's `x-unified` into
these records (`generator/model/unified.py`), the generated `meetings/_vendors.py`
constructs them, and the adapters (`_unified.py`) follow them; all three use
these classes.
"""

from __future__ import annotations

import dataclasses
import enum
import typing

Tokens = tuple[str, ...]  # a JSON pointer, split: ("schedule", "startTime")


class Status(str, enum.Enum):
    SCHEDULED = "scheduled"
    STARTED = "started"
    ENDED = "ended"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"  # a value the mapping does not name


class Recurrence(str, enum.Enum):
    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    UNKNOWN = "unknown"


class Weekday(str, enum.Enum):
    """A day of the week, as RFC 5545 names it (BYDAY)."""

    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"


# The unified meeting's fields, in order: `_unified.Meeting` has one attribute each
# (and `original`), so the generator, which does not import pydantic, reads them here.
FIELDS = (
    "id",
    "title",
    "start",
    "end",
    "duration",
    "timezone",
    "attendees",
    "host",
    "join_url",
    "status",
    "recurrence",
)
TIMES = ("start", "end", "duration")  # any two of them give the third
# The parts of a recurrence rule (`_unified.Rule`'s fields), each mapped on its own.
RULE_PARTS = ("frequency", "interval", "weekdays", "month_day", "count", "until")
# The values a mapping may give each field with a choice of values.
CHOICES = {
    "status": tuple(s.value for s in Status if s is not Status.UNKNOWN),
    "recurrence": tuple(r.value for r in Recurrence if r is not Recurrence.UNKNOWN),
}


@dataclasses.dataclass(frozen=True)
class FieldMap:
    """Where a unified field lives in the vendor's meeting object, and how it converts."""

    name: str  # one of FIELDS
    at: Tokens  # where answers hold it
    write: Tokens | None = None  # where requests send it, when not at `at`
    read_only: bool = False
    unit: float = 60.0  # duration: seconds in the vendor's unit (minutes by default)
    key: Tokens = ()  # attendees kept as objects: where each one's string is
    each: tuple[tuple[str, typing.Any], ...] = ()  # and the properties every object has
    separator: str = ""  # attendees kept as one string
    values: tuple[tuple[typing.Any, str], ...] = ()  # (vendor value, unified value)
    # recurrence: (one of RULE_PARTS, where in the object at `at` it is)
    parts: tuple[tuple[str, Tokens], ...] = ()
    days: tuple[tuple[str, str], ...] = ()  # (vendor weekday as text, a Weekday)
    constants: tuple[tuple[Tokens, typing.Any], ...] = ()  # sent with the field


@dataclasses.dataclass(frozen=True)
class Verb:
    """The vendor operation behind one of create, get, list, update and delete."""

    method: str  # its attribute path on the vendor's client: "meetings.get_meeting"
    id_argument: str = ""  # the argument that takes the meeting's id
    body_type: str = ""  # the request body's model, in the vendor's `models`
    body: Tokens = ()  # where the meeting object is in the request body
    result: Tokens = ()  # where it is in the answer (list: where the items are)
    replace: bool = False  # update: the body replaces the whole meeting
    # create: the answer holds the id only; read the meeting after
    refetch: bool = False
    paged: bool = False  # list: `method` iterates every item of every page
    # (context name, argument) it takes; (context name, where in the body) it sets
    arguments: tuple[tuple[str, str], ...] = ()
    body_context: tuple[tuple[str, Tokens], ...] = ()
    constants: tuple[
        tuple[str, typing.Any], ...
    ] = ()  # (argument, value) always passed
    item: Tokens = ()  # list: where the meeting is in each item
    page_size: str = ""  # list: the argument that sets how many items a page holds


@dataclasses.dataclass(frozen=True)
class Capabilities:
    """What one vendor keeps and takes, read from its spec and `x-unified`."""

    # Field names in the order of FIELDS.
    kept: tuple[
        str, ...
    ] = ()  # the Meeting fields it keeps (end or duration from the other)
    writable: tuple[str, ...] = ()  # those a create or update may set
    required: tuple[str, ...] = ()  # those a create must set
    attendees: str = ""  # what an attendee is: "email" (an address) or "id" (its own)
    max_length: tuple[tuple[str, int], ...] = ()  # (field, most characters it takes)
    paged: bool = False  # list() follows the vendor's pages (else: one answer)
    # list(page_size=): None where it is not passed on; else (least, most), None unbounded
    page_sizes: tuple[int | None, int | None] | None = None
    recurrence: tuple[str, ...] = ()  # the frequencies a create or update may set
    rule_parts: tuple[str, ...] = ()  # the parts of a rule it stores, of RULE_PARTS
    timezones: tuple[str, ...] = ()  # the zones it can store, where not any IANA name


@dataclasses.dataclass(frozen=True)
class VendorMap:
    """Everything the adapters know of one vendor."""

    name: str
    package: str  # the vendor client's package, imported when first connected
    client: str  # its sync client class; the async one is "Async" + client
    create: Verb
    get: Verb
    list: Verb
    update: Verb
    delete: Verb
    fields: tuple[FieldMap, ...]
    constants: tuple[tuple[Tokens, typing.Any], ...] = ()  # sent on create
    context: tuple[str, ...] = ()  # what `connect` takes besides the client's arguments
    # ("start", "end" or "cancel", its operation)
    actions: tuple[tuple[str, Verb], ...] = ()
    capabilities: Capabilities = Capabilities()


def kept_and_written(fields: typing.Iterable[FieldMap]) -> tuple[Tokens, Tokens]:
    """The unified fields a map keeps, and those it writes, in the order of FIELDS:
    end and duration both where start and one of them are (each gives the other)."""
    fields = tuple(fields)
    found = []
    for names in (
        {f.name for f in fields},
        {f.name for f in fields if not f.read_only},
    ):
        if "start" in names and names & {"end", "duration"}:
            names |= {"end", "duration"}
        found.append(tuple(name for name in FIELDS if name in names))
    return found[0], found[1]
