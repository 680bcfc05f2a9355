"""Project lint rules: what a spec needs, beyond OpenAPI validity, to give a good client.

The rules run only on documents that passed `validate.validate` (dangling
`$ref`s are reported there), but never trust the shape of anything they read.
Each rule is one small generator of (pointer, message) findings.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import jsonschema_rs

from .identifiers import snake_case
from .load import Document
from .paths import METHODS, Operation, Parameter, PathItem, listed_parameters, path_items
from .pointers import DOCUMENT_URI, deref, join, nodes, properties, refers_to
from .problems import FATAL, GENERATOR, Problem, Severity

COMPONENT_KINDS = (
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "securitySchemes",
)
CAMEL_CASE = re.compile(r"[a-z][a-zA-Z0-9]*")
TEMPLATE = re.compile(r"\{([^{}]+)\}")
SUCCESS = re.compile(r"2(\d\d|XX)", re.IGNORECASE)

Node = dict[str, Any]
Finding = tuple[str, str]  # (pointer, message)
Finder = Callable[[Document], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str  # short kebab-case id, e.g. "operation-id-camel-case"
    summary: str  # one-line explanation
    check: Callable[[Document], Iterator[Problem]]


_RULES: list[Rule] = []


def rule(rule_id: str, summary: str) -> Callable[[Finder], Finder]:
    """Register a function yielding findings as a rule that yields located problems."""

    def register(find: Finder) -> Finder:
        def check(document: Document) -> Iterator[Problem]:
            problems = (document.problem(p, m, rule_id) for p, m in find(document))
            yield from dict.fromkeys(problems)  # shared path items repeat findings

        _RULES.append(Rule(rule_id, summary, check))
        return find

    return register


def catalogue() -> dict[str, tuple[Severity, str]]:
    """Every rule id with its default severity and summary: fatal, the generator's, the house rules."""
    found: dict[str, tuple[Severity, str]] = {rule: ("error", summary) for rule, summary in FATAL.items()}
    found |= {rule: ("warning", summary) for rule, summary in GENERATOR.items()}
    return found | {r.id: ("warning", r.summary) for r in RULES}


def check_rules(document: Document) -> list[Problem]:
    """Every finding of every rule, sorted by (file, line, pointer)."""
    try:
        return sorted({problem for r in RULES for problem in r.check(document)})
    finally:
        _SHARED.clear()


# Walks of one document that every rule repeats, made once: (walk, document) -> (document, result).
_SHARED: dict[tuple[str, int], tuple[Document, Any]] = {}
W = TypeVar("W")


def _shared(walk: Callable[[Document], Iterator[W]]) -> Callable[[Document], Sequence[W]]:
    """`walk`, its result kept while `check_rules` runs, for the other rules."""

    @functools.wraps(walk)
    def shared(document: Document) -> Sequence[W]:
        key = (walk.__name__, id(document))
        found = _SHARED.get(key)
        if found is None or found[0] is not document:
            found = _SHARED[key] = (document, tuple(walk(document)))
        return typing.cast(Sequence[W], found[1])

    return shared


# --- walking the document -------------------------------------------------


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


def _entries(value: Any) -> list[tuple[str, Any]]:
    """(key or index, item) of a mapping or a list; nothing for anything else."""
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list):
        return [(str(i), item) for i, item in enumerate(value)]
    return []


@_shared
def _path_items(document: Document) -> Iterator[PathItem]:
    return path_items(document.data)


@_shared
def _operations(document: Document) -> Iterator[Operation]:
    """Every operation object, with its effective parameters."""
    return (op for item in _path_items(document) for op in _item_operations(item))


def _item_operations(item: PathItem) -> list[Operation]:
    return [op for op in item.operations if isinstance(op.node, dict)]


def _named(parameters: Iterable[Parameter]) -> Iterator[tuple[str, str, str]]:
    """(name, in, site) of each parameter that has a name."""
    for parameter in parameters:
        name = _get(parameter.node, "name")
        if isinstance(name, str):
            yield name, str(parameter.node.get("in")), parameter.site


