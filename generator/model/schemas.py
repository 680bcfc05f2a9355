"""Map JSON Schemas to Python types, collecting the model and enum classes they need."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from itertools import islice
from typing import Any

from ..identifiers import (
    RESERVED_FIELDS,
    Code,
    NameScope,
    class_name,
    constant_name,
    literal,
    member_name,
    snake_case,
)
from ..pointers import deref, join, nodes, ref_target, refers_to, unescape, walk
from ..problems import Problem
from .extension import Findings
from .types import (
    ANY,
    NONE,
    Alias,
    Enum,
    EnumMember,
    Field,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Named,
    PyType,
    Scalar,
    UnionOf,
    nullable,
    union,
    without_none,
)

# Keywords that only constrain a value: the schema is typed from its other keywords.
CONSTRAINTS = ("not", "if")
# Keywords that say what a value is; a schema without any of them is an annotation or a constraint.
SHAPING = frozenset(
    {
        "$ref",
        "type",
        "properties",
        "additionalProperties",
        "patternProperties",
        "items",
        "prefixItems",
        "enum",
        "const",
        "oneOf",
        "anyOf",
        "allOf",
        "required",
    }
)
# Keywords whose values are data, not schemas.
VALUES = frozenset({"example", "examples", "default", "enum", "const"})
STRING_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date", "binary": "bytes"}
SCALARS = {"integer": "int", "number": "float", "boolean": "bool", "null": "None"}
KINDS = {bool: "bool", int: "int", float: "float", str: "str"}  # a JSON scalar's Python type
MAX_DEPTH = 64  # schemas nested deeper than this are typed as typing.Any, with a warning


class SchemaParser:
    """Turns schemas into `PyType`s; classes land in `models` and `enums`.

    A schema reached by `$ref` is parsed once and shared. A model is
    registered before its fields are parsed, so recursive schemas work.
    """

    def __init__(self, findings: Findings, classes: NameScope) -> None:
        self.findings = findings  # what was typed loosely or left out, and why
        self.document = findings.document
        self.classes = classes
        self.models: list[Model] = []
        self.enums: list[Enum] = []
        self.aliases: list[Alias] = []
        self._by_pointer: dict[str, PyType] = {}
        self._names: dict[str, Code] = {}
        self._components: list[str] = []  # pointers of the component schemas
        self._building: dict[str, Model] = {}  # every model by name, its fields parsed or not
        self._resolving: set[str] = set()
        # Unions whose options are being parsed, with the number of models being built
        # then: a reference back to one is a cycle unless a model (lazy) stands between.
        self._open_aliases: dict[str, int] = {}
        self._model_depth = 0
        self._depth = 0
        self._context = "response"  # or "request": which of readOnly/writeOnly fields to leave out
        self._access_modes: dict[str, bool] = {}

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
            except KeyError:  # not a node of the document: its parent is looked at instead
                return False
            found = False
            for node in islice(nodes(root, skip=VALUES), 10_000):
                if isinstance(node, dict):
                    found = node.get("readOnly") is True or node.get("writeOnly") is True
                    target = refers_to(node)
                    if target is not None and target != pointer:
                        found = found or self._has_access_modes(target)
                if found:
                    break
            self._access_modes[pointer] = found
        return self._access_modes[pointer]

    def reserve_components(self) -> None:
        """Give component schemas their own names before any inline schema."""
        schemas = (self.document.data.get("components") or {}).get("schemas") or {}
        for name in schemas:
            self._components.append(join("/components/schemas", name))
            self._names[self._components[-1]] = self.classes.claim(class_name(name))

    def parse_components(self) -> list[Problem]:
        """Parse every component schema: unused ones are part of the API too."""
        problems = []
        for pointer in self._components:
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
        if schema is False:
            return self.loose(pointer, "the schema `false` admits no value")
        if not isinstance(schema, dict):
            return self.loose(pointer, "a schema must be an object or a boolean")
        if "$ref" in schema:  # siblings are ignored, but for 3.0's common `nullable: true`
            type_ = self._ref(schema["$ref"], pointer)
        else:
            cached = self._by_pointer.get(self._key(pointer))
            if cached is not None:  # an inline schema met again (in another context)
                return cached
            self._constraints(schema, pointer)
            type_ = self._typed(schema, pointer, hint)
        if isinstance(type_, Problem):
            return type_
        return nullable(type_) if _is_nullable(schema) else type_

    def _constraints(self, schema: dict[str, Any], pointer: str) -> None:
        """Warn about keywords the client leaves to the server; check every pattern."""
        self._check_pattern(schema, pointer)
        for keyword in CONSTRAINTS:
            if keyword in schema:
                also = " (and its 'then'/'else')" if keyword == "if" else ""
                message = f"'{keyword}'{also} only constrains the value; the client types it from the other keywords"
                self.warn(join(pointer, keyword), message)
        for keyword in ("not", "if", "then", "else", "dependentSchemas", "contains", "propertyNames"):
            if keyword in schema:
                self._check_patterns(schema[keyword], join(pointer, keyword))

    def _typed(self, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        types = _types(schema)
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
            if any(key in schema for key in ("properties", "additionalProperties", "patternProperties")):
                types = ["object"]
            elif any(key in schema for key in ("items", "prefixItems")):
                types = ["array"]
            else:
                return ANY
        options: list[PyType] = []
        for name in types:
            option = self._single(name, schema, pointer, hint)
            if isinstance(option, Problem):
                return option
            options.append(option)
        return union(options)

    def _single(self, name: Any, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        if name == "string":
            format_ = schema.get("format")
            return Scalar(STRING_FORMATS.get(format_, "str") if isinstance(format_, str) else "str")
        if isinstance(name, str) and name in SCALARS:
            return Scalar(SCALARS[name])
        if name == "array":
            return self._array(schema, pointer, hint)
        if name == "object":
            return self._object(schema, pointer, hint)
        return self.loose(join(pointer, "type"), f"unknown type {name!r}")

    def _array(self, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        """A list of its `items` (`false`: an empty list); `prefixItems` join the union."""
        prefix = schema.get("prefixItems")
        parts = [(s, join(pointer, "prefixItems", i)) for i, s in enumerate(prefix if isinstance(prefix, list) else [])]
        if parts:
            self.warn(join(pointer, "prefixItems"), "a tuple ('prefixItems') is typed as a list of any of its items")
        items = schema.get("items", True if not parts else False)
        if items is not False:
            parts.append((items, join(pointer, "items")))
        types: list[PyType] = []
        for sub, sub_pointer in parts:
            item = self.parse(sub, sub_pointer, hint + "Item")
            if isinstance(item, Problem):
                return item
            types.append(item)
        return ListOf(union(types) if types else ANY)

    def _ref(self, ref: Any, pointer: str) -> PyType | Problem:
        target = ref_target(ref)
        if target is None:
            return self._problem(join(pointer, "$ref"), f"$ref {ref!r} is not a local reference")
        return self._resolved(target, join(pointer, "$ref"))

    def _resolved(self, target: str, ref_pointer: str = "") -> PyType | Problem:
        """The type of the schema at `target`, parsed once."""
        found = self._by_pointer.get(self._key(target))
        open_alias = isinstance(found, Named) and self._open_aliases.get(found.name) == self._model_depth
        if found is not None and not open_alias:
            return found
        if open_alias or target in self._resolving:  # not through a model: cycles of bare $refs stop in validate
            return self.loose(ref_pointer or target, f"{target!r} contains itself through a list or a union")
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

    def _object(
        self, schema: dict[str, Any], pointer: str, hint: str, origins: Origins | None = None
    ) -> PyType | Problem:
        """A model of the schema's properties; a map when it has none. `origins`
        says where merged keywords are in the document (else below `pointer`)."""
        at = Where(pointer, origins or {})
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        if not properties:
            return self._map(schema, at, hint)
        if "patternProperties" in schema:
            message = "'patternProperties' beside 'properties' is ignored; such keys are kept as extra fields"
            self.warn(at("patternProperties"), message)
            self._check_pattern_properties(schema["patternProperties"], at("patternProperties"))
            self._check_patterns(schema["patternProperties"], at("patternProperties"))
        self._check_patterns(schema.get("additionalProperties"), at("additionalProperties"))
        model = Model(self._class_name(pointer, hint), _text(schema.get("description")), pointer)
        named = Named(model.name)
        self._by_pointer[self._key(pointer)] = named  # before the fields: they may refer back
        self._building[model.name] = model
        required = set(_strings(schema.get("required")))
        scope = NameScope(RESERVED_FIELDS)
        left_out = "readOnly" if self._context == "request" else "writeOnly"
        for wire_name, sub in properties.items():
            sub_pointer = at("properties", wire_name)
            if sub is False or (isinstance(sub, dict) and sub.get(left_out) is True):
                self._check_patterns(sub, sub_pointer)
                continue  # `false`: it can never be present
            self._model_depth += 1
            try:
                type_ = self.parse(sub, sub_pointer, model.name + class_name(wire_name))
            finally:
                self._model_depth -= 1
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

    def _map(self, schema: dict[str, Any], at: Where, hint: str) -> PyType | Problem:
        """`dict[str, ...]` of the values `patternProperties` (else `additionalProperties`) allow."""
        extra = schema.get("additionalProperties", True)
        patterns = schema.get("patternProperties")
        parts = [
            (s, join(at("patternProperties"), p)) for p, s in (patterns if isinstance(patterns, dict) else {}).items()
        ]
        self._check_pattern_properties(patterns, at("patternProperties"))
        if isinstance(extra, dict) and (extra or not parts):
            parts.append((extra, at("additionalProperties")))
        values: list[PyType] = []
        for sub, sub_pointer in parts:
            if sub is False:
                continue
            value = self.parse(sub, sub_pointer, hint + "Value")
            if isinstance(value, Problem):
                return value
            values.append(value)
        return MapOf(union(values) if values else ANY)

    def _enum(self, schema: dict[str, Any], pointer: str, hint: str, types: list[Any]) -> PyType | Problem:
        """An enum class of strings, integers or numbers; `bool`, or a union of the
        scalar types, for other values."""
        values = schema["enum"]
        if not isinstance(values, list) or not values:
            return self.loose(join(pointer, "enum"), "an enum must be a non-empty list")
        present = [v for v in values if v is not None]
        kinds = list(dict.fromkeys(KINDS.get(type(v), "") for v in present))
        if "" in kinds:
            return self.loose(join(pointer, "enum"), "an enum of objects or arrays")
        if "int" in kinds and "float" in kinds:
            kinds.remove("int")  # integers are numbers too
        if not kinds:
            type_: PyType = NONE
        elif len(kinds) == 1 and kinds[0] != "bool":
            type_ = self._enum_class(schema, pointer, hint, kinds[0], present)
        else:
            type_ = union(Scalar(kind) for kind in kinds)
        return nullable(type_) if None in values or "null" in types else type_

    def _enum_class(self, schema: dict[str, Any], pointer: str, hint: str, base: str, values: list[Any]) -> Named:
        scope = NameScope()
        names = _given_names(schema)
        members = [
            EnumMember(scope.claim(constant_name(names[v]) if v in names else member_name(v)), v)
            for v in dict.fromkeys(values)
        ]
        enum = Enum(self._class_name(pointer, hint), _text(schema.get("description")), Code(base), members)
        self.enums.append(enum)
        spelled = [m.value for m in members if isinstance(m.value, (str, int)) and not isinstance(m.value, bool)]
        literals = tuple(spelled) if len(spelled) == len(members) else ()  # no float Literals
        named = Named(enum.name, is_enum=True, values=literals)
        self._by_pointer[self._key(pointer)] = named
        return named

    def _const(self, value: Any, pointer: str) -> PyType:
        if value is None:
            return NONE
        if isinstance(value, float):
            return Scalar("float")  # no float literals in typing.Literal
        if not isinstance(value, (str, int, bool)):
            return self.loose(join(pointer, "const"), "a const must be a string, number, boolean or null")
        return LiteralOf((value,))

    def _all_of(self, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        """The one part that says what the value is, as it is; else one model with
        the properties and required fields of every part."""
        parts = schema["allOf"] if isinstance(schema["allOf"], list) else []
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        shaping = [(p, join(pointer, "allOf", i)) for i, p in enumerate(parts) if _shapes(p)]
        for index, part in enumerate(parts):
            if not _shapes(part):  # annotations and constraints
                self._check_patterns(part, join(pointer, "allOf", index))
        if not shaping:
            return self._typed(rest, pointer, hint)
        if len(shaping) == 1 and not _shapes(rest, "type"):
            part, part_pointer = shaping[0]
            if isinstance(part, dict) and "$ref" not in part and _text(rest.get("description")):
                part = {"description": rest["description"], **part}  # an inline part's model keeps it
            return self._one_part(part, part_pointer, pointer, hint, parts)
        return self._merged(schema, pointer, hint)

    def _one_part(self, part: Any, part_pointer: str, pointer: str, hint: str, parts: list[Any]) -> PyType | Problem:
        """The type of an allOf's only shaping part; nullable if any part says so."""
        type_ = self._part(part, part_pointer, pointer, hint)
        if isinstance(type_, Problem):
            return type_
        return nullable(type_) if any(_is_nullable(p) for p in parts) else type_

    def _merged(self, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        """One model with the properties and required fields of every allOf part."""
        parts = self._parts(schema, pointer)
        if isinstance(parts, Problem):
            return parts
        other = next((i for i, (part, _) in enumerate(parts) if _kind_of(part) == "other"), None)
        if other is not None:
            return self._other(parts, other, pointer, hint)
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        origins: Origins = {}
        for part, where in parts:
            properties = part.get("properties")
            for name, sub in (properties if isinstance(properties, dict) else {}).items():
                merged["properties"][name] = sub
                origins[join("", "properties", name)] = join(where, "properties", name)
            merged["required"] += [r for r in _strings(part.get("required")) if r not in merged["required"]]
            for key in ("description", "additionalProperties", "patternProperties"):
                if part.get(key) is not None and key not in merged:
                    merged[key] = part[key]
                    origins[join("", key)] = join(where, key)
        return self._object(merged, pointer, hint, origins)

    def _other(self, parts: list[tuple[dict[str, Any], str]], index: int, pointer: str, hint: str) -> PyType | Problem:
        """An allOf of values that are not objects: typed as its first such part."""
        if any(_kind_of(part) == "object" for part, _ in parts):
            self.warn(
                join(pointer, "allOf"),
                "allOf mixes objects with other types; typed as its first part that is not an object",
            )
        part, where = parts[index]
        return self._typed(part, pointer, hint) if index == 0 else self._part(part, where, pointer, hint)

    def _part(self, part: Any, where: str, pointer: str, hint: str) -> PyType | Problem:
        """The type of an allOf part at `where`: one inline is named as the allOf's own class."""
        if not where.startswith(pointer + "/"):  # reached by $ref
            return self._resolved(where)
        if pointer in self._names and not (isinstance(part, dict) and "$ref" in part):
            self._names.setdefault(where, self._names[pointer])
        return self.parse(part, where, hint)

    def _parts(self, schema: dict[str, Any], pointer: str) -> list[tuple[dict[str, Any], str]] | Problem:
        """The schema (without its allOf) and its allOf parts, nested ones
        flattened, $refs followed: each once, with where it is."""
        nested = schema["allOf"] if isinstance(schema["allOf"], list) else []
        pending: list[tuple[Any, str]] = [(p, join(pointer, "allOf", i)) for i, p in enumerate(nested)]
        found: list[tuple[dict[str, Any], str]] = [({k: v for k, v in schema.items() if k != "allOf"}, pointer)]
        seen: set[int] = {id(schema)}
        while pending:
            part, where = pending.pop(0)
            where, part = deref(self.document.data, where, part)
            if isinstance(part, dict) and "$ref" in part:
                return self._problem(join(where, "$ref"), f"$ref {part['$ref']!r} does not resolve")
            if part is True or part == {}:
                continue  # allows anything: adds nothing
            if not isinstance(part, dict):
                self.warn(where, "an allOf part that is not a schema object is left out")
                continue
            if id(part) in seen:
                continue
            seen.add(id(part))
            found.append((part, where))
            self._constraints(part, where)
            more = part.get("allOf")
            pending[:0] = [(p, join(where, "allOf", i)) for i, p in enumerate(more if isinstance(more, list) else [])]
        return found

    def _union(self, schema: dict[str, Any], key: str, pointer: str, hint: str) -> PyType | Problem:
        """A union of the options; the schema without them when they only say which
        properties are required."""
        raw = schema[key] if isinstance(schema[key], list) else []
        if not any(_shapes(o, "required") for o in raw):
            self._check_patterns(raw, join(pointer, key))
            return self._typed({k: v for k, v in schema.items() if k != key}, pointer, hint)
        alias_name = self._class_name(pointer, hint) if pointer in self._names else None
        if alias_name is not None:  # a component is always an alias, registered before its options refer back
            self._by_pointer[self._key(pointer)] = Named(alias_name)
            self._open_aliases[alias_name] = self._model_depth  # an alias cannot name itself: such a reference is Any
        pairs: list[tuple[Any, PyType]] = []
        for index, option in enumerate(raw):
            if option is False:
                continue  # admits nothing
            title = option.get("title") if isinstance(option, dict) else None
            name = title if isinstance(title, str) else f"Option{index + 1}"
            type_ = self.parse(option, join(pointer, key, index), hint + class_name(name))
            if isinstance(type_, Problem):
                self._by_pointer.pop(self._key(pointer), None)
                self._open_aliases.pop(alias_name or "", None)
                return type_
            pairs.append((option, type_))
        self._open_aliases.pop(alias_name or "", None)
        whole = union(t for _, t in pairs)
        is_nullable = whole != ANY and (NONE in _options(whole) or "null" in _types(schema))
        options = [(o, t) for o, t in pairs if t != NONE]
        tagging = self._tagged(schema.get("discriminator"), options, pointer)
        if tagging is None and alias_name is None:
            return nullable(whole) if is_nullable else whole
        description = _text(schema.get("description"))
        name = alias_name or self._class_name(pointer, hint)
        if tagging is None:
            alias = Alias(name, description, _options(without_none(whole)))
        else:
            alias = Alias(name, description, tuple(t for _, t in options), *tagging)
        self.aliases.append(alias)
        result = Named(alias.name)
        self._by_pointer[self._key(pointer)] = result
        return nullable(result) if is_nullable else result

    def _tagged(
        self, discriminator: Any, pairs: list[tuple[Any, PyType]], pointer: str
    ) -> tuple[tuple[str, ...], str, str] | None:
        """(tags, wire name, attribute) of a tagged union: each option a `$ref` to a
        model with the discriminator property, each with its own tag. None when
        there is no discriminator, or it cannot tag every option (then, with a
        warning, the union is untagged)."""
        if not isinstance(discriminator, dict) or len(pairs) < 2:
            return None
        wire = discriminator.get("propertyName")
        where = join(pointer, "discriminator")
        mapping = discriminator.get("mapping")
        targets: dict[str, list[str]] = {}
        for tag, value in (mapping if isinstance(mapping, dict) else {}).items():
            if isinstance(value, str):
                targets.setdefault(ref_target(value) or join("/components/schemas", value), []).append(str(tag))
        tags, attribute = [], ""
        for option, type_ in pairs:
            model = self._building.get(type_.name) if isinstance(type_, Named) else None
            field = next((f for f in model.fields if f.wire_name == wire), None) if model else None
            target = refers_to(option)
            if field is None or target is None:
                self.warn(
                    where, f"not every option is a $ref to a model with the property {wire!r}; the union is untagged"
                )
                return None
            names = targets.get(target) or [unescape(target.rsplit("/", 1)[-1])]
            if len(names) > 1:
                self.warn(where, f"the mapping gives {target!r} more than one tag; the union is untagged")
                return None
            attribute = field.name
            tags.append(names[0])
        if len(set(tags)) < len(tags):
            self.warn(where, "two options have the same tag; the union is untagged")
            return None
        return tuple(tags), str(wire), attribute

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
        code = self._value(type_, value, prefix)
        if code is not None:
            return code
        plain = without_none(type_)
        if self.enum_for(plain) is not None:
            self._leave_out(join(pointer, "default"), f"default {value!r} is not one of the enum's values")
        elif isinstance(plain, Named) and plain.name in self._building and isinstance(value, dict):
            self.warn(join(pointer, "default"), "a default for a model is not supported; left out")
        else:
            self._leave_out(join(pointer, "default"), f"default {value!r} does not match the type {type_.annotation()}")
        return None

    def _value(self, type_: PyType, value: Any, prefix: str) -> Code | None:
        """Source for a JSON value as `type_`; None if it does not fit."""
        if type_ == ANY:
            return literal(value)
        if isinstance(type_, UnionOf):
            return next((c for c in (self._value(o, value, prefix) for o in type_.options) if c is not None), None)
        if isinstance(type_, ListOf) and isinstance(value, list):
            items = [self._value(type_.item, v, prefix) for v in value]
            return None if None in items else Code("[" + ", ".join(str(i) for i in items) + "]")
        if isinstance(type_, MapOf) and isinstance(value, dict):
            entries = {literal(str(k)): self._value(type_.value, v, prefix) for k, v in value.items()}
            return (
                None
                if None in entries.values()
                else Code("{" + ", ".join(f"{k}: {v}" for k, v in entries.items()) + "}")
            )
        if isinstance(type_, Named):
            return self._named_value(type_, value, prefix)
        if isinstance(type_, LiteralOf):
            return literal(value) if type_.admits(value) else None
        return literal(value) if isinstance(type_, Scalar) and _fits(type_, value) else None

    def _named_value(self, type_: Named, value: Any, prefix: str) -> Code | None:
        enum = self.enum_for(type_)
        if enum is not None:
            member = enum.member_for(value)
            return Code(f"{prefix}{enum.name}.{member.name}") if member else None
        alias = next((a for a in self.aliases if a.name == type_.name), None)
        return self._value(UnionOf(alias.options), value, prefix) if alias else None

    @staticmethod
    def _description(schema: dict[str, Any]) -> str | None:
        return _text(schema.get("description")) or _text(schema.get("title"))

    def _check_pattern(self, schema: dict[str, Any], pointer: str) -> None:
        if isinstance(schema.get("pattern"), str):
            self._check_regex(schema["pattern"], join(pointer, "pattern"))

    def _check_regex(self, pattern: str, pointer: str) -> None:
        """Warn (`invalid-pattern`) when Python's `re` cannot compile `pattern`."""
        try:
            re.compile(pattern)
        except (re.error, OverflowError, RecursionError) as exc:
            self.warn(pointer, f"the pattern does not compile with Python's re ({exc}); left out", "invalid-pattern")

    def _check_pattern_properties(self, patterns: Any, pointer: str) -> None:
        """Check the regular expressions that name `patternProperties`."""
        for pattern in patterns if isinstance(patterns, dict) else {}:
            self._check_regex(str(pattern), join(pointer, pattern))

    def _check_patterns(self, node: Any, pointer: str) -> None:
        """Check every pattern in schemas the client does not type (under `not`, `if`...)."""
        for where, value in islice(walk(node, pointer, skip=VALUES, reverse=True), 10_000):
            if isinstance(value, dict):
                self._check_pattern(value, where)
                self._check_pattern_properties(value.get("patternProperties"), join(where, "patternProperties"))

    def _problem(self, pointer: str, message: str) -> Problem:
        return self.document.problem(pointer, message, "ref-unresolved")

    def warn(self, pointer: str, message: str, rule: str = "unsupported") -> None:
        self.findings.under(rule).add(pointer, message)

    def loose(self, pointer: str, message: str) -> PyType:
        """`typing.Any`, with a warning saying why the schema was not typed exactly."""
        self.warn(pointer, f"{message}; typed as typing.Any")
        return ANY

    def _leave_out(self, pointer: str, message: str) -> None:
        self.warn(pointer, f"{message}; left out", "invalid-default")


Origins = dict[str, str]  # "/properties/name" -> where that merged keyword is in the document


class Where:
    """Pointers below a schema, or where `origins` says a merged keyword is."""

    def __init__(self, pointer: str, origins: Origins) -> None:
        self.pointer, self.origins = pointer, origins

    def __call__(self, *tokens: str) -> str:
        return self.origins.get(join("", *tokens)) or join(self.pointer, *tokens)


def _types(schema: dict[str, Any]) -> list[Any]:
    """The schema's `type`, as a list."""
    declared = schema.get("type")
    return declared if isinstance(declared, list) else [declared] if declared else []


def _is_nullable(schema: Any) -> bool:
    """Whether 3.0's `nullable` (or Swagger's `x-nullable`) admits null."""
    return isinstance(schema, dict) and (schema.get("nullable") is True or schema.get("x-nullable") is True)


def _shapes(schema: Any, *ignoring: str) -> bool:
    """Whether a schema says what a value is (not only annotates or constrains it)."""
    if isinstance(schema, dict):
        return any(key in SHAPING and key not in ignoring for key in schema)
    return schema is False


def _kind_of(schema: dict[str, Any]) -> str:
    """`object` for a schema of objects, `other` for one of other values, else ``."""
    types = _types(schema)
    if "object" in types or any(k in schema for k in ("properties", "additionalProperties", "patternProperties")):
        return "object"
    if types or any(k in schema for k in ("enum", "const", "items", "prefixItems")):
        return "other"
    return ""


def _options(type_: PyType) -> tuple[PyType, ...]:
    return type_.options if isinstance(type_, UnionOf) else (type_,)


def _strings(value: Any) -> list[str]:
    """The strings of a list (a `required` that is not a list names nothing)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _fits(type_: Scalar, value: Any) -> bool:
    """Whether a JSON value is a valid default for a scalar type."""
    if type_ == ANY:
        return True
    if isinstance(value, bool):
        return type_.python == "bool"
    kinds: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float)}
    return isinstance(value, kinds.get(type_.python, ()))


# Where specs written for other generators name enum members: a list beside `enum`.
ENUM_NAMES = ("x-enum-varnames", "x-enumNames")


def _given_names(schema: dict[str, Any]) -> dict[Any, str]:
    """Value -> the member name the schema gives it, if it names all its values."""
    for key in ENUM_NAMES:
        names = schema.get(key)
        if (
            isinstance(names, list)
            and len(names) == len(schema["enum"])
            and all(isinstance(n, str) and n for n in names)
        ):
            return {v: n for v, n in zip(schema["enum"], names) if v is not None}
    return {}
