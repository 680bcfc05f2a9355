"""What the fake does for each operation, as `lint --explain-fake` prints it: its
`x-fake`, or what `inference.py` inferred, then each collection."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..pointers import resolve
from ..runtime._fake_records import Collection, FakeAction
from .api import Operation


def explain(operations: Sequence[Operation], collections: dict[str, Collection], data: Any) -> list[str]:
    """What the fake does for each operation, one line each, then each collection:
    what `lint --explain-fake` prints."""
    lines = []
    for op in operations:
        node = resolve(data, op.pointer)
        source = "x-fake" if isinstance(node, dict) and "x-fake" in node else "inferred"
        what = _describe(op.fake) if op.fake else "none (a finding: the fake answers 501)"
        lines.append(f"{op.http_method} {op.path} ({op.operation_id}): {what} [{source}]")
    for name, collection in collections.items():
        made = f"pattern {collection.id_pattern!r}" if collection.id_pattern else collection.id_kind
        lines.append(f"collection {name}: items {collection.schema or '(any)'}, id {collection.id_field!r} ({made})")
    return lines


def _describe(action: FakeAction) -> str:
    """An action as its `x-fake` would say it: `read meetings key=meetingId`."""
    words = [action.action, action.collection]
    if action.parent:
        words.append(f"parent={action.parent.collection}:{action.parent.param}")
    for key in ("key", "input", "output", "limit", "totals", "sizes", "query", "values", "envelope", "ignore"):
        value = getattr(action, key)
        if isinstance(value, Mapping):
            value = json.dumps(dict(value)) if value else ""
        if value:
            words.append(f"{key}={','.join(value) if isinstance(value, tuple) else value}")
    if action.paging:
        words.append(f"paging={action.paging.style}:{action.paging.param}")
    return " ".join(w for w in words if w)
