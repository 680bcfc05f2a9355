"""Convert a Swagger 2.0 document to OpenAPI 3.0.3, in memory, keeping its lines.

Every node of the result remembers the line of the node it came from, so a
finding about the converted document names a line of the file as written.
"""

from __future__ import annotations

from typing import Any

from .load import Document, join
from .problems import Problem

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
RULE = "swagger2-convert"
# Parameter keywords that move into the parameter's schema.
SCHEMA_KEYS = (
    "type", "format", "items", "enum", "default", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf",
)  # fmt: skip
STYLES = {"csv": ("form", False), "multi": ("form", True), "ssv": ("spaceDelimited", False), "pipes": ("pipeDelimited", False)}
REFS = {"#/definitions/": "#/components/schemas/", "#/responses/": "#/components/responses/"}
FLOWS = {"implicit": "implicit", "password": "password", "application": "clientCredentials", "accessCode": "authorizationCode"}


def is_swagger2(data: Any) -> bool:
    return isinstance(data, dict) and str(data.get("swagger", "")).startswith("2")


def convert(document: Document) -> tuple[Document, list[Problem]]:
    """The OpenAPI 3.0.3 equivalent of a Swagger 2.0 `document`, and warnings about
    what could not be carried over. Every pointer of the result maps to the line
    of the node it came from."""
    converter = _Converter(document)
    data = converter.document()
    lines = _inherit(data, converter.lines)
    converted = Document(document.path, document.display, data, lines, dict(document.files), list(document.sources))
    return converted, converter.warnings


