"""Where specs come from: OpenAPI 3.0 in JSON, and $refs to other local files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pydantic
import pytest
from click.testing import Result
from conftest import minimal_spec
from legacy30 import LegacyClient
from legacy30.models import Record, RecordKind
from multifile import MultiFileClient, NotFoundError
from multifile.models import Detail, Error, Person


def test_openapi_30_nullable_fields() -> None:
    client = LegacyClient(
        http_client=httpx.Client(
            transport=httpx.MockTransport(
                lambda request: httpx.Response(200, json={"id": 1, "note": None, "tags": None, "kind": "b"})
            )
        )
    )
    assert client.get_record(1) == Record(id=1, note=None, tags=None, kind=RecordKind.B)
    with pytest.raises(pydantic.ValidationError):
        Record.model_validate({"id": 1})  # note is required, even though it may be null


def test_schemas_and_responses_from_other_files() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/ann"):
            return httpx.Response(200, json={"name": "Ann"})
        return httpx.Response(404, json={"code": "gone", "details": [{"field": "name", "owner": {"name": "Bob"}}]})

    client = MultiFileClient(http_client=httpx.Client(transport=httpx.MockTransport(handle)))
    assert client.get_person("ann") == Person(name="Ann")
    with pytest.raises(NotFoundError) as caught:
        client.get_person("bob")
    assert caught.value.body == Error(code="gone", details=[Detail(field="name", owner=Person(name="Bob"))])


def referring_to(ref: str) -> str:
    """A spec whose one answer's schema is `ref`."""
    return f"""
        openapi: 3.1.0
        info: {{title: t, version: "1"}}
        security: []
        paths:
          /thing:
            get:
              operationId: getThing
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema: {{$ref: "{ref}"}}
        """


def test_a_problem_in_a_referenced_file_names_that_file(
    cli: Callable[..., Result], write_spec: Callable[..., Path]
) -> None:
    write_spec("Thing:\n  type: object\n  properties:\n    size:\n      not: {type: string}\n", "parts/things.yaml")
    write_spec(referring_to("parts/things.yaml#/Thing"))
    result = cli("lint", "api.yaml")
    assert result.stdout.splitlines()[0].startswith(
        "parts/things.yaml:5: /x-bundled/parts~1things.yaml/Thing/properties/size/not: warning [unsupported] "
    )


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("../outside.yaml#/Thing", "leaves the spec's folder"),
        ("/etc/passwd#/x", "leaves the spec's folder"),
        ("https://example.com/spec.yaml#/Thing", "is not a local file"),
        ("missing.yaml#/Thing", "cannot read the file"),
    ],
)
def test_refs_to_files_outside_the_spec_folder_are_refused(
    ref: str, message: str, cli: Callable[..., Result], write_spec: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "outside.yaml").write_text("Thing: {type: string}\n")
    write_spec(referring_to(ref), "specs/api.yaml")
    result = cli("lint", "specs/api.yaml")
    assert result.exit_code == 1
    assert message in result.stdout.splitlines()[0]


@pytest.mark.parametrize(("spec", "package"), [("calendar", "calendar_api"), ("httpx", "httpx_api")])
def test_a_package_never_takes_the_name_of_a_module_it_would_hide(
    cli: Callable[..., Result], tmp_path: Path, spec: str, package: str
) -> None:
    (tmp_path / f"{spec}.yaml").write_text(minimal_spec(), encoding="utf-8")
    result = cli("generate", "--out", "out", f"{spec}.yaml")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / spec).exists()
    assert f".{package} import MiniClient" in (tmp_path / "out" / package / "README.md").read_text()
