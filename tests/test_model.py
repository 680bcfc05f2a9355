"""Unit tests of the model layer: specs in, typed intermediate model out."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from conftest import minimal_spec

from generator import pipeline
from generator.examples import example_call
from generator.load import Document, load
from generator.model import Api, Enum, ListOf, LiteralOf, MapOf, Named, Scalar, UnionOf, build_api
from generator.model.extension import Findings
from generator.problems import Problem


def build(write_spec: Callable[..., Path], text: str) -> Api | list[Problem]:
    document = load(write_spec(text))
    assert isinstance(document, Document)
    return build_api(document, "mini")


def api_of(write_spec: Callable[..., Path], text: str) -> Api:
    api = build(write_spec, text)
    assert isinstance(api, Api), api
    return api


GET_THING = """
/things/{thingId}:
  get:
    operationId: getThing
    parameters:
      - {name: thingId, in: path, required: true, schema: {type: integer}}
      - {name: verbose, in: query, schema: {type: boolean}}
      - {name: mode, in: query, required: true, schema: {type: string, enum: [fast, slow]}}
      - {name: Trace-Id, in: header, schema: {type: string}}
    responses:
      "200":
        description: ok
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      "404":
        description: missing
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Error"}
"""
COMPONENTS = """
schemas:
  Thing:
    type: object
    required: [thingId]
    properties:
      thingId: {type: integer}
      thing_id: {type: string}
      when: {type: string, format: date-time}
      tags: {type: array, items: {type: string}}
      meta: {type: object, additionalProperties: {type: number}}
      parent: {$ref: "#/components/schemas/Thing"}
      size: {type: [integer, "null"]}
      color: {type: string, enum: [red, green], default: green}
  Error:
    type: object
    properties:
      message: {type: string}
