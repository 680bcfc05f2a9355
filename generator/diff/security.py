"""Compare what two versions ask of a client's credentials and where they send it: security and servers."""

from __future__ import annotations

from typing import Any

from ..model.api import Requirements, SecurityScheme
from ..pointers import join, resolve
from .effects import Surface
from .found import Found, removed, route


def _shown(requirements: Requirements) -> str:
    if not requirements or any(not alternative for alternative in requirements):
        return "no credentials"
    return " or ".join(" and ".join(alternative) for alternative in requirements)


def _accepts(new: Requirements, alternative: tuple[str, ...]) -> bool:
    """Whether a client holding the credentials of `alternative` can still call: some
    alternative of `new` needs no more than it."""
    return not new or any(set(needed) <= set(alternative) for needed in new)


def compare_security(old: Surface, new: Surface) -> list[Found]:
    """Operations whose credentials change, and the schemes that change."""
    found: list[Found] = []
    routes = {route(op.http_method, op.path): op for op in old.operations.values()}
    for pointer, after in new.operations.items():
        before = routes.get(route(after.http_method, after.path))
        if before is None or {frozenset(a) for a in before.security} == {frozenset(a) for a in after.security}:
            continue
        broken = any(not _accepts(after.security, alternative) for alternative in before.security or ((),))
        where = join(pointer, "security") if _has(new.api.document, join(pointer, "security")) else pointer
        message = (
            f"{after.http_method.upper()} {after.path} needs {_shown(after.security)} (was {_shown(before.security)})"
        )
        effect = f"{after.call_name} sends {_shown(after.security)} instead of {_shown(before.security)}"
        found.append(Found("security-changed" if broken else "security-relaxed", where, message, effect))
    found += _schemes(old, new)
    return found


def _has(data: Any, pointer: str) -> bool:
    try:
        resolve(data, pointer)
    except KeyError:
        return False
    return True


def _how(scheme: SecurityScheme) -> tuple[object, ...]:
    return (
        scheme.kind,
        scheme.location,
        scheme.wire_name.lower(),
        tuple(scheme.params),
        scheme.token_url,
        tuple(scheme.scopes),
    )


def _schemes(old: Surface, new: Surface) -> list[Found]:
    found: list[Found] = []
    before = {s.key: s for s in old.api.security_schemes}
    after = {s.key: s for s in new.api.security_schemes}
    client = f"{new.api.client_name}()"
    for key, scheme in before.items():
        if key not in after:
            effect = f"{client} loses the argument(s) {', '.join(scheme.params)}" if scheme.params else ""
            at = join("/components/securitySchemes", key)
            found.append(removed("security-scheme-removed", at, f"the security scheme {key!r} is removed", effect))
    for key, scheme in after.items():
        at = join("/components/securitySchemes", key)
        if key not in before:
            effect = f"{client} gains the argument(s) {', '.join(scheme.params)}" if scheme.params else ""
            found.append(Found("security-scheme-added", at, f"the security scheme {key!r} is added", effect))
        elif _how(before[key]) != _how(scheme):
            was = before[key]
            message = (
                f"the security scheme {key!r} sends its credential as {scheme.kind} in {scheme.location} "
                f"{scheme.wire_name!r} (was {was.kind} in {was.location} {was.wire_name!r})"
            )
            effect = ""
            if was.params != scheme.params:
                effect = (
                    f"{client} takes {', '.join(scheme.params) or 'no argument'} instead of {', '.join(was.params)}"
                )
            found.append(Found("security-scheme-changed", at, message, effect))
    return found


def _servers(data: Any) -> list[str]:
    servers = data.get("servers") if isinstance(data, dict) else None
    return (
        [s["url"] if isinstance(s, dict) and isinstance(s.get("url"), str) else "" for s in servers or []]
        if isinstance(servers, list)
        else []
    )


def compare_servers(old: Surface, new: Surface) -> list[Found]:
    """Server URLs removed and added (top level), and a changed default base_url."""
    found: list[Found] = []
    before, after = _servers(old.api.document), _servers(new.api.document)
    for index, url in enumerate(before):
        if url not in after:
            found.append(removed("server-removed", join("/servers", index), f"the server {url!r} is removed"))
    for index, url in enumerate(after):
        if url not in before:
            found.append(Found("server-added", join("/servers", index), f"the server {url!r} is added"))
    if old.api.base_url != new.api.base_url:
        message = f"the default server changes from {old.api.base_url!r} to {new.api.base_url!r}"
        effect = f"{new.api.client_name}()'s default base_url becomes {new.api.base_url!r}"
        found.append(Found("default-server-changed", "/servers/0" if after else "", message, effect))
    return found
