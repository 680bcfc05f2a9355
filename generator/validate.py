"""Validate a loaded spec: local references first, then the OpenAPI schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from jsonschema.exceptions import ValidationError, best_match
from openapi_spec_validator.schemas import schema_v30, schema_v31
from openapi_spec_validator.schemas.backend.jsonschema import create_validator

from .load import Document, join
from .problems import Problem


def validate(document: Document) -> list[Problem]:
    """Every problem that stops `document` from being OpenAPI 3 (`not-openapi`,
    `ref-unresolved`), then where it breaks the OpenAPI schema (`oas-schema`).

    Only the OpenAPI schema itself is checked here: what openapi-spec-validator's
    keyword walk adds (defaults, operationIds, path parameters) the model and the
    rules check with locations of their own.
    """
    data = document.data
    if not isinstance(data, dict):
        return [document.problem("", "an OpenAPI document must be a mapping", "not-openapi")]
    version = str(data.get("openapi", ""))
    if version.startswith("3.1"):
        schema: Any = schema_v31
    elif version.startswith("3.0"):
        schema = schema_v30
    else:
        message = f"unsupported OpenAPI version {version!r}; use 3.0.x, 3.1.x or Swagger 2.0"
        return [document.problem("/openapi", message, "not-openapi")]
    problems = list(check_refs(document))
    if problems:  # the OpenAPI schema cannot be checked through dangling references
        return problems
    try:
        errors = list(create_validator(schema).iter_errors(data))
    except RecursionError:
        return [document.problem("", "the document nests too deeply to check", "not-openapi")]
    seen: set[Problem] = set()
    for error in errors:
        problem = _located(document, error)
        if problem not in seen:
            seen.add(problem)
            problems.append(problem)
    return problems


def _located(document: Document, error: ValidationError) -> Problem:
    """A finding at the most specific place a schema error points to."""
    specific = best_match([error]) or error
    pointer = join("", *specific.absolute_path)
    message = specific.message.split("\n")[0]  # the rest is schema detail
    if len(message) > 200:
        message = message[:197] + "..."
    return document.problem(pointer, message, "oas-schema")


def ref_target(ref: str) -> str | None:
    """The JSON pointer a local `$ref` names, or None if it is not local."""
    if not ref.startswith("#"):
        return None
    return unquote(ref[1:])


MAX_REF_CHAIN = 100  # a $ref to a $ref to a $ref...: longer chains are rejected


def check_refs(document: Document) -> Iterator[Problem]:
    """A problem for every `$ref` that is not local, does not resolve, or only
    leads to more `$ref`s (a cycle, or a chain too long to follow); each such
    chain is reported once, where it starts."""
    covered: set[str] = set()
    for pointer, ref in iter_refs(document.data):
        target = ref_target(ref)
        if target is None:
            yield document.problem(
                pointer, f"$ref {ref!r} is not a reference into this document (load bundles referenced files)", "ref-unresolved"
            )
            continue
        try:
            document.resolve(target)
        except KeyError:
            yield document.problem(pointer, f"$ref {ref!r} does not resolve", "ref-unresolved")
            continue
        if target in covered:
            continue
        chain, cycle = _chain(document, target)
        if cycle or len(chain) > MAX_REF_CHAIN:
            covered.update(chain)
            why = "leads round a cycle of $refs with no schema in it" if cycle else (
                f"starts a chain of {len(chain)} $refs (at most {MAX_REF_CHAIN} are followed)"
            )
            yield document.problem(pointer, f"$ref {ref!r} {why}", "ref-unresolved")


def _chain(document: Document, target: str) -> tuple[list[str], bool]:
    """The targets a run of `$ref`s visits from `target`, and whether it loops."""
    chain, seen = [target], {target}
    node = document.resolve(target)
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target = ref_target(node["$ref"]) or ""
        if target in seen:
            return chain, True
        chain.append(target)
        seen.add(target)
        try:
            node = document.resolve(target)
        except KeyError:
            break  # reported where that $ref is written
    return chain, False


def iter_refs(data: Any) -> Iterator[tuple[str, str]]:
    """(pointer of the `$ref` key, its value) for every reference, in document order."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield join(pointer, "$ref"), ref
            stack.extend((join(pointer, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((join(pointer, i), v) for i, v in reversed(list(enumerate(node))))
