"""Build `SecurityScheme`s: what credentials the client asks for and sends."""

from __future__ import annotations

from typing import Any

from ..identifiers import Code, NameScope, constant_name
from ..pointers import join
from .api import SecurityScheme
from .extension import Findings

# Constructor arguments the client itself uses.
RESERVED_ARGUMENTS = frozenset(
    {"self", "base_url", "timeout", "max_retries", "retry_non_idempotent", "http_client", "token_url"}
)


def parse_schemes(findings: Findings, package: str, used: list[str]) -> list[SecurityScheme]:
    """The schemes that some operation uses, in `used` order; a finding for each one
    the client cannot send (left out: the caller adds such credentials itself)."""
    declared = (findings.document.data.get("components") or {}).get("securitySchemes") or {}
    scope = NameScope(RESERVED_ARGUMENTS)
    schemes: list[SecurityScheme] = []
    for key in used:
        pointer = join("/components/securitySchemes", key)
        raw = declared.get(key)
        if not isinstance(raw, dict):
            message = f"security scheme {key!r} is not declared; the client sends no credential for it"
            findings.add("/components/securitySchemes", message)
            continue
        scheme = _scheme(key, raw, package, scope)
        if scheme is None:
            kind = raw.get("type")
            findings.add(
                pointer, f"security scheme of type {kind!r} is not supported; the client sends no credential for it"
            )
        else:
            schemes.append(scheme)
    return schemes


def _scheme(key: str, raw: dict[str, Any], package: str, scope: NameScope) -> SecurityScheme | None:
    """The scheme, or None for one of a kind the client cannot send."""
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
    return None
