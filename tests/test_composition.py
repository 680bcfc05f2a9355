"""Composition (oneOf/anyOf/allOf/const) and readOnly/writeOnly, in generated code."""

from __future__ import annotations

import json

import httpx
import pydantic
import pytest
from composition import CompositionClient
from composition.models import Cat, Dog, Entry, Folder, Owner, Pet
from features.models import Item, ItemInput


def client(response: httpx.Response, seen: list[httpx.Request]) -> CompositionClient:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response

    return CompositionClient(http_client=httpx.Client(transport=httpx.MockTransport(handle)))


def test_a_tagged_union_reads_the_member_its_tag_names() -> None:
    seen: list[httpx.Request] = []
    pet = client(httpx.Response(200, json={"petType": "dog", "name": "Rex"}), seen).add_pet(
        body=Cat(pet_type="cat", name="Tom")
    )
    assert isinstance(pet, Dog) and pet.good_boy is True
    assert json.loads(seen[0].content) == {"petType": "cat", "name": "Tom"}


def test_a_tagged_union_rejects_an_unknown_tag() -> None:
    with pytest.raises(pydantic.ValidationError):
        pydantic.TypeAdapter(Pet).validate_python({"petType": "fish", "name": "Nemo"})


def test_an_untagged_union_takes_the_first_member_that_fits() -> None:
    assert client(httpx.Response(200, json=7), []).get_tag(1) == 7
    assert client(httpx.Response(200, json="seven"), []).get_tag(1) == "seven"
    assert client(httpx.Response(200, content=b"null"), []).get_tag(1) is None


def test_all_of_merges_the_parts_and_const_is_a_literal() -> None:
    owner = Owner.model_validate(
        {"name": "Ann", "pets": [{"petType": "cat", "name": "Tom"}], "contact": 5550100, "level": 3}
    )
    assert (owner.name, owner.contact, owner.level) == ("Ann", 5550100, 3)
    assert isinstance(owner.pets[0], Cat)
    with pytest.raises(pydantic.ValidationError):
        Owner.model_validate({"name": "Ann", "pets": [], "level": 4})
    assert set(Owner.model_fields) == {"name", "pets", "contact", "level"}


def test_read_only_fields_are_left_out_of_requests_and_write_only_ones_out_of_answers() -> None:
    assert "id" in Item.model_fields and "secret" not in Item.model_fields
    assert "secret" in ItemInput.model_fields and "id" not in ItemInput.model_fields


def test_mutually_recursive_models() -> None:
    data = {"name": "/", "entries": [{"name": "docs", "folder": {"name": "docs", "entries": [{"name": "a.txt"}]}}]}
    root = client(httpx.Response(200, json=data), []).get_root_folder()
    assert root == Folder(
        name="/", entries=[Entry(name="docs", folder=Folder(name="docs", entries=[Entry(name="a.txt")]))]
    )
    assert root.entries and root.entries[0].folder and root.entries[0].folder.entries
    assert root.entries[0].folder.entries[0].folder is None
