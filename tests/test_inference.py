"""What the model infers for the fake of a spec without `x-fake`, and how `x-fake`
overrides it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import ROOT, minimal_spec

from generator import pipeline
from generator.model import Api
from generator.runtime._fake_records import Collection, FakeAction
from generator.runtime._fake_samples import numbered

ITEM = """get:
        operationId: getWidget
        responses:
          '200':
            description: one
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Widget'}"""
COMPONENTS = """
schemas:
  Widget:
    type: object
    properties:
      widgetId: {type: string, format: uuid, readOnly: true}
      name: {type: string}
  Other:
    type: object
    properties:
      id: {type: integer}
"""


def model(write_spec: Callable[..., Path], paths: str, components: str = COMPONENTS) -> Api:
    api, findings = pipeline.check_spec(write_spec(minimal_spec(paths, components)))
    assert api is not None, findings
    return api


def actions(api: Api) -> dict[str, FakeAction | None]:
    return {op.operation_id: op.fake for op in api.operations}


def test_a_collection_is_inferred_from_an_item_path_and_its_id_property(write_spec: Callable[..., Path]) -> None:
    paths = f"""
    /widgets/{{widgetId}}:
      parameters: [{{name: widgetId, in: path, required: true, schema: {{type: string}}}}]
      {ITEM}
      delete:
        operationId: deleteWidget
        responses: {{'204': {{description: gone}}}}
    """
    api = model(write_spec, paths)
    assert api.collections == {
        "widgets": Collection(schema="/components/schemas/Widget", id_field="widgetId", id_kind="uuid")
    }
    assert actions(api) == {
        "getWidget": FakeAction("read", "widgets", key="widgetId"),
        "deleteWidget": FakeAction("delete", "widgets", key="widgetId"),
    }


def test_x_fake_on_an_operation_and_a_declared_collection_override_inference(
    write_spec: Callable[..., Path],
) -> None:
    paths = f"""
    /widgets/{{widgetId}}:
      parameters: [{{name: widgetId, in: path, required: true, schema: {{type: string}}}}]
      {ITEM}
      delete:
        operationId: deleteWidget
        x-fake: {{action: static}}
        responses: {{'204': {{description: gone}}}}
    """
    text = minimal_spec(paths, COMPONENTS) + "x-fake:\n  collections:\n    widgets: {id: {field: name}}\n"
    api, findings = pipeline.check_spec(write_spec(text))
    assert api is not None, findings
    assert api.collections == {"widgets": Collection(id_field="name")}
    assert actions(api) == {
        "getWidget": FakeAction("read", "widgets", key="widgetId"),
        "deleteWidget": FakeAction("static"),
    }


def test_what_cannot_be_inferred_answers_statically_and_ignores_its_query(write_spec: Callable[..., Path]) -> None:
    paths = """
    /health:
      get:
        operationId: getHealth
        parameters: [{name: verbose, in: query, schema: {type: boolean}}]
        responses: {'200': {description: fine}}
    """
    assert actions(model(write_spec, paths)) == {"getHealth": FakeAction("static", ignore=("verbose",))}


def test_one_name_with_two_item_schemas_makes_two_collections(write_spec: Callable[..., Path]) -> None:
    paths = f"""
    /widgets/{{widgetId}}:
      parameters: [{{name: widgetId, in: path, required: true, schema: {{type: string}}}}]
      {ITEM}
    /old/widgets/{{id}}:
      parameters: [{{name: id, in: path, required: true, schema: {{type: integer}}}}]
      get:
        operationId: getOldWidget
        responses:
          '200':
            description: one
            content:
              application/json:
                schema: {{$ref: '#/components/schemas/Other'}}
    """
    api = model(write_spec, paths)
    assert sorted(api.collections) == ["widgets_Other", "widgets_Widget"]
    assert api.collections["widgets_Other"].id_kind == "integer"


def test_an_id_declared_a_string_in_one_answer_and_an_integer_in_another_is_digits(
    write_spec: Callable[..., Path],
) -> None:
    """Digits fit both: the create's answer (an integer id) and the read's (a string)."""
    paths = """
    /gadgets:
      post:
        operationId: createGadget
        requestBody: {content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}}
        responses:
          '201':
            description: made
            content:
              application/json:
                schema: {type: object, properties: {id: {type: integer}, name: {type: string}}}
    /gadgets/{gadgetId}:
      parameters: [{name: gadgetId, in: path, required: true, schema: {type: string}}]
      get:
        operationId: getGadget
        responses:
          '200':
            description: one
            content:
              application/json:
                schema: {type: object, properties: {id: {type: string}, name: {type: string}}}
    """
    api = model(write_spec, paths)
    assert api.collections["gadgets"].id_kind == "digits"


def test_an_id_with_an_enum_makes_no_collection(write_spec: Callable[..., Path]) -> None:
    """Ids it issued would leave the enum: what names one of a few fixed things answers statically."""
    paths = """
    /slots/{slotId}:
      parameters: [{name: slotId, in: path, required: true, schema: {type: integer}}]
      get:
        operationId: getSlot
        responses:
          '200':
            description: one
            content:
              application/json:
                schema: {type: object, properties: {id: {type: integer, enum: [1, 2]}, name: {type: string}}}
    """
    api = model(write_spec, paths)
    assert not api.collections
    assert actions(api)["getSlot"].action == "static"  # type: ignore[union-attr]


@pytest.mark.parametrize("pattern", [r"^RM[0-9a-fA-F]{32}$", r"^\d+$", r"^[a-z]{3}$", r"^[A-Z]{2}-[0-9]{4}$"])
def test_ids_made_for_a_pattern_match_it_and_differ(pattern: str) -> None:
    made = [numbered(pattern, n) for n in range(1, 40)]
    assert all(m is not None and re.search(pattern, m) for m in made)
    assert len(set(made)) == len(made)


def test_lint_explain_fake_prints_each_operations_action(
    cli: Callable[..., Result], write_spec: Callable[..., Path]
) -> None:
    paths = f"""
    /widgets/{{widgetId}}:
      parameters: [{{name: widgetId, in: path, required: true, schema: {{type: string}}}}]
      {ITEM}
    """
    spec = write_spec(minimal_spec(paths, COMPONENTS))
    result = cli("lint", "--explain-fake", str(spec))
    assert result.exit_code == 0, result.output
    assert "GET /widgets/{widgetId} (getWidget): read widgets key=widgetId [inferred]" in result.output
    assert "collection widgets: items /components/schemas/Widget, id 'widgetId' (uuid)" in result.output


def test_items_in_envelopes_and_arrays_and_a_list_on_one_page() -> None:
    api, findings = pipeline.check_spec(ROOT / "tests" / "fixtures" / "inferred" / "envelopes.yaml")
    assert api is not None, findings
    found = actions(api)
    assert found["createThing"] == FakeAction("create", "things", output="/data")
    assert found["updateThing"] == FakeAction("merge", "things", key="thingId", output="/thing")
    assert found["createGadget"] == FakeAction("create", "gadgets", output="/0")  # `[{"gadgetid": 1}]`
    assert found["listThings"] == FakeAction(
        "list", "things", output="/things", limit="pageSize", totals=("/total",), envelope={"/nextPageToken": ""}
    )
    assert api.collections["things"].id_pattern == "^TH[0-9a-f]{32}$"
