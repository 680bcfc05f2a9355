"""Paging inferred from a well-known convention, for a GET without `x-pagination`.

Only unambiguous evidence counts: the page's items (the 2xx body is an array,
or exactly one of its shallowest array properties is, at most two objects down),
and for each convention its query parameters and body fields, of the right
types. Names compare without case, `_` or `-` (`next_page_token` is `nextPageToken`):

| style  | query parameters                                   | the 2xx answer                                   |
| ------ | -------------------------------------------------- | ------------------------------------------------ |
| cursor | a token (string): `page_token`, `next_page_token`, `cursor`, `after`... | one next token (string): `next_page_token`, `next_cursor`... |
| link   | one that selects a page: `page`, `cursor`, `after`, `since`...  | a declared `Link` header (RFC 8288 `rel="next"`) |
| offset | `offset` (or `skip`, `start`) and a page size, integers | the total, if there is one                 |
| page   | `page` (or `page_number`) and a page size, integers | the page number and count, if there are some     |

A page size is `limit`, `per_page`, `page_size`, `max_results`, `top` or `size`.
Of several arrays, one of a well-known name (`items`, `data`, `results`...) holds them.
The conventions are tried in that order (Zoom's lists have a page token and a
page number: the token wins); the first that fits is taken, with a
`paging-inferred` finding that says what was inferred. `x-pagination` overrides.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..pointers import deref, escape, join
from .api import Pagination, PagingWire, Parameter, Style
from .extension import Findings
from .types import ListOf, Model, Named, PyType, Scalar, without_none

RULE = "paging-inferred"
TOKENS = ("nextpagetoken", "pagetoken", "cursor", "pagecursor", "continuationtoken", "nexttoken", "after")
NEXT_TOKENS = ("nextpagetoken", "nextcursor", "nexttoken", "nextpagecursor", "continuationtoken")
SELECTORS = ("page", "pagenumber", "cursor", "after", "since", "pagetoken", "nextpagetoken", "offset")
OFFSETS = ("offset", "skip", "start", "startindex")
PAGES = ("page", "pagenumber", "pageno", "pagenum")
SIZES = ("limit", "perpage", "pagesize", "maxresults", "top", "size")
TOTALS = ("total", "totalcount", "totalresults", "totalrecords", "totalitems", "totalsize")
PAGE_FIELDS = ("page", "pagenumber", "currentpage")
PAGE_COUNTS = ("totalpages", "pagecount", "pages", "numpages")
ITEMS = ("items", "data", "results", "records", "entries", "values", "elements")
INTEGER, STRING = Scalar("int"), Scalar("str")
Path = tuple[tuple[str, str], ...]  # (attribute, wire name) from the body down to a field


def infer_pagination(
    findings: Findings,
    operation: Any,
    pointer: str,
    response: PyType | None,
    parameters: Sequence[Parameter],
    models: Sequence[Model],
) -> Pagination | None:
    """How a list operation pages by a convention it follows, with a finding; None if it follows none."""
    body = without_none(response) if response is not None else None
    fields = list(_fields(body, {m.name: m for m in models}))
    lists = [(path, type_.item) for path, type_ in fields if isinstance(type_, ListOf)]
    if isinstance(body, ListOf):
        lists = [((), body.item)]
    shallowest = min((len(path) for path, _ in lists), default=0)
    lists = [(path, item) for path, item in lists if len(path) == shallowest]
    if len(lists) > 1:  # Google's `items` beside `defaultReminders`: a well-known name decides
        lists = [(path, item) for path, item in lists if _normal(path[-1][1]) in ITEMS]
    if len(lists) != 1:
        return None
    items, item_type = lists[0]
    query = {_normal(p.wire_name): p for p in parameters if p.location == "query"}
    size = _param(query, SIZES, INTEGER)
    found = _convention(query, fields, _declares_link(findings, operation, pointer))
    if found is None:
        return None
    style, param, position, total = found
    pages = Pagination(
        style,
        tuple(name for name, _ in items),
        item_type,
        param.name,
        tuple(name for name, _ in position),
        size.name if size else None,
        tuple(name for name, _ in total),
        PagingWire(
            _pointer(items), param.wire_name, _pointer(position), size.wire_name if size else "", _pointer(total)
        ),
    )
    findings.under(RULE).add(pointer, _said(pages))
    return pages


def _convention(
    query: dict[str, Parameter], fields: list[tuple[Path, PyType]], link: bool
) -> tuple[Style, Parameter, Path, Path] | None:
    """The first convention the parameters and body follow: (style, parameter, position, total)."""
    token = _param(query, TOKENS, STRING)
    following = _field(fields, NEXT_TOKENS, STRING)
    if token and following:
        return "cursor", token, following, ()
    selector = next((query[name] for name in SELECTORS if name in query), None)
    if link and selector:
        return "link", selector, (), ()
    offset = _param(query, OFFSETS, INTEGER)
    if offset and _param(query, SIZES, INTEGER):
        return "offset", offset, (), _field(fields, TOTALS, INTEGER) or ()
    page = _param(query, PAGES, INTEGER)
    if page and _param(query, SIZES, INTEGER):
        return "page", page, _field(fields, PAGE_FIELDS, INTEGER) or (), _field(fields, PAGE_COUNTS, INTEGER) or ()
    return None


def _said(pages: Pagination) -> str:
    """The finding: what was inferred, in the spec's names."""
    wire = pages.wire
    items = f"items at {wire.items}" if wire.items else "the body is the list of items"
    size = f" (page size {wire.limit!r})" if wire.limit else ""
    how = {
        "cursor": f"query parameter {wire.param!r} takes the answer's {wire.position}",
        "link": f'query parameter {wire.param!r} takes its value from the answer\'s Link rel="next" URL',
        "offset": f"query parameter {wire.param!r} is the offset",
        "page": f"query parameter {wire.param!r} is the page number",
    }[pages.style]
    return f"inferred {pages.style} paging: {how}{size}; {items} (x-pagination overrides)"


