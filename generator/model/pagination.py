"""Read an operation's `x-pagination` extension: how its pages link up.

    x-pagination:
      style: cursor | offset | page | link
      items: /data/meetings        # pointer, in the 2xx body, to the page's items ("": the body)
      param: nextPageToken         # the query parameter that selects a page
      cursor: /data/next_page_token  # cursor: where the next cursor is
      limit: top                   # offset, page, link: the page-size parameter (optional)
      total: /count                # offset: the item count (optional)
      page: /paging/page           # page: the current page number (optional)
      pages: /paging/totalPages    # page: the page count (optional)

`x-pagination: false` says the operation does not page (no paging is inferred).
Pointers use wire names; the model turns them into attribute paths. A `link`
list's next page is the `param` of the URL in its `Link: <URL>; rel="next"` header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from ..identifiers import Code
from ..pointers import join, split
from .api import Pagination, PagingWire, Parameter, Style
from .extension import Findings
from .types import ListOf, Model, Named, PyType, UnionOf

RULE = "x-pagination"
KEYS = {
    "cursor": ({"items", "param", "cursor"}, set()),
    "offset": ({"items", "param"}, {"limit", "total"}),
    "page": ({"items", "param"}, {"page", "pages", "limit"}),
    "link": ({"items", "param"}, {"limit"}),
}


@dataclass(frozen=True)
class Broken:
    """What is wrong with the extension, and where: the operation does not page."""

    pointer: str
    message: str


def parse_pagination(
    findings: Findings,
    raw: Any,
    pointer: str,
    response: PyType | None,
    parameters: list[Parameter],
    models: list[Model],
) -> Pagination | None:
    """How the operation pages; None, with a finding, when the extension is broken."""
    found = _pagination(raw, pointer, response, parameters, models)
    if isinstance(found, Broken):
        findings.under(RULE).add(found.pointer, found.message)
        return None
    return found


def _pagination(
    raw: Any, pointer: str, response: PyType | None, parameters: list[Parameter], models: list[Model]
) -> Pagination | Broken:
    if not isinstance(raw, dict) or raw.get("style") not in KEYS:
        return Broken(join(pointer, "style"), f"style must be one of {', '.join(KEYS)}")
    style = cast(Style, raw["style"])
    required, optional = KEYS[style]
    for key in sorted(required - set(raw)):
        return Broken(pointer, f"{style} pagination needs '{key}'")
    for key in sorted(set(raw) - required - optional - {"style"}):
        return Broken(join(pointer, key), f"'{key}' does not belong to {style} pagination")

    by_model: dict[str, Model] = {m.name: m for m in models}

    def path(key: str) -> tuple[str, ...] | Broken:
        """The attribute path a response pointer names (empty if not given)."""
        found = _path(raw.get(key), response, by_model)
        if found is None:
            return Broken(join(pointer, key), f"{raw.get(key)!r} is not a pointer to a field of the response body")
        return found

    def argument(key: str) -> Code | None | Broken:
        wire = raw.get(key)
        if wire is None:
            return None
        found = next((p.name for p in parameters if p.wire_name == wire and p.location == "query"), None)
        return found or Broken(join(pointer, key), f"{wire!r} is not a query parameter of this operation")

    position_key, total_key = ("cursor" if style == "cursor" else "page"), ("total" if style == "offset" else "pages")
    items = path("items")
    position, total = path(position_key), path(total_key)
    param, limit = argument("param"), argument("limit")
    for result in (items, position, total, param, limit):
        if isinstance(result, Broken):
            return result
    item_type = _list_item(_follow(cast(tuple[str, ...], items), response, by_model))
    if item_type is None:
        return Broken(join(pointer, "items"), f"{raw['items']!r} is not a list")
    wire = PagingWire(*(str(raw.get(key) or "") for key in ("items", "param", position_key, "limit", total_key)))
    return Pagination(
        style,
        cast(tuple[str, ...], items),
        item_type,
        cast(Code, param),
        cast(tuple[str, ...], position),
        cast(Code | None, limit),
        cast(tuple[str, ...], total),
        wire,
    )


def _path(pointer: object, response: PyType | None, models: dict[str, Model]) -> tuple[str, ...] | None:
    """Attribute names along a wire-name pointer; () for no pointer (or "", the body
    itself), None if it breaks."""
    if pointer is None or pointer == "":
        return ()
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        return None
    names: list[str] = []
    type_ = response
    for token in split(pointer):
        model = models.get(_named(type_))
        field = next((f for f in model.fields if f.wire_name == token), None) if model else None
        if field is None:
            return None
        names.append(field.name)
        type_ = field.type
    return tuple(names)


def _follow(path: tuple[str, ...], type_: PyType | None, models: dict[str, Model]) -> PyType | None:
    """The type at the end of an attribute path."""
    for name in path:
        model = models.get(_named(type_))
        type_ = next((f.type for f in model.fields if f.name == name), None) if model else None
    return type_


def _named(type_: PyType | None) -> str:
    """The class name a (possibly optional) model type refers to."""
    if isinstance(type_, UnionOf):
        type_ = next((o for o in type_.options if isinstance(o, Named)), None)
    return type_.name if isinstance(type_, Named) else ""


def _list_item(type_: PyType | None) -> PyType | None:
    if isinstance(type_, UnionOf):
        type_ = next((o for o in type_.options if isinstance(o, ListOf)), type_)
    return type_.item if isinstance(type_, ListOf) else None
