"""Per-call overhead of a generated method against a bare httpx call with json.loads."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

import httpx

CALLS = 2000
MEETING = {
    "meetingId": 12345,
    "meetingName": "Weekly update",
    "meetingStart": "2015-06-02T09:00:00Z",
    "meetingEnd": "2015-06-02T10:00:00Z",
    "startWithPersonalUrl": True,
    "participants": ["a@b.example"],
}


def _timed(call: Callable[[], object], rounds: int = 5) -> float:
    """Median seconds per call over `rounds` batches of CALLS calls."""
    batches = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(CALLS):
            call()
        batches.append((time.perf_counter() - start) / CALLS)
    return statistics.median(batches)


def overhead() -> tuple[float, float]:
    """(generated method, bare httpx + json.loads), seconds per call, same transport."""
    from generated.joinme import JoinMeClient

    payload = json.dumps(MEETING).encode()
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=payload, headers={"Content-Type": "application/json"})
    )
    http = httpx.Client(transport=transport)
    client = JoinMeClient(access_token="t", http_client=http)
    headers = {"Authorization": "Bearer t"}

    def bare() -> object:
        return json.loads(http.get("https://api.join.me/v1/meetings/12345", headers=headers).content)

    def generated() -> object:
        return client.meetings.get_scheduled_meeting(12345)

    generated(), bare()  # warm up: validators, pools
    return _timed(generated), _timed(bare)


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    mine, theirs = overhead()
    print(f"generated {mine * 1e6:.0f} us, bare {theirs * 1e6:.0f} us, ratio {mine / theirs:.2f}")
