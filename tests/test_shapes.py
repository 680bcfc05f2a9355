"""Schemas real API descriptions use (tests/fixtures/shapes*.yaml): what the
generated client reads and sends, and the warnings about what it types loosely."""

from __future__ import annotations

import json
import typing
from typing import Any

import httpx
import pydantic
import pytest
from conftest import ROOT
from shapes import ShapesClient
from shapes.models import (
    BadDefaults,
    Circle,
    Color,
    Constraints,
    Contact,
    Defaults,
    DefaultsNullableColor,
    Drawing,
    Enums,
    EnumsGrade,
    EnumsHalf,
    EnumsLevel,
    EnumsSize,
    EnumsWeek,
    FigureOption2,
    Flags,
    Loose,
    MaybeColor,
    PatternedChild,
    Ratio,
    Reach,
    Shape,
    Square,
)
from shapes30 import Shapes30Client
from shapes30.models import Color as Color30
from shapes30.models import Legacy, LegacyColor, LegacyRatio, Owner

from generator import pipeline


def recording(answer: Any) -> tuple[ShapesClient, list[httpx.Request]]:
    """A client whose every call is answered with `answer` as JSON, and the requests it sent."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answer)

    return ShapesClient(http_client=httpx.Client(transport=httpx.MockTransport(handle))), seen


def sent(seen: list[httpx.Request]) -> Any:
    return json.loads(seen[-1].content)


def test_boolean_schemas_read_anything_and_a_false_property_is_left_out() -> None:
    wire = {"anything": {"x": [1]}, "whatever": 3, "never": "kept", "sealed": {}, "noItems": [], "viaRef": None}
    client, seen = recording(wire)
    flags = client.get_booleans()
    assert (flags.anything, flags.whatever, flags.sealed, flags.no_items, flags.via_ref) == (
        {"x": [1]},
        3,
        {},
        [],
        None,
    )
    assert "never" not in Flags.model_fields and flags.model_extra == {"never": "kept"}
    client.send_booleans(body=Flags(anything=[1, "a"], inline_sealed={}, open_map={"k": {"deep": True}}))
    assert sent(seen) == {"anything": [1, "a"], "inlineSealed": {}, "openMap": {"k": {"deep": True}}}


def test_enums_of_booleans_numbers_mixed_values_and_null() -> None:
    wire = {"flag": False, "onlyTrue": True, "ratio": 2.5, "mixed": "a", "maybeColor": None, "size": None, "level": 3}
    client, seen = recording(wire)
    enums = client.get_enums()
    assert (enums.flag, enums.only_true, enums.mixed, enums.maybe_color, enums.size) == (False, True, "a", None, None)
    assert enums.ratio is Ratio.VALUE_2_5 and enums.level is EnumsLevel.VALUE_3
    assert Enums.model_validate({"mixed": True}).mixed is True and Enums.model_validate({"mixed": 1}).mixed == 1
    client.send_enums(
        body=Enums(ratio=Ratio.VALUE_0_5, mixed=True, maybe_color=MaybeColor.RED, size=EnumsSize.LARGE, level=None)
    )
    assert sent(seen) == {"ratio": 0.5, "mixed": True, "maybeColor": "red", "size": "large", "level": None}


def test_enum_members_take_the_names_a_spec_gives_or_read_as_their_values() -> None:
    assert [(m.name, m.value) for m in EnumsWeek] == [
        ("LAST_WEEK", -1),
        ("FIRST_WEEK", 1),
        ("SECOND_WEEK", 2),
    ]  # x-enum-varnames
    assert [(m.name, m.value) for m in EnumsGrade] == [("LOW", 1), ("HIGH", 2)]  # x-enumNames
    assert [(m.name, m.value) for m in EnumsHalf] == [
        ("VALUE_NEGATIVE_1", -1),
        ("VALUE_1", 1),
    ]  # too few names: not used
    assert Enums(week=-1, grade=2).week is EnumsWeek.LAST_WEEK


def test_enum_values_the_spec_does_not_list_are_kept() -> None:
    unknown = {"ratio": 7, "mixed": "b", "maybeColor": "purple", "size": "huge", "level": 0.1}
    client, seen = recording(unknown)
    enums = client.get_enums()
    assert [m.name for m in (enums.ratio, enums.maybe_color, enums.size, enums.level) if m] == ["UNKNOWN"] * 4
    assert enums.mixed == "b"  # a union of the enum's types reads any of them
    with pytest.raises(pydantic.ValidationError):  # but a value of another type is an error
        Enums.model_validate({"ratio": "seven"})
    client.send_enums(body=enums)  # what a response gave can be sent back
    assert sent(seen) == unknown
    with pytest.raises(pydantic.ValidationError):  # but a request of one's own is checked
        Enums(ratio=7)


def test_defaults_on_nullable_enums_and_one_part_all_of() -> None:
    defaults = Defaults()
    assert (defaults.nullable_color, defaults.wrapped_color, defaults.maybe_wrapped) == (
        DefaultsNullableColor.GREEN,
        Color.BLUE,
        Color.RED,
    )
    assert (defaults.wrapped_number, defaults.ref_color, defaults.colors) == (3, Color.RED, [Color.RED, Color.GREEN])
    client, seen = recording({"nullableColor": None, "maybeWrapped": None, "wrappedColor": "mauve", "owner": {}})
    read = client.get_defaults()
    assert (read.nullable_color, read.maybe_wrapped, read.owner, read.wrapped_color.value) == (None, None, {}, "mauve")
    assert dict(seen[0].url.params) == {"color": "green", "shade": "blue"}
    client.get_defaults(color=None, shade=Color.RED)
    assert dict(seen[1].url.params) == {"shade": "red"}
    client.send_defaults(body=Defaults(wrapped_color=Color.GREEN, maybe_wrapped=None))
    assert sent(seen) == {"wrappedColor": "green", "maybeWrapped": None}


def test_options_that_only_say_what_is_required_keep_the_parent_object() -> None:
    client, seen = recording({"name": "Ann", "phone": "555", "reach": {"hours": 4}})
    contact = client.get_contact()
    assert contact == Contact(name="Ann", phone="555", reach=Reach(hours=4))
    assert [n for n, f in Contact.model_fields.items() if f.is_required()] == ["name"]
    client.send_contact(body=Contact(name="Bo", email="bo@example.com"))
    assert sent(seen) == {"name": "Bo", "email": "bo@example.com"}


def test_discriminators_that_cannot_tag_their_options_make_untagged_unions() -> None:
    wire = {
        "note": ["a", "b"],
        "shapes": [{"kind": "square", "side": 2}, {"kind": "circle", "radius": 1}],
        "figure": {"label": "x"},
    }
    client, seen = recording(wire)
    drawing = client.get_drawing()
    assert drawing.note == ["a", "b"] and isinstance(drawing.figure, FigureOption2)
    assert drawing.shapes is not None and [type(s) for s in drawing.shapes] == [Square, Circle]
    assert Drawing.model_validate({"note": "text"}).note == "text"
    with pytest.raises(pydantic.ValidationError):  # Shape stays tagged: a bare schema name in its mapping
        pydantic.TypeAdapter(Shape).validate_python({"kind": "triangle", "side": 1})
    client.send_drawing(body=drawing)
    assert sent(seen) == wire


def test_not_if_and_pattern_properties_leave_the_rest_typed() -> None:
    wire = {
        "name": "",
        "shipping": {"country": "US"},
        "labels": {"x-a": "b", "n-c": 3},
        "annotated": {"id": "1", "x-y": "z"},
    }
    client, seen = recording(wire)
    constraints = client.get_constraints()
    assert constraints.name == "" and constraints.labels == {"x-a": "b", "n-c": 3}
    assert constraints.shipping is not None and constraints.shipping.country == "US"
    assert constraints.annotated is not None and constraints.annotated.model_extra == {"x-y": "z"}
    with pytest.raises(pydantic.ValidationError):  # map values: a string or an integer
        Constraints.model_validate({"labels": {"x-a": [1]}})
    client.send_constraints(body=constraints)
    assert sent(seen) == wire


def test_any_absorbs_unions_and_formats_keep_their_types() -> None:
    wire = {
        "anyOrString": {"a": 1},
        "stringOrInteger": 5,
        "maybeInteger": None,
        "big": 2**62,
        "small": 1,
        "double": 1.5,
        "single": 2,
        "blob": "AAE=",
        "uuid": "6c1b6b8e-1f4e-4b7a-9a53-0c3e2f0b7a11",
        "link": "https://x.example",
        "email": "a@x.example",
        "odd": "?",
        "deep": [[[]]],
    }
    client, seen = recording(wire)
    loose = client.get_loose()
    assert Loose.model_fields["any_or_string"].annotation is typing.Any
    assert (loose.any_or_string, loose.string_or_integer, loose.maybe_integer, loose.big) == ({"a": 1}, 5, None, 2**62)
    assert isinstance(loose.single, float) and isinstance(loose.uuid, str) and loose.deep == [[[]]]
    client.send_loose(body=loose)
    assert sent(seen) == wire


def test_patterns_python_cannot_compile_are_left_out_of_the_served_spec() -> None:
    wire = {"named": "abc", "letters": "äö", "possessive": "aa", "plain": "z", "code": "ÄB"}
    client, seen = recording(wire)
    assert client.get_patterns() == PatternedChild.model_validate(wire)
    client.send_patterns(body=PatternedChild.model_validate(wire))
    assert sent(seen) == wire
    served = json.loads((ROOT / "tests/golden/shapes/openapi.json").read_text("utf-8"))["components"]["schemas"]
    properties = served["Patterned"]["properties"]
    assert [name for name, schema in properties.items() if "pattern" in schema] == ["possessive", "plain"]
    assert "pattern" not in served["PatternedChild"]["allOf"][1]["properties"]["code"]


def test_defaults_that_do_not_fit_are_left_out() -> None:
    bad = BadDefaults()
    assert (bad.color, bad.count, bad.maybe_color, bad.pair, bad.tag, bad.ratio) == (
        None,
        None,
        None,
        None,
        5,
        Ratio.VALUE_1,
    )
    client, seen = recording({"pair": {"a": 2}, "tag": "t"})
    assert client.get_bad_defaults().tag == "t"
    client.send_bad_defaults(body=BadDefaults(count=3, tag=7))
    assert sent(seen) == {"count": 3, "tag": 7}
    served = json.loads((ROOT / "tests/golden/shapes/openapi.json").read_text("utf-8"))["components"]["schemas"]
    properties = served["BadDefaults"]["properties"]
    assert [name for name, schema in properties.items() if "default" in schema] == ["pair", "tag", "ratio"]


def test_open_api_3_0_nullable_beside_enums_all_of_and_defaults() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"color": None, "wrapped": "teal", "owner": None, "count": None, "ratio": 0.75})

    client = Shapes30Client(http_client=httpx.Client(transport=httpx.MockTransport(handle)))
    legacy = client.get_legacy()
    assert (legacy.color, legacy.owner, legacy.count) == (None, None, None)
    assert (
        legacy.wrapped is not None
        and legacy.wrapped.value == "teal"
        and legacy.ratio is not None
        and legacy.ratio.value == 0.75
    )
    assert dict(seen[0].url.params) == {"color": "red", "shade": "green"}
    assert Legacy() == Legacy(color=LegacyColor.GREEN, wrapped=Color30.BLUE, count=3, ratio=LegacyRatio.VALUE_0_5)
    client.send_legacy(body=Legacy(owner=Owner(name="Ann"), wrapped=None, count=None))
    assert json.loads(seen[-1].content) == {"owner": {"name": "Ann"}, "wrapped": None, "count": None}


EXPECTED = [
    ("unsupported", "/components/schemas/Nothing"),
    ("unsupported", "/components/schemas/Note/discriminator"),
    ("unsupported", "/components/schemas/Figure/discriminator"),
    ("unsupported", "/components/schemas/NotEmpty/not"),
    ("unsupported", "/components/schemas/Shipping/if"),
    ("unsupported", "/components/schemas/Annotated/patternProperties"),
    ("unsupported", "/components/schemas/Deep" + "/items" * 61),
    ("invalid-pattern", "/components/schemas/Patterned/properties/named/pattern"),
    ("invalid-pattern", "/components/schemas/Patterned/properties/letters/pattern"),
    ("invalid-pattern", "/components/schemas/PatternedChild/allOf/1/properties/code/pattern"),
    ("invalid-default", "/components/schemas/BadDefaults/properties/color/default"),
    ("invalid-default", "/components/schemas/BadDefaults/properties/count/default"),
    ("invalid-default", "/components/schemas/BadDefaults/properties/maybeColor/default"),
    ("unsupported", "/components/schemas/BadDefaults/properties/pair/default"),
]


def test_the_model_warns_where_it_types_loosely_or_leaves_a_value_out() -> None:
    api, findings = pipeline.check_spec(ROOT / "tests/fixtures/shapes.yaml")
    assert api is not None
    mine = {"unsupported", "invalid-default", "invalid-pattern"}
    assert sorted((w.rule, w.pointer) for w in api.warnings if w.rule in mine) == sorted(EXPECTED)
    assert all(w.severity == "warning" and w.line > 1 for w in api.warnings)
    api30, findings30 = pipeline.check_spec(ROOT / "tests/fixtures/shapes30.yaml")
    assert api30 is not None and findings30 == []