"""


def test_operation_names_locations_and_order(write_spec: Callable[..., Path]) -> None:
    op = api_of(write_spec, minimal_spec(GET_THING, COMPONENTS)).operations[0]
    assert (op.method_name, op.http_method, op.path) == ("get_thing", "GET", "/things/{thingId}")
    assert [p.name for p in op.path_parameters] == ["thing_id"]
    # Required keyword parameters come first; the rest keep spec order.
    assert [p.name for p in op.keyword_parameters] == ["mode", "verbose", "trace_id"]
    assert [(p.wire_name, p.location) for p in op.in_location("header")] == [("Trace-Id", "header")]
    assert op.return_annotation == "models.Thing"
    assert [(r.status, r.type) for r in op.typed_errors] == [("404", Named("Error"))]


def test_schema_types(write_spec: Callable[..., Path]) -> None:
    api = api_of(write_spec, minimal_spec(GET_THING, COMPONENTS))
    thing = next(m for m in api.models if m.name == "Thing")
    fields = {f.wire_name: f for f in thing.fields}
    assert fields["thingId"].name == "thing_id" and fields["thingId"].required
    assert fields["thing_id"].name == "thing_id_2"  # distinct after snake_case
    assert fields["when"].type == Scalar("datetime.datetime")
    assert fields["tags"].type == ListOf(Scalar("str"))
    assert fields["meta"].type == MapOf(Scalar("float"))
    assert fields["parent"].type == Named("Thing")  # recursion by name
    assert fields["size"].type == UnionOf((Scalar("int"), Scalar("None")))
    assert fields["color"].default == "ThingColor.GREEN"
    assert fields["when"].annotation == "datetime.datetime | None"


def test_enums_become_classes(write_spec: Callable[..., Path]) -> None:
    api = api_of(write_spec, minimal_spec(GET_THING, COMPONENTS))
    names = {e.name: e for e in api.enums}
    assert set(names) == {"GetThingMode", "ThingColor"}
    mode: Enum = names["GetThingMode"]
    assert [(m.name, m.value) for m in mode.members] == [("FAST", "fast"), ("SLOW", "slow")]


def test_client_name_base_url_and_security(write_spec: Callable[..., Path]) -> None:
    spec = minimal_spec(GET_THING, COMPONENTS + "securitySchemes:\n  token: {type: http, scheme: bearer}\n")
    spec = spec.replace(
        "servers: [{url: 'https://mini.example'}]",
        ("servers: [{url: 'https://{host}/v1/', variables: {host: {default: api.example}}}]\nsecurity: [{token: []}]"),
    ).replace("info: {title: Mini,", "info: {x-client-name: Tiny Thing, title: Mini,")
    api = api_of(write_spec, spec)
    assert (api.client_name, api.base_url) == ("TinyThing", "https://api.example/v1")
    (scheme,) = api.security_schemes
    assert (scheme.kind, scheme.params, scheme.env_vars) == ("bearer", ["access_token"], ["MINI_ACCESS_TOKEN"])
    assert api.operations[0].security == (("token",),)


def test_every_security_alternative_is_kept(write_spec: Callable[..., Path]) -> None:
    paths = """
    /a: {get: {operationId: a, security: [{key: [], token: []}, {tls: []}, {}], responses: {'204': {description: ok}}}}
    /b: {get: {operationId: b, security: [], responses: {'204': {description: ok}}}}
    /c: {get: {operationId: c, responses: {'204': {description: ok}}}}
    """
    schemes = """
    securitySchemes:
      token: {type: http, scheme: bearer}
      key: {type: apiKey, in: header, name: X-Key}
      tls: {type: mutualTLS}
    """
    spec = minimal_spec(paths, schemes).replace("paths:", "security: [{token: []}, {key: []}]\npaths:")
    api = api_of(write_spec, spec)
    # the scheme the client cannot send is left to the caller: its alternative needs nothing of the client
    assert [op.security for op in api.operations] == [(("key", "token"), ()), (), (("token",), ("key",))]


def test_a_constraint_only_keyword_is_a_located_warning(write_spec: Callable[..., Path]) -> None:
    components = "schemas:\n  Pet:\n    type: string\n    not:\n      const: ''\n"
    api = api_of(write_spec, minimal_spec("", components))
    assert [(p.line, p.pointer, p.rule) for p in api.warnings] == [(10, "/components/schemas/Pet/not", "unsupported")]
    assert "only constrains" in api.warnings[0].message
    assert api.models == [] and api.enums == []  # Pet is typed from its other keywords: str


def test_ref_cycle_without_a_schema_is_a_problem(write_spec: Callable[..., Path]) -> None:
    components = "schemas:\n  A: {$ref: '#/components/schemas/B'}\n  B: {$ref: '#/components/schemas/A'}\n"
    api, problems = pipeline.check_spec(write_spec(minimal_spec("", components)))
    assert api is None
    assert problems and all(p.rule == "ref-unresolved" and "cycle" in p.message for p in problems)


def test_a_list_that_contains_itself_is_a_warning(write_spec: Callable[..., Path]) -> None:
    api = api_of(
        write_spec, minimal_spec("", "schemas:\n  A: {type: array, items: {$ref: '#/components/schemas/A'}}\n")
    )
    assert [(p.pointer, p.rule) for p in api.warnings] == [("/components/schemas/A/items/$ref", "unsupported")]


def test_a_default_of_the_wrong_type_is_a_located_warning_and_left_out(write_spec: Callable[..., Path]) -> None:
    components = "schemas:\n  A:\n    type: object\n    properties:\n      n: {type: integer, default: 'ten'}\n"
    api = api_of(write_spec, minimal_spec("", components))
    assert [(p.pointer, p.rule) for p in api.warnings] == [
        ("/components/schemas/A/properties/n/default", "invalid-default")
    ]
    (field,) = api.models[0].fields
    assert (field.type, field.default) == (Scalar("int"), "None")


def test_inline_schemas_are_named_after_their_place(write_spec: Callable[..., Path]) -> None:
    paths = """
    /x:
      post:
        operationId: makeX
        requestBody:
          content:
            application/json:
              schema:
                type: object
                properties:
                  inner: {type: object, properties: {a: {type: string}}}
        responses:
          "200": {description: ok}
    """
    api = api_of(write_spec, minimal_spec(paths))
    assert [m.name for m in api.models] == ["MakeXRequestInner", "MakeXRequest"]
    assert api.operations[0].return_annotation == "None"


def test_a_union_component_may_refer_back_to_itself(write_spec: Callable[..., Path]) -> None:
    components = """
    schemas:
      Node:
        oneOf: [{$ref: '#/components/schemas/Leaf'}, {$ref: '#/components/schemas/Branch'}]
      Leaf: {type: string}
      Branch:
        type: object
        properties:
          children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    """
    api = api_of(write_spec, minimal_spec("", components))
    assert [(a.name, a.options) for a in api.aliases] == [("Node", (Scalar("str"), Named("Branch")))]
    assert api.models[0].fields[0].type == ListOf(Named("Node"))


def test_odd_schemas_become_warnings_not_failures(write_spec: Callable[..., Path]) -> None:
    components = """
    schemas:
      Mixed:
        allOf: [{type: object, properties: {a: {type: string}}}, {type: string, enum: [x]}]
      Guarded:
        type: string
        not: {type: string, pattern: '(?<n>x)'}
      Sloppy:
        type: object
        required: true
        properties:
          a: {type: {weird: 1}, format: {also: 1}}
      Twice:
        oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
        discriminator: {propertyName: kind, mapping: {cat: Cat, kitty: Cat, dog: Dog}}
      Cat: {type: object, properties: {kind: {type: string}}}
      Dog: {type: object, properties: {kind: {type: string}}}
    """
    api = api_of(write_spec, minimal_spec("", components))
    found = sorted((p.rule, p.pointer) for p in api.warnings)
    assert found == [
        ("invalid-pattern", "/components/schemas/Guarded/not/pattern"),
        ("unsupported", "/components/schemas/Guarded/not"),
        ("unsupported", "/components/schemas/Mixed/allOf"),
        ("unsupported", "/components/schemas/Sloppy/properties/a/type"),
        ("unsupported", "/components/schemas/Twice/discriminator"),
    ]
    assert {e.name for e in api.enums} == {"Mixed"}
    assert [a.tags for a in api.aliases] == [()]


def test_the_readme_example_of_a_union_argument_is_one_of_its_options(write_spec: Callable[..., Path]) -> None:
    paths = """
    /things/{id}:
      get:
        operationId: getThing
        parameters:
          - {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}}
        responses:
          "200": {description: ok}
    """
    api = api_of(write_spec, minimal_spec(paths, "schemas:\n  Id: {oneOf: [{type: string}, {type: integer}]}\n"))
    assert example_call(api, api.operations[0]).arguments == '"..."'


def test_findings_views_add_under_their_rule_into_the_one_collector(write_spec: Callable[..., Path]) -> None:
    document = load(write_spec(minimal_spec()))
    assert isinstance(document, Document)
    findings = Findings(document)
    fake = findings.under("x-fake")
    fake.add("/x-fake", "one")
    findings.add("/paths", "two")
    assert [(p.pointer, p.rule) for p in fake.problems] == [("/x-fake", "x-fake")]
    assert [(p.message, p.rule) for p in findings.problems] == [("one", "x-fake"), ("two", "unsupported")]


EVERY_PARSER = """
openapi: 3.1.0
info: {title: Mini, version: '1'}
servers: [{url: 'https://mini.example'}]
security: [{missing: []}]
x-server: {colour: red}
x-fake: {collections: {things: {id: {kind: dice}}}}
x-unified: {operations: {}}
paths:
  /things:
    get:
      operationId: listThings
      x-resource: 7
      x-pagination: {style: sideways}
      x-fake: {action: juggle}
      parameters:
        - {in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: string, not: {const: ''}}
