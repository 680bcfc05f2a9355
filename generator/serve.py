"""What `serve` needs before uvicorn starts: the vendors there are, a bound socket, the banner."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any


def vendors(out: Path) -> list[str]:
    """The packages under `out` that have a server, sorted."""
    if not out.is_dir():
        return []
    return sorted(p.parent.name for p in out.glob("*/server.py") if p.parent.name.isidentifier())


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host` and `port` (0: any free port); OSError if it cannot be."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, protocol)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: no wait after a restart
        sock.bind(address)
        sock.listen()  # a port another server listens on is refused here, not after the banner
    except OSError:
        sock.close()
        raise
    return sock


def root_url(sock: socket.socket) -> str:
    """`http://host:port` of a bound socket, with the port actually bound."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def banner(vendor: str, module: str, root: str, settings: Any, credentials: Any) -> str:
    """One line: where the fake is, and the kinds of credential it accepts, naming no secret.

    `settings` is the package's `ServerSettings` (None in packages generated
    before it), `credentials` its `Credentials()`.
    """
    base = settings.base_path if settings is not None else ""
    accepted = []
    for scheme in sorted(set(settings.schemes.values()) if settings is not None else (), key=repr):
        if scheme.kind == "bearer":
            accepted.append("bearer tokens")
        elif scheme.kind == "api_key":
            accepted.append(f"API keys in the {scheme.location} {scheme.name!r}")
        elif scheme.kind == "basic":
            accepted.append(f"HTTP basic users {', '.join(sorted(credentials.users))}")
    if settings is not None and settings.token_path is not None:
        clients = ", ".join(sorted(credentials.clients))
        accepted.append(f"OAuth clients {clients} (token URL {root}{settings.token_path})")
    kinds = "; ".join(dict.fromkeys(accepted)) or "no credentials"
    return (
        f"serving the {vendor} fake at {root}{base} (spec: {root}{base}/openapi.json); it accepts {kinds}: "
        f"the values are in {module}.Credentials() (secrets not shown)"
    )
