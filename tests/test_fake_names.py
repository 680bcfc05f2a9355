"""The served fake finds each operation's handler in its table by the route's name,
so an operation may be named like its resource (`client.meetings.meetings()`, as
eight of Zoom's are) or like another resource."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import served

from generator import pipeline
from generator.model import Api
from generator.write import apply, plan

pytestmark = pytest.mark.slow  # a server on loopback

SPEC = """
openapi: 3.1.0
info: {title: Named, version: '1'}
servers: [{url: 'https://named.example'}]
x-fake:
  collections:
    things: {schema: /components/schemas/Thing, id: {field: id, kind: integer}}
paths:
  /things:
    post:
      operationId: things
      tags: [things]
      x-fake: {action: create, collection: things}
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
      responses:
        '201': {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
  /things/{thingId}:
    get:
      operationId: others
      tags: [things]
      parameters: [{name: thingId, in: path, required: true, schema: {type: integer}}]
      x-fake: {action: read, collection: things, key: thingId}
      responses:
        '200': {description: one, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
  /others/{thingId}:
    get:
      operationId: readOther
      tags: [others]
      parameters: [{name: thingId, in: path, required: true, schema: {type: integer}}]
      x-fake: {action: read, collection: things, key: thingId}
      responses:
        '200': {description: one, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: integer, readOnly: true}, name: {type: string}}}
"""


@pytest.fixture
def named(tmp_path: Path) -> Iterator[tuple[Api, str]]:
    """The spec above generated into tmp_path and imported: its model and its package."""
    spec = tmp_path / "named.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    api, findings = pipeline.check_spec(spec)
    assert isinstance(api, Api), findings
    out = tmp_path / "out"
    apply(plan(out, pipeline.render_all([api]), []))
    sys.path.insert(0, str(out))
    yield api, str(api.package)
    sys.path.remove(str(out))
    for name in [name for name in sys.modules if name.partition(".")[0] == api.package]:
        del sys.modules[name]


def test_an_operation_named_like_its_resource_is_answered_by_the_fake(named: tuple[Api, str]) -> None:
    api, package = named
    calls = {op.operation_id: op.call_name for op in api.operations}
    # one method named like its own resource, one like the other resource
    assert calls == {
        "things": "client.things.things()",
        "others": "client.things.others()",
        "readOther": "client.others.read_other()",
    }
    app = importlib.import_module(f"{package}.server").create_app()
    with served(app) as root, httpx.Client(base_url=root) as http:
        made = http.post("/things", json={"name": "a"})
        assert made.status_code == 201, made.text
        thing = made.json()
        assert thing["name"] == "a"
        assert http.get(f"/things/{thing['id']}").json() == thing
        assert http.get(f"/others/{thing['id']}").json() == thing
        assert http.get("/things/999").status_code == 404