"""


def test_every_parser_reports_into_the_collector_build_api_reads(write_spec: Callable[..., Path]) -> None:
    api = api_of(write_spec, EVERY_PARSER)
    found = {(p.rule, p.pointer) for p in api.warnings}
    assert {
        ("unsupported", "/paths/~1things/get/responses/200/content/application~1json/schema/not"),  # schemas
        ("unsupported", "/paths/~1things/get/parameters/0"),  # operations
        ("unsupported", "/components/securitySchemes"),  # security
        ("x-server", "/x-server/colour"),
        ("x-fake", "/x-fake/collections/things/id/kind"),  # collections
        ("x-fake", "/paths/~1things/get/x-fake/action"),  # an operation's action
        ("x-pagination", "/paths/~1things/get/x-pagination/style"),
        ("x-resource", "/paths/~1things/get/x-resource"),
        ("x-unified", "/x-unified/operations"),
    } <= found
    assert api.unified is None  # a vendor with x-unified findings is left out


def test_types_say_which_modules_they_import(write_spec: Callable[..., Path]) -> None:
    api = api_of(write_spec, minimal_spec(GET_THING, COMPONENTS))
    thing = next(m for m in api.models if m.name == "Thing")
    fields = {f.wire_name: f for f in thing.fields}
    assert fields["when"].type.imports() == {"datetime"}
    assert fields["tags"].type.imports() == set()
    assert fields["color"].type.imports("models.") == {"models"}
    assert fields["color"].type.imports(accepting="pydantic") == {"typing", "pydantic"}  # Annotated[..., Field]
    mode = api.operations[0].parameters[2].type
    assert mode.imports("models.", accepting="plain") == {"models", "typing"}  # the enum | its literals
    assert api.operations[0].imports == {"models", "typing"}
    assert api.client_uses("models") and not api.client_uses("datetime")


def test_a_const_is_a_literal_type(write_spec: Callable[..., Path]) -> None:
    components = "schemas:\n  A:\n    type: object\n    properties:\n      kind: {const: cat, default: cat}\n"
    (field,) = api_of(write_spec, minimal_spec("", components)).models[0].fields
    assert field.type == LiteralOf(("cat",))
    assert (field.type.annotation(), field.type.imports()) == ('typing.Literal["cat"]', {"typing"})
    assert field.default == '"cat"'
    assert LiteralOf(("a", 1, True)).annotation() == 'typing.Literal["a", 1, True]'
    assert LiteralOf((1,)).admits(1) and not LiteralOf((1,)).admits(True)


def test_the_model_leaves_line_wrapping_to_the_formatter() -> None:
    from test_imports import graph

    edges = graph()
    assert not [
        m for m, imported in edges.items() if m.startswith("generator.model") and "generator.format" in imported
    ]


def test_an_authorization_header_is_an_argument_unless_a_scheme_of_the_operation_sends_it(
    write_spec: Callable[..., Path],
) -> None:
    header = "parameters: [{name: Authorization, in: header, required: true, schema: {type: string}}]"
    api = api_of(
        write_spec,
        minimal_spec(
            f"""
            /open: {{get: {{operationId: open, security: [], {header}, responses: {{'204': {{description: x}}}}}}}}
            /keyed: {{get: {{operationId: keyed, security: [{{key: []}}], {header}, responses: {{'204': {{description: x}}}}}}}}
            /bearer: {{get: {{operationId: bearer, security: [{{token: []}}], {header}, responses: {{'204': {{description: x}}}}}}}}
            """,
            """
            securitySchemes:
              token: {type: http, scheme: bearer}
              key: {type: apiKey, in: header, name: X-Key}
            """,
        ),
    )
    wire = {op.operation_id: [p.wire_name for p in op.parameters] for op in api.operations}
    assert wire == {"open": ["Authorization"], "keyed": ["Authorization"], "bearer": []}
    (ignored,) = [w for w in api.warnings if w.pointer.endswith("/name") and "Authorization" in w.message]
    assert ignored.pointer == "/paths/~1bearer/get/parameters/0/name"
    assert "the operation's security scheme sets it" in ignored.message
