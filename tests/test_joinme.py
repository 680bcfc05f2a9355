"""The generated join.me client, every operation, sync and async, on a mock transport."""

from __future__ import annotations

import asyncio
import datetime
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from generated.joinme import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncJoinMeClient,
    InternalServerError,
    JoinMeClient,
    MissingCredentialError,
    NotFoundError,
    PermissionDeniedError,
)
from generated.joinme.models import Meeting, MeetingList, MeetingUpdate, NewMeeting

UTC = datetime.timezone.utc
BASE = "https://api.join.me/v1"
MEETING = {
    "meetingId": 12345,
    "meetingName": "Weekly update with the boss",
    "meetingStart": "2015-06-02T09:00:00Z",
    "meetingEnd": "2015-06-02T10:00:00Z",
    "startWithPersonalUrl": True,
    "participants": ["worldsbestboss@join.me", "hardworker@join.me"],
    "conferenceId": "123456789",
}
LIST = {
    "meetings": [
        {k: MEETING[k] for k in ("meetingId", "meetingName", "meetingStart", "meetingEnd", "startWithPersonalUrl")},
        {
            "meetingId": 12399,
            "meetingName": "Follow up with our best customer",
            "meetingStart": "2015-06-02T10:00:00Z",
            "meetingEnd": "2015-06-02T11:00:00Z",
            "startWithPersonalUrl": False,
        },
    ]
}
CREATE_REQUEST = {
    "meetingStart": "2015-06-02T10:00:00Z",
    "meetingEnd": "2015-06-02T11:00:00Z",
    "meetingName": "Follow up with our customer",
    "startWithPersonalUrl": False,
    "participants": ["youremail@join.me", "the.best.customer@join.me"],
}
UPDATE_REQUEST = {
    "meetingStart": "2015-06-03T10:00:00Z",
    "meetingEnd": "2015-06-03T11:00:00Z",
    "meetingName": "Follow up with our best customer",
    "startWithPersonalUrl": True,
    "participants": ["youremail@join.me", "the.best.customer@join.me", "worldsbestboss@join.me"],
}


