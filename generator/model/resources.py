"""Group operations into resources: `client.meetings.get_meeting(...)`.

An operation belongs to the resource its `x-resource` names, else to its first
tag; operations with neither stay on the client itself. Each resource is one
module of the client (`resources/<module>.py`) and one of the server
(`handlers/<module>.py`), imported when first used.
"""

from __future__ import annotations

from typing import Any

from ..identifiers import NameScope, class_name, snake_case, words
from .api import Operation, Resource


def group(spec: dict[str, Any]) -> tuple[str, str | None]:
    """The resource an operation's spec puts it in (`x-resource`, else its first tag;
    "" for none), and what is wrong with its `x-resource`, if anything."""
    tags = spec.get("tags")
    first = tags[0] if isinstance(tags, list) and tags and isinstance(tags[0], str) else ""
    if "x-resource" not in spec:
        return first.strip(), None
    chosen = spec["x-resource"]
    if isinstance(chosen, str) and words(chosen):
        return chosen.strip(), None
    return first.strip(), f"x-resource must be a name with letters or digits, not {chosen!r}; ignored"


# What the client and resource modules name at module level, beside the resource classes.
RESERVED_CLASSES = frozenset(
    {
        "Auth",
        "AsyncAPIClient",
        "AsyncIterator",
        "Credential",
        "Iterator",
        "Mapping",
        "OAuthClientCredentials",
        "Pagination",
        "Raw",
        "RawResponse",
        "SyncAPIClient",
    }
)
# Module-level names of the client and server modules: a resource module of the same
# name would hide them, and so would an attribute in a class body.
RESERVED_MODULES = frozenset(
    {
        "datetime",
        "fastapi",
        "functools",
        "handlers",
        "httpx",
        "importlib",
        "json",
        "models",
        "os",
        "resources",
        "typing",
    }
)


def build(operations: list[Operation], tags: Any, reserved: frozenset[str], client: str) -> list[Resource]:
    """The resources, in the order the spec's `tags` list names them (then first use);
    sets each operation's `resource` to its client attribute."""
    described = {
        str(tag["name"]): tag.get("description")
        for tag in (tags if isinstance(tags, list) else [])
        if isinstance(tag, dict) and isinstance(tag.get("name"), str)
    }
    order = {name: index for index, name in enumerate(described)}
    used = list(dict.fromkeys(op.group for op in operations if op.group))  # in order of first use
    names = sorted(used, key=lambda name: order.get(name, len(order)))  # stable: first use breaks ties
    attributes = NameScope(reserved | RESERVED_MODULES | {op.method_name for op in operations if not op.group})
    classes = NameScope(RESERVED_CLASSES | {f"{client}Client"}, fold_case=True)
    resources: dict[str, Resource] = {}
    short = _without_shared_prefix(names)
    for name in names:
        attribute = attributes.claim(snake_case(short[name]))  # also the module's file name
        resources[name] = Resource(
            attribute=attribute,
            class_name=classes.claim(class_name(short[name])),
            title=name,
            description=described.get(name) if isinstance(described.get(name), str) else None,
        )
    for op in operations:
        if op.group:
            op.resource = resources[op.group].attribute
            resources[op.group].operations.append(op)
    return list(resources.values())


def _without_shared_prefix(names: list[str]) -> dict[str, str]:
    """Each name less the leading words every name shares (`VideoV1Room`, `VideoV1Recording`:
    `Room`, `Recording`), when two or more names share some and each keeps a word."""
    split = {name: words(name) for name in names}
    shared = 0
    if len(names) > 1:
        lists = list(split.values())
        while all(len(w) > shared + 1 and w[shared].lower() == lists[0][shared].lower() for w in lists):
            shared += 1
    return {name: " ".join(split[name][shared:]) if shared else name for name in names}
