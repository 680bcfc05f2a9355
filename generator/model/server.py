"""Read the top-level `x-server` extension: how the generated server answers errors.

    x-server:
      errors: {default: {error: "{message}", code: "{code}"}, "404": null}  # body templates
      codes: {"400": VALIDATE_FAILED, default: UNKNOWN}   # what `{code}` is, by status
      headers: {"403": {WWW-Authenticate: Bearer}}         # headers, by status
      validation-status: 422                               # for input the spec rejects
      auth-status: 403                                     # for missing or wrong credentials

`ServerSettings` also carries what the server reads from the rest of the spec: each
security scheme's kind, the OAuth token path and the base path. Its class is the
runtime's own (`runtime/_server_records.py`), which the generated `_server_config.py`
constructs. An entry with a finding is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..pointers import join
from ..runtime._server_records import Scheme, ServerSettings
from .api import SecurityScheme
from .extension import Findings, suggestion

RULE = "x-server"
KEYS = ("errors", "codes", "headers", "validation-status", "auth-status")
PLACEHOLDERS = ("message", "parameter", "location", "status", "code")
ERROR_STATUS = re.compile(r"[45][0-9][0-9]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
HOST = re.compile(r"^[a-z]+://[^/]*")  # scheme and host of a URL


def parse_server(collector: Findings, schemes: list[SecurityScheme], base_url: str) -> ServerSettings:
    """The server's settings; a finding for each thing wrong in `x-server`."""
    findings = collector.under(RULE)
    raw = findings.mapping(collector.document.data.get("x-server", {}), "/x-server", "x-server")
    findings.keys(raw, "/x-server", KEYS, "x-server")
    errors = _by_status(findings, raw, "errors", _template)
    codes = _by_status(findings, raw, "codes", _code)
    headers = _by_status(findings, raw, "headers", _headers, default=False)
    oauth = next((s for s in schemes if s.kind == "oauth2"), None)
    settings = ServerSettings(
        errors=errors,
        codes=codes,
        headers=headers,
        validation_status=_status(findings, raw, "validation-status", 400),
        auth_status=_status(findings, raw, "auth-status", 401),
        schemes={s.key: _scheme(s) for s in schemes},
        token_path=None if oauth is None else HOST.sub("", oauth.token_url) or "/oauth/token",
        base_path=HOST.sub("", base_url).rstrip("/"),
    )
    return settings


def _scheme(scheme: SecurityScheme) -> Scheme:
    if scheme.kind == "api_key":
        return Scheme("api_key", scheme.location, scheme.wire_name)
    return Scheme("basic" if scheme.kind == "basic" else "bearer")


Check = Callable[[Findings, Any, str], None]  # findings about one value


def _by_status(findings: Findings, raw: dict[str, Any], key: str, check: Check, default: bool = True) -> dict[str, Any]:
    """The entries of `raw[key]` whose status and value pass `check`; findings for the rest."""
    pointer = join("/x-server", key)
    entries = findings.mapping(raw.get(key, {}), pointer, key)
    kept: dict[str, Any] = {}
    for status, value in entries.items():
        status, where, before = str(status), join(pointer, str(status)), len(findings.problems)
        if not ERROR_STATUS.fullmatch(status) and not (default and status == "default"):
            what = "an error status (400 to 599)" + (" or 'default'" if default else "")
            findings.add(where, f"{key} keys are {what}, not {status!r}")
        check(findings, value, where)
        if len(findings.problems) == before:
            kept[status] = value
    return kept


def _template(findings: Findings, value: Any, where: str) -> None:
    """An error body template: any JSON, whose `{placeholders}` the server knows."""
    if isinstance(value, dict):
        for key, item in value.items():
            _template(findings, item, join(where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _template(findings, item, join(where, index))
    elif isinstance(value, str):
        for name in PLACEHOLDER.findall(value):
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                message = f"unknown placeholder {{{name}}}{suggestion(name, PLACEHOLDERS)}; one of {known}"
                findings.add(where, message)


def _code(findings: Findings, value: Any, where: str) -> None:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        findings.add(where, f"an error code is a string or a number, not {value!r}")


def _headers(findings: Findings, value: Any, where: str) -> None:
    for name, text in findings.mapping(value, where, "headers").items():
        if not isinstance(text, str):
            findings.add(join(where, name), f"a header value is a string, not {text!r}")


def _status(findings: Findings, raw: dict[str, Any], key: str, default: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not ERROR_STATUS.fullmatch(str(value)):
        findings.add(join("/x-server", key), f"{key} is an error status (400 to 599), not {value!r}")
        return default
    return value
