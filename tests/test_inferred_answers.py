"""What the corpus showed the inferred fake got wrong: a list of another resource's
items joined a collection whose ids are of another type, and a create answering an
array of items the stored item does not complete answered 500."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import minimal_spec

from generator import pipeline
from generator.runtime._fake_samples import completed
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
