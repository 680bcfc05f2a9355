"""Calls mypy --strict must reject: each line marked `# E` is an error, no other line is."""

from __future__ import annotations

import datetime

from generated.genesys import GenesysClient
from generated.joinme import AsyncJoinMeClient, JoinMeClient, NotFoundError
from generated.joinme.models import Meeting, MeetingUpdate, NewMeeting
from generated.meetings import Meeting as UnifiedMeeting
from generated.meetings import Recurrence, Rule, Weekday, connect, connect_async
from generated.portsip import PortSipClient
from generated.portsip.models import CreateMeetingRequest, MeetingLayout, MeetingMode
from generated.pyas import PyasClient

client = JoinMeClient(access_token="token")
start = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.timezone.utc)

client.meetings.get_scheduled_meeting("12345")  # E: a path parameter of the wrong type
client.meetings.get_scheduled_meeting(meeting_id=12345, timeout="soon")  # E: a timeout of the wrong type
client.meetings.get_scheduled_meetings(end_date="2026-01-05")  # E: a string where a datetime goes
client.meetings.schedule_meeting(body={"meetingName": "x"})  # E: a dict where the model goes
new = NewMeeting(meeting_name="x", meeting_start=start, meeting_end=start)
client.meetings.schedule_meeting(new)  # E: body is keyword-only
client.meetings.delete_meeting(1, body=None)  # E: an argument the operation does not take
client.meetings.update_meeting(1, body=MeetingUpdate(meeting_nme="typo"))  # E: a field the model does not have
NewMeeting(meeting_name="x", meeting_start=start)  # E: a required field left out
meeting: Meeting = client.meetings.delete_meeting(1)  # E: delete returns None
name: int = client.meetings.get_scheduled_meeting(1).meeting_name  # E: the attribute is a str
JoinMeClient(access_token=123)  # E: a credential of the wrong type
GenesysClient(access_token="t")  # E: Genesys takes client credentials, not a token
PyasClient(api_key="k").meetings.list_meetings()  # E: account_id is required
PortSipClient(access_token="t").meetings.list_user_meetings(top="10")  # E: top is an int
for item in PyasClient(api_key="k").meetings.list_meetings_iter(account_id="a"):
    item.no_such_field  # E: the items are typed
error: NotFoundError = NotFoundError  # E: a class is not an instance
client.meeting.delete_meeting(1)  # E: a resource that does not exist
PortSipClient(access_token="t").meetings.kick_out_meeting_participant("1", "2")  # E: it is on `participants`
CreateMeetingRequest(mode="audio", subject="s", timezone="UTC")  # E: a value the enum does not list
PyasClient(api_key="k").meetings.list_meetings(account_id="a", type="old")  # E: a value the enum does not list
connect("pyas", api_key="k")  # E: account_id, its context, is required
connect("portsip", acces_token="t")  # E: a misspelt credential
connect("genesys", user_id="u", access_token="t")  # E: Genesys takes client credentials, not a token
connect("pyas", account_id=1, api_key="k")  # E: a context of the wrong type
connect("no-such-vendor")  # E: a vendor the package does not have
connect_async("portsip", base_url=1)  # E: a base_url of the wrong type
connect("portsip").delete(connect("portsip").create(UnifiedMeeting(title="x")).id, 1)  # E: delete takes the id alone
UnifiedMeeting(recurrence="FREQ=DAILY")  # E: typed code gives a Rule: Rule.parse(text)
Rule(frequency=Recurrence.WEEKLY, weekdays=("MO",))  # E: weekdays are Weekday members
connect("portsip").capabilities.required.append("title")  # E: capabilities are read only


async def main() -> None:
    async with AsyncJoinMeClient(access_token="t") as async_client:
        meeting = async_client.meetings.get_scheduled_meeting(1)
        meeting.meeting_name  # E: not awaited, it is a coroutine
        sync_meetings = PyasClient(api_key="k").meetings
        async for _ in sync_meetings.list_meetings_iter(account_id="a"):  # E: the sync client's iterator is not async
            pass
    unified = connect_async("portsip", access_token="t")
    unified.get("1").title  # E: not awaited, it is a coroutine
    for _ in unified.list():  # E: the async client's list is an async iterator
        pass


# Correct use type-checks.
ok: Meeting = client.meetings.get_scheduled_meeting(12345, extra_headers={"X-Trace": "1"}, timeout=5.0, max_retries=0)
raw_status: int = client.meetings.with_raw_response.get_scheduled_meeting(1).status_code
CreateMeetingRequest(mode="AUDIO", subject="s", timezone="UTC", layout=MeetingLayout.LAYOUT0)  # enums take their values
CreateMeetingRequest(mode=MeetingMode.VIDEO, subject="s", timezone="UTC", layout="LAYOUT9")
PyasClient(api_key="k").meetings.list_meetings(account_id="a", type="live")
created = connect("portsip", access_token="t").create(UnifiedMeeting(title="x"))
same_id: str = created.id  # a stored meeting always has its id
connect("pyas", account_id="a", api_key="k", timeout=5.0).delete(same_id)
connect_async("genesys", user_id="u", client_id="i", client_secret="s")
weekly = Rule.parse("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10")
UnifiedMeeting(recurrence=Rule(frequency=Recurrence.WEEKLY, weekdays=(Weekday.MO,), count=weekly.count))
limits: tuple[tuple[str, int], ...] = connect("portsip").capabilities.max_length