# How a walk goes down from each kind of object: (key, "one" or "many", child
# kind); the key "" is the object itself (a callback is a map of path items).
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONES = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_CHILDREN: dict[str, list[tuple[str, str, str]]] = {
    "pathitem": [("parameters", "many", "parameter")] + [(m, "one", "operation") for m in METHODS],
    "operation": [
        ("parameters", "many", "parameter"),
        ("requestBody", "one", "requestBody"),
        ("responses", "many", "response"),
        ("callbacks", "many", "callback"),
    ],
    "callback": [("", "many", "pathitem")],
    "parameter": [("schema", "one", "schema"), ("content", "many", "media")],
    "header": [("schema", "one", "schema"), ("content", "many", "media")],
    "requestBody": [("content", "many", "media")],
    "response": [("headers", "many", "header"), ("content", "many", "media")],
    "media": [("schema", "one", "schema")],
    "schema": [(k, "many", "schema") for k in _SCHEMA_MAPS + _SCHEMA_LISTS]
    + [(k, "one", "schema") for k in _SCHEMA_ONES],
}
_ROOTS = {
    "/paths": "pathitem",
    "/webhooks": "pathitem",
    "/components/pathItems": "pathitem",
    "/components/callbacks": "callback",
    "/components/parameters": "parameter",
    "/components/headers": "header",
    "/components/requestBodies": "requestBody",
    "/components/responses": "response",
    "/components/schemas": "schema",
}


@_shared
def _objects(document: Document) -> Iterator[tuple[str, str, Node]]:
    """(kind, pointer, object) of every object written in the document, in order.

    `$ref`s are not followed: their targets are visited where they are written.
    """
    stack: list[tuple[str, str, Any]] = []
    for root, kind in reversed(_ROOTS.items()):
        try:
            entries = _entries(document.resolve(root))
        except KeyError:
            continue
        stack += [(kind, join(root, key), value) for key, value in reversed(entries)]
    while stack:
        kind, pointer, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield kind, pointer, node
        children: list[tuple[str, str, Any]] = []
        for key, shape, child in _CHILDREN.get(kind, []):
            value = node.get(key) if key else node
            if value is None:  # most keys, on most objects: nothing to join
                continue
            if shape == "one":
                children.append((child, join(pointer, key), value))
            else:
                base = join(pointer, key) if key else pointer
                children += [(child, join(base, k), v) for k, v in _entries(value) if isinstance(v, dict)]
        stack += reversed(children)


def _security_requirements(document: Document) -> Iterator[tuple[str, str]]:
    """(pointer, scheme name) of every entry of every security requirement."""
    owners = [("", document.data)] + [(op.pointer, op.node) for op in _operations(document)]
    for pointer, owner in owners:
        for index, requirement in _entries(_get(owner, "security")):
            for name in requirement if isinstance(requirement, dict) else {}:
                yield join(pointer, "security", index, name), name


# --- the rules ------------------------------------------------------------


@rule("operation-id-required", "Every operation has an operationId.")
def _operation_id_required(document: Document) -> Iterator[Finding]:
    for op in _operations(document):
        if "operationId" not in op.node:
            yield op.pointer, f"{op.method.upper()} operation has no operationId"


@rule("operation-id-unique", "operationIds are unique across paths, webhooks and callbacks.")
def _operation_id_unique(document: Document) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for op in _operations(document):
        name, pointer = op.node.get("operationId"), join(op.pointer, "operationId")
        if isinstance(name, str) and first.setdefault(name, pointer) != pointer:
            yield pointer, f"operationId {name!r} is already used at {first[name]}"


@rule("parameter-unique", "No parameters list holds one parameter (name and in) twice.")
def _parameter_unique(document: Document) -> Iterator[Finding]:
    for item in _path_items(document):
        for pointer, owner in [(item.pointer, item.node)] + [(op.pointer, op.node) for op in item.operations]:
            first: dict[tuple[str, str], str] = {}
            for parameter in listed_parameters(document.data, pointer, owner):
                if (
                    isinstance(parameter.node, dict)
                    and first.setdefault(parameter.key, parameter.site) != parameter.site
                ):
                    name, where = parameter.key
                    yield parameter.site, f"{where} parameter {name!r} is already listed at {first[parameter.key]}"


@rule("tag-unique", "Tag names are unique in the top-level tags list.")
def _tag_unique(document: Document) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for index, tag in _entries(_get(document.data, "tags")):
        name, pointer = _get(tag, "name"), join("/tags", index, "name")
        if isinstance(name, str) and first.setdefault(name, pointer) != pointer:
            yield pointer, f"tag {name!r} is already declared at {first[name]}"


