"""What the corpus showed the inferred fake got wrong: a list of another resource's
items joined a collection whose ids are of another type, so did a create of another
resource of the same name, a create answering an array of items the stored item does
not complete answered 500, and so did a field that is a string enum in an `allOf`
and an uploaded file that is not UTF-8."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
from bodies import BodiesClient
from bodies.models import UploadFileRequest
from bodies.server import SETTINGS, create_app
from conftest import minimal_spec, served

from generator import pipeline
from generator.runtime._fake_samples import completed, project, sample
from generator.runtime._server_runtime import Spec

PATHS = """
    /meetings:
      get:
        operationId: listMeetings
        responses:
          '200':
            description: all
            content:
              application/json:
                schema: {type: array, items: {$ref: '#/components/schemas/Meeting'}}
    /meetings/{meetingId}:
      parameters: [{name: meetingId, in: path, required: true, schema: {type: integer}}]
      get:
        operationId: getMeeting
        responses:
          '200':
            description: one
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Meeting'}
    /groups/{groupKey}/meetings:
      parameters: [{name: groupKey, in: path, required: true, schema: {type: integer}}]
      get:
        operationId: listGroupMeetings
        responses:
          '200':
            description: a report of a group's meetings, ids as strings
            content:
              application/json:
                schema: {type: array, items: {$ref: '#/components/schemas/GroupMeeting'}}
"""
COMPONENTS = """
schemas:
  Meeting:
    type: object
    properties:
      meetingId: {type: integer}
      subject: {type: string}
  GroupMeeting:
    type: object
    properties:
      meetingId: {type: string}
      duration: {type: string}
"""


def test_a_list_whose_items_spell_the_id_as_another_type_is_not_the_collections(
    write_spec: Callable[..., Path],
) -> None:
    api, findings = pipeline.check_spec(write_spec(minimal_spec(PATHS, COMPONENTS)))
    assert api is not None, findings
    kinds = {op.operation_id: op.fake.action if op.fake else None for op in api.operations}
    assert kinds == {"listMeetings": "list", "getMeeting": "read", "listGroupMeetings": "static"}


def test_an_answer_is_completed_in_its_arrays_and_envelopes() -> None:
    item = {"type": "object", "required": ["joinURL"], "properties": {"joinURL": {"type": "string"}}}
    schema = {"type": "object", "properties": {"meetings": {"type": "array", "items": item}}}
    answer = {"meetings": [{"meetingid": 1}]}
    assert completed(answer, schema, Spec({})) == {"meetings": [{"meetingid": 1, "joinURL": "x"}]}


WRITES = """
    /h323/widgets:
      post:
        operationId: createH323Widget
        requestBody:
          content:
            application/json:
              schema: {type: object, properties: {ip: {type: string}, protocol: {type: string}}}
        responses: {'201': {description: made}}
    /phone/widgets:
      post:
        operationId: createPhoneWidget
        requestBody:
          content:
            application/json:
              schema: {type: object, properties: {action: {type: string}, info: {$ref: '#/components/schemas/Widget'}}}
        responses: {'201': {description: made}}
    /phone/widgets/{widgetId}:
      parameters: [{name: widgetId, in: path, required: true, schema: {type: string}}]
      get:
        operationId: getWidget
        responses:
          '200':
            description: one
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Widget'}
"""
WIDGET = """
schemas:
  Widget:
    type: object
    properties:
      id: {type: string}
      display_name: {type: string}
