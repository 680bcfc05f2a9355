"""Python types that spec schemas map to, and the classes generated for them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..identifiers import Code


@dataclass(frozen=True)
class Scalar:
    """A built-in or standard-library type: `str`, `int`, `datetime.datetime`..."""

    python: str

    def annotation(self, prefix: str = "") -> Code:
        return Code(self.python)


@dataclass(frozen=True)
class ListOf:
    item: PyType

    def annotation(self, prefix: str = "") -> Code:
        return Code(f"list[{self.item.annotation(prefix)}]")


@dataclass(frozen=True)
class MapOf:
    value: PyType

    def annotation(self, prefix: str = "") -> Code:
        return Code(f"dict[str, {self.value.annotation(prefix)}]")


@dataclass(frozen=True)
class Named:
    """A generated model or enum class; `prefix` qualifies it (`models.`)."""

    name: Code
    is_enum: bool = False

    def annotation(self, prefix: str = "") -> Code:
        return Code(f"{prefix}{self.name}")


@dataclass(frozen=True)
class UnionOf:
    options: tuple[PyType, ...]

    def annotation(self, prefix: str = "") -> Code:
        return Code(" | ".join(o.annotation(prefix) for o in self.options))


PyType = Scalar | ListOf | MapOf | Named | UnionOf

ANY = Scalar("typing.Any")
NONE = Scalar("None")


def nullable(type_: PyType) -> PyType:
    """`type_ | None`, without nesting or repeating None."""
    if type_ == NONE or type_ == ANY:
        return type_
    if isinstance(type_, UnionOf):
        if NONE in type_.options:
            return type_
        return UnionOf((*type_.options, NONE))
    return UnionOf((type_, NONE))


@dataclass
class Field:
    """One model attribute; `default` is None for a required field."""

    name: Code
    wire_name: str
    type: PyType
    required: bool
    default: Code | None
    description: str | None

    @property
    def annotation(self) -> Code:
        return self.type.annotation() if self.required else nullable(self.type).annotation()

    @property
    def has_alias(self) -> bool:
        return self.name != self.wire_name


@dataclass
class Model:
    name: Code
    description: str | None
    pointer: str
    fields: list[Field] = field(default_factory=list)


@dataclass(frozen=True)
class EnumMember:
    name: Code
    value: str | int


@dataclass
class Alias:
    """A named union of other types; `tags` make it a tagged union on `discriminator`."""

    name: Code
    description: str | None
    options: tuple[PyType, ...]
    tags: tuple[str, ...] = ()  # one discriminator value per option
    discriminator: str = ""  # the discriminator property's wire name
    attribute: str = ""  # and its Python name on the option models

    @property
    def tagged(self) -> list[tuple[PyType, str]]:
        return list(zip(self.options, self.tags))


@dataclass
class Enum:
    name: Code
    description: str | None
    base: Code  # "str" or "int"
    members: list[EnumMember]

    def member_for(self, value: object) -> EnumMember | None:
        return next((m for m in self.members if m.value == value), None)
