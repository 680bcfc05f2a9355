"""What parsing every kind of schema shares: references, cycles, the cache of types
by pointer, class names, the request/response context and the findings."""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterator
from itertools import islice
from typing import Any

from ...identifiers import Code, NameScope, class_name
from ...pointers import join, nodes, ref_target, refers_to
from ...problems import Problem
from ..extension import Findings
from ..types import ANY, Alias, Enum, Model, Named, PyType, nullable
from .keywords import CONSTRAINTS, VALUES, is_nullable
from .patterns import check_pattern, check_patterns

MAX_DEPTH = 64  # schemas nested deeper than this are typed as typing.Any, with a warning


class SchemaCore(abc.ABC):
    """Turns schemas into `PyType`s; classes land in `models`, `enums` and `aliases`.

    A schema reached by `$ref` is parsed once and shared. A model is
    registered before its fields are parsed, so recursive schemas work.
    `typed` (in `SchemaParser`) types a schema by its kind.
    """

    def __init__(self, findings: Findings, classes: NameScope) -> None:
        self.findings = findings  # what was typed loosely or left out, and why
        self.document = findings.document
        self.classes = classes
        self.finished: dict[str, Model] = {}  # the models whose fields are parsed, by name, in order
        self.enums: list[Enum] = []
        self.aliases: list[Alias] = []
        self.cache: dict[str, PyType] = {}  # by `key`
        self.names: dict[str, Code] = {}  # class names given before their schemas are parsed
        self.building: dict[str, Model] = {}  # every model by name, its fields parsed or not
        # Unions whose options are being parsed, with the number of models being built
        # then: a reference back to one is a cycle unless a model (lazy) stands between.
        self.open_aliases: dict[str, int] = {}
        self.model_depth = 0
        self._resolving: set[str] = set()
        self._depth = 0
        self._context = "response"  # or "request": which of readOnly/writeOnly fields to leave out
        self._access_modes: dict[str, bool] = {}

    @property
    def models(self) -> list[Model]:
        return list(self.finished.values())

    @abc.abstractmethod
    def typed(self, schema: dict[str, Any], pointer: str, hint: str) -> PyType | Problem:
        """The type of a schema object that is not a `$ref`."""

    @contextlib.contextmanager
    def context(self, context: str) -> Iterator[None]:
        """Parse as a request body or parameter (`request`) or as an answer (`response`)."""
        previous, self._context = self._context, context
        try:
            yield
        finally:
            self._context = previous

    @property
    def in_request(self) -> bool:
        return self._context == "request"

    def key(self, pointer: str) -> str:
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

    def class_name(self, pointer: str, hint: str) -> Code:
        name = self.names.get(pointer)
        # A component can be met as a request and as an answer: its request twin gets "Input".
        if self.in_request and pointer.startswith("/components/") and self._has_access_modes(pointer):
            return self.classes.claim(class_name((name or hint) + "Input"))
        return name or self.classes.claim(class_name(hint))

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
            cached = self.cache.get(self.key(pointer))
            if cached is not None:  # an inline schema met again (in another context)
                return cached
            self.constraints(schema, pointer)
            type_ = self.typed(schema, pointer, hint)
        if isinstance(type_, Problem):
            return type_
        return nullable(type_) if is_nullable(schema) else type_

    def constraints(self, schema: dict[str, Any], pointer: str) -> None:
        """Warn about keywords the client leaves to the server; check every pattern."""
        check_pattern(self.findings, schema, pointer)
        for keyword in CONSTRAINTS:
            if keyword in schema:
                also = " (and its 'then'/'else')" if keyword == "if" else ""
                message = f"'{keyword}'{also} only constrains the value; the client types it from the other keywords"
                self.warn(join(pointer, keyword), message)
        for keyword in ("not", "if", "then", "else", "dependentSchemas", "contains", "propertyNames"):
            if keyword in schema:
                check_patterns(self.findings, schema[keyword], join(pointer, keyword))

    def _ref(self, ref: Any, pointer: str) -> PyType | Problem:
        target = ref_target(ref)
        if target is None:
            return self.problem(join(pointer, "$ref"), f"$ref {ref!r} is not a local reference")
        return self.resolved(target, join(pointer, "$ref"))

    def resolved(self, target: str, ref_pointer: str = "") -> PyType | Problem:
        """The type of the schema at `target`, parsed once."""
        found = self.cache.get(self.key(target))
        open_alias = isinstance(found, Named) and self.open_aliases.get(found.name) == self.model_depth
        if found is not None and not open_alias:
            return found
        if open_alias or target in self._resolving:  # not through a model: cycles of bare $refs stop in validate
            return self.loose(ref_pointer or target, f"{target!r} contains itself through a list or a union")
        try:
            schema = self.document.resolve(target)
        except KeyError:
            return self.problem(ref_pointer or target, f"$ref to {target!r} does not resolve")
        self._resolving.add(target)
        try:
            type_ = self.parse(schema, target, target.rsplit("/", 1)[-1])
        finally:
            self._resolving.discard(target)
        if not isinstance(type_, Problem):
            self.cache[self.key(target)] = type_
        return type_

    def enum_for(self, type_: PyType) -> Enum | None:
        if isinstance(type_, Named) and type_.is_enum:
            return next(e for e in self.enums if e.name == type_.name)
        return None

    def problem(self, pointer: str, message: str) -> Problem:
        return self.document.problem(pointer, message, "ref-unresolved")

    def warn(self, pointer: str, message: str, rule: str = "unsupported") -> None:
        self.findings.under(rule).add(pointer, message)

    def loose(self, pointer: str, message: str) -> PyType:
        """`typing.Any`, with a warning saying why the schema was not typed exactly."""
        self.warn(pointer, f"{message}; typed as typing.Any")
        return ANY
