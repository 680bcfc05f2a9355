"""Build `SecurityScheme`s: what credentials the client asks for and sends."""

from __future__ import annotations

from typing import Any

from ..identifiers import Code, NameScope, constant_name
from ..load import Document
from ..pointers import join
from ..problems import Problem
from .api import SecurityScheme

# Constructor arguments the client itself uses.
RESERVED_ARGUMENTS = frozenset(
    {"self", "base_url", "timeout", "max_retries", "retry_non_idempotent", "http_client", "token_url"}
)


def parse_schemes(document: Document, package: str, used: list[str]) -> tuple[list[SecurityScheme], list[Problem]]:
    """The schemes that some operation uses, in `used` order, and warnings about
    those the client cannot send (left out: the caller adds such credentials itself)."""
    declared = (document.data.get("components") or {}).get("securitySchemes") or {}
    scope = NameScope(RESERVED_ARGUMENTS)
    schemes: list[SecurityScheme] = []
    warnings: list[Problem] = []
    for key in used:
        pointer = join("/components/securitySchemes", key)
        raw = declared.get(key)
        if not isinstance(raw, dict):
            message = f"security scheme {key!r} is not declared; the client sends no credential for it"
            warnings.append(document.problem("/components/securitySchemes", message, "unsupported"))
            continue
        scheme = _scheme(document, key, raw, pointer, package, scope)
        if isinstance(scheme, Problem):
            warnings.append(scheme)
        else:
            schemes.append(scheme)
    return schemes, warnings


def _scheme(
    document: Document, key: str, raw: dict[str, Any], pointer: str, package: str, scope: NameScope
) -> SecurityScheme | Problem:
    kind = raw.get("type")
    description = raw.get("description")

    def arguments(*names: str) -> tuple[list[Code], list[str]]:
        params = [scope.claim(n) for n in names]
        return params, [constant_name(f"{package}_{p}") for p in params]

    flow = ((raw.get("flows") or {}) if kind == "oauth2" else {}).get("clientCredentials")
    if isinstance(flow, dict):
        params, env = arguments("client_id", "client_secret")
        return SecurityScheme(
            key,
            "oauth2",
            "header",
            "Authorization",
            params,
            env,
            description,
            token_url=str(flow.get("tokenUrl", "")),
            scopes=list(flow.get("scopes") or {}),
        )
    if kind in ("oauth2", "openIdConnect") or (kind == "http" and str(raw.get("scheme")).lower() == "bearer"):
        params, env = arguments("access_token")
        return SecurityScheme(key, "bearer", "header", "Authorization", params, env, description)
    if kind == "http" and str(raw.get("scheme")).lower() == "basic":
        params, env = arguments("username", "password")
        return SecurityScheme(key, "basic", "header", "Authorization", params, env, description)
    if kind == "apiKey" and raw.get("in") in ("header", "query"):
        params, env = arguments("api_key")
        return SecurityScheme(key, "api_key", raw["in"], str(raw.get("name")), params, env, description)
    message = f"security scheme of type {kind!r} is not supported; the client sends no credential for it"
    return document.problem(pointer, message, "unsupported")
