"""Validate a loaded spec: local references first, then the OpenAPI schema."""

from __future__ import annotations

import functools
import importlib.util
import json
import threading
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import jsonschema_rs

from . import wording
from .cache import Cache, digest
from .load import Document
from .pointers import MAX_REF_CHAIN, chain, join, mappings, ref_target, refers_to, resolve
from .problems import Problem

VALIDATORS: dict[str, Any] = {}  # OpenAPI version ("3.0", "3.1") -> its schema's validator, once built


@functools.cache
def openapi_schema(version: str) -> dict[str, Any]:
    """The OpenAPI schema of `version` ("3.0", "3.1") that openapi-spec-validator ships,
    read as a file: importing that package costs a third of a second."""
    found = importlib.util.find_spec("openapi_spec_validator")
    assert found is not None and found.submodule_search_locations, "openapi-spec-validator is a dependency"
    folder = Path(next(iter(found.submodule_search_locations)), "resources", "schemas", f"v{version}")
    return typing.cast(dict[str, Any], json.loads((folder / "schema.json").read_text("utf-8")))


def validate(document: Document, cache: Cache | None = None) -> list[Problem]:
    """`check`, its findings remembered in `cache` by the document's content."""
    if cache is None or cache.folder is None:
        return check(document)
    key = digest(cache.version, json.dumps(document.data, default=repr))
    if (found := cache.get("validation", key)) is not None:
        return [document.problem(pointer, message, rule) for pointer, message, rule in json.loads(found)]
    problems = check(document)
    cache.put("validation", key, json.dumps([[p.pointer, p.message, p.rule] for p in problems]))
    return problems


def check(document: Document) -> list[Problem]:
    """Every problem that stops `document` from being OpenAPI 3 (`not-openapi`,
    `ref-unresolved`), then where it breaks the OpenAPI schema (`oas-schema`).

    Only the OpenAPI schema itself is checked here, in one pass of jsonschema-rs:
    what openapi-spec-validator's keyword walk adds the model and the rules check,
    with locations of their own: defaults (`invalid-default`), operationIds
    (`operation-id-unique`), path parameters (`path-params-*`), a parameter listed
    twice (`parameter-unique`), tags (`tag-unique`), allOf's required properties
    (`required-defined`).
    """
    data = document.data
    if not isinstance(data, dict):
        return [document.problem("", "an OpenAPI document must be a mapping", "not-openapi")]
    written = str(data.get("openapi", ""))
    version = written[:3]
    if version not in ("3.0", "3.1"):
        message = f"unsupported OpenAPI version {written!r}; use 3.0.x, 3.1.x or Swagger 2.0"
        return [document.problem("/openapi", message, "not-openapi")]
    problems = list(check_refs(document))
    if problems:  # the OpenAPI schema cannot be checked through dangling references
        return problems
    schema = openapi_schema(version)
    if version not in VALIDATORS:
        VALIDATORS[version] = jsonschema_rs.validator_for(schema)
    try:
        errors = _with_a_deep_stack(lambda: list(VALIDATORS[version].iter_errors(data)))
    except (ValueError, RecursionError):  # jsonschema-rs: "Recursion limit reached"
        return [document.problem("", "the document nests too deeply to check", "not-openapi")]
    return list(dict.fromkeys(_located(document, schema, error) for error in errors))


T = TypeVar("T")
STACK = 512 << 20  # bytes: jsonschema-rs recurses once a level, a document may nest 10,000 deep


def _with_a_deep_stack(run: Callable[[], T]) -> T:
    """`run()` on a thread with a stack deep enough for any document the loader accepts."""
    result: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(run())
        except BaseException as exc:  # handed to the caller
            failure.append(exc)

    previous = threading.stack_size(STACK)
    try:
        thread = threading.Thread(target=target)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


def _located(document: Document, schema: dict[str, Any], error: Any) -> Problem:
    """A one-line finding at the most specific place a schema error points to."""
    specific = _specific(error)
    pointer = join("", *specific.instance_path)
    try:
        value = document.resolve(pointer)  # as written, keys in order
    except KeyError:
        value = specific.instance
    message = _message(specific, value, schema).split("\n")[0]  # the rest is schema detail
    if len(message) > 200:
        message = message[:197] + "..."
    return document.problem(pointer, message, "oas-schema")


