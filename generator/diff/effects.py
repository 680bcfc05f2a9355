"""What a change does to the generated code, in words, read from each side's typed model."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..identifiers import class_name
from ..model import Api
from ..model.api import Operation, Parameter
from ..model.types import Enum, Field, Model
from ..pointers import unescape


@dataclass
class Surface:
    """One side's generated names, looked up by where they come from in the spec."""

    api: Api
    operations: dict[str, Operation] = field(default_factory=dict)  # by the operation's pointer
    models: dict[str, Model] = field(default_factory=dict)  # by the schema's pointer

    @classmethod
    def of(cls, api: Api) -> Surface:
        return cls(api, {op.pointer: op for op in api.operations}, {m.pointer: m for m in api.models})

    def call(self, pointer: str) -> str:
        """`client.meetings.get_meeting()` for the operation at `pointer`; "" if it makes none."""
        operation = self.operations.get(pointer)
        return operation.call_name if operation else ""

    def parameter(self, pointer: str, location: str, wire_name: str) -> Parameter | None:
        operation = self.operations.get(pointer)
        found = (
            [p for p in operation.parameters if p.location == location and p.wire_name == wire_name]
            if operation
            else []
        )
        return found[0] if found else None

    def field(self, schema: str, wire_name: str) -> tuple[Model, Field] | None:
        """The model made of the schema at `schema`, and its field for property `wire_name`."""
        model = self.models.get(schema)
        found = [f for f in model.fields if f.wire_name == wire_name] if model else []
        return (model, found[0]) if model and found else None

    def enum(self, pointer: str, values: list[object]) -> Enum | None:
        """The generated enum of exactly these values: the one named after the schema at
        `pointer` where several are."""
        wanted = {repr(v) for v in values}
        found = [e for e in self.api.enums if {repr(m.value) for m in e.members} == wanted]
        named = [e for e in found if e.name == class_name(unescape(pointer.rsplit("/", 1)[-1]))]
        return found[0] if len(found) == 1 else named[0] if len(named) == 1 else None


def argument_effect(surface: Surface, pointer: str, location: str, wire_name: str, verb: str) -> str:
    """`client.meetings.get_meeting() gains the required argument occurrence_id`."""
    call = surface.call(pointer)
    parameter = surface.parameter(pointer, location, wire_name)
    if not call or parameter is None:
        return ""
    return f"{call} {verb} argument {parameter.name}"


def enum_effect(surface: Surface, pointer: str, values: list[object], gone: list[object], verb: str) -> str:
    """`enum Status loses SCHEDULED`: the members of `gone`, by their Python names."""
    enum = surface.enum(pointer, values)
    if enum is None:
        return ""
    names = [str(m.name) for m in enum.members if any(repr(m.value) == repr(v) for v in gone)]
    return f"enum {enum.name} {verb} {', '.join(names)}" if names else ""