@rule("required-defined", "A schema with allOf defines each property it requires, itself or in an allOf member.")
def _required_defined(document: Document) -> Iterator[Finding]:
    for kind, pointer, node in _objects(document):
        if kind != "schema" or "allOf" not in node:
            continue
        defined = properties(document.data, node)
        for index, name in _entries(node.get("required")):
            if isinstance(name, str) and name not in defined:
                yield (
                    join(pointer, "required", index),
                    f"required property {name!r} is defined neither in properties nor in allOf",
                )


@rule("operation-id-camel-case", "operationIds are camelCase: ^[a-z][a-zA-Z0-9]*$.")
def _operation_id_camel_case(document: Document) -> Iterator[Finding]:
    for op in _operations(document):
        name = op.node.get("operationId")
        if isinstance(name, str) and not CAMEL_CASE.fullmatch(name):
            yield join(op.pointer, "operationId"), f"operationId {name!r} is not camelCase"


@rule("path-params-declared", "Every {name} of a path template is declared as an `in: path` parameter.")
def _path_params_declared(document: Document) -> Iterator[Finding]:
    for item in _path_items(document):
        if item.path is None:
            continue
        # Each operation must declare every name; a path item with none, itself.
        scopes = [(op.pointer, op.parameters) for op in _item_operations(item)]
        for pointer, parameters in scopes or [(item.pointer, item.parameters)]:
            declared = {name for name, where, _ in _named(parameters) if where == "path"}
            for name in dict.fromkeys(TEMPLATE.findall(item.path)):
                if name not in declared:
                    yield pointer, f"{{{name}}} in {item.path!r} has no `in: path` parameter"


@rule("path-params-in-template", "Every `in: path` parameter appears as {name} in its path template.")
def _path_params_in_template(document: Document) -> Iterator[Finding]:
    for item in _path_items(document):
        if item.path is None:
            continue
        names = set(TEMPLATE.findall(item.path))
        scopes = [item.parameters] + [op.parameters for op in _item_operations(item)]
        for name, where, site in (entry for scope in scopes for entry in _named(scope)):
            if where == "path" and name not in names:
                yield site, f"path parameter {name!r} does not appear in {item.path!r}"


@rule("success-response", "Every operation documents a 2xx (or 2XX) response.")
def _success_response(document: Document) -> Iterator[Finding]:
    for op in _operations(document):
        codes = _get(op.node, "responses")
        if not any(SUCCESS.fullmatch(code) for code in (codes if isinstance(codes, dict) else {})):
            pointer = join(op.pointer, "responses") if "responses" in op.node else op.pointer
            yield pointer, f"{op.method.upper()} operation has no 2xx response"


@rule("response-schema", "Every media type of a response's content has a schema.")
def _response_schema(document: Document) -> Iterator[Finding]:
    for kind, pointer, response in _objects(document):
        for media_type, media in _entries(response.get("content")) if kind == "response" else []:
            site = join(pointer, "content", media_type)
            media = deref(document.data, site, media)[1]
            if isinstance(media, dict) and "schema" not in media:
                yield site, f"response content {media_type!r} has no schema"


def _examples(document: Document) -> Iterator[tuple[str, str, Any]]:
    """(pointer of the example, pointer of its schema, value) of every example."""
    for kind, pointer, node in _objects(document):
        if kind == "schema":
            if "example" in node:
                yield join(pointer, "example"), pointer, node["example"]
            if isinstance(node.get("examples"), list):
                yield from ((join(pointer, "examples", i), pointer, v) for i, v in _entries(node["examples"]))
        elif kind in ("parameter", "header", "media") and "schema" in node:
            schema = join(pointer, "schema")
            if "example" in node:
                yield join(pointer, "example"), schema, node["example"]
            for name, entry in _entries(node.get("examples")):
                site = join(pointer, "examples", name)
                target, example = deref(document.data, site, entry)
                if isinstance(example, dict) and "value" in example:
                    yield (join(site, "value") if target == site else site), schema, example["value"]


@rule("example-valid", "Every example validates against its schema, formats included.")
def _example_valid(document: Document) -> Iterator[Finding]:
    examples = list(_examples(document))
    registry = _registry(document) if examples else None
    doubtful = examples if registry is None else [e for e in examples if not _fits(registry, e)]
    if doubtful:
        from .example_schemas import mismatches  # jsonschema: imported only when needed

        yield from mismatches(document.data, doubtful)