class Recorder:
    """A mock transport that answers with canned responses and keeps the requests."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def when(hour: int, day: int = 2) -> datetime.datetime:
    return datetime.datetime(2015, 6, day, hour, tzinfo=UTC)


# (call on a client, canned response, method, URL, request JSON or None, expected result)
CASES: dict[str, tuple[Callable[[Any], Any], httpx.Response, str, str, Any, Any]] = {
    "get_scheduled_meetings": (
        lambda c: c.meetings.get_scheduled_meetings(end_date=when(0, 30)),
        httpx.Response(200, json=LIST),
        "GET",
        f"{BASE}/meetings?endDate=2015-06-30T00%3A00%3A00%2B00%3A00",
        None,
        MeetingList.model_validate(LIST),
    ),
    "schedule_meeting": (
        lambda c: c.meetings.schedule_meeting(
            body=NewMeeting(
                meeting_start=when(10),
                meeting_end=when(11),
                meeting_name="Follow up with our customer",
                start_with_personal_url=False,
                participants=["youremail@join.me", "the.best.customer@join.me"],
            )
        ),
        httpx.Response(201, json={**CREATE_REQUEST, "meetingId": 12345}),
        "POST",
        f"{BASE}/meetings",
        CREATE_REQUEST,
        Meeting.model_validate({**CREATE_REQUEST, "meetingId": 12345}),
    ),
    "get_scheduled_meeting": (
        lambda c: c.meetings.get_scheduled_meeting(12345),
        httpx.Response(200, json=MEETING),
        "GET",
        f"{BASE}/meetings/12345",
        None,
        Meeting.model_validate(MEETING),
    ),
    "update_meeting": (
        lambda c: c.meetings.update_meeting(
            12345,
            body=MeetingUpdate(
                meeting_start=when(10, 3),
                meeting_end=when(11, 3),
                meeting_name="Follow up with our best customer",
                start_with_personal_url=True,
                participants=["youremail@join.me", "the.best.customer@join.me", "worldsbestboss@join.me"],
            ),
        ),
        httpx.Response(201, json={**UPDATE_REQUEST, "meetingId": 12345}),
        "PATCH",
        f"{BASE}/meetings/12345",
        UPDATE_REQUEST,
        Meeting.model_validate({**UPDATE_REQUEST, "meetingId": 12345}),
    ),
    "delete_meeting": (
        lambda c: c.meetings.delete_meeting(12345),
        httpx.Response(204),
        "DELETE",
        f"{BASE}/meetings/12345",
        None,
        None,
    ),
}


def sync_call(call: Callable[[Any], Any], transport: Recorder, **options: Any) -> Any:
    with httpx.Client(transport=httpx.MockTransport(transport)) as http:
        return call(JoinMeClient(access_token="tok", http_client=http, **options))


def async_call(call: Callable[[Any], Any], transport: Recorder, **options: Any) -> Any:
    async def run() -> Any:
        async with httpx.AsyncClient(transport=httpx.MockTransport(transport)) as http:
            return await call(AsyncJoinMeClient(access_token="tok", http_client=http, **options))

    return asyncio.run(run())


RUNNERS = {"sync": sync_call, "async": async_call}


@pytest.mark.parametrize("mode", sorted(RUNNERS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_operation(name: str, mode: str) -> None:
    call, canned, method, url, body, expected = CASES[name]
    transport = Recorder(httpx.Response(canned.status_code, headers=canned.headers, content=canned.content))
    result = RUNNERS[mode](call, transport)
    request = transport.last
    assert (request.method, str(request.url)) == (method, url)
    assert request.headers["Authorization"] == "Bearer tok"
    assert request.headers["User-Agent"] == "joinme/1.0 (meeting-clientgen)"
    if body is None:
        assert request.content == b""
    else:
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(request.content) == body
    assert result == expected


def test_update_sends_only_the_fields_that_were_set() -> None:
    transport = Recorder(httpx.Response(201, json={**MEETING, "meetingName": "Renamed"}))
    result = sync_call(
        lambda c: c.meetings.update_meeting(12345, body=MeetingUpdate(meeting_name="Renamed")), transport
    )
    assert json.loads(transport.last.content) == {"meetingName": "Renamed"}
    assert result.meeting_name == "Renamed"


@pytest.mark.parametrize("mode", sorted(RUNNERS))
@pytest.mark.parametrize(
    ("status", "error", "headers", "content"),
    [
        (404, NotFoundError, {}, b""),
        (403, PermissionDeniedError, {"WWW-Authenticate": 'Bearer realm="api.join.me", error="invalid_token"'}, b""),
        (500, InternalServerError, {"Content-Type": "application/json"}, b'{"message": "boom"}'),
    ],
)
def test_error_status_raises_its_exception(
    mode: str, status: int, error: type[Exception], headers: dict[str, str], content: bytes
) -> None:
    transport = Recorder(httpx.Response(status, headers=headers, content=content))
    with pytest.raises(error) as caught:
        RUNNERS[mode](lambda c: c.meetings.get_scheduled_meeting(7, max_retries=0), transport)
    exc: Any = caught.value
    assert exc.status_code == status
    assert exc.response.status_code == status
    for key, value in headers.items():
        assert exc.headers[key] == value
    assert exc.body == (json.loads(content) if content else "")


def test_unknown_fields_are_kept() -> None:
    transport = Recorder(httpx.Response(200, json={**MEETING, "newField": {"x": 1}}))
    meeting = sync_call(lambda c: c.meetings.get_scheduled_meeting(1), transport)
    assert meeting.model_extra == {"newField": {"x": 1}}


def test_a_response_that_breaks_the_spec_is_an_api_error() -> None:
    transport = Recorder(httpx.Response(200, json={"meetingId": "not a number"}))
    with pytest.raises(APIResponseValidationError) as caught:
        sync_call(lambda c: c.meetings.get_scheduled_meeting(1), transport)
    assert caught.value.status_code == 200


def test_transport_failures_become_api_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def stall(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(APIConnectionError):
        sync_call(lambda c: c.meetings.delete_meeting(1), refuse)  # type: ignore[arg-type]
    with pytest.raises(APITimeoutError):
        async_call(lambda c: c.meetings.delete_meeting(1), stall)  # type: ignore[arg-type]


def test_base_url_and_timeout_are_configurable() -> None:
    transport = Recorder(httpx.Response(204))
    sync_call(lambda c: c.meetings.delete_meeting(9), transport, base_url="http://localhost:8080/v1/", timeout=2.5)
    assert str(transport.last.url) == "http://localhost:8080/v1/meetings/9"
    assert transport.last.extensions["timeout"] == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}


def test_default_timeout() -> None:
    transport = Recorder(httpx.Response(204))
    sync_call(lambda c: c.meetings.delete_meeting(9), transport)
    assert transport.last.extensions["timeout"] == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}


def test_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOINME_ACCESS_TOKEN", "from-env")
    transport = Recorder(httpx.Response(204))
    with httpx.Client(transport=httpx.MockTransport(transport)) as http:
        JoinMeClient(http_client=http).meetings.delete_meeting(1)
    assert transport.last.headers["Authorization"] == "Bearer from-env"


def test_missing_token_is_a_clear_error_before_sending(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOINME_ACCESS_TOKEN", raising=False)
    recorder = Recorder()
    client = JoinMeClient(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))  # builds without
    message = r"pass access_token=\.\.\. \(or set JOINME_ACCESS_TOKEN\)"
    with pytest.raises(MissingCredentialError, match=message):
        client.meetings.get_scheduled_meeting(12345)
    assert recorder.requests == []


def test_an_injected_client_is_left_open_and_an_owned_one_closed() -> None:
    http = httpx.Client(transport=httpx.MockTransport(Recorder()))
    with JoinMeClient(access_token="t", http_client=http):
        pass
    assert not http.is_closed
    owned = JoinMeClient(access_token="t")
    owned.close()
    assert owned._client.is_closed


def test_path_parameters_are_positional_and_the_rest_keyword_only() -> None:
    import inspect

    from generated.joinme.resources.meetings import AsyncMeetings, Meetings

    signature = inspect.signature(Meetings.update_meeting)
    kinds = {name: p.kind.name for name, p in signature.parameters.items()}
    assert kinds == {
        "self": "POSITIONAL_OR_KEYWORD",
        "meeting_id": "POSITIONAL_OR_KEYWORD",
        "body": "KEYWORD_ONLY",
        "extra_headers": "KEYWORD_ONLY",
        "timeout": "KEYWORD_ONLY",
        "max_retries": "KEYWORD_ONLY",
    }
    assert inspect.signature(AsyncMeetings.update_meeting).parameters.keys() == signature.parameters.keys()
    assert Meetings.update_meeting.__doc__ is not None
    assert Meetings.update_meeting.__doc__.startswith("Update a meeting\n\n        Updates a meeting")
