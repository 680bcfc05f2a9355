"""The operations of an OpenAPI 3 document: the path items of `paths`, `webhooks`
and callbacks, `$ref`s followed, each operation with the parameters it takes."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .pointers import deref, join

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Parameter:
    """A parameter listed at `site`; its `$ref`s lead to `node`, at `pointer`."""

    site: str
    pointer: str
    node: Any  # a parameter object, or whatever was written in its place

    @property
    def key(self) -> tuple[str, str]:
        """(name, in): an operation's parameter replaces its path item's of that key."""
        if not isinstance(self.node, dict):
            return "", self.pointer  # not a parameter: replaces none
        return str(self.node.get("name", "")), str(self.node.get("in", ""))


@dataclass(frozen=True)
class Operation:
    path: str | None  # the path template; None for webhooks and callbacks
    method: str
    pointer: str
    node: Any  # an operation object, or whatever was written in its place
    parameters: tuple[Parameter, ...]  # the path item's, replaced by its own


@dataclass(frozen=True)
class PathItem:
    path: str | None  # the path template; None for webhooks and callbacks
    pointer: str  # where its `$ref`s lead
    node: dict[str, Any]
    parameters: tuple[Parameter, ...]
    operations: tuple[Operation, ...]  # one per method it has, in METHODS order


def path_items(data: Any) -> Iterator[PathItem]:
    """Every path item of `paths`, then of `webhooks`, then of the callbacks of
    their operations (each once: callbacks may lead back to themselves)."""
    queue: deque[tuple[str | None, str, Any]] = deque()
    for path, node in _entries(_get(data, "paths")):
        queue.append((path, join("/paths", path), node))
    for name, node in _entries(_get(data, "webhooks")):
        queue.append((None, join("/webhooks", name), node))
    seen: set[str] = set()
    while queue:
        path, pointer, node = queue.popleft()
        pointer, node = deref(data, pointer, node)
        if not isinstance(node, dict) or (path is None and pointer in seen):
            continue
        seen.add(pointer)
        item = _path_item(data, path, pointer, node)
        yield item
        for operation in item.operations:
            for name, callback in _entries(_get(operation.node, "callbacks")):
                at = join(operation.pointer, "callbacks", name)
                base, callback = deref(data, at, callback)
                for expression, node in _entries(callback):
                    queue.append((None, join(base, expression), node))


def operations(data: Any) -> Iterator[Operation]:
    """Every operation of every path item, in the order of `path_items`."""
    for item in path_items(data):
        yield from item.operations


def _path_item(data: Any, path: str | None, pointer: str, node: dict[str, Any]) -> PathItem:
    shared = listed_parameters(data, pointer, node)
    found = []
    for method in METHODS:
        if method in node:
            at, operation = join(pointer, method), node[method]
            parameters = _merged(shared + listed_parameters(data, at, operation))
            found.append(Operation(path, method, at, operation, parameters))
    return PathItem(path, pointer, node, _merged(shared), tuple(found))


def listed_parameters(data: Any, pointer: str, owner: Any) -> list[Parameter]:
    """The parameters `owner` lists, `$ref`s followed."""
    listed = _get(owner, "parameters")
    found = []
    for index, raw in enumerate(listed if isinstance(listed, list) else []):
        site = join(pointer, "parameters", index)
        found.append(Parameter(site, *deref(data, site, raw)))
    return found


def _merged(parameters: list[Parameter]) -> tuple[Parameter, ...]:
    """Each key once: a later parameter replaces an earlier one, in its place."""
    return tuple({p.key: p for p in parameters}.values())


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


def _entries(value: Any) -> list[tuple[Any, Any]]:
    """(key, value) of a mapping; none of anything else."""
    return list(value.items()) if isinstance(value, dict) else []
