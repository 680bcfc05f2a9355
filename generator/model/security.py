"""Build `SecurityScheme`s: what credentials the client asks for and sends."""

from __future__ import annotations

from typing import Any

from ..identifiers import Code, NameScope, constant_name, snake_case
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
    arguments = _Arguments(package)
    schemes: list[SecurityScheme] = []
    for key in used:
        pointer = join("/components/securitySchemes", key)
        raw = declared.get(key)
        if not isinstance(raw, dict):
            message = f"security scheme {key!r} is not declared; the client sends no credential for it"
            findings.add("/components/securitySchemes", message)
            continue
        scheme = _scheme(key, raw, arguments)
        if scheme is None:
            kind = raw.get("type")
            findings.add(
                pointer, f"security scheme of type {kind!r} is not supported; the client sends no credential for it"
            )
        else:
            schemes.append(scheme)
    return schemes


class _Arguments:
    """Constructor arguments of the schemes: one name for one credential sent the same
    way (two schemes that both send `Authorization: Bearer` share `access_token`); a
    name from the scheme's key for another credential that wants a taken name."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.scope = NameScope(RESERVED_ARGUMENTS)
        self.meanings: dict[str, tuple[str, ...]] = {}

    def __call__(self, key: str, *wanted: tuple[str, tuple[str, ...]]) -> tuple[list[Code], list[str]]:
        """The arguments for `wanted` (name, how it is sent), and their environment variables."""
        params: list[Code] = []
        for name, how in wanted:
            meaning = (name, *how)
            if self.meanings.get(name) == meaning:
                params.append(Code(name))
                continue
            if name in self.meanings or name in RESERVED_ARGUMENTS:
                name = snake_case(key) if len(wanted) == 1 else f"{snake_case(key)}_{name}"
            param = self.scope.claim(name)
            self.meanings[param] = meaning
            params.append(param)
        return params, [constant_name(f"{self.package}_{p}") for p in params]


BEARER = ("header", "Authorization", "Bearer")
# Flows whose token the caller brings; it is renewed at the first one's refresh or token URL.
TOKEN_FLOWS = ("authorizationCode", "password", "deviceCode", "implicit")


def _scheme(key: str, raw: dict[str, Any], arguments: _Arguments) -> SecurityScheme | None:
    """The scheme, or None for one of a kind the client cannot send."""
    kind = raw.get("type")
    description = raw.get("description")
    flows: dict[str, Any] = raw["flows"] if kind == "oauth2" and isinstance(raw.get("flows"), dict) else {}
    flow = flows.get("clientCredentials")
    if isinstance(flow, dict):
        token_url = str(flow.get("tokenUrl", ""))
        client = ("oauth_client", token_url)
        params, env = arguments(key, ("client_id", client), ("client_secret", client))
        scopes = list(flow.get("scopes") or {})
        return SecurityScheme(
            key, "oauth2", "header", "Authorization", params, env, description, token_url=token_url, scopes=scopes
        )
    if kind in ("oauth2", "openIdConnect") or (kind == "http" and str(raw.get("scheme")).lower() == "bearer"):
        token_urls = [
            f.get("refreshUrl") or f.get("tokenUrl") for n in TOKEN_FLOWS if isinstance(f := flows.get(n), dict)
        ]
        token_url = next((str(url) for url in token_urls if url), "")
        wanted: list[tuple[str, tuple[str, ...]]] = [("access_token", BEARER)]
        if token_url:  # the token may be renewed there with a refresh token (RFC 6749 section 6)
            client = ("oauth_client", token_url)
            wanted += [("refresh_token", ("refresh", token_url)), ("client_id", client), ("client_secret", client)]
        params, env = arguments(key, *wanted)
        return SecurityScheme(key, "bearer", "header", "Authorization", params, env, description, token_url=token_url)
    if kind == "http" and str(raw.get("scheme")).lower() == "basic":
        basic = ("header", "Authorization", "Basic")
        params, env = arguments(key, ("username", basic), ("password", basic))
        return SecurityScheme(key, "basic", "header", "Authorization", params, env, description)
    if kind == "apiKey" and raw.get("in") in ("header", "query"):
        params, env = arguments(key, ("api_key", (str(raw["in"]), str(raw.get("name")))))
        return SecurityScheme(key, "api_key", raw["in"], str(raw.get("name")), params, env, description)
    return None
