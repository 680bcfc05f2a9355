"""JSON Schema validation as OpenAPI means it for one direction of travel.

A property marked `readOnly` is sent only in responses and one marked `writeOnly`
only in requests, so `required` does not demand it where it is not sent.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from jsonschema import ValidationError, validators
from jsonschema.protocols import Validator

REQUEST = frozenset({"readOnly"})  # what a request leaves out
RESPONSE = frozenset({"writeOnly"})  # what a response leaves out


def directed(base: type[Validator], left_out: frozenset[str]) -> type[Validator]:
    """`base`, whose `required` passes over properties marked with a `left_out` keyword."""

    def required(
        validator: Validator,
        names: typing.Any,
        instance: typing.Any,
        schema: typing.Any,
    ) -> Iterator[ValidationError]:
        if not validator.is_type(instance, "object"):
            return
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        for name in names:
            marked = properties.get(name)
            if name in instance or (
                isinstance(marked, dict)
                and any(marked.get(keyword) is True for keyword in left_out)
            ):
                continue
            yield ValidationError(f"{name!r} is a required property")

    return typing.cast(
        "type[Validator]",
        validators.extend(base, {"required": required}),  # type: ignore[no-untyped-call]
    )