def _specific(error: Any) -> Any:
    """Below a oneOf or anyOf that nothing matched, the error of the one branch
    that fails deeper in the document, if only one does: jsonschema's `best_match`
    does much the same."""
    if type(error.kind).__name__ not in ("OneOfNotValid", "AnyOf"):
        return error
    depth = len(error.instance_path)
    deeper = []
    for branch in error.kind.context:
        found = [inner for inner in map(_specific, branch) if len(inner.instance_path) > depth]
        if found:
            deeper.append(max(found, key=lambda e: len(e.instance_path)))
    return deeper[0] if len(deeper) == 1 else error


def _message(error: Any, value: Any, schema: dict[str, Any]) -> str:
    """jsonschema's wording (Python reprs) for the errors common in specs; jsonschema-rs's for the rest."""
    kind, facts = type(error.kind).__name__, error.kind.as_dict()
    keyword = _keyword(schema, error.schema_path)
    if kind == "AdditionalProperties" and isinstance(keyword.get("patternProperties"), dict):
        names = ", ".join(map(repr, facts["unexpected"]))
        does = "does" if len(facts["unexpected"]) == 1 else "do"
        return (
            f"{names} {does} not match any of the regexes: {', '.join(map(repr, sorted(keyword['patternProperties'])))}"
        )
    if kind == "OneOfMultipleValid" and isinstance(keyword.get("oneOf"), list):
        valid = [each for each, errors in zip(keyword["oneOf"], facts["context"]) if not errors]
        return f"{value!r} is valid under each of {', '.join(map(repr, valid[1:] + valid[:1]))}"
    if kind in ("MinItems", "MinProperties") and facts["limit"] == 1:
        return f"{value!r} should be non-empty"
    word = _MESSAGES.get(kind)
    return word(value, facts) if word else str(error.message)


def _keyword(schema: dict[str, Any], path: list[str | int]) -> dict[str, Any]:
    """The schema object holding the keyword at `path` (empty if there is none)."""
    try:
        found = resolve(schema, join("", *path[:-1]))
    except KeyError:
        return {}
    return found if isinstance(found, dict) else {}


_MESSAGES: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    "Enum": lambda value, facts: f"{value!r} is not one of {facts['options']!r}",
    "Type": lambda value, facts: wording.type_mismatch(value, facts["types"]),
    "Required": lambda value, facts: f"{facts['property']!r} is a required property",
    "Constant": lambda value, facts: f"{facts['expected_value']!r} was expected",
    "Pattern": lambda value, facts: f"{value!r} does not match {facts['pattern']!r}",
    "Format": lambda value, facts: f"{value!r} is not a {facts['format']!r}",
    "OneOfNotValid": lambda value, facts: f"{value!r} is not valid under any of the given schemas",
    "AnyOf": lambda value, facts: f"{value!r} is not valid under any of the given schemas",
}


def check_refs(document: Document) -> Iterator[Problem]:
    """A problem for every `$ref` that is not local, does not resolve, or only
    leads to more `$ref`s (a cycle, or a chain too long to follow); each such
    chain is reported once, where it starts."""
    covered: set[str] = set()
    for holder, node in mappings(document.data):
        ref = node.get("$ref")
        if not isinstance(ref, str):
            continue
        pointer, target = join(holder, "$ref"), ref_target(ref)
        if target is None:
            yield document.problem(
                pointer,
                f"$ref {ref!r} is not a reference into this document (load bundles referenced files)",
                "ref-unresolved",
            )
            continue
        try:
            document.resolve(target)
        except KeyError:
            yield document.problem(pointer, f"$ref {ref!r} does not resolve", "ref-unresolved")
            continue
        if target in covered:
            continue
        steps = list(chain(document.data, holder, node))[1:]
        targets = [at for at, _ in steps]
        cycle = refers_to(steps[-1][1]) in targets
        if cycle or len(targets) > MAX_REF_CHAIN:
            covered.update(targets)
            why = (
                "leads round a cycle of $refs with no schema in it"
                if cycle
                else (f"starts a chain of {len(targets)} $refs (at most {MAX_REF_CHAIN} are followed)")
            )
            yield document.problem(pointer, f"$ref {ref!r} {why}", "ref-unresolved")
