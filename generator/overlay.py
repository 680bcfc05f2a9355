"""OpenAPI Overlay 1.0 (https://spec.openapis.org/overlay/v1.0.0): the shape of an
overlay document, and its actions applied to a spec's data.

Plain data in, plain data out: findings are `(pointer in the overlay, message)`
pairs and every change is an `Edit`, which the loader replays on its line map
so that a node the overlay put in the spec is located in the overlay.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import jsonpath_rfc9535 as jsonpath

from .pointers import join

VERSION = re.compile(r"1\.0\.\d+")
Fields = dict[str, type]  # a field's name -> the type of its value
TOP: Fields = {"overlay": str, "info": dict, "extends": str, "actions": list}
INFO: Fields = {"title": str, "version": str}
ACTION: Fields = {"target": str, "description": str, "update": object, "remove": bool}
_TYPES = {str: "a string", dict: "an object", list: "an array", bool: "a boolean", object: "any value"}

Finding = tuple[str, str]  # (pointer in the overlay, message)


@dataclass(frozen=True)
class Graft:
    """The node at `at` in the spec is now the overlay's node at `source`."""

    at: str
    source: str
    replaces: bool  # a mapping or list was there: lines below it go


@dataclass(frozen=True)
class Prune:
    """The node at `at` is gone (from a list: the items after it move up one)."""

    at: str
    index: int | None  # its index, when its parent is a list


Edit = Graft | Prune


@dataclass
class Applied:
    """What applying an overlay did: the edits in order, the actions whose target
    selected nothing, and the errors (any error: the result is not to be used)."""

    edits: list[Edit] = field(default_factory=list)
    unmatched: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)


def check(overlay: Any) -> list[Finding]:
    """Everything wrong with the shape of an overlay document."""
    if not isinstance(overlay, dict):
        return [("", "an overlay is an object with overlay, info and actions")]
    found = _fields(overlay, "", TOP, required=("overlay", "info", "actions"))
    if isinstance(overlay.get("overlay"), str) and not VERSION.fullmatch(overlay["overlay"]):
        found.append(("/overlay", f"overlay version {overlay['overlay']!r} is not 1.0.x"))
    if isinstance(overlay.get("info"), dict):
        found += _fields(overlay["info"], "/info", INFO, required=("title", "version"))
    actions = overlay.get("actions")
    if isinstance(actions, list):
        if not actions:
            found.append(("/actions", "an overlay has at least one action"))
        for index, action in enumerate(actions):
            at = join("/actions", index)
            if not isinstance(action, dict):
                found.append((at, "an action is an object with target and update or remove"))
                continue
            found += _fields(action, at, ACTION, required=("target",))
            if "update" not in action and action.get("remove", False) is False:
                found.append((at, "an action needs update, or remove: true"))
            if isinstance(action.get("target"), str):
                try:
                    jsonpath.compile(action["target"])
                except jsonpath.JSONPathError as exc:
                    found.append((join(at, "target"), f"target is not an RFC 9535 JSONPath: {exc}"))
    return found


def _fields(node: dict[str, Any], at: str, types: Fields, required: tuple[str, ...]) -> list[Finding]:
    found = [(at, f"{name} is required") for name in required if name not in node]
    for name, value in node.items():
        if name.startswith("x-"):
            continue
        expected = types.get(name)
        if expected is None:
            found.append((join(at, name), f"unknown field {name!r} (known: {', '.join(types)}, or x-...)"))
        elif not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            found.append((join(at, name), f"{name} must be {_TYPES[expected]}"))
    return found


def apply(target: Any, overlay: dict[str, Any]) -> Applied:
    """Apply the actions of a `check`ed overlay to `target`, in order, in place."""
    applied = Applied()
    for index, action in enumerate(overlay["actions"]):
        at = join("/actions", index)
        try:
            nodes = list(jsonpath.find(action["target"], target))
        except jsonpath.JSONPathError as exc:  # too deep a document for a descendant query, say
            applied.errors.append((join(at, "target"), f"target cannot be evaluated: {exc}"))
            return applied
        if not nodes:
            applied.unmatched.append((join(at, "target"), f"target {action['target']} selects nothing in the spec"))
        elif action.get("remove") is True:
            _remove(target, nodes, at, applied)
        else:
            for node in nodes:
                _update(node, action["update"], join(at, "update"), applied)
    return applied


def _remove(target: Any, nodes: list[jsonpath.JSONPathNode], at: str, applied: Applied) -> None:
    # each node once, the last first: removing an item does not move the next one to remove
    unique = {node.location: node for node in nodes}
    ordered = sorted(unique, key=lambda location: [(0, k, "") if isinstance(k, int) else (1, 0, k) for k in location])
    for location in reversed(ordered):
        node = unique[location]
        if not node.location:
            applied.errors.append((join(at, "target"), "the document itself cannot be removed"))
            return
        *parents, last = node.location
        parent = target
        for key in parents:
            parent = parent[key]
        del parent[last]
        applied.edits.append(Prune(join("", *node.location), last if isinstance(last, int) else None))


def _update(node: jsonpath.JSONPathNode, update: Any, source: str, applied: Applied) -> None:
    """Merge `update` into the node: objects recursively, arrays appended to; an
    array selected gets the update as one more item."""
    pointer = join("", *node.location)
    if isinstance(node.value, list):
        applied.edits.append(Graft(join(pointer, len(node.value)), source, False))
        node.value.append(copy.deepcopy(update))
        return
    if not isinstance(node.value, dict):
        message = f"target selects {_kind(node.value)} at {pointer or '/'}: only objects and arrays can be updated"
        applied.errors.append((source.rsplit("/", 1)[0] + "/target", message))
        return
    if not isinstance(update, dict):
        applied.errors.append((source, f"update must be an object to merge into the object at {pointer or '/'}"))
        return
    stack: list[tuple[dict[str, Any], dict[str, Any], str, str]] = [(node.value, update, pointer, source)]
    while stack:
        into, values, at, there = stack.pop()
        for key, value in values.items():
            here, origin = join(at, key), join(there, key)
            old = into.get(key)
            if isinstance(old, dict) and isinstance(value, dict):
                stack.append((old, value, here, origin))
            elif isinstance(old, list) and isinstance(value, list):
                for index, item in enumerate(value):
                    applied.edits.append(Graft(join(here, len(old)), join(origin, index), False))
                    old.append(copy.deepcopy(item))
            else:
                applied.edits.append(Graft(here, origin, isinstance(old, (dict, list))))
                into[key] = copy.deepcopy(value)


def _kind(value: Any) -> str:
    return "null" if value is None else f"a {type(value).__name__}"
