"""Compare the generated types of two versions by name: a type gone, added, or renamed
(the same shape under another name, as when a component is renamed or moved)."""

from __future__ import annotations

from typing import Any

from ..model.types import Alias, Enum, Model
from ..pointers import join
from .effects import Surface
from .found import Found, removed

Definition = Model | Enum | Alias


def _definitions(surface: Surface) -> dict[str, Definition]:
    api = surface.api
    definitions: list[Definition] = [*api.models, *api.enums, *api.aliases]
    return {str(d.name): d for d in definitions}


def _shape(definition: Definition) -> tuple[Any, ...]:
    """What a type holds, whatever it is called."""
    if isinstance(definition, Model):
        return ("model", tuple(sorted((f.wire_name, f.required) for f in definition.fields)))
    if isinstance(definition, Enum):
        return ("enum", tuple(sorted(repr(m.value) for m in definition.members)))
    return ("union", len(definition.options), definition.tags)


def _pointer(definition: Definition, data: Any) -> str:
    """Where a type comes from: a model knows; an enum or a union, by its component's name if it has one."""
    if isinstance(definition, Model):
        return definition.pointer
    schemas = data.get("components", {}).get("schemas", {}) if isinstance(data, dict) else {}
    return (
        join("/components/schemas", str(definition.name))
        if isinstance(schemas, dict) and str(definition.name) in schemas
        else ""
    )


def compare_types(old: Surface, new: Surface) -> list[Found]:
    before, after = _definitions(old), _definitions(new)
    gone = {name: d for name, d in before.items() if name not in after}
    added = {name: d for name, d in after.items() if name not in before}
    shapes: dict[tuple[Any, ...], list[str]] = {}
    for name, definition in added.items():
        shapes.setdefault(_shape(definition), []).append(name)
    found: list[Found] = []
    renamed: set[str] = set()
    for name, definition in gone.items():
        candidates = [n for n in shapes.get(_shape(definition), []) if n not in renamed]
        if len(candidates) == 1:
            (now,) = candidates
            renamed.add(now)
            message = f"the type {name} is now called {now}; the wire is the same"
            at = _pointer(added[now], new.api.document)
            found.append(Found("component-renamed", at, message, f"models.{name} becomes models.{now}"))
            continue
        at = _pointer(definition, old.api.document)
        found.append(removed("model-removed", at, f"the type {name} is gone", f"models.{name} is removed"))
    for name, definition in added.items():
        if name not in renamed:
            at = _pointer(definition, new.api.document)
            found.append(Found("model-added", at, f"the type {name} is new", f"models.{name} is added"))
    return found
