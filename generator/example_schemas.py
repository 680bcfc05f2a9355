"""Examples checked against their schemas with jsonschema: the words of the
`example-valid` rule's findings.

Imported only when an example needs it (`rules` first asks jsonschema-rs, which
is stricter, and brings this module in for the examples it does not pass), so a
run whose examples all fit pays nothing for jsonschema's import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from . import wording
from .pointers import DOCUMENT_URI, join, split
from .runtime._schemas import REQUEST, RESPONSE, directed

Example = tuple[str, str, Any]  # (pointer of the example, pointer of its schema, value)


def _allow_null(check: Any) -> Any:
    """A keyword check that also accepts null when the schema says `nullable: true`."""

    def nullable(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
        if instance is None and isinstance(schema, dict) and schema.get("nullable") is True:
            return
        yield from check(validator, value, instance, schema)

    return nullable


_Validator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {k: _allow_null(Draft202012Validator.VALIDATORS[k]) for k in ("type", "enum")}
)
# By what an example's message leaves out: a schema's own example may be either.
_VALIDATORS = {left_out: directed(_Validator, left_out) for left_out in (REQUEST, RESPONSE, REQUEST | RESPONSE)}


def _left_out(pointer: str) -> frozenset[str]:
    """What the message an example stands for leaves out: readOnly properties in a
    request, writeOnly in a response, either in a schema's own example."""
    for token in split(pointer):
        if token in ("schema", "schemas"):
            break
        if token in ("requestBody", "requestBodies", "parameters"):
            return REQUEST
        if token in ("responses", "headers"):
            return RESPONSE
    return REQUEST | RESPONSE


def mismatches(data: Any, examples: Iterable[Example]) -> Iterator[tuple[str, str]]:
    """(pointer, message) of each example that does not match its schema in `data`."""
    resource = Resource.from_contents(data, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, resource)
    checker = FormatChecker()
    for pointer, schema, value in examples:
        root = {"$ref": f"{DOCUMENT_URI}#{quote(schema)}"}
        validator = _VALIDATORS[_left_out(pointer)](root, registry=registry, format_checker=checker)
        try:
            error = best_match(validator.iter_errors(value))
        except Exception as exc:  # e.g. a pattern Python cannot compile
            yield pointer, f"the example cannot be checked against its schema: {exc}"
            continue
        if error is not None:
            where = join("", *error.absolute_path)
            if error.validator == "type":
                text = wording.type_mismatch(error.instance, _types(error.validator_value))
            else:
                text = " ".join(error.message.split())
            text = text if len(text) <= 200 else text[:197] + "..."
            yield pointer, f"the example does not match its schema{' at ' + where if where else ''}: {text}"


def _types(declared: Any) -> list[str]:
    """A schema's `type`, one name or a list, as a list."""
    return [declared] if isinstance(declared, str) else [str(name) for name in declared]
