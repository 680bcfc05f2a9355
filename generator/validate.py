"""Validate a loaded spec: local references first, then the OpenAPI schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from openapi_spec_validator.schemas import schema_v30, schema_v31
from openapi_spec_validator.schemas.backend.jsonschema import create_validator

from .load import Document
from .pointers import MAX_REF_CHAIN, chain, join, ref_target, refers_to, walk
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


def check_refs(document: Document) -> Iterator[Problem]:
    """A problem for every `$ref` that is not local, does not resolve, or only
    leads to more `$ref`s (a cycle, or a chain too long to follow); each such
    chain is reported once, where it starts."""
    covered: set[str] = set()
    for holder, node in walk(document.data):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str):
            continue
        pointer, target = join(holder, "$ref"), ref_target(ref)
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
        steps = list(chain(document.data, holder, node))[1:]
        targets = [at for at, _ in steps]
        cycle = refers_to(steps[-1][1]) in targets
        if cycle or len(targets) > MAX_REF_CHAIN:
            covered.update(targets)
            why = "leads round a cycle of $refs with no schema in it" if cycle else (
                f"starts a chain of {len(targets)} $refs (at most {MAX_REF_CHAIN} are followed)"
            )
            yield document.problem(pointer, f"$ref {ref!r} {why}", "ref-unresolved")