def _normal(name: str) -> str:
    """A name as the conventions compare it: `next_page_token`, `nextPageToken` -> `nextpagetoken`."""
    return name.lower().replace("_", "").replace("-", "")


def _param(query: dict[str, Parameter], names: tuple[str, ...], type_: PyType) -> Parameter | None:
    """The first query parameter of `names` (in their order) that has that type."""
    return next((query[n] for n in names if n in query and without_none(query[n].type) == type_), None)


def _field(fields: list[tuple[Path, PyType]], names: tuple[str, ...], type_: PyType) -> Path | None:
    """The one body field named one of `names` with that type; None for none, or several."""
    found = [path for path, field_type in fields if _normal(path[-1][1]) in names and field_type == type_]
    return found[0] if len(found) == 1 else None


def _fields(type_: PyType | None, models: dict[str, Model], depth: int = 2) -> Iterator[tuple[Path, PyType]]:
    """Every field of a body of type `type_`, at most `depth` objects down, with its type (less None)."""
    model = models.get(type_.name) if isinstance(type_, Named) else None
    for field in model.fields if model and depth else ():
        here = ((field.name, field.wire_name),)
        field_type = without_none(field.type)
        yield here, field_type
        yield from ((here + path, inner) for path, inner in _fields(field_type, models, depth - 1))


def _pointer(path: Path) -> str:
    return "".join("/" + escape(wire) for _, wire in path)


def _declares_link(findings: Findings, operation: Any, pointer: str) -> bool:
    """Whether a 2xx answer of the operation declares a `Link` header."""
    data = findings.document.data
    responses = operation.get("responses") if isinstance(operation, dict) else None
    for status, raw in responses.items() if isinstance(responses, dict) else ():
        if str(status).startswith("2"):
            _, answer = deref(data, join(pointer, "responses", str(status)), raw)
            headers = answer.get("headers") if isinstance(answer, dict) else None
            if isinstance(headers, dict) and any(str(name).lower() == "link" for name in headers):
                return True
    return False
