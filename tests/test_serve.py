"""`serve`: what it says before it serves, and what it refuses."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
import uvicorn
from click.testing import Result
from conftest import ROOT

Cli = Callable[..., Result]
GENERATED = str(ROOT / "generated")


@pytest.fixture
def bound(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ports of the sockets `serve` hands to uvicorn, which is not started."""
    handed: list[int] = []

    def run(self: uvicorn.Server, sockets: list[socket.socket] | None = None) -> None:
        assert sockets is not None, "serve must bind the socket itself"
        handed.extend(sock.getsockname()[1] for sock in sockets)

    monkeypatch.setattr(uvicorn.Server, "run", run)
    return handed


def test_a_port_in_use_is_one_line_before_any_banner(cli: Cli, bound: list[int]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "joinme", "--out", GENERATED, "--port", str(port))
    assert result.exit_code != 0
    assert result.output.splitlines() == [f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"]
    assert bound == []


def test_port_0_reports_the_port_bound(cli: Cli, bound: list[int]) -> None:
    result = cli("serve", "joinme", "--out", GENERATED, "--port", "0")
    assert result.exit_code == 0, result.output
    (port,) = bound
    assert port != 0
    assert result.output.startswith(f"serving the joinme fake at http://127.0.0.1:{port}/v1 ")


def test_an_unknown_vendor_lists_the_vendors_there_are(cli: Cli, tmp_path: Path) -> None:
    there = ", ".join(sorted(p.parent.name for p in Path(GENERATED).glob("*/server.py")))
    result = cli("serve", "nosuchvendor", "--out", GENERATED)
    assert result.exit_code != 0
    assert result.output.splitlines() == [
        f"Error: no generated server for 'nosuchvendor' in {GENERATED}/ (one of {there})"
    ]
    assert "joinme, portsip" in there
    (tmp_path / "empty").mkdir()
    none = cli("serve", "nosuchvendor", "--out", "empty")
    assert none.output == "Error: no generated server for 'nosuchvendor' in empty/ (none there: run 'make generate')\n"


def test_the_banner_names_the_token_url_and_only_the_credentials_used(cli: Cli, bound: list[int]) -> None:
    genesys = cli("serve", "genesys", "--out", GENERATED, "--port", "0").output
    port = bound[-1]
    assert f"OAuth clients test-client (token URL http://127.0.0.1:{port}/oauth/token)" in genesys
    assert "test-secret" not in genesys
    pyas = cli("serve", "pyas", "--out", GENERATED, "--port", "0").output
    assert "it accepts API keys in the header 'x-api-key':" in pyas
    assert "bearer" not in pyas and "OAuth" not in pyas and "basic" not in pyas
    joinme = cli("serve", "joinme", "--out", GENERATED, "--port", "0").output
    assert "it accepts bearer tokens:" in joinme and "API key" not in joinme and "OAuth" not in joinme


def test_the_suite_runs_while_something_listens_on_the_default_port(busy_default_port: socket.socket | None) -> None:
    """conftest holds serve's default port for the whole session, unless another program
    already does (then that program is the proof, and the port is not probed: it may go)."""
    if busy_default_port is None:
        pytest.skip("another program held port 8000 when the session began")
    assert busy_default_port.getsockname() == ("127.0.0.1", 8000)
    assert busy_default_port.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
