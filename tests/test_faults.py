"""Faults of issue 12: hostile input, hostile servers and local mistakes, sync and async.

Transport faults are played by a real server on loopback (`HostileServer`);
pure logic runs on the mock transport of `test_base_client`.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from test_base_client import MODES, Script, Thing, call, make, recorded_sleep, run, thing

# --- path parameters ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("value", "sent"), [(".", "%2E"), ("..", "%2E%2E"), ("../destroy", "..%2Fdestroy")])
def test_dot_segments_in_path_parameters_are_encoded(value: str, sent: str, mode: str) -> None:
    script = Script([thing()])
    client = make(mode, script)
    run(mode, lambda: client.things.get(value))
    assert script.requests[0].url.raw_path == b"/v1/things/" + sent.encode()


@pytest.mark.parametrize("mode", MODES)
def test_path_parameters_that_join_into_a_dot_segment_are_encoded(mode: str) -> None:
    script = Script([thing()])
    client = make(mode, script)
    parts: dict[str, Any] = {"path_params": {"a": ".", "b": "."}}
    run(mode, lambda: client._request("GET", "/things/{a}{b}/x", **parts))
    assert script.requests[0].url.raw_path == b"/v1/things/%2E%2E/x"


@pytest.mark.parametrize("mode", MODES)
def test_an_empty_path_parameter_is_refused_before_sending(mode: str) -> None:
    script = Script([thing()])
    client = make(mode, script)
    with pytest.raises(ValueError, match="path parameter 'id' is empty"):
        run(mode, lambda: client.things.get(""))
    assert script.requests == []


# --- Retry-After ----------------------------------------------------------------------

ABSURD_RETRY_AFTER = [
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "9" * 400,
    "100000",  # more than a day
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "1_0",  # Python reads it as 10; HTTP does not
    "\u0663",  # an Arabic-Indic three
    "0x10",
    "",
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", ABSURD_RETRY_AFTER)
def test_an_absurd_retry_after_is_ignored_for_normal_backoff(value: str, mode: str) -> None:
    busy = httpx.Response(429, json={}, headers={"Retry-After": value.encode()})
    script = Script([busy, thing()])
    client = make(mode, script)
    slept = recorded_sleep(client, mode)
    assert call(client, "GET", mode) == Thing(id="t1")
    assert slept == [0.5]