def _fits(registry: jsonschema_rs.Registry, example: tuple[str, str, Any]) -> bool:
    """Whether jsonschema-rs finds the example valid. It is stricter than the rule's
    jsonschema check (it allows no `nullable` null, leaves no readOnly or writeOnly
    property out, checks every format), so a pass is a pass there too; the rest
    are checked, and worded, by `example_schemas`."""
    root = {"$ref": f"{DOCUMENT_URI}#{quote(example[1])}"}
    try:
        return bool(jsonschema_rs.validator_for(root, registry=registry, validate_formats=True).is_valid(example[2]))
    except Exception:  # a schema it cannot build, say: left to the jsonschema check
        return False


def _registry(document: Document) -> jsonschema_rs.Registry | None:
    """The document as jsonschema-rs resolves examples' schemas in it; None where
    regular expressions are in doubt: a pattern Python cannot compile (a finding
    that jsonschema-rs, with a regex engine of its own, might not give), or a
    `format: regex`, whose examples each engine judges by its own syntax."""
    try:
        for node in nodes(document.data):
            if _get(node, "format") == "regex":
                return None
            for pattern in _patterns(node):
                re.compile(pattern)
        return jsonschema_rs.Registry([(DOCUMENT_URI, document.data)])
    except Exception:  # re.error, or a document jsonschema-rs cannot take
        return None


def _patterns(node: Any) -> list[str]:
    """The regular expressions a schema node names: `pattern`, `patternProperties`."""
    if not isinstance(node, dict):
        return []
    found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
    keys = node.get("patternProperties")
    return found + ([str(k) for k in keys] if isinstance(keys, dict) else [])


@rule("component-unused", "Every component is referenced (security schemes: named in a requirement).")
def _component_unused(document: Document) -> Iterator[Finding]:
    # The component each `$ref` lands in: its first three tokens, /components/<kind>/<name>.
    targets = (refers_to(node) for node in nodes(document.data))
    used_components = {"/".join(target.split("/", 4)[:4]) for target in targets if target is not None}
    schemes = {name for _, name in _security_requirements(document)}
    components = _get(document.data, "components")
    for kind in COMPONENT_KINDS:
        for name, _ in _entries(_get(components, kind)):
            pointer = join("/components", kind, name)
            used = name in schemes if kind == "securitySchemes" else pointer in used_components
            if not used:
                yield pointer, f"{kind} component {name!r} is never used"


@rule(
    "security-required", "Every operation has a security requirement (`security: []`, here or at the top, if public)."
)
def _security_required(document: Document) -> Iterator[Finding]:
    if isinstance(document.data, dict) and isinstance(document.data.get("security"), list):
        return  # decided at the top: a requirement, or `security: []` for a public API
    for op in _operations(document):
        if "security" not in op.node:
            message = "has no security requirement and there is no top-level one (`security: []` if public)"
            yield op.pointer, f"{op.method.upper()} operation {message}"


@rule("security-scheme-defined", "Every security requirement names a declared security scheme.")
def _security_scheme_defined(document: Document) -> Iterator[Finding]:
    schemes = _get(_get(document.data, "components"), "securitySchemes")
    for pointer, name in _security_requirements(document):
        if not isinstance(schemes, dict) or name not in schemes:
            yield pointer, f"security scheme {name!r} is not declared in components.securitySchemes"


def _clashes(named: list[tuple[str, str, str]]) -> Iterator[Finding]:
    """(pointer, wire name, label) entries whose Python names collide: the later ones."""
    first: dict[str, str] = {}
    for pointer, name, label in named:
        python = snake_case(name)
        if python in first:
            yield pointer, f"{first[python]} and {label} both become the Python name {python!r}"
        else:
            first[python] = label


@rule(
    "python-name-clash",
    "No two properties of an object, or parameters of an operation, get one Python name.",
)
def _python_name_clash(document: Document) -> Iterator[Finding]:
    for kind, pointer, node in _objects(document):
        if kind == "schema":
            names = [name for name, _ in _entries(node.get("properties"))]
            yield from _clashes([(join(pointer, "properties", n), n, f"property {n!r}") for n in names])
    for op in _operations(document):
        named = _named(op.parameters)
        yield from _clashes([(site, n, f"{where} parameter {n!r}") for n, where, site in named])


RULES: tuple[Rule, ...] = tuple(_RULES)
