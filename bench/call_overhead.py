"""Per-call overhead of a generated method against a bare httpx call with json.loads,
on the same MockTransport: sync with `http_client=`, sync on the client's own
`httpx.Client`, and async against `httpx.AsyncClient`.

The two sides are timed in alternating batches and the ratio is the median of
the batches' ratios, so that a machine busy with other work slows both alike.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx

CALLS = 500
ROUNDS = 15
URL = "https://api.join.me/v1/meetings/12345"
MEETING = {
    "meetingId": 12345,
    "meetingName": "Weekly update",
    "meetingStart": "2015-06-02T09:00:00Z",
    "meetingEnd": "2015-06-02T10:00:00Z",
    "startWithPersonalUrl": True,
    "participants": ["a@b.example"],
}
HEADERS = {"Authorization": "Bearer t"}


class Overhead(tuple[float, float, float]):
    """(generated, bare) median seconds per call, and the median of their batches' ratios."""

    @property
    def generated(self) -> float:
        return self[0]

    @property
    def bare(self) -> float:
        return self[1]

    @property
    def ratio(self) -> float:
        return self[2]


def _transport() -> httpx.MockTransport:
    payload = json.dumps(MEETING).encode()
    return httpx.MockTransport(
        lambda request: httpx.Response(200, content=payload, headers={"Content-Type": "application/json"})
    )


def _compare(generated: Callable[[], float], bare: Callable[[], float]) -> Overhead:
    """Alternating batches of both; each callable runs one batch and returns its seconds."""
    generated(), bare()  # warm up: validators, pools
    mine, theirs = [], []
    for _ in range(ROUNDS):
        mine.append(generated() / CALLS)
        theirs.append(bare() / CALLS)
    ratios = [m / t for m, t in zip(mine, theirs, strict=True)]
    return Overhead((statistics.median(mine), statistics.median(theirs), statistics.median(ratios)))


def _batch(call: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        for _ in range(CALLS):
            call()
        return time.perf_counter() - start

    return run


def sync(own_client: bool) -> Overhead:
    """The sync client: on an `http_client=` it was given, or on its own client."""
    from generated.joinme import JoinMeClient

    http = httpx.Client(transport=_transport())
    if own_client:
        client = JoinMeClient(access_token="t")
        own = client._client
        client._client = httpx.Client(transport=_transport(), headers=own.headers)  # its own, on the mock
        own.close()
    else:
        client = JoinMeClient(access_token="t", http_client=http)
    return _compare(
        _batch(lambda: client.meetings.get_scheduled_meeting(12345)),
        _batch(lambda: json.loads(http.get(URL, headers=HEADERS).content)),
    )


def asynchronous() -> Overhead:
    """The async client against a bare `httpx.AsyncClient`, in one event loop."""
    from generated.joinme import AsyncJoinMeClient

    async def measure() -> Overhead:
        http = httpx.AsyncClient(transport=_transport())
        client = AsyncJoinMeClient(access_token="t", http_client=http)

        async def bare() -> object:
            return json.loads((await http.get(URL, headers=HEADERS)).content)

        def batch(call: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[float]]:
            async def run() -> float:
                start = time.perf_counter()
                for _ in range(CALLS):
                    await call()
                return time.perf_counter() - start

            return run

        mine, theirs = batch(lambda: client.meetings.get_scheduled_meeting(12345)), batch(bare)
        await mine(), await theirs()
        timed = [(await mine() / CALLS, await theirs() / CALLS) for _ in range(ROUNDS)]
        ratios = [m / t for m, t in timed]
        return Overhead(
            (
                statistics.median(m for m, _ in timed),
                statistics.median(t for _, t in timed),
                statistics.median(ratios),
            )
        )

    return asyncio.run(measure())


def overheads() -> dict[str, Overhead]:
    return {
        "sync, http_client=": sync(own_client=False),
        "sync, its own client": sync(own_client=True),
        "async, http_client=": asynchronous(),
    }


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for what, figures in overheads().items():
        print(
            f"{what}: generated {figures.generated * 1e6:.0f} us, bare {figures.bare * 1e6:.0f} us, ratio {figures.ratio:.2f}"
        )