"""


def test_a_write_whose_body_shares_no_field_with_the_items_is_another_resources(
    write_spec: Callable[..., Path],
) -> None:
    api, findings = pipeline.check_spec(write_spec(minimal_spec(WRITES, WIDGET)))
    assert api is not None, findings
    kinds = {op.operation_id: op.fake.action if op.fake else None for op in api.operations}
    assert kinds == {"createH323Widget": "static", "createPhoneWidget": "create", "getWidget": "read"}


def test_an_all_of_of_a_string_enum_and_a_description_samples_the_enum() -> None:
    spec = Spec({"components": {"schemas": {"Kind": {"type": "string", "enum": ["send", "receive"]}}}})
    schema = {"allOf": [{"$ref": "#/components/schemas/Kind"}, {"description": "how"}]}
    assert sample(schema, spec) == "send"


def test_the_fake_takes_an_uploaded_file_that_is_not_text() -> None:
    with served(create_app()) as root, BodiesClient(base_url=root + SETTINGS.base_path, max_retries=0) as client:
        client.upload_file(body=UploadFileRequest(file=b"\x89PNG\x00\xff", title="t"))


def test_an_item_path_whose_key_is_one_of_a_fixed_list_is_no_collection(write_spec: Callable[..., Path]) -> None:
    paths = PATHS.replace(
        "name: meetingId, in: path, required: true, schema: {type: integer}",
        "name: meetingId, in: path, required: true, schema: {type: integer, enum: [1, 2]}",
    )
    api, findings = pipeline.check_spec(write_spec(minimal_spec(paths, COMPONENTS)))
    assert api is not None, findings
    assert not api.collections


STORED = """
    /gadgets:
      post:
        operationId: createGadget
        requestBody:
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
        responses:
          '201':
            description: made
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Gadget'}
    /gadgets/{gadgetId}:
      parameters: [{name: gadgetId, in: path, required: true, schema: {type: integer}}]
      get:
        operationId: getGadget
        responses:
          '200':
            description: one
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Gadget'}
"""
GADGET = """
schemas:
  Gadget:
    type: object
    properties:
      id: {type: integer}
      name: {type: string}
      size: {type: integer}
"""


def test_the_fake_stores_only_the_fields_the_request_body_declares(
    write_spec: Callable[..., Path], tmp_path: Path
) -> None:
    spec = write_spec(minimal_spec(STORED, GADGET), "gadgets.yaml")
    pipeline.generate([spec], tmp_path / "out", all_specs=False)
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        server = importlib.import_module("gadgets.server")
        with served(server.create_app()) as root:
            base = root + server.SETTINGS.base_path
            made = httpx.post(base + "/gadgets", json={"name": "a", "size": "not declared here"})
            assert made.status_code == 201, made.text
            got = httpx.get(f"{base}/gadgets/{made.json()['id']}")
            assert got.status_code == 200, got.text
            assert got.json()["name"] == "a" and got.json().get("size") != "not declared here"
    finally:
        sys.path.remove(str(tmp_path / "out"))


COUNT = """
    /gadgets/$count:
      get:
        operationId: countGadgets
        responses:
          '200':
            description: how many
            content:
              text/plain:
                schema: {type: integer}
"""


def test_a_text_answer_of_a_number_is_its_text(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    spec = write_spec(minimal_spec(COUNT), "counted.yaml")
    pipeline.generate([spec], tmp_path / "out", all_specs=False)
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        server = importlib.import_module("counted.server")
        with served(server.create_app()) as root:
            answer = httpx.get(root + server.SETTINGS.base_path + "/gadgets/$count")
            assert answer.status_code == 200, answer.text
            assert answer.text == "0"
    finally:
        sys.path.remove(str(tmp_path / "out"))


def test_an_answer_leaves_out_a_stored_field_its_schema_types_otherwise() -> None:
    """An item another operation stored (a number, a value of a wider enum) is
    answered without that field, which `completed` then fills in as the schema says."""
    schema = {
        "type": "object",
        "required": ["duration", "type"],
        "properties": {"duration": {"type": "string"}, "type": {"type": "string", "enum": ["user", "group"]}},
    }
    stored = {"duration": 60, "type": "commonarea", "extra": 1}
    assert project(stored, schema, Spec({})) == {}
    assert completed(project(stored, schema, Spec({})), schema, Spec({})) == {"duration": "x", "type": "user"}
    assert project({"duration": "1h", "type": "group"}, schema, Spec({})) == {"duration": "1h", "type": "group"}
