"""Security: `securityDefinitions` as security schemes (basic becomes http basic,
an OAuth 2 flow gets its 3.0 name and URLs), and requirements that name them by
their OpenAPI 3 names."""

from __future__ import annotations

from typing import Any

from ..pointers import join
from .context import Context, as_dict
from .schemas import walk

FLOWS = {
    "implicit": "implicit",
    "password": "password",
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
}


def requirements(ctx: Context, new: str, old: str, value: Any) -> Any:
    """Security requirements, naming the schemes by their OpenAPI 3 names."""
    if not isinstance(value, list):
        return walk(ctx, new, old, value)
    ctx.same(new, old)
    renames = ctx.names["securityDefinitions"]
    result: list[Any] = []
    for index, requirement in enumerate(value):
        to, at = join(new, index), join(old, index)
        if not isinstance(requirement, dict):
            result.append(walk(ctx, to, at, requirement))
            continue
        ctx.same(to, at)
        names: dict[str, str] = {key: renames.get(key) or key for key in requirement}
        result.append({names[k]: walk(ctx, join(to, names[k]), join(at, k), v) for k, v in requirement.items()})
    return result


def scheme(ctx: Context, new: str, old: str, value: Any) -> Any:
    """A security scheme: basic becomes http basic, an OAuth 2 flow gets its 3.0 name."""
    if not isinstance(value, dict) or value.get("type") not in ("basic", "oauth2"):
        return walk(ctx, new, old, value)
    ctx.same(new, old)
    result: dict[str, Any] = {}
    for key, field in value.items():
        at = join(old, key)
        if key == "type":
            ctx.set(result, new, "type", "http" if field == "basic" else "oauth2", at)
            if field == "basic":
                ctx.set(result, new, "scheme", "basic", at)
        elif key == "flow":
            result["flows"] = flows(ctx, join(new, "flows"), old, value)
        elif key == "description" or key.startswith("x-"):
            result[key] = walk(ctx, join(new, key), at, field)
        elif key not in ("authorizationUrl", "tokenUrl", "scopes"):
            ctx.warn(at, f"{key!r} is not a field of this security scheme; left out")
    if result["type"] == "oauth2" and "flows" not in result:
        ctx.warn(old, "an OAuth 2 scheme without a flow; it gets no flows")
        ctx.set(result, new, "flows", {}, old)
    return result


def flows(ctx: Context, new: str, old: str, scheme: dict[str, Any]) -> dict[str, Any]:
    """An OAuth 2 scheme's one flow, with the URLs that flow needs."""
    flow = FLOWS.get(str(scheme.get("flow")))
    ctx.mark(new, join(old, "flow"))
    if flow is None:
        ctx.warn(join(old, "flow"), f"OAuth 2 flow {scheme.get('flow')!r} is unknown; the scheme gets no flows")
        return {}
    new = join(new, flow)
    ctx.mark(new, join(old, "flow"))
    details: dict[str, Any] = {}
    urls = {"implicit": ["authorizationUrl"], "authorizationCode": ["authorizationUrl", "tokenUrl"]}.get(
        flow, ["tokenUrl"]
    )
    for url in urls:
        if isinstance(scheme.get(url), str):
            details[url] = walk(ctx, join(new, url), join(old, url), scheme[url])
        else:
            ctx.warn(old, f"the {scheme.get('flow')} flow needs a {url}; it is left empty")
            ctx.set(details, new, url, "", old)
    details["scopes"] = walk(ctx, join(new, "scopes"), join(old, "scopes"), as_dict(scheme.get("scopes")))
    return {flow: details}