def _inherit(data: Any, lines: dict[str, int]) -> dict[str, int]:
    """`lines` completed: a node built by the conversion has its parent's line."""
    stack: list[tuple[str, Any, int]] = [("", data, lines.get("", 1))]
    while stack:
        pointer, node, parent_line = stack.pop()
        line = lines.setdefault(pointer, parent_line)
        if isinstance(node, dict):
            stack.extend((join(pointer, k), v, line) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((join(pointer, i), v, line) for i, v in enumerate(node))
    return lines


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class _Converter:
    def __init__(self, source: Document) -> None:
        self.source = source
        self.data = _dict(source.data)
        self.lines: dict[str, int] = {"": source.line_of("")}
        self.warnings: list[Problem] = []
        parameters = _dict(self.data.get("parameters"))
        self.body_parameters = {k for k, v in parameters.items() if _dict(v).get("in") == "body"}
        self.form_parameters = {k for k, v in parameters.items() if _dict(v).get("in") == "formData"}
        self.consumes = [str(m) for m in _list(self.data.get("consumes"))] or ["application/json"]
        self.produces = [str(m) for m in _list(self.data.get("produces"))] or ["application/json"]

    # --- moving nodes, with their lines ----------------------------------------------

    def mark(self, new: str, old: str) -> None:
        self.lines[new] = self.source.line_of(old)

    def place(self, new: str, old: str, value: Any) -> Any:
        """A copy of `value` (found at `old`) for `new`: `$ref`s rewritten, schema
        keywords of 2.0 turned into 3.0 ones, every node's line recorded."""
        root: list[Any] = [None]
        stack: list[tuple[Any, str, str, Any, Any]] = [(value, new, old, root, 0)]
        while stack:
            node, new_pointer, old_pointer, parent, key = stack.pop()
            self.mark(new_pointer, old_pointer)
            if isinstance(node, dict):
                copy: dict[str, Any] = {}
                for name, child in node.items():
                    target, child = self._keyword(name, child)
                    copy[target] = None
                    stack.append((child, join(new_pointer, target), join(old_pointer, name), copy, target))
                parent[key] = copy
            elif isinstance(node, list):
                items: list[Any] = [None] * len(node)
                for index, child in enumerate(node):
                    stack.append((child, join(new_pointer, index), join(old_pointer, index), items, index))
                parent[key] = items
            else:
                parent[key] = node
        return root[0]

    def _keyword(self, name: str, value: Any) -> tuple[str, Any]:
        if name == "$ref" and isinstance(value, str):
            return name, self.ref(value)
        if name == "x-nullable":
            return "nullable", value
        if name == "discriminator" and isinstance(value, str):
            return name, {"propertyName": value}
        if name == "type" and value == "file":
            return name, "string"
        return name, value

    def ref(self, ref: str) -> str:
        for old, new in REFS.items():
            if ref.startswith(old):
                return new + ref[len(old) :]
        if ref.startswith("#/parameters/"):
            name = ref[len("#/parameters/") :]
            kind = "requestBodies" if name in self.body_parameters else "parameters"
            return f"#/components/{kind}/{name}"
        return ref

    def warn(self, old: str, message: str) -> None:
        self.warnings.append(self.source.problem(old, message, RULE))

    # --- the document ----------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        result: dict[str, Any] = {"openapi": "3.0.3"}
        self.mark("/openapi", "/swagger")
        for key, value in self.data.items():
            if key in ("info", "tags", "externalDocs", "security") or key.startswith("x-"):
                result[key] = self.place(join("", key), join("", key), value)
        servers = self.servers()
        if servers:
            result["servers"] = servers
        result["paths"] = self.paths()
        self.mark("/paths", "/paths")
        components = self.components()
        if components:
            result["components"] = components
        return result

    def servers(self) -> list[dict[str, Any]]:
        host, base = self.data.get("host"), str(self.data.get("basePath") or "")
        if not isinstance(host, str) or not host:
            return [{"url": base}] if base else []
        schemes = [s for s in _list(self.data.get("schemes")) if s in ("https", "http", "ws", "wss")] or ["https"]
        servers = [{"url": f"{scheme}://{host}{base}"} for scheme in schemes]
        self.mark("/servers", "/host")
        for index in range(len(servers)):
            self.mark(join("/servers", index), "/host")
            self.mark(join("/servers", index, "url"), "/host")
        return servers

    def paths(self) -> dict[str, Any]:
        paths: dict[str, Any] = {}
        for path, item in _dict(self.data.get("paths")).items():
            old = join("/paths", path)
            if path.startswith("x-"):
                paths[path] = self.place(old, old, item)
                continue
            if not isinstance(item, dict):
                self.warn(old, "a path item that is not an object is left out")
                continue
            shared = _list(item.get("parameters"))
            converted: dict[str, Any] = {}
            self.mark(old, old)
            for key, value in item.items():
                where = join(old, key)
                if key in METHODS and isinstance(value, dict):
                    converted[key] = self.operation(where, value, shared, join(old, "parameters"))
                elif key == "$ref" and isinstance(value, str):
                    converted[key] = value
                    self.mark(where, where)
                elif key.startswith("x-"):
                    converted[key] = self.place(where, where, value)
                elif key != "parameters":
                    self.warn(where, f"{key!r} in a path item is left out")
            non_body = [
                (i, p) for i, p in enumerate(shared) if self.parameter_kind(p) not in ("body", "formData")
            ]
            if non_body:
                converted["parameters"] = [
                    self.parameter(join(old, "parameters", i), p, join(old, "parameters", n)) for n, (i, p) in enumerate(non_body)
                ]
            paths[path] = converted
        return paths

    def parameter_kind(self, parameter: Any) -> str:
        parameter = _dict(parameter)
        ref = parameter.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/parameters/"):
            name = ref[len("#/parameters/") :]
            return "body" if name in self.body_parameters else "formData" if name in self.form_parameters else "ref"
        return str(parameter.get("in", ""))

    def resolve_parameter(self, parameter: Any) -> tuple[str, dict[str, Any]]:
        """(pointer, object) of a parameter, following one `#/parameters/` reference."""
        ref = _dict(parameter).get("$ref")
        if isinstance(ref, str) and ref.startswith("#/parameters/"):
            name = ref[len("#/parameters/") :]
            return join("/parameters", name), _dict(_dict(self.data.get("parameters")).get(name))
        return "", _dict(parameter)

    def operation(self, old: str, operation: dict[str, Any], shared: list[Any], shared_at: str) -> dict[str, Any]:
        new = old
        self.mark(new, old)
        result: dict[str, Any] = {}
        consumes = [str(m) for m in _list(operation.get("consumes"))] or self.consumes
        produces = [str(m) for m in _list(operation.get("produces"))] or self.produces
        for key, value in operation.items():
            if key in ("tags", "summary", "description", "externalDocs", "operationId", "deprecated", "security") or key.startswith("x-"):
                result[key] = self.place(join(new, key), join(old, key), value)
        own = [(join(old, "parameters", i), p) for i, p in enumerate(_list(operation.get("parameters")))]
        own_keys = {(self.resolve_parameter(p)[1].get("name"), self.resolve_parameter(p)[1].get("in")) for _, p in own}
        inherited = [
            (join(shared_at, i), p) for i, p in enumerate(shared)
            if (self.resolve_parameter(p)[1].get("name"), self.resolve_parameter(p)[1].get("in")) not in own_keys
        ]  # fmt: skip
        parameters: list[Any] = []
        forms: list[tuple[str, dict[str, Any]]] = []
        for where, parameter in own + inherited:
            kind = self.parameter_kind(parameter)
            if kind == "body":
                result["requestBody"] = self.body(join(new, "requestBody"), where, parameter, consumes)
            elif kind == "formData":
                pointer, resolved = self.resolve_parameter(parameter)
                forms.append((pointer or where, resolved))
            elif where.startswith(old):
                parameters.append(self.parameter(where, parameter, join(new, "parameters", len(parameters))))
        if forms:
            result["requestBody"] = self.form(join(new, "requestBody"), join(old, "parameters"), forms, consumes)
        if parameters:
            result["parameters"] = parameters
            self.mark(join(new, "parameters"), join(old, "parameters"))
        result["responses"] = self.responses(join(new, "responses"), join(old, "responses"), operation.get("responses"), produces)
        return result

    def parameter(self, old: str, parameter: Any, new: str) -> dict[str, Any]:
        """A non-body parameter: its type keywords move into `schema`."""
        self.mark(new, old)
        if not isinstance(parameter, dict):
            self.warn(old, "a parameter that is not an object is kept as it is")
            return {}
        if isinstance(parameter.get("$ref"), str):
            self.mark(join(new, "$ref"), join(old, "$ref"))
            return {"$ref": self.ref(parameter["$ref"])}
        result: dict[str, Any] = {}
        schema: dict[str, Any] = {}
        for key, value in parameter.items():
            if key in SCHEMA_KEYS:
                schema[key] = self.place(join(new, "schema", key), join(old, key), value)
            elif key == "collectionFormat":
                style, explode = STYLES.get(str(value), ("form", False))
                if value not in STYLES:
                    self.warn(join(old, key), f"collectionFormat {value!r} has no OpenAPI 3 style; sent as csv")
                result["style"], result["explode"] = style, explode
                self.mark(join(new, "style"), join(old, key))
                self.mark(join(new, "explode"), join(old, key))
            elif key in ("allowEmptyValue",) and parameter.get("in") != "query":
                continue
            else:
                result[key] = self.place(join(new, key), join(old, key), value)
        if "items" in schema and "collectionFormat" not in parameter and parameter.get("in") == "query":
            result.setdefault("style", "form")
            result.setdefault("explode", False)  # 2.0's default collectionFormat is csv
        if schema.get("type") == "file":
            schema.update(type="string", format="binary")
        result["schema"] = schema or {}
        self.mark(join(new, "schema"), old)
        return result

    def body(self, new: str, old: str, parameter: Any, consumes: list[str]) -> dict[str, Any]:
        pointer, resolved = self.resolve_parameter(parameter)
        ref = _dict(parameter).get("$ref")
        self.mark(new, old)
        if isinstance(ref, str):
            self.mark(join(new, "$ref"), join(old, "$ref"))
            return {"$ref": self.ref(ref)}
        return self.request_body(new, pointer or old, resolved, consumes)

    def request_body(self, new: str, old: str, parameter: dict[str, Any], consumes: list[str]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if "description" in parameter:
            result["description"] = self.place(join(new, "description"), join(old, "description"), parameter["description"])
        content: dict[str, Any] = {}
        for media_type in consumes:
            where = join(new, "content", media_type)
            self.mark(where, old)
            content[media_type] = {"schema": self.place(join(where, "schema"), join(old, "schema"), parameter.get("schema", {}))}
        result["content"] = content
        self.mark(join(new, "content"), old)
        if parameter.get("required") is True:
            result["required"] = True
            self.mark(join(new, "required"), join(old, "required"))
        return result

    def form(self, new: str, old: str, forms: list[tuple[str, dict[str, Any]]], consumes: list[str]) -> dict[str, Any]:
        """formData parameters: one object schema, sent as a form (multipart when a file is among them)."""
        has_file = any(p.get("type") == "file" for _, p in forms)
        wanted = [m for m in consumes if m in ("multipart/form-data", "application/x-www-form-urlencoded")]
        media_type = "multipart/form-data" if has_file or not wanted else wanted[0]
        where = join(new, "content", media_type, "schema")
        schema: dict[str, Any] = {"type": "object", "properties": {}}
        required: list[str] = []
        for pointer, parameter in forms:
            name = str(parameter.get("name", ""))
            converted = self.parameter(pointer, {k: v for k, v in parameter.items() if k != "required"}, join(where, "properties", name))
            property_schema = converted.get("schema", {})
            if "description" in parameter:
                property_schema["description"] = parameter["description"]
            schema["properties"][name] = property_schema
            self.mark(join(where, "properties", name), pointer)
            if parameter.get("required") is True:
                required.append(name)
        if required:
            schema["required"] = required
        for suffix in ("", "/content", f"/content/{join('', media_type)[1:]}", f"/content/{join('', media_type)[1:]}/schema"):
            self.mark(new + suffix, old)
        return {"content": {media_type: {"schema": schema}}, **({"required": True} if required else {})}

    def responses(self, new: str, old: str, responses: Any, produces: list[str]) -> dict[str, Any]:
        self.mark(new, old)
        result: dict[str, Any] = {}
        for status, response in _dict(responses).items():
            result[str(status)] = self.response(join(new, status), join(old, status), response, produces)
        return result

    def response(self, new: str, old: str, response: Any, produces: list[str]) -> dict[str, Any]:
        self.mark(new, old)
        if not isinstance(response, dict):
            self.warn(old, "a response that is not an object becomes one with no body")
            return {"description": ""}
        if isinstance(response.get("$ref"), str):
            self.mark(join(new, "$ref"), join(old, "$ref"))
            return {"$ref": self.ref(response["$ref"])}
        result: dict[str, Any] = {"description": response.get("description", "")}
        self.mark(join(new, "description"), join(old, "description"))
        examples = _dict(response.get("examples"))
        if "schema" in response:
            content: dict[str, Any] = {}
            for media_type in produces:
                where = join(new, "content", media_type)
                self.mark(where, join(old, "schema"))
                media: dict[str, Any] = {"schema": self.place(join(where, "schema"), join(old, "schema"), response["schema"])}
                if media_type in examples:
                    media["example"] = self.place(join(where, "example"), join(old, "examples", media_type), examples[media_type])
                content[media_type] = media
            result["content"] = content
            self.mark(join(new, "content"), join(old, "schema"))
        headers = _dict(response.get("headers"))
        if headers:
            result["headers"] = {
                name: self.header(join(new, "headers", name), join(old, "headers", name), header) for name, header in headers.items()
            }
            self.mark(join(new, "headers"), join(old, "headers"))
        for key, value in response.items():
            if key.startswith("x-"):
                result[key] = self.place(join(new, key), join(old, key), value)
        return result

    def header(self, new: str, old: str, header: Any) -> dict[str, Any]:
        self.mark(new, old)
        header = _dict(header)
        result: dict[str, Any] = {}
        schema: dict[str, Any] = {}
        for key, value in header.items():
            if key in SCHEMA_KEYS:
                schema[key] = self.place(join(new, "schema", key), join(old, key), value)
            elif key != "collectionFormat":
                result[key] = self.place(join(new, key), join(old, key), value)
        result["schema"] = schema
        self.mark(join(new, "schema"), old)
        return result

    def components(self) -> dict[str, Any]:
        components: dict[str, Any] = {}
        definitions = _dict(self.data.get("definitions"))
        if definitions:
            components["schemas"] = self.place("/components/schemas", "/definitions", definitions)
        parameters: dict[str, Any] = {}
        bodies: dict[str, Any] = {}
        for name, parameter in _dict(self.data.get("parameters")).items():
            old = join("/parameters", name)
            if name in self.body_parameters:
                bodies[name] = self.request_body(join("/components/requestBodies", name), old, _dict(parameter), self.consumes)
            elif name not in self.form_parameters:
                parameters[name] = self.parameter(old, parameter, join("/components/parameters", name))
        if parameters:
            components["parameters"] = parameters
            self.mark("/components/parameters", "/parameters")
        if bodies:
            components["requestBodies"] = bodies
            self.mark("/components/requestBodies", "/parameters")
        responses = _dict(self.data.get("responses"))
        if responses:
            components["responses"] = {
                status: self.response(join("/components/responses", status), join("/responses", status), response, self.produces)
                for status, response in responses.items()
            }
            self.mark("/components/responses", "/responses")
        schemes = _dict(self.data.get("securityDefinitions"))
        if schemes:
            components["securitySchemes"] = {
                name: self.scheme(join("/components/securitySchemes", name), join("/securityDefinitions", name), scheme)
                for name, scheme in schemes.items()
            }
            self.mark("/components/securitySchemes", "/securityDefinitions")
        if components:
            self.mark("/components", "/definitions" if definitions else "")
        return components

    def scheme(self, new: str, old: str, scheme: Any) -> dict[str, Any]:
        scheme = _dict(scheme)
        converted = self.place(new, old, scheme)
        kind = scheme.get("type")
        if kind == "basic":
            return {"type": "http", "scheme": "basic", **({"description": scheme["description"]} if "description" in scheme else {})}
        if kind != "oauth2":
            return dict(converted)
        flow = FLOWS.get(str(scheme.get("flow")))
        if flow is None:
            self.warn(join(old, "flow"), f"OAuth 2 flow {scheme.get('flow')!r} is unknown; the scheme is kept without flows")
            return {"type": "oauth2", "flows": {}}
        details: dict[str, Any] = {"scopes": dict(_dict(scheme.get("scopes")))}
        if flow in ("implicit", "authorizationCode"):
            details["authorizationUrl"] = str(scheme.get("authorizationUrl", ""))
        if flow in ("password", "clientCredentials", "authorizationCode"):
            details["tokenUrl"] = str(scheme.get("tokenUrl", ""))
        for suffix in ("/flows", f"/flows/{flow}"):
            self.mark(new + suffix, old)
        result = {"type": "oauth2", "flows": {flow: details}}
        if "description" in scheme:
            result["description"] = scheme["description"]
        return result
