"""Convert a Swagger 2.0 document to OpenAPI 3.0.3, in memory, keeping its lines.

The mapping follows the swagger2openapi converter. Every node of the result is
built with the pointer of the node it came from, so a finding about the
converted document names a line of the file as written; what cannot be carried
over exactly is reported as a `swagger2-convert` warning at the original node.

Files a spec references are bundled under `/x-bundled/<file>` by `load`. Their
content is converted in place, by the role its references give it: a schema,
a parameter (a request body or a form field for `in: body` / `in: formData`),
a response or a path item. Bundled request bodies and responses use the
document's global `consumes` / `produces` (they are shared, as components are).
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice
from typing import Any

from .load import BUNDLE, Document
from .pointers import MAX_REF_CHAIN, chain, join, ref_target, refers_to, walk
from .problems import Problem

OPENAPI = "3.0.3"
RULE = "swagger2-convert"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
# Keywords of a non-body parameter (and of a header) that move into its schema.
TYPE_KEYS = frozenset(
    {
        "type",
        "format",
        "items",
        "enum",
        "default",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "multipleOf",
        "x-nullable",
    }
)
PARAMETER_KEYS = frozenset({"name", "in", "description", "required", "allowEmptyValue", "deprecated"})
QUERY_STYLES = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
}
FORM, MULTIPART = "application/x-www-form-urlencoded", "multipart/form-data"
FLOWS = {
    "implicit": "implicit",
    "password": "password",
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
}
SCHEMES = ("http", "https", "ws", "wss")
SECTIONS = {
    "definitions": "schemas",
    "parameters": "parameters",
    "responses": "responses",
    "securityDefinitions": "securitySchemes",
}
KEPT = ("info", "tags", "externalDocs")  # top-level keys that carry over as they are
OPERATION_KEPT = ("tags", "summary", "description", "externalDocs", "operationId", "deprecated")
NOT_A_NAME = re.compile(r"[^A-Za-z0-9._-]")  # what an OpenAPI 3 component name may not hold

# How `_Converter.walk` treats a node: copied as it is, a schema, a map of
# schemas (`properties`), a list of schemas (`allOf`...); READY: built already.
PLAIN, SCHEMA, SCHEMAS, SCHEMA_LIST, READY = range(5)
CHILD_KIND = {PLAIN: PLAIN, SCHEMAS: SCHEMA, SCHEMA_LIST: SCHEMA}
Child = tuple[str, Any, str, int]  # (name in the result, value, original pointer, kind)
Frame = tuple[Any, str, str, Any, Any, int]  # (node, new pointer, original pointer, container, key, kind)


def is_swagger2(data: Any) -> bool:
    """Whether `data` says it is Swagger 2.0."""
    return isinstance(data, dict) and str(data.get("swagger", "")).startswith("2")


def convert(document: Document) -> tuple[Document, list[Problem]]:
    """The OpenAPI 3.0.3 equivalent of a Swagger 2.0 `document`, and warnings about
    what could not be carried over exactly. Every pointer of the result maps to
    the line of the node it came from."""
    converter = _Converter(document)
    data = converter.document()
    lines = {p: converter.lines[p] for p, _ in walk(data) if p in converter.lines}  # none left over
    converted = Document(document.path, document.display, data, lines, dict(document.files), list(document.sources))
    return converted, list(converter.warnings)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _bundled(pointer: str | None) -> bool:
    return pointer is not None and pointer.startswith(BUNDLE + "/")


def _media_types(value: Any) -> list[str]:
    """A `consumes` / `produces` value as a list of distinct media types."""
    items = [value] if isinstance(value, str) else _list(value)
    return list(dict.fromkeys(m.strip() for m in items if isinstance(m, str) and m.strip()))


def _essence(media_type: str) -> str:
    return media_type.split(";")[0].strip().lower()


def _component_names(section: Any) -> dict[str, str]:
    """Each name of a 2.0 section, mapped to a valid, distinct OpenAPI 3 component name."""
    names: dict[str, str] = {}
    taken = {n for n in _dict(section) if not NOT_A_NAME.search(n)}
    for name in _dict(section):
        if not NOT_A_NAME.search(name):
            names[name] = name
            continue
        base = NOT_A_NAME.sub("_", name.replace("[]", "Array")) or "_"
        new, count = base, 1
        while new in taken:
            count += 1
            new = f"{base}_{count}"
        taken.add(new)
        names[name] = new
    return names


class _Converter:
    """One conversion: the result is built node by node, each recorded with the
    pointer of the node it came from (`lines`) and, when it is a copy, in `exact`,
    which rewrites every `$ref` once the whole document is built."""

    def __init__(self, source: Document) -> None:
        self.source = source
        self.data = _dict(source.data)
        self.lines: dict[str, int] = {}
        self.found: dict[str, int] = {}  # original pointer -> its line (or its nearest ancestor's)
        self.exact: dict[str, str] = {}  # original pointer -> pointer of its copy (the first)
        self.holders: list[tuple[dict[str, Any], str, str]] = []  # (copy, its $ref, the original's pointer)
        self.warnings: dict[Problem, None] = {}
        self.roles: dict[str, str] = {}  # bundled pointer -> what its references make it
        self.pending: list[str] = []
        self.substitutes: dict[str, Any] = {}  # bundled pointer -> its converted node
        self.deferred: list[Frame] = []  # nodes a schema keyword moved, for `walk` to copy
        self.names = {section: _component_names(self.data.get(section)) for section in SECTIONS}
        self.consumes = _media_types(self.data.get("consumes")) or ["application/json"]
        self.produces = _media_types(self.data.get("produces")) or ["application/json"]
        self.kinds = {name: self.kind(p) for name, p in _dict(self.data.get("parameters")).items()}

    # --- recording where each node came from ----------------------------------------

    def mark(self, new: str, old: str) -> None:
        """`new` is built from `old` (and is on its line)."""
        self.lines[new] = self.line_of(old)

    def line_of(self, old: str) -> int:
        """`Document.line_of`, remembered: a one-line JSON document has no line for most
        pointers, and each would otherwise climb to the root."""
        missing: list[str] = []
        pointer = old
        while pointer and pointer not in self.source.lines and pointer not in self.found:
            missing.append(pointer)
            pointer = pointer.rsplit("/", 1)[0]
        line = self.source.lines.get(pointer) or self.found.get(pointer) or self.source.line_of("")
        self.found.update(dict.fromkeys(missing, line))
        return line

    def same(self, new: str, old: str) -> None:
        """`new` is a copy of `old`: a `$ref` to `old` will name `new`."""
        self.mark(new, old)
        self.exact.setdefault(old, new)

    def warn(self, old: str, message: str) -> None:
        self.warnings[replace(self.source.problem(old, message, RULE), severity="warning")] = None

    def set(self, result: dict[str, Any], new: str, key: str, value: Any, old: str) -> None:
        """`result[key] = value` (a scalar, or a container whose items are marked), built from `old`."""
        result[key] = value
        self.mark(join(new, key), old)

    def walk(self, new: str, old: str, value: Any, kind: int = PLAIN) -> Any:
        """A copy of `value` (found at `old`) for `new`: schemas converted to 3.0,
        every node's line recorded. Iterative, so any depth is fine."""
        root: list[Any] = [None]
        stack: list[Frame] = [(value, new, old, root, 0, kind)]
        while stack:
            node, new_at, old_at, parent, key, kind = stack.pop()
            if old_at in self.substitutes and old_at != old:
                parent[key] = self.substitutes[old_at]
                continue
            self.same(new_at, old_at)
            if isinstance(node, dict):
                copy: dict[str, Any] = {}
                parent[key] = copy
                children = (
                    self.keywords(node, new_at, old_at)
                    if kind == SCHEMA
                    else [
                        (name, child, join(old_at, name), CHILD_KIND.get(kind, PLAIN)) for name, child in node.items()
                    ]
                )
                for name, child, _, k in children:
                    copy[name] = child if k == READY else None  # the source's order
                stack.extend(
                    (child, join(new_at, name), at, copy, name, k)
                    for name, child, at, k in reversed(children)
                    if k != READY
                )
                stack.extend(reversed(self.deferred))
                self.deferred.clear()
                self.hold(copy, node, old_at, kind)
            elif isinstance(node, list):
                items: list[Any] = [None] * len(node)
                parent[key] = items
                child_kind = SCHEMA if kind == SCHEMA_LIST else PLAIN
                stack.extend(
                    (node[i], join(new_at, i), join(old_at, i), items, i, child_kind)
                    for i in reversed(range(len(node)))
                )
            else:
                parent[key] = node
        return root[0]

    def hold(self, copy: dict[str, Any], node: dict[str, Any], old: str, kind: int) -> None:
        """Remember a `$ref` for the final rewrite; a bundled schema it names is converted as one."""
        ref = node.get("$ref")
        if isinstance(ref, str):
            self.holders.append((copy, ref, join(old, "$ref")))
            if kind == SCHEMA:
                self.assign(ref_target(ref), "schema")

    # --- schemas -----------------------------------------------------------------------

    def keywords(self, schema: dict[str, Any], new: str, old: str) -> list[Child]:
        """The children of a 2.0 schema as 3.0 ones; those that change shape are READY."""
        children: list[Child] = []
        for name, value in schema.items():
            at = join(old, name)
            if name == "x-nullable" and isinstance(value, bool) and "nullable" not in schema:
                children.append(("nullable", value, at, PLAIN))
            elif name == "discriminator" and isinstance(value, str):
                children.append(self.ready(new, "discriminator", {"propertyName": value}, at))
                self.mark(join(new, "discriminator", "propertyName"), at)
            elif name == "type" and (value == "file" or isinstance(value, list)):
                children.extend(self.schema_type(schema, new, at, value))
            elif name == "items" and self.alternatives(schema) and "array" in schema["type"]:
                continue  # moved into the array alternative
            elif name == "collectionFormat":
                self.warn(at, "a collectionFormat inside items has no OpenAPI 3 equivalent; left out")
            elif name == "required" and not isinstance(value, list):
                self.warn(at, "`required` inside a schema must list property names; left out")
            elif name == "items" and isinstance(value, list):
                children.append(self.tuple_items(new, at, value))
            else:
                children.append((name, value, at, self.child_kind(name, value)))
        return children

    @staticmethod
    def child_kind(name: str, value: Any) -> int:
        if name == "properties":
            return SCHEMAS
        if name in ("items", "additionalProperties", "not"):
            return SCHEMA if isinstance(value, dict) else PLAIN
        return SCHEMA_LIST if name in ("allOf", "anyOf", "oneOf") and isinstance(value, list) else PLAIN

    def ready(self, new: str, name: str, value: Any, at: str) -> Child:
        """A child built here (a scalar, or a container whose nodes are marked)."""
        self.mark(join(new, name), at)
        return name, value, at, READY

    def schema_type(self, schema: dict[str, Any], new: str, at: str, value: Any) -> list[Child]:
        """`type: file` becomes a binary string; `type: [X, "null"]` becomes X, nullable;
        `type: [X, Y]` becomes `anyOf: [{type: X}, {type: Y}]` (`items` going to the array)."""
        if value == "file":
            binary = [] if "format" in schema else [self.ready(new, "format", "binary", at)]
            return [self.ready(new, "type", "string", at), *binary]
        types = [t for t in value if t != "null"]
        if len(types) == 1:
            kept = [self.ready(new, "type", types[0], at)]
        elif self.alternatives(schema):
            kept = [self.ready(new, "anyOf", self.options(schema, new, at, types), at)]
        else:
            self.warn(at, f"a list of types {value!r} next to anyOf has no OpenAPI 3.0 equivalent; left out")
            kept = []
        if "null" not in value or "nullable" in schema or "x-nullable" in schema:
            return kept
        return [*kept, self.ready(new, "nullable", True, at)]

    @staticmethod
    def alternatives(schema: dict[str, Any]) -> bool:
        """Whether a list of several types becomes an anyOf of them."""
        types = schema.get("type")
        return isinstance(types, list) and len([t for t in types if t != "null"]) > 1 and "anyOf" not in schema

    def options(self, schema: dict[str, Any], new: str, at: str, types: list[Any]) -> list[dict[str, Any]]:
        """One `{type: X}` per type; the array's `items` are copied by `walk` (deferred)."""
        options: list[dict[str, Any]] = []
        for index, name in enumerate(types):
            to = join(new, "anyOf", index)
            self.mark(to, at)
            self.mark(join(to, "type"), at)
            options.append({"type": name})
            if name == "array" and "items" in schema:
                options[-1]["items"] = None
                old = at.rsplit("/", 1)[0]
                self.deferred.append(
                    (schema["items"], join(to, "items"), join(old, "items"), options[-1], "items", SCHEMA)
                )
        self.mark(join(new, "anyOf"), at)
        return options

    def tuple_items(self, new: str, at: str, value: list[Any]) -> Child:
        """`items: [A, B]` (not 2.0, but written): one schema, or any of them."""
        if len(value) == 1:
            return "items", value[0], join(at, 0), SCHEMA
        self.warn(at, "`items` as a list becomes one schema that matches any of them")
        options: list[Any] = [None] * len(value)
        to = join(new, "items", "anyOf")
        self.mark(to, at)
        self.deferred.extend((v, join(to, i), join(at, i), options, i, SCHEMA) for i, v in enumerate(value))
        return self.ready(new, "items", {"anyOf": options}, at)

    # --- the document --------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        """The whole converted document, in the source's order."""
        self.mark("", "")
        self.mark("/openapi", "/swagger")
        components = self.components()  # before the paths: a $ref names the component, not an inlined copy
        parts: dict[str, Any] = {"openapi": OPENAPI}
        for key, value in self.data.items():
            if key in KEPT or key.startswith("x-") and key != "x-bundled":
                parts[key] = self.walk(join("", key), join("", key), value)
            elif key == "security":
                parts[key] = self.security("/security", "/security", value)
            elif key in ("host", "basePath", "schemes"):
                parts["servers"] = parts["servers"] if "servers" in parts else self.servers()
            elif key == "paths":
                parts[key] = self.paths(value)
            elif key in SECTIONS:
                parts["components"] = components
            elif key not in ("swagger", "consumes", "produces", "x-bundled", *SECTIONS):
                self.warn(join("", key), f"{key!r} is not a Swagger 2.0 field; left out")
        if "paths" not in parts:
            parts["paths"] = self.paths({})
        if "x-bundled" in self.data:
            parts["x-bundled"] = self.bundled()
        self.rewrite_refs()
        return {k: v for k, v in parts.items() if v or k not in ("servers", "components")}

    def servers(self) -> list[dict[str, Any]]:
        """`host`, `basePath` and `schemes` as servers (https when no scheme is given)."""
        host, base = self.data.get("host"), self.data.get("basePath")
        base = base if isinstance(base, str) else ""
        if not isinstance(host, str) or not host:
            return [self.server("/servers", 0, base, "/basePath")] if base else []
        return [
            self.server("/servers", i, f"{s}://{host}{base}", at)
            for i, (s, at) in enumerate(self.schemes(self.data, ""))
        ]

    def schemes(self, owner: dict[str, Any], where: str) -> list[tuple[str, str]]:
        """(scheme, its pointer) for each usable scheme of `owner`; https if none."""
        found: list[tuple[str, str]] = []
        for index, scheme in enumerate(_list(owner.get("schemes"))):
            if scheme in SCHEMES:
                found.append((scheme, join(where, "schemes", index)))
            else:
                self.warn(join(where, "schemes", index), f"scheme {scheme!r} is not http, https, ws or wss; left out")
        return found or [("https", join("", "host"))]

    def server(self, new: str, index: int, url: str, old: str) -> dict[str, Any]:
        self.mark(new, old)
        self.mark(join(new, index), old)
        self.mark(join(new, index, "url"), old)
        return {"url": url}

    def security(self, new: str, old: str, requirements: Any) -> Any:
        """Security requirements, naming the schemes by their OpenAPI 3 names."""
        if not isinstance(requirements, list):
            return self.walk(new, old, requirements)
        self.same(new, old)
        renames = self.names["securityDefinitions"]
        result: list[Any] = []
        for index, requirement in enumerate(requirements):
            to, at = join(new, index), join(old, index)
            if not isinstance(requirement, dict):
                result.append(self.walk(to, at, requirement))
                continue
            self.same(to, at)
            names: dict[str, str] = {key: renames.get(key) or key for key in requirement}
            result.append({names[k]: self.walk(join(to, names[k]), join(at, k), v) for k, v in requirement.items()})
        return result

    # --- components ------------------------------------------------------------------------

    def components(self) -> dict[str, Any]:
        """definitions, parameters (request bodies among them), responses and securityDefinitions."""
        components: dict[str, Any] = {}
        self.mark("/components", next((join("", s) for s in self.data if s in SECTIONS), ""))
        for section in self.data:
            if section not in SECTIONS:
                continue
            entries = self.data[section]
            if not isinstance(entries, dict):
                self.warn(join("", section), f"{section!r} is not a mapping; left out")
            elif section == "parameters":
                components.update(self.parameter_components(entries))
            else:
                built = self.section(section, entries)
                if built:
                    components[SECTIONS[section]] = built
        return components

    def section(self, section: str, entries: dict[str, Any]) -> dict[str, Any]:
        new, old = join("/components", SECTIONS[section]), join("", section)
        self.same(new, old)
        result: dict[str, Any] = {}
        for name, value in entries.items():
            renamed = self.rename(section, name)
            at, to = join(old, name), join(new, renamed)
            if section == "definitions":
                result[renamed] = self.walk(to, at, value, SCHEMA)
            elif section == "responses":
                result[renamed] = self.role("response", to, at, value)
            else:
                result[renamed] = self.scheme(to, at, value)
        return result

    def rename(self, section: str, name: str) -> str:
        renamed = self.names[section][name]
        if renamed != name:
            what = {"definitions": "definition", "securityDefinitions": "security scheme"}.get(section, section[:-1])
            self.warn(
                join("", section, name),
                f"{what} name {name!r} is not a valid OpenAPI 3 component name; it becomes {renamed!r}",
            )
        return renamed

    def parameter_components(self, entries: dict[str, Any]) -> dict[str, Any]:
        """Shared parameters: body ones become request bodies; formData ones are inlined where used."""
        result: dict[str, dict[str, Any]] = {}
        for name, value in entries.items():
            kind = self.kinds[name]
            if kind == "formData":
                continue
            section = "requestBodies" if kind == "body" else "parameters"
            renamed, at = self.rename("parameters", name), join("/parameters", name)
            if section not in result:
                result[section] = {}
                (self.same if section == "parameters" else self.mark)(join("/components", section), "/parameters")
            to = join("/components", section, renamed)
            result[section][renamed] = self.role("body" if kind == "body" else "parameter", to, at, value)
        return dict(sorted(result.items(), key=lambda item: item[0] == "requestBodies"))

    def scheme(self, new: str, old: str, scheme: Any) -> Any:
        """A security scheme: basic becomes http basic, an OAuth 2 flow gets its 3.0 name."""
        if not isinstance(scheme, dict) or scheme.get("type") not in ("basic", "oauth2"):
            return self.walk(new, old, scheme)
        self.same(new, old)
        result: dict[str, Any] = {}
        for key, value in scheme.items():
            at = join(old, key)
            if key == "type":
                self.set(result, new, "type", "http" if value == "basic" else "oauth2", at)
                if value == "basic":
                    self.set(result, new, "scheme", "basic", at)
            elif key == "flow":
                result["flows"] = self.flows(join(new, "flows"), old, scheme)
            elif key == "description" or key.startswith("x-"):
                result[key] = self.walk(join(new, key), at, value)
            elif key not in ("authorizationUrl", "tokenUrl", "scopes"):
                self.warn(at, f"{key!r} is not a field of this security scheme; left out")
        if result["type"] == "oauth2" and "flows" not in result:
            self.warn(old, "an OAuth 2 scheme without a flow; it gets no flows")
            self.set(result, new, "flows", {}, old)
        return result

    def flows(self, new: str, old: str, scheme: dict[str, Any]) -> dict[str, Any]:
        flow = FLOWS.get(str(scheme.get("flow")))
        self.mark(new, join(old, "flow"))
        if flow is None:
            self.warn(join(old, "flow"), f"OAuth 2 flow {scheme.get('flow')!r} is unknown; the scheme gets no flows")
            return {}
        new = join(new, flow)
        self.mark(new, join(old, "flow"))
        details: dict[str, Any] = {}
        urls = {"implicit": ["authorizationUrl"], "authorizationCode": ["authorizationUrl", "tokenUrl"]}.get(
            flow, ["tokenUrl"]
        )
        for url in urls:
            if isinstance(scheme.get(url), str):
                details[url] = self.walk(join(new, url), join(old, url), scheme[url])
            else:
                self.warn(old, f"the {scheme.get('flow')} flow needs a {url}; it is left empty")
                self.set(details, new, url, "", old)
        details["scopes"] = self.walk(join(new, "scopes"), join(old, "scopes"), _dict(scheme.get("scopes")))
        return {flow: details}

    # --- roles: what a node becomes, wherever it is ------------------------------------------

    def role(self, role: str, new: str, old: str, value: Any) -> Any:
        """`value` converted as a `role` node; a `$ref` stays one, and its bundled
        target takes the role."""
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            self.assign(refers_to(value), role)
            return self.walk(new, old, value)
        if role == "schema":
            return self.walk(new, old, value, SCHEMA)
        if role == "parameter":
            return self.parameter(new, old, value)
        if role == "body":
            return self.request_body(new, old, _dict(value), self.consumes)
        if role == "form":
            return self.form_field(new, old, _dict(value))
        if role == "response":
            return self.response(new, old, value, self.produces)
        return self.path_item(new, old, value)

    def assign(self, pointer: str | None, role: str) -> None:
        """A bundled node is converted in place as a `role` node (the first role it gets)."""
        if pointer is not None and _bundled(pointer) and pointer not in self.roles:
            self.roles[pointer] = role
            self.pending.append(pointer)

    def bundled(self) -> Any:
        """`/x-bundled`: each node a reference gives a role converted in place, the rest copied."""
        while self.pending:
            pointer = self.pending.pop(0)
            try:
                value = self.source.resolve(pointer)
            except KeyError:
                continue  # reported where the $ref is written
            self.substitutes[pointer] = self.role(self.roles[pointer], pointer, pointer, value)
        return self.walk(BUNDLE, BUNDLE, self.data["x-bundled"])

    def follow(self, node: Any, at: str) -> tuple[str, Any]:
        """(pointer, node) that a chain of local `$ref`s from `node` leads to; the node
        is None when the chain breaks, loops or is too long to follow."""
        *_, (at, node) = islice(chain(self.source.data, at, node), MAX_REF_CHAIN)
        target = refers_to(node)
        return (at, node) if target is None else (target, None)

    def kind(self, parameter: Any) -> str:
        """Where a parameter (or the one its `$ref`s lead to) is: body, formData, query..."""
        return str(_dict(self.follow(parameter, "")[1]).get("in", ""))

    # --- paths and operations ----------------------------------------------------------------

    def paths(self, paths: Any) -> dict[str, Any]:
        self.same("/paths", "/paths")
        if not isinstance(paths, dict):
            self.warn("/paths", "paths is not a mapping; the document gets no operations")
            return {}
        result: dict[str, Any] = {}
        for path, item in paths.items():
            at = join("/paths", path)
            result[path] = self.walk(at, at, item) if path.startswith("x-") else self.path_item(at, at, item)
        return result

    def path_item(self, new: str, old: str, item: Any) -> dict[str, Any]:
        """A path item: its operations, and the parameters they share that stay parameters."""
        self.same(new, old)
        if not isinstance(item, dict):
            self.warn(old, "a path item that is not a mapping is left out")
            return {}
        shared = _list(item.get("parameters"))
        result: dict[str, Any] = {}
        for key, value in item.items():
            at = join(old, key)
            if key in METHODS and isinstance(value, dict):
                result[key] = self.operation(join(new, key), at, value, shared, join(old, "parameters"))
            elif key == "$ref" or key.startswith("x-"):
                result[key] = self.walk(join(new, key), at, value)
                if key == "$ref" and isinstance(value, str):
                    self.holders.append((result, value, at))
                    self.assign(ref_target(value), "path")
            elif key == "parameters":
                kept = [
                    (join(old, key, i), p) for i, p in enumerate(shared) if self.kind(p) not in ("body", "formData")
                ]
                if kept:
                    result[key] = self.parameter_list(join(new, key), join(old, key), kept)
            else:
                self.warn(at, f"{key!r} is not an operation or field of a path item; left out")
        return result

    def parameter_list(self, new: str, old: str, parameters: list[tuple[str, Any]]) -> list[Any]:
        self.mark(new, old)
        return [self.role("parameter", join(new, i), at, p) for i, (at, p) in enumerate(parameters)]

    def operation(
        self, new: str, old: str, operation: dict[str, Any], shared: list[Any], shared_at: str
    ) -> dict[str, Any]:
        """An operation: body and formData parameters become its request body, response
        schemas get a media type each."""
        self.same(new, old)
        consumes = _media_types(operation.get("consumes")) or self.consumes
        produces = _media_types(operation.get("produces")) or self.produces
        parameters, body = self.operation_parameters(new, old, operation, shared, shared_at, consumes)
        result: dict[str, Any] = {}
        for key, value in operation.items():
            at = join(old, key)
            if key in OPERATION_KEPT or key.startswith("x-"):
                result[key] = self.walk(join(new, key), at, value)
            elif key == "security":
                result[key] = self.security(join(new, key), at, value)
            elif key == "parameters":
                result.update({"parameters": parameters} if parameters else {})
                result.update({"requestBody": body} if body else {})
            elif key == "responses":
                result.update({"requestBody": body} if body and "requestBody" not in result else {})
                result[key] = self.responses(join(new, key), at, value, produces)
            elif key == "schemes":
                result.update(self.operation_servers(new, old, operation))
            elif key not in ("consumes", "produces"):
                self.warn(at, f"{key!r} is not a field of an operation; left out")
        if body and "requestBody" not in result:
            result["requestBody"] = body
        if "responses" not in result:
            self.set(result, new, "responses", {}, old)
        return result

    def operation_servers(self, new: str, old: str, operation: dict[str, Any]) -> dict[str, Any]:
        """An operation's own `schemes`, as servers when they differ from the document's."""
        host, base = self.data.get("host"), self.data.get("basePath")
        schemes = self.schemes(operation, old)
        if (
            not isinstance(host, str)
            or not host
            or [s for s, _ in schemes] == [s for s, _ in self.schemes(self.data, "")]
        ):
            return {}
        base = base if isinstance(base, str) else ""
        return {
            "servers": [
                self.server(join(new, "servers"), i, f"{s}://{host}{base}", at) for i, (s, at) in enumerate(schemes)
            ]
        }

    def operation_parameters(
        self, new: str, old: str, operation: dict[str, Any], shared: list[Any], shared_at: str, consumes: list[str]
    ) -> tuple[list[Any], Any]:
        """The operation's own parameters that stay parameters, and its request body (or None)."""
        own = [(join(old, "parameters", i), p) for i, p in enumerate(_list(operation.get("parameters")))]
        if "parameters" in operation and not isinstance(operation["parameters"], list):
            self.warn(join(old, "parameters"), "parameters is not a list; left out")
        keys = {self.identity(p) for _, p in own}
        inherited = [(join(shared_at, i), p) for i, p in enumerate(shared) if self.identity(p) not in keys]
        kept: list[tuple[str, Any]] = []
        bodies: list[tuple[str, Any]] = []
        forms: list[tuple[str, Any]] = []
        for at, parameter in own + inherited:
            kind = self.kind(parameter)
            if kind in ("body", "formData"):
                (bodies if kind == "body" else forms).append((at, parameter))
            elif at.startswith(old + "/"):
                kept.append((at, parameter))
        body = None
        if bodies:
            for at, _ in bodies[1:] + forms:
                self.warn(at, "an operation has one request body, its first body parameter; this one is left out")
            body = self.body(join(new, "requestBody"), *bodies[0], consumes)
        elif forms:
            body = self.form(join(new, "requestBody"), join(old, "parameters"), forms, consumes)
        return self.parameter_list(join(new, "parameters"), join(old, "parameters"), kept) if kept else [], body

    def identity(self, parameter: Any) -> tuple[str | None, str | None]:
        """(name, in) of a parameter: an operation's own override the shared ones."""
        resolved = _dict(self.follow(parameter, "")[1])
        name, where = resolved.get("name"), resolved.get("in")
        return name if isinstance(name, str) else None, where if isinstance(where, str) else None

    # --- parameters and request bodies -----------------------------------------------------------

    def parameter(self, new: str, old: str, parameter: Any) -> Any:
        """A non-body parameter: its type keywords move into `schema`, its
        collectionFormat becomes `style` / `explode`."""
        if not isinstance(parameter, dict):
            self.warn(old, "a parameter that is not a mapping is kept as it is")
            return self.walk(new, old, parameter)
        self.same(new, old)
        where = parameter.get("in")
        typed = {k: v for k, v in parameter.items() if k in TYPE_KEYS}
        result: dict[str, Any] = {}
        for key, value in parameter.items():
            at = join(old, key)
            if key in typed:
                if "schema" not in result:
                    result["schema"] = self.walk(join(new, "schema"), old, typed, SCHEMA)
            elif key == "collectionFormat":
                self.style(result, new, at, value, where)
            elif key == "schema":
                if typed:
                    self.warn(at, "a parameter with a type and a schema: the schema is left out")
                else:
                    result["schema"] = self.walk(join(new, "schema"), at, value, SCHEMA)
            elif key == "allowEmptyValue" and where != "query":
                self.warn(at, "allowEmptyValue applies to query parameters only in OpenAPI 3; left out")
            elif key in PARAMETER_KEYS or key.startswith("x-"):
                result[key] = self.walk(join(new, key), at, value)
            else:
                self.warn(at, f"{key!r} is not a field of a parameter; left out")
        self.complete(result, new, old, parameter)
        return result

    def complete(self, result: dict[str, Any], new: str, old: str, parameter: dict[str, Any]) -> None:
        """What 3.0 asks of every parameter: a schema; a path parameter is required;
        a query array without collectionFormat is csv."""
        if "schema" not in result:
            self.set(result, new, "schema", {}, old)
        if parameter.get("in") == "path" and result.get("required") is not True:
            if "required" in parameter:
                self.warn(join(old, "required"), "a path parameter is always required")
            self.set(result, new, "required", True, old)
        if parameter.get("in") == "query" and parameter.get("type") == "array" and "collectionFormat" not in parameter:
            self.set(result, new, "style", "form", old)  # 2.0's default collectionFormat: csv
            self.set(result, new, "explode", False, old)

    def style(self, result: dict[str, Any], new: str, at: str, value: Any, where: Any) -> None:
        """collectionFormat as `style` and `explode` for a parameter `in: where`."""
        if where == "query":
            style, explode = QUERY_STYLES.get(str(value), ("form", False))
            if str(value) not in QUERY_STYLES:
                self.warn(at, f"collectionFormat {value!r} has no OpenAPI 3 style; sent as csv")
            self.set(result, new, "style", style, at)
            self.set(result, new, "explode", explode, at)
        elif where in ("path", "header"):
            if value != "csv":
                self.warn(at, f"collectionFormat {value!r} is not possible {where} in OpenAPI 3; sent as csv")
            self.set(result, new, "style", "simple", at)

    def body(self, new: str, old: str, parameter: Any, consumes: list[str]) -> Any:
        """A body parameter as a request body; a shared one stays a `$ref` unless the
        operation consumes other media types than the document."""
        if refers_to(parameter) is None:
            return self.request_body(new, old, _dict(parameter), consumes)
        at, resolved = self.follow(parameter, old)
        if consumes == self.consumes or resolved is None or _bundled(at):
            if consumes != self.consumes and resolved is not None:
                self.warn(old, "a request body in another file has the document's consumes, not the operation's")
            return self.role("body", new, old, parameter)
        return self.request_body(new, at, _dict(resolved), consumes)

    def request_body(self, new: str, old: str, parameter: dict[str, Any], consumes: list[str]) -> dict[str, Any]:
        self.same(new, old)
        result: dict[str, Any] = {}
        for key, value in parameter.items():
            at = join(old, key)
            if key in ("description", "required") or key.startswith("x-"):
                result[key] = self.walk(join(new, key), at, value)
            elif key == "schema":
                result["content"] = self.content(join(new, "content"), at, value, consumes)
            elif key not in ("name", "in"):
                self.warn(at, f"{key!r} is not a field of a body parameter; left out")
        if "content" not in result:
            result["content"] = self.content(join(new, "content"), old, {}, consumes)
        return result

    def content(self, new: str, old: str, schema: Any, media_types: list[str]) -> dict[str, Any]:
        """The same schema (at `old`) for each media type."""
        self.mark(new, old)
        content: dict[str, Any] = {}
        for media_type in media_types:
            self.mark(join(new, media_type), old)
            content[media_type] = {"schema": self.walk(join(new, media_type, "schema"), old, schema, SCHEMA)}
        return content

    def form(self, new: str, old: str, fields: list[tuple[str, Any]], consumes: list[str]) -> dict[str, Any]:
        """formData parameters: one object schema, sent as a form, or multipart when a
        file is among them (or the operation consumes only multipart)."""
        resolved = [self.follow(p, at) for at, p in fields]
        has_file = any(_dict(p).get("type") == "file" for _, p in resolved)
        media_types = [m for m in consumes if _essence(m) in (FORM, MULTIPART)]
        if has_file:
            media_types = [m for m in media_types if _essence(m) == MULTIPART] or [MULTIPART]
        self.mark(new, old)
        self.mark(join(new, "content"), old)
        content: dict[str, Any] = {}
        for media_type in media_types or [FORM]:
            self.mark(join(new, "content", media_type), old)
            content[media_type] = self.form_media(join(new, "content", media_type), old, fields, resolved, media_type)
        result: dict[str, Any] = {"content": content}
        if any(_dict(p).get("required") is True for _, p in resolved):
            self.set(result, new, "required", True, old)
        return result

    def form_media(
        self, new: str, old: str, fields: list[tuple[str, Any]], resolved: list[tuple[str, Any]], media_type: str
    ) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "properties": {}}
        where = join(new, "schema")
        for key in ("schema", "schema/type", "schema/properties"):
            self.mark(join(new, *key.split("/")), old)
        encoding: dict[str, Any] = {}
        for (at, field), (target, parameter) in zip(fields, resolved, strict=True):
            parameter = _dict(parameter)
            name = str(parameter.get("name", ""))
            to, origin = join(where, "properties", name), at if _bundled(target) else target
            if _bundled(target):  # stays in its file, converted to a schema there
                self.assign(target, "form")
                schema["properties"][name] = self.walk(to, at, {"$ref": "#" + target.replace("%", "%25")})
            else:
                schema["properties"][name] = self.form_field(to, target, parameter)
            if parameter.get("required") is True:
                schema.setdefault("required", []).append(name)
                self.mark(join(where, "required"), old)
                self.mark(join(where, "required", len(schema["required"]) - 1), origin)
            encoding.update(self.encoding(join(new, "encoding"), origin, parameter, media_type))
        result: dict[str, Any] = {"schema": schema}
        if encoding:
            result["encoding"] = encoding
            self.mark(join(new, "encoding"), old)
        return result

    def form_field(self, new: str, old: str, parameter: dict[str, Any]) -> Any:
        """A formData parameter as the schema of a form property."""
        keys = {k: v for k, v in parameter.items() if k in TYPE_KEYS or k == "description" or k.startswith("x-")}
        if parameter.get("allowEmptyValue") is not None:
            self.warn(join(old, "allowEmptyValue"), "allowEmptyValue has no equivalent for a form field; left out")
        return self.walk(new, old, keys, SCHEMA)

    def encoding(self, new: str, old: str, parameter: dict[str, Any], media_type: str) -> dict[str, Any]:
        """How an array form field is sent: 2.0's collectionFormat (csv by default)."""
        if parameter.get("type") != "array":
            return {}
        name, value = str(parameter.get("name", "")), parameter.get("collectionFormat", "csv")
        at = join(old, "collectionFormat") if "collectionFormat" in parameter else old
        if _essence(media_type) != FORM:
            if value != "multi":
                self.warn(at, f"a multipart field sends each item as a part; collectionFormat {value!r} is not kept")
            return {}
        style, explode = QUERY_STYLES.get(str(value), ("form", False))
        if str(value) not in QUERY_STYLES:
            self.warn(at, f"collectionFormat {value!r} has no OpenAPI 3 style; sent as csv")
        for key in ("", "style", "explode"):
            self.mark(join(new, name, *([key] if key else [])), at)
        return {name: {"style": style, "explode": explode}}

    # --- responses ---------------------------------------------------------------------------------

    def responses(self, new: str, old: str, responses: Any, produces: list[str]) -> dict[str, Any]:
        self.same(new, old)
        if not isinstance(responses, dict):
            self.warn(old, "responses is not a mapping; left out")
            return {}
        result: dict[str, Any] = {}
        for status, response in responses.items():
            at, to = join(old, status), join(new, status)
            if status.startswith("x-"):
                result[status] = self.walk(to, at, response)
            elif refers_to(response) is not None:
                result[status] = self.shared_response(to, at, response, produces)
            else:
                result[status] = self.response(to, at, response, produces)
        return result

    def shared_response(self, new: str, old: str, response: Any, produces: list[str]) -> Any:
        """A `$ref` to a response; inlined when the operation produces other media
        types than the document (unless it is in another file)."""
        at, resolved = self.follow(response, old)
        if produces == self.produces or resolved is None:
            return self.role("response", new, old, response)
        if _bundled(at):
            self.warn(old, "a response in another file has the document's produces, not the operation's")
            return self.role("response", new, old, response)
        return self.response(new, at, resolved, produces)

    def response(self, new: str, old: str, response: Any, produces: list[str]) -> dict[str, Any]:
        """A response: its schema and examples become content, one entry per media type."""
        self.same(new, old)
        if not isinstance(response, dict):
            self.warn(old, "a response that is not a mapping becomes one with no body")
            self.mark(join(new, "description"), old)
            return {"description": ""}
        result: dict[str, Any] = {}
        if "description" not in response:
            self.set(result, new, "description", "", old)
        for key, value in response.items():
            at = join(old, key)
            if key == "description" or key.startswith("x-"):
                result[key] = self.walk(join(new, key), at, value)
            elif key in ("schema", "examples"):
                if "content" not in result:
                    result["content"] = self.response_content(join(new, "content"), old, response, produces)
            elif key == "headers":
                result[key] = self.headers(join(new, key), at, value)
            else:
                self.warn(at, f"{key!r} is not a field of a response; left out")
        if not result.get("content", True):
            del result["content"]
        return result

    def response_content(self, new: str, old: str, response: dict[str, Any], produces: list[str]) -> dict[str, Any]:
        """The schema for each media type produced, with the example given for it;
        examples of other media types get an entry of their own."""
        examples = _dict(response.get("examples"))
        if "examples" in response and not isinstance(response["examples"], dict):
            self.warn(join(old, "examples"), "examples is not a mapping; left out")
        content: dict[str, Any] = {}
        if "schema" in response:
            content = self.content(new, join(old, "schema"), response["schema"], produces)
        else:
            self.mark(new, join(old, "examples"))
        for media_type, example in examples.items():
            at, to = join(old, "examples", media_type), join(new, media_type)
            if media_type not in content:
                content[media_type] = {}
                self.mark(to, at)
            content[media_type]["example"] = self.walk(join(to, "example"), at, example)
        return content

    def headers(self, new: str, old: str, headers: Any) -> dict[str, Any]:
        self.same(new, old)
        if not isinstance(headers, dict):
            self.warn(old, "headers is not a mapping; left out")
            return {}
        return {name: self.header(join(new, name), join(old, name), header) for name, header in headers.items()}

    def header(self, new: str, old: str, header: Any) -> Any:
        """A response header: its type keywords move into `schema`."""
        if not isinstance(header, dict) or isinstance(header.get("$ref"), str):
            if not isinstance(header, dict):
                self.warn(old, "a header that is not a mapping is kept as it is")
            return self.walk(new, old, header)
        self.same(new, old)
        typed = {k: v for k, v in header.items() if k in TYPE_KEYS}
        result: dict[str, Any] = {}
        for key, value in header.items():
            at = join(old, key)
            if key in typed:
                if "schema" not in result:
                    result["schema"] = self.walk(join(new, "schema"), old, typed, SCHEMA)
            elif key == "collectionFormat":
                self.style(result, new, at, value, "header")
            elif key == "description" or key.startswith("x-"):
                result[key] = self.walk(join(new, key), at, value)
            else:
                self.warn(at, f"{key!r} is not a field of a header; left out")
        if "schema" not in result:
            self.set(result, new, "schema", {}, old)
        return result

    # --- references ------------------------------------------------------------------------------------

    def rewrite_refs(self) -> None:
        """Every `$ref` names the converted node that its target became."""
        for holder, ref, at in self.holders:
            new = self.new_ref(ref)
            if new is None:
                self.warn(at, f"$ref {ref!r} names a node that has no OpenAPI 3 counterpart; kept as it is")
            else:
                holder["$ref"] = new

    def new_ref(self, ref: str) -> str | None:
        """The 3.0 form of a local `$ref`: the copy of its target, or, for a target that
        does not exist, the copy of its nearest ancestor (so the finding stays)."""
        target = ref_target(ref)
        if target is None:
            return ref  # not local: load has reported it
        if target in self.exact:
            return "#" + self.exact[target].replace("%", "%25")
        try:
            self.source.resolve(target)
            return None  # there, but not carried over as it is
        except KeyError:
            pass
        parent, rest = target, ""
        while parent:
            parent, _, token = parent.rpartition("/")
            rest = "/" + token + rest
            if parent in self.exact:
                return "#" + (self.exact[parent] + rest).replace("%", "%25")
        return ref
