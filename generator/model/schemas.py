"""Map JSON Schemas to Python types, collecting the model and enum classes they need."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ..identifiers import (
    RESERVED_FIELDS,
    Code,
    NameScope,
    class_name,
    constant_name,
    literal,
    snake_case,
)
from ..load import Document, join
from ..problems import Problem
from ..validate import ref_target
from .types import ANY, NONE, Alias, Enum, EnumMember, Field, ListOf, MapOf, Model, Named, PyType, Scalar, UnionOf, nullable

UNSUPPORTED = ("not", "if", "patternProperties")
STRING_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date", "binary": "bytes"}
SCALARS = {"integer": "int", "number": "float", "boolean": "bool", "null": "None"}
MAX_DEPTH = 64  # nested schemas and $ref chains deeper than this are rejected


class SchemaParser:
    """Turns schemas into `PyType`s; classes land in `models` and `enums`.

    A schema reached by `$ref` is parsed once and shared. A model is
    registered before its fields are parsed, so recursive schemas work.
    """

    def __init__(self, document: Document, classes: NameScope) -> None:
        self.document = document
        self.classes = classes
        self.models: list[Model] = []
        self.enums: list[Enum] = []
        self.aliases: list[Alias] = []
        self._by_pointer: dict[str, PyType] = {}
        self._names: dict[str, Code] = {}
        self._resolving: set[str] = set()
        self._depth = 0
        self._context = "response"  # or "request": which of readOnly/writeOnly fields to leave out
        self._access_modes: dict[str, bool] = {}
        self.warnings: list[Problem] = []  # what was typed loosely or left out, and why

    @contextlib.contextmanager
    def context(self, context: str) -> Iterator[None]:
        """Parse as a request body or parameter (`request`) or as an answer (`response`)."""
        previous, self._context = self._context, context
        try:
            yield
        finally:
            self._context = previous

    def _key(self, pointer: str) -> str:
        """The cache key of a schema: per context when its models differ by context."""
        return f"{pointer}#{self._context}" if self._has_access_modes(pointer) else pointer

    def _has_access_modes(self, pointer: str) -> bool:
        """Whether a readOnly or writeOnly property is anywhere under the schema at `pointer`."""
        if pointer not in self._access_modes:
            self._access_modes[pointer] = False  # a cycle adds nothing
            try:
                root = self.document.resolve(pointer) if pointer else None
            except KeyError:  # a property merged by allOf: its parent is looked at instead
                return False
            found, stack, seen = False, [root], 0
            while stack and not found and seen < 10_000:
                node, seen = stack.pop(), seen + 1
                if isinstance(node, dict):
                    found = node.get("readOnly") is True or node.get("writeOnly") is True
                    ref = node.get("$ref")
                    target = ref_target(ref) if isinstance(ref, str) else None
                    if target is not None and target != pointer:
                        found = found or self._has_access_modes(target)
                    stack.extend(v for k, v in node.items() if k not in ("example", "examples", "default", "enum", "const"))
                elif isinstance(node, list):
                    stack.extend(node)
            self._access_modes[pointer] = found
        return self._access_modes[pointer]

    def reserve_components(self) -> None:
        """Give component schemas their own names before any inline schema."""
        schemas = (self.document.data.get("components") or {}).get("schemas") or {}
        for name in schemas:
            self._names[join("/components/schemas", name)] = self.classes.claim(class_name(name))

    def parse_components(self) -> list[Problem]:
        """Parse every component schema: unused ones are part of the API too."""
        problems = []
        for pointer in self._names:
            result = self._resolved(pointer)
            if isinstance(result, Problem):
                problems.append(result)
        return problems

    def parse(self, schema: Any, pointer: str, hint: str) -> PyType | Problem:
        """The type for `schema` at `pointer`; `hint` names an inline class."""
        if self._depth >= MAX_DEPTH:
            return self.loose(pointer, f"schema is nested more than {MAX_DEPTH} levels deep")
        self._depth += 1
        try:
            return self._parse(schema, pointer, hint)
        finally:
            self._depth -= 1

    def _parse(self, schema: Any, pointer: str, hint: str) -> PyType | Problem:
        if schema is True or schema == {}:
            return ANY
        if not isinstance(schema, dict):
            return self.loose(pointer, "a schema must be an object or a boolean")
        if "$ref" in schema:
            return self._ref(schema["$ref"], pointer)
        cached = self._by_pointer.get(self._key(pointer))
        if cached is not None:  # an inline schema met again (in another context)
            return cached
        for keyword in UNSUPPORTED:
            if keyword in schema:
                return self.loose(join(pointer, keyword), f"'{keyword}' is not supported yet")
        type_ = self._typed(schema, pointer, hint)
        if isinstance(type_, Problem):
            return type_
        return nullable(type_) if schema.get("nullable") is True else type_

    def _typed(self, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        declared = schema.get("type")
        types = declared if isinstance(declared, list) else [declared] if declared else []
        if "const" in schema:
            return self._const(schema["const"], pointer)
        if "allOf" in schema:
            return self._all_of(schema, pointer, hint)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self._union(schema, key, pointer, hint)
        if "enum" in schema:
            return self._enum(schema, pointer, hint, types)
        if not types:
            types = ["object"] if "properties" in schema else []
        if not types:
            return ANY
        options: list[PyType] = []
        for name in types:
            option = self._single(name, schema, pointer, hint)
            if isinstance(option, Problem):
                return option
            options.append(option)
        non_null = [o for o in options if o != NONE]
        if not non_null:
            return NONE
        result: PyType = non_null[0] if len(non_null) == 1 else UnionOf(tuple(non_null))
        return nullable(result) if NONE in options else result

    def _single(self, name: str, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        if name == "string":
            return Scalar(STRING_FORMATS.get(schema.get("format", ""), "str"))
        if name in SCALARS:
            return Scalar(SCALARS[name])
        if name == "array":
            items = schema.get("items", True)
            item = self.parse(items, join(pointer, "items"), hint + "Item")
            return item if isinstance(item, Problem) else ListOf(item)
        if name == "object":
            return self._object(schema, pointer, hint)
        return self.loose(join(pointer, "type"), f"unknown type {name!r}")

    def _ref(self, ref: Any, pointer: str) -> PyType | Problem:
        target = ref_target(ref) if isinstance(ref, str) else None
        if target is None:
            return self._problem(join(pointer, "$ref"), f"$ref {ref!r} is not a local reference")
        return self._resolved(target, join(pointer, "$ref"))

    def _resolved(self, target: str, ref_pointer: str = "") -> PyType | Problem:
        """The type of the schema at `target`, parsed once."""
        if self._key(target) in self._by_pointer:
            return self._by_pointer[self._key(target)]
        if target in self._resolving:
            return self._problem(ref_pointer or target, f"$ref cycle through {target!r} with no schema between")
        try:
            schema = self.document.resolve(target)
        except KeyError:
            return self._problem(ref_pointer or target, f"$ref to {target!r} does not resolve")
        self._resolving.add(target)
        try:
            type_ = self.parse(schema, target, target.rsplit("/", 1)[-1])
        finally:
            self._resolving.discard(target)
        if not isinstance(type_, Problem):
            self._by_pointer[self._key(target)] = type_
        return type_

    def _class_name(self, pointer: str, hint: str) -> Code:
        name = self._names.get(pointer)
        # A component can be met as a request and as an answer: its request twin gets "Input".
        if self._context == "request" and pointer.startswith("/components/") and self._has_access_modes(pointer):
            return self.classes.claim(class_name((name or hint) + "Input"))
        return name or self.classes.claim(class_name(hint))

    def _object(self, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        properties = schema.get("properties") or {}
        if not properties:
            extra = schema.get("additionalProperties", True)
            value = self.parse(extra, join(pointer, "additionalProperties"), hint + "Value")
            return value if isinstance(value, Problem) else MapOf(value)
        model = Model(self._class_name(pointer, hint), schema.get("description"), pointer)
        named = Named(model.name)
        self._by_pointer[self._key(pointer)] = named  # before the fields: they may refer back
        required = set(schema.get("required") or [])
        scope = NameScope(RESERVED_FIELDS)
        left_out = "readOnly" if self._context == "request" else "writeOnly"
        for wire_name, sub in properties.items():
            if isinstance(sub, dict) and sub.get(left_out) is True:
                continue
            sub_pointer = join(pointer, "properties", wire_name)
            type_ = self.parse(sub, sub_pointer, model.name + class_name(wire_name))
            if isinstance(type_, Problem):
                del self._by_pointer[self._key(pointer)]
                return type_
            field_schema = sub if isinstance(sub, dict) else {}
            default = self.default(type_, field_schema, sub_pointer, "")
            is_required = wire_name in required and default is None
            model.fields.append(
                Field(
                    name=scope.claim(snake_case(wire_name)),
                    wire_name=wire_name,
                    type=type_,
                    required=is_required,
                    default=None if is_required else default or Code("None"),
                    description=self._description(field_schema),
                )
            )
        self.models.append(model)
        return named

    def _enum(self, schema: dict[str, Any], pointer: str, hint: str, types: list[str]) -> PyType | Problem:
        values = schema["enum"]
        present = [v for v in values if v is not None]
        if all(isinstance(v, str) for v in present):
            base = "str"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            base = "int"
        else:
            return self.loose(join(pointer, "enum"), "enum values must be all strings or all integers")
        if not present:
            return NONE
        scope = NameScope()
        members = [EnumMember(scope.claim(constant_name(str(v))), v) for v in dict.fromkeys(present)]
        enum = Enum(self._class_name(pointer, hint), schema.get("description"), Code(base), members)
        self.enums.append(enum)
        named = Named(enum.name, is_enum=True)
        self._by_pointer[self._key(pointer)] = named
        return nullable(named) if None in values or "null" in types else named

    def _const(self, value: Any, pointer: str) -> PyType | Problem:
        if value is None:
            return NONE
        if not isinstance(value, (str, int, bool)):
            return self.loose(join(pointer, "const"), "a const must be a string, integer, boolean or null")
        return Scalar(f"typing.Literal[{literal(value)}]")

    def _all_of(self, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        """One model with the properties and required fields of every part."""
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        parts = [schema, *schema["allOf"]]
        while parts:
            part = parts.pop(0)
            seen = 0
            while isinstance(part, dict) and "$ref" in part and seen < MAX_DEPTH:
                target = ref_target(part["$ref"]) if isinstance(part["$ref"], str) else None
                part, seen = (self.document.resolve(target) if target else {}), seen + 1
            if not isinstance(part, dict):
                self.warn(join(pointer, "allOf"), "an allOf part that is not a schema object is left out")
                continue
            if part is not schema:
                parts[:0] = part.get("allOf") or []
            merged["properties"].update(part.get("properties") or {})
            merged["required"] += [r for r in part.get("required") or [] if r not in merged["required"]]
            for key in ("description", "additionalProperties"):
                if part.get(key) is not None:
                    merged.setdefault(key, part[key])
        return self._object(merged, pointer, hint)

    def _union(self, schema: dict[str, Any], key: str, pointer: str, hint: str) -> PyType | Problem:
        options: list[PyType] = []
        for index, option in enumerate(schema[key]):
            name = option.get("title") if isinstance(option, dict) and isinstance(option.get("title"), str) else None
            type_ = self.parse(option, join(pointer, key, index), hint + class_name(name or f"Option{index + 1}"))
            if isinstance(type_, Problem):
                return type_
            if type_ not in options:
                options.append(type_)
        non_null = tuple(o for o in options if o != NONE)
        is_nullable = NONE in options or "null" in (schema.get("type") or [])
        if not non_null:
            return NONE
        tagged = self._tagged(schema.get("discriminator"), schema[key], non_null, pointer, hint)
        if tagged is not None:
            alias = tagged
        elif pointer in self._names:  # a named component: keep its name
            alias = Alias(self._class_name(pointer, hint), schema.get("description"), non_null)
        else:
            union: PyType = non_null[0] if len(non_null) == 1 else UnionOf(non_null)
            return nullable(union) if is_nullable else union
        self.aliases.append(alias)
        named = Named(alias.name)
        self._by_pointer[self._key(pointer)] = named
        return nullable(named) if is_nullable else named

    def _tagged(
        self, discriminator: Any, raw: list[Any], options: tuple[PyType, ...], pointer: str, hint: str
    ) -> Alias | None:
        """A tagged union: each option a model, each with its discriminator value.

        None when there is no discriminator, or it cannot tag every option (then
        the union is left untagged, with a warning)."""
        if not isinstance(discriminator, dict):
            return None
        wire = discriminator.get("propertyName")
        where = join(pointer, "discriminator")
        models = {m.name: m for m in self.models}
        targets = {v: k for k, v in (discriminator.get("mapping") or {}).items()}
        tags, attribute = [], ""
        for option, schema in zip(options, [r for r in raw if r != {"type": "null"}]):
            model = models.get(option.name) if isinstance(option, Named) else None
            field = next((f for f in model.fields if f.wire_name == wire), None) if model else None
            ref = schema.get("$ref", "") if isinstance(schema, dict) else ""
            if field is None or not ref:
                self.warn(where, f"not every option is a $ref to a model with the property {wire!r}; the union is untagged")
                return None
            attribute = field.name
            tags.append(targets.get(ref, ref.rsplit("/", 1)[-1]))
        description = self.document.resolve(pointer).get("description") if pointer else None
        return Alias(self._class_name(pointer, hint), description, options, tuple(tags), str(wire), attribute)

    def enum_for(self, type_: PyType) -> Enum | None:
        if isinstance(type_, Named) and type_.is_enum:
            return next(e for e in self.enums if e.name == type_.name)
        return None

    def default(self, type_: PyType, schema: dict[str, Any], pointer: str, prefix: str) -> Code | None:
        """Source for the schema's default value, or None if it has none (or a
        default that does not fit, which is left out with a warning)."""
        if "default" not in schema or schema["default"] is None:
            return None
        value = schema["default"]
        enum = self.enum_for(type_)
        if enum is not None:
            member = enum.member_for(value)
            if member is None:
                self._leave_out(join(pointer, "default"), f"default {value!r} is not one of the enum's values")
                return None
            return Code(f"{prefix}{enum.name}.{member.name}")
        if not _fits(type_, value):
            self._leave_out(join(pointer, "default"), f"default {value!r} does not match the type {type_.annotation()}")
            return None
        return literal(value)

    @staticmethod
    def _description(schema: dict[str, Any]) -> str | None:
        text = schema.get("description") or schema.get("title")
        return text if isinstance(text, str) else None

    def _problem(self, pointer: str, message: str) -> Problem:
        return self.document.problem(pointer, message, "ref-unresolved")

    def warn(self, pointer: str, message: str, rule: str = "unsupported") -> None:
        self.warnings.append(self.document.problem(pointer, message, rule))

    def loose(self, pointer: str, message: str) -> PyType:
        """`typing.Any`, with a warning saying why the schema was not typed exactly."""
        self.warn(pointer, f"{message}; typed as typing.Any")
        return ANY

    def _leave_out(self, pointer: str, message: str) -> None:
        self.warn(pointer, f"{message}; left out", "invalid-default")


def _fits(type_: PyType, value: Any) -> bool:
    """Whether a JSON value is a valid default for `type_`."""
    if isinstance(type_, UnionOf):
        return any(_fits(option, value) for option in type_.options)
    if type_ == ANY:
        return True
    if isinstance(type_, ListOf):
        return isinstance(value, list) and all(_fits(type_.item, v) for v in value)
    if isinstance(type_, MapOf):
        return isinstance(value, dict) and all(_fits(type_.value, v) for v in value.values())
    if isinstance(type_, Scalar):
        if type_.python.startswith("typing.Literal["):
            return type_.python == f"typing.Literal[{literal(value)}]"
        if isinstance(value, bool):
            return type_.python == "bool"
        kinds: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float)}
        return isinstance(value, kinds.get(type_.python, ()))
    return False
