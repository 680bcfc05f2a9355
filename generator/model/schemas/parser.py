"""The schema parser: a schema's type by its kind, each kind in a module of its own."""

from __future__ import annotations

from typing import Any

from ...identifiers import Code, NameScope, class_name
from ...pointers import join
from ...problems import Problem
from ..extension import Findings
from ..types import ANY, PyType, Scalar, union
from .allof import all_of
from .core import SchemaCore
from .defaults import default
from .enums import const_type, enum_type
from .keywords import types_of
from .objects import array_type, object_type
from .unions import union_type

STRING_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date", "binary": "bytes"}
SCALARS = {"integer": "int", "number": "float", "boolean": "bool", "null": "None"}


class SchemaParser(SchemaCore):
    """Types the component schemas, and every schema an operation names."""

    def __init__(self, findings: Findings, classes: NameScope) -> None:
        super().__init__(findings, classes)
        self._components: list[str] = []  # pointers of the component schemas

    def reserve_components(self) -> None:
        """Give component schemas their own names before any inline schema."""
        schemas = (self.document.data.get("components") or {}).get("schemas") or {}
        for name in schemas:
            self._components.append(join("/components/schemas", name))
            self.names[self._components[-1]] = self.classes.claim(class_name(name))

    def parse_components(self) -> list[Problem]:
        """Parse every component schema: unused ones are part of the API too."""
        problems = []
        for pointer in self._components:
            result = self.resolved(pointer)
            if isinstance(result, Problem):
                problems.append(result)
        return problems

    def default(self, type_: PyType, schema: dict[str, Any], pointer: str, prefix: str) -> Code | None:
        """Source for the schema's default value as `type_` (see `defaults.default`)."""
        return default(self, type_, schema, pointer, prefix)

    def typed(self, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        types = types_of(schema)
        if "const" in schema:
            return const_type(self, schema["const"], pointer)
        if "allOf" in schema:
            return all_of(self, schema, pointer, hint)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return union_type(self, schema, key, pointer, hint)
        if "enum" in schema:
            return enum_type(self, schema, pointer, hint, types)
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
            return array_type(self, schema, pointer, hint)
        if name == "object":
            return object_type(self, schema, pointer, hint)
        return self.loose(join(pointer, "type"), f"unknown type {name!r}")
