"""The records of the `x-fake` extensions: the fake's collections, and what it
does for each operation.

Standard library only: the generator reads and checks the extensions into these
records (`generator/model/fake.py`), the generated `_server_config.py` constructs
them, and the fake (`_fake.py`) follows them; all three use these classes.

An operation's `x-fake` says what it does to which collection (a `FakeAction`):

    x-fake:
      action: list | create | read | replace | merge | delete | set | static
      collection: meetings        # where the items live
      key: meetingId              # the path parameter that names the item
      parent: {collection: meetings, param: id}   # items that live under another item
      input: /meetingData         # where the item's fields are in the request body
      rename: {title: topic}      # request field -> stored field (null drops it)
      values: {muted: true}       # fields to set (create: defaults)
      copy: {position: /position} # stored field <- request body pointer
      query: {accountId: accountId}  # stored field (or /pointer) <- parameter; lists filter on it
      envelope: {/success: true}  # constant fields of the response body
      range: {field: startDate, from: startDate, to: endDate}  # lists: a date window
      output: /data               # where the item goes in the response body
      limit: perPage              # lists: the page-size parameter
      totals: [/count]            # lists: fields that get the item count
      sizes: [/page_size]         # lists: fields that get the page size
      keep: [meeting]             # replace: stored fields the new item keeps
      series: series              # this boolean parameter makes the action apply to the parent
      ignore: [pageNumber]        # query parameters that do not change the answer
      search: search              # lists: case-insensitive substring over string fields
      order: orderby              # lists: `field [asc|desc]`, comma-separated
      filter: filter              # lists: OData-like comparisons joined by ` and ` / ` or `
      when: {type: {live: {status: started}, upcoming: [{start_time: {after: now}}]}}

`query` on read, delete and the other keyed actions makes an item stored with
another value a 404. `range` takes `format: MM-DD-YYYY` (YYYY, MM, DD) for
parameters that are dates in another form; it compares whole days. `when` maps a
parameter's values to conditions on the item (any of a list; a field equals a
value, or `{after: now}` / `{before: now}`); another value is a 400. A `filter`
term is `field op literal` or `startswith|endswith|contains(field, 'text')`
(case-sensitive; the space after the comma is optional); terms are joined by
` and ` and ` or `, `and` binding tighter (no parentheses). `op` is eq ne gt ge
lt le and a literal is 'text' ('' escapes a quote), a number, true, false or
null; a comparison between different types does not match, so a null or missing
field matches only `eq null` and `ne` anything else, and never a function or an
ordering. `order` sorts null and missing values before all others (after them
when `desc`). `filter` and `order` name the fields of the collection's schema
whose type is one scalar, perhaps or null; anything else they cannot read is a
400 naming the parameter. A declared query parameter
the action neither reads nor ignores is a 400 when sent: the fake never answers
as if it had applied it.

The top-level `x-fake.collections.NAME` (a `Collection`) gives the item
schema, how ids are made (`id: {field: meetingId, kind: integer | uuid | token |
digits, pattern: '^RM[0-9a-f]{32}$'}`: a `pattern` makes ids it matches), items to `spawn` in a child collection, and `rules` the schema cannot
express.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ._server_records import JSON

ID_KINDS = ("integer", "uuid", "token", "digits")  # how a collection makes ids
RULES = ("before", "within-days")  # the kinds of `Constraint`
_KEYED = frozenset({"collection", "parent", "key", "series", "query", "ignore"})
# Each action, and the keys of an operation's `x-fake` it reads beyond `action`.
# The fake has a handler for each (`_fake.HANDLERS`); the generator accepts these.
ACTIONS: Mapping[str, frozenset[str]] = {
    "list": frozenset(
        {"collection", "parent", "query", "range", "limit", "output", "envelope"}
        | {"totals", "sizes", "ignore", "search", "order", "filter", "when"}
    ),
    "create": frozenset(
        {"collection", "parent", "input", "rename", "values", "copy", "query"}
        | {"output", "envelope", "ignore"}
    ),
    "read": _KEYED | {"output", "envelope"},
    "replace": _KEYED | {"input", "rename", "keep", "output", "envelope"},
    "merge": _KEYED | {"input", "rename", "output", "envelope"},
    "delete": _KEYED,
    "set": _KEYED | {"values", "copy", "output", "envelope"},
    "static": frozenset({"ignore"}),
}


@dataclasses.dataclass(frozen=True)
class Constraint:
    """A rule between two fields of an item that its schema cannot say."""

    # before: the first precedes the second; within-days: at most `days` apart
    rule: str  # one of RULES
    fields: tuple[str, str]
    message: str  # the 409 answer's message
    days: int = 0


@dataclasses.dataclass(frozen=True)
class Collection:
    """Where items of one kind live, and how they are made."""

    schema: str = ""  # JSON pointer of the items' schema; "" for none
    id_field: str = "id"
    id_kind: str = "token"  # one of ID_KINDS
    # A child collection that gets a copy of each new item -> the field embedding it.
    spawn: Mapping[str, str] = dataclasses.field(default_factory=dict)
    rules: tuple[Constraint, ...] = ()
    id_pattern: str = ""  # new ids match this regular expression (before `id_kind`)


@dataclasses.dataclass(frozen=True)
class Parent:
    """The collection whose item an action's items live under."""

    collection: str
    param: str  # the path parameter that names that item


