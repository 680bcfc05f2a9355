"""Python types that spec schemas map to, and the classes generated for them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ..identifiers import Code, literal

Accepting = Literal["", "plain", "pydantic"]  # see `Named`


Imports = frozenset[str]  # the modules an annotation names (`datetime`, `typing`, `models`)


def _module(prefix: str) -> Imports:
    """The module a qualifier names: `models.` -> {models}; "" -> none."""
    return frozenset({prefix.removesuffix(".")}) if prefix else frozenset()


@dataclass(frozen=True)
class Scalar:
    """A built-in or standard-library type: `str`, `int`, `datetime.datetime`..."""

    python: str  # a built-in's name, or a qualified name (`module.name`)

    def annotation(self, prefix: str = "", accepting: Accepting = "") -> Code:
        return Code(self.python)

    def imports(self, prefix: str = "", accepting: Accepting = "") -> Imports:
        module, _, _ = self.python.rpartition(".")
        return frozenset({module}) if module else frozenset()


@dataclass(frozen=True)
class LiteralOf:
    """One of some values, exactly (a schema's `const`): `typing.Literal["a", 1]`."""

    values: tuple[str | int | bool, ...]  # no floats: typing.Literal has none

    def annotation(self, prefix: str = "", accepting: Accepting = "") -> Code:
        return Code(f"typing.Literal[{', '.join(literal(v) for v in self.values)}]")

    def imports(self, prefix: str = "", accepting: Accepting = "") -> Imports:
        return frozenset({"typing"})

    def admits(self, value: object) -> bool:
        """Whether `value` is one of the values (True is not 1 here)."""
        return any(type(v) is type(value) and v == value for v in self.values)


@dataclass(frozen=True)
class ListOf:
    item: PyType

    def annotation(self, prefix: str = "", accepting: Accepting = "") -> Code:
        return Code(f"list[{self.item.annotation(prefix, accepting)}]")

    def imports(self, prefix: str = "", accepting: Accepting = "") -> Imports:
        return self.item.imports(prefix, accepting)


@dataclass(frozen=True)
class MapOf:
    value: PyType

    def annotation(self, prefix: str = "", accepting: Accepting = "") -> Code:
        return Code(f"dict[str, {self.value.annotation(prefix, accepting)}]")

    def imports(self, prefix: str = "", accepting: Accepting = "") -> Imports:
        return self.value.imports(prefix, accepting)


@dataclass(frozen=True)
class Named:
    """A generated model or enum class; `prefix` qualifies it (`models.`).

    Where a value is written (a model's field, a method's argument), an enum's
    annotation also admits its values as literals (`mode="AUDIO"`) for a type
    checker: `accepting` "plain" for arguments (`checked` converts them), or
    "pydantic" for fields (pydantic converts them). Elsewhere, and in every
    expression evaluated at run time, it names the class alone.
    """

    name: Code
    is_enum: bool = False
    values: tuple[str | int, ...] = ()  # an enum's, when a literal can spell them all

    def annotation(self, prefix: str = "", accepting: Accepting = "") -> Code:
        if not accepting or not self.values:
            return Code(f"{prefix}{self.name}")
        union = UnionOf((Named(self.name), LiteralOf(self.values))).annotation(prefix)
        if accepting == "plain":
            return union
        # pydantic would keep a literal as it came (an exact match): the enum is tried first
        return Code(f'typing.Annotated[{union}, pydantic.Field(union_mode="left_to_right")]')

    def imports(self, prefix: str = "", accepting: Accepting = "") -> Imports:
        if not accepting or not self.values:
            return _module(prefix)
        return _module(prefix) | {"typing"} | ({"pydantic"} if accepting == "pydantic" else set())


@dataclass(frozen=True)
class UnionOf:
    options: tuple[PyType, ...]

    def annotation(self, prefix: str = "", accepting: Accepting = "") -> Code:
        return Code(" | ".join(o.annotation(prefix, accepting) for o in self.options))

    def imports(self, prefix: str = "", accepting: Accepting = "") -> Imports:
        return frozenset().union(*(o.imports(prefix, accepting) for o in self.options))


PyType = Scalar | LiteralOf | ListOf | MapOf | Named | UnionOf


def names_enum(type_: PyType) -> bool:
    """Whether `type_` is, or holds, an enum."""
    return bool(_enums(type_))


def spells_enums(type_: PyType) -> bool:
    """Whether `type_` holds an enum and, as an argument, admits every enum's values
    as literals (see `Named`)."""
    enums = _enums(type_)
    return bool(enums) and all(e.values for e in enums)


def _enums(type_: PyType) -> list[Named]:
    if isinstance(type_, Named):
        return [type_] if type_.is_enum else []
    if isinstance(type_, ListOf):
        return _enums(type_.item)
    if isinstance(type_, MapOf):
        return _enums(type_.value)
    return [e for o in type_.options for e in _enums(o)] if isinstance(type_, UnionOf) else []


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


def union(options: Iterable[PyType]) -> PyType:
    """The union of `options`: flat, each once, None last; `typing.Any` absorbs the rest."""
    flat: list[PyType] = []
    for option in options:
        for one in option.options if isinstance(option, UnionOf) else (option,):
            if one not in flat:
                flat.append(one)
    if ANY in flat:
        return ANY
    rest = [o for o in flat if o != NONE]
    if not rest:
        return NONE
    type_ = rest[0] if len(rest) == 1 else UnionOf(tuple(rest))
    return nullable(type_) if NONE in flat else type_


def without_none(type_: PyType) -> PyType:
    """`X` for `X | None`; any other type as it is."""
    if isinstance(type_, UnionOf) and NONE in type_.options:
        return union(o for o in type_.options if o != NONE)
    return type_


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
        return (self.type if self.required else nullable(self.type)).annotation(accepting="pydantic")

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
    value: str | int | float


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

    @property
    def untagged(self) -> Code:
        """The aliased type when it has no tags: its one option, or a `typing.Union`."""
        if len(self.options) == 1:
            return self.options[0].annotation()
        return Code(f"typing.Union[{', '.join(o.annotation() for o in self.options)}]")


@dataclass
class Enum:
    name: Code
    description: str | None
    base: Code  # "str", "int" or "float"
    members: list[EnumMember]

    @property
    def accepts(self) -> Code:
        """The types of the values it reads (a float enum reads integers too)."""
        return Code("(int, float)" if self.base == "float" else self.base)

    @property
    def unknown_value(self) -> Code:
        """What an unknown member holds: a float enum's values are all floats."""
        return Code("float(value)" if self.base == "float" else "value")

    def member_for(self, value: object) -> EnumMember | None:
        """The member with this value (True is not 1 here)."""
        return next((m for m in self.members if m.value == value and not isinstance(value, bool)), None)
