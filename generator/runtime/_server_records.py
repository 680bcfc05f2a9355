"""The records of the top-level `x-server` extension: how a server answers errors
and checks credentials, and where it serves.

Standard library only: the generator builds these records from a spec
(`generator/model/server.py`), the generated `_server_config.py` constructs them,
and the server (`_server_runtime.py`) reads them; all three use these classes.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping

JSON = typing.Any  # a JSON value, as `json.loads` gives it


@dataclasses.dataclass(frozen=True)
class Scheme:
    """How a security scheme's credential is checked."""

    kind: str  # bearer, basic or api_key
    location: str = "header"  # api_key: header or query
    name: str = "Authorization"  # api_key: the header or query parameter


@dataclasses.dataclass(frozen=True)
class ServerSettings:
    """How the server answers errors and checks credentials, and where it serves."""

    # Error body templates by status (or "default"); None: no body.
    errors: Mapping[str, JSON] = dataclasses.field(default_factory=dict)
    # What `{code}` is in a template, by status (or "default"); else the status.
    codes: Mapping[str, JSON] = dataclasses.field(default_factory=dict)
    # Headers of error answers, by status.
    headers: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)
    validation_status: int = 400  # for input the spec rejects
    auth_status: int = 401  # for missing or wrong credentials
    # By key in the spec's securitySchemes.
    schemes: Mapping[str, Scheme] = dataclasses.field(default_factory=dict)
    token_path: str | None = None  # where OAuth client-credentials tokens are issued
    base_path: str = ""  # the path every route is under: `/v1`
    max_body: int = 1 << 20  # bytes a request body may have; more answers 413
    max_depth: int = 64  # how deep JSON input may nest; deeper answers 400
    token_lifetime: int = 3600  # seconds an issued OAuth token is accepted