@dataclasses.dataclass(frozen=True)
class Window:
    """A list's date window (`range`): items whose `field` lies between two parameters."""

    field: str
    from_param: str = ""
    to_param: str = ""
    format: str = ""  # how the parameters spell a date (YYYY, MM, DD); "" for ISO 8601


@dataclasses.dataclass(frozen=True)
class Paging:
    """How a list pages (its operation's `x-pagination`, or inferred; made by
    `generator/model/fake.paged`): parameter wire names, body pointers. A `link`
    list answers with `Link: <URL>; rel="next"` while there is a next page."""

    style: str  # cursor, offset, page or link
    param: str  # the query parameter that selects a page
    cursor: str = ""
    page: str = ""
    pages: str = ""
    total: str = ""


@dataclasses.dataclass(frozen=True)
class FakeAction:
    """What the fake does for one operation: its `x-fake`, keys as in the docstring
    above; `limit` and `output` fall back to its paging's."""

    action: str  # one of ACTIONS
    collection: str = ""
    key: str = ""
    parent: Parent | None = None
    input: str = ""
    rename: Mapping[str, str | None] = dataclasses.field(default_factory=dict)
    values: Mapping[str, JSON] = dataclasses.field(default_factory=dict)
    copy: Mapping[str, str] = dataclasses.field(default_factory=dict)
    query: Mapping[str, str] = dataclasses.field(default_factory=dict)
    envelope: Mapping[str, JSON] = dataclasses.field(default_factory=dict)
    range: Window | None = None
    output: str = ""
    limit: str = ""
    totals: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    series: str = ""
    paging: Paging | None = None
    ignore: tuple[str, ...] = ()
    search: str = ""
    order: str = ""
    filter: str = ""
    # parameter -> its value -> conditions (any of them), each stored field -> test
    when: Mapping[str, Mapping[str, tuple[Mapping[str, JSON], ...]]] = (
        dataclasses.field(default_factory=dict)
    )

    def reads(self) -> frozenset[str]:
        """The parameters this action reads or ignores on purpose."""
        named = (self.key, self.limit, self.series, self.search, self.order)
        found = {*named, self.filter, *self.query.values(), *self.ignore, *self.when}
        found |= {self.parent.param} if self.parent else set()
        found |= {self.range.from_param, self.range.to_param} if self.range else set()
        found |= {self.paging.param} if self.paging else set()
        return frozenset(found - {""})
