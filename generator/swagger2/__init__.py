"""Convert a Swagger 2.0 document to OpenAPI 3.0.3, in memory, keeping its lines.

The mapping follows the swagger2openapi converter. Every node of the result is
built with the pointer of the node it came from, so a finding about the
converted document names a line of the file as written; what cannot be carried
over exactly is reported as a `swagger2-convert` warning at the original node.

Files a spec references are bundled under `/x-bundled/<file>` by `load`. Their
content is converted in place, by the role its references give it: a schema,
a parameter (a request body or a form field for `in: body` / `in: formData`),
a response or a path item. Bundled request bodies and responses use the
document's global `consumes` / `produces` (they are shared, as components are).

The conversion is split by section of the 2.0 document, each module a set of
functions over one shared `Context` (the source, and what the conversion records):
`document` (the top level), `components`, `paths` (operations), `parameters`,
`bodies` (request bodies and forms), `responses`, `security`, `servers`, `schemas`
(copying any node, converting the schemas in it) and `refs` (roles, bundled files,
the final `$ref` rewrite).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..load import Document
from ..pointers import walk
from ..problems import Problem
from .context import Context
from .document import BY_ROLE, document

__all__ = ["convert", "is_swagger2"]


def is_swagger2(data: Any) -> bool:
    """Whether `data` says it is Swagger 2.0."""
    return isinstance(data, dict) and str(data.get("swagger", "")).startswith("2")


def convert(source: Document) -> tuple[Document, list[Problem]]:
    """The OpenAPI 3.0.3 equivalent of a Swagger 2.0 `source`, and warnings about
    what could not be carried over exactly. Every pointer of the result maps to
    the line of the node it came from."""
    ctx = Context.of(source, BY_ROLE)
    data = document(ctx)
    lines = {p: ctx.lines[p] for p, _ in walk(data) if p in ctx.lines}  # none left over
    converted = replace(source, data=data, located=lines)
    return converted, list(ctx.warnings)
