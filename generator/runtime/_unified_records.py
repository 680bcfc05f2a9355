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
    values: tuple[tuple[str, str], ...] = ()  # (vendor value as text, unified value)


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

    @property
    def capabilities(self) -> frozenset[str]:
        """The unified fields this vendor keeps (end or duration worked out from the other)."""
        kept = {f.name for f in self.fields}
        if "start" in kept and kept & {"end", "duration"}:
            kept |= {"end", "duration"}
        return frozenset(kept)

    @property
    def writable(self) -> frozenset[str]:
        """The fields a create or update may set."""
        written = {f.name for f in self.fields if not f.read_only}
        if "start" in written and written & {"end", "duration"}:
            written |= {"end", "duration"}
        return frozenset(written)
