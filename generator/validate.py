"""Validate a loaded spec: local references first, then the OpenAPI schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from .load import Document, join
from .problems import Problem

SWAGGER_HINT = (
    "Swagger 2.0 is not supported; convert it to OpenAPI 3 first, e.g. with "
    "'npx swagger2openapi spec.yaml -o spec3.yaml' or the converter at converter.swagger.io"
)


def validate(document: Document) -> list[Problem]:
    """Every problem that stops `document` from being a usable OpenAPI 3 spec."""
    data = document.data
    if not isinstance(data, dict):
        return [document.problem("", "an OpenAPI document must be a mapping")]
    if "swagger" in data:
        return [document.problem("/swagger", SWAGGER_HINT)]
    version = str(data.get("openapi", ""))
    if version.startswith("3.1"):
        validator_class: Any = OpenAPIV31SpecValidator
    elif version.startswith("3.0"):
        validator_class = OpenAPIV30SpecValidator
    else:
        return [document.problem("/openapi", f"unsupported OpenAPI version {version!r}; use 3.0.x or 3.1.x")]
    problems = list(check_refs(document))
    if problems:  # the validator cannot report dangling references itself
        return problems
    try:
        errors = list(validator_class(data).iter_errors())
    except RecursionError:
        return [document.problem("", "the document nests too deeply for the OpenAPI validator")]
    except Exception as exc:  # the validator raises on some malformed input
        return [document.problem("", f"the OpenAPI validator failed: {exc}")]
    seen: set[Problem] = set()
    for error in errors:
        pointer = join("", *error.absolute_path)
        problem = document.problem(pointer, error.message.split("\n")[0])  # the rest is schema detail
        if problem not in seen:
            seen.add(problem)
            problems.append(problem)
    return problems


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
                pointer, f"$ref {ref!r} is not a reference into this document (load bundles referenced files)"
            )
            continue
        try:
            document.resolve(target)
        except KeyError:
            yield document.problem(pointer, f"$ref {ref!r} does not resolve")
            continue
        if target in covered:
            continue
        chain, cycle = _chain(document, target)
        if cycle or len(chain) > MAX_REF_CHAIN:
            covered.update(chain)
            why = "leads round a cycle of $refs with no schema in it" if cycle else (
                f"starts a chain of {len(chain)} $refs (at most {MAX_REF_CHAIN} are followed)"
            )
            yield document.problem(pointer, f"$ref {ref!r} {why}")


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
