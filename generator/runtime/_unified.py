"""One meetings interface over every vendor's generated client.

`Meeting` is vendor-neutral. A `VendorMap`, data the generator writes from a
spec's `x-unified`, says which of the vendor's operations create, get, list,
update and delete, and where each of `Meeting`'s fields lives in the vendor's
meeting object. `MeetingsClient` (and `AsyncMeetingsClient`) work from that
data alone: no vendor has code of its own. This module is ordinary Python,
type-checked and tested once, and copied into the `meetings` package.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import typing
import zoneinfo
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence

import pydantic

from ._unified_records import FIELDS, TIMES, FieldMap, Tokens, VendorMap, Verb
from ._unified_records import Capabilities as Capabilities
from ._unified_records import Recurrence as Recurrence
from ._unified_records import Status as Status
from ._unified_records import Weekday as Weekday

_RRULE = {  # RFC 5545's names of a rule's parts
    "FREQ": "frequency",
    "INTERVAL": "interval",
    "BYDAY": "weekdays",
    "BYMONTHDAY": "month_day",
    "COUNT": "count",
    "UNTIL": "until",
}


class Rule(pydantic.BaseModel):
    """How a meeting recurs: a subset of RFC 5545's RRULE (FREQ of DAILY, WEEKLY or
    MONTHLY; INTERVAL; BYDAY, BYMONTHDAY; an end by COUNT or UNTIL).

    `Rule.parse("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10")` reads one; `str(rule)` writes it.
    A `Meeting` takes either (typed code, a `Rule`). Refusals are `InvalidRequestError`s.
    """

    model_config = pydantic.ConfigDict(frozen=True)

    frequency: Recurrence
    interval: int = pydantic.Field(default=1, ge=1)
    weekdays: tuple[Weekday, ...] = ()
    month_day: int | None = pydantic.Field(default=None, ge=1, le=31)
    count: int | None = pydantic.Field(default=None, ge=1)
    until: datetime.datetime | None = None

    @pydantic.model_validator(mode="wrap")
    @classmethod
    def _refused_as_ours(
        cls, data: typing.Any, handler: pydantic.ModelWrapValidatorHandler[typing.Any]
    ) -> typing.Any:
        try:
            rule = handler(data)
        except pydantic.ValidationError as exc:
            raise _invalid(cls.__name__, exc, ["recurrence"]) from exc
        if rule.count is not None and rule.until is not None:
            raise InvalidRequestError(
                "a rule ends by count or by until, not both", None, None, ["recurrence"]
            )
        if rule.until is not None and rule.until.utcoffset() is None:
            raise InvalidRequestError(
                "until is a naive datetime: give it a zone", None, None, ["recurrence"]
            )
        return rule

    @classmethod
    def parse(cls, text: str) -> Rule:
        """The rule an RRULE's text (with or without its "RRULE:") says."""
        values: dict[str, typing.Any] = {}
        for part in text.removeprefix("RRULE:").split(";"):
            key, _, value = part.partition("=")
            name = _RRULE.get(key.strip().upper())
            if name is None:
                raise InvalidRequestError(
                    f"RRULE part {key!r} is not one of {', '.join(_RRULE)}",
                    None,
                    None,
                    ["recurrence"],
                )
            values[name] = value.strip()
        if "frequency" in values:
            values["frequency"] = values["frequency"].lower()
        if "weekdays" in values:
            values["weekdays"] = tuple(values["weekdays"].split(","))
        if "until" in values:
            values["until"] = _until(values["until"])
        return cls(**values)

    def __str__(self) -> str:
        parts = [f"FREQ={self.frequency.value.upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.weekdays:
            parts.append(f"BYDAY={','.join(day.value for day in self.weekdays)}")
        if self.month_day is not None:
            parts.append(f"BYMONTHDAY={self.month_day}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            at = self.until.astimezone(datetime.timezone.utc)
            parts.append(f"UNTIL={at.strftime('%Y%m%dT%H%M%SZ')}")
        return ";".join(parts)


def _until(text: str) -> datetime.datetime | str:
    """An RRULE's UNTIL (a UTC time, or a date: its first instant in UTC)."""
    for layout in ("%Y%m%dT%H%M%SZ", "%Y%m%d"):
        try:
            moment = datetime.datetime.strptime(text, layout)
        except ValueError:
            continue
        return moment.replace(tzinfo=datetime.timezone.utc)
    return text  # refused by the model, as ours


class Meeting(pydantic.BaseModel):
    """A meeting, whoever hosts it. Fields a vendor does not keep are None.

    It has a field for each name of `FIELDS`, in that order, and `original`.
    A value of the wrong type raises `InvalidRequestError`, never pydantic's own error.
    """

    id: str | None = None
    title: str | None = None
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    duration: datetime.timedelta | None = None
    timezone: str | None = None
    attendees: list[str] | None = None  # e-mail addresses or the vendor's user ids
    host: str | None = None
    join_url: str | None = None
    status: Status | None = None
    recurrence: Rule | None = None  # a Rule, or its RRULE text
    # The vendor's own meeting object, as read: for what the unified fields leave out.
    original: typing.Any = pydantic.Field(default=None, exclude=True, repr=False)

    @pydantic.field_validator("recurrence", mode="before")
    @classmethod
    def _rule_of_text(cls, value: typing.Any) -> typing.Any:
        return Rule.parse(value) if isinstance(value, str) else value

    @pydantic.model_validator(mode="wrap")
    @classmethod
    def _refused_as_ours(
        cls, data: typing.Any, handler: pydantic.ModelWrapValidatorHandler[typing.Any]
    ) -> typing.Any:
        try:
            return handler(data)
        except pydantic.ValidationError as exc:
            raise _invalid(cls.__name__, exc) from exc


def _invalid(
    model: str, exc: pydantic.ValidationError, fields: Sequence[str] = ()
) -> InvalidRequestError:
    """A model's refusal as ours: naming the fields refused (or `fields`)."""
    named = fields or [str(e["loc"][0]) for e in exc.errors() if e["loc"]]
    problems = "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
    )
    return InvalidRequestError(f"{model}: {problems}", None, exc, named)


class StoredMeeting(Meeting):
    """A meeting as a vendor keeps it, as every call answers: its `id` is always set."""

    id: str


# --- errors -------------------------------------------------------------------


class MeetingsError(Exception):
    """Any failure of a unified call; `original` is the vendor client's exception."""

    def __init__(self, message: str, original: BaseException | None = None) -> None:
        super().__init__(message)
        self.original = original


class UnsupportedFieldError(MeetingsError, ValueError):
    """Fields given that this vendor cannot store (or not as given: `detail` says
    which part): nothing was sent."""

    def __init__(self, vendor: str, fields: Sequence[str], detail: str = "") -> None:
        what = ", ".join(fields) + (f" ({detail})" if detail else "")
        super().__init__(f"{vendor} cannot store {what}")
        self.fields = tuple(fields)


class UnsupportedOperationError(MeetingsError, NotImplementedError):
    """An action (start, end, cancel) this vendor does not have: nothing was sent."""

    def __init__(self, vendor: str, action: str) -> None:
        super().__init__(f"{vendor} cannot {action} a meeting")
        self.action = action


class APIError(MeetingsError):
    """The vendor refused: it answered with an error status, or its client refused
    before sending (`status_code` None)."""

    def __init__(
        self, message: str, status_code: int | None, original: BaseException | None
    ) -> None:
        super().__init__(message, original)
        self.status_code = status_code


class NotFoundError(APIError):
    """404: no such meeting."""


class InvalidRequestError(APIError):
    """400, 409 or 422: the vendor refused the meeting as given. Or it was refused
    before sending (`status_code` None): by the vendor's models, a naive datetime, a
    value of the wrong type; `fields` names the `Meeting` fields refused."""

    def __init__(
        self,
        message: str,
        status_code: int | None,
        original: BaseException | None,
        fields: Sequence[str] = (),
    ) -> None:
        super().__init__(message, status_code, original)
        self.fields = tuple(fields)


class AuthenticationError(APIError):
    """401 or 403: the credentials were refused; or none were given (`status_code` None)."""


class ConfigurationError(MeetingsError, ValueError):
    """`connect`'s arguments were refused: an unknown vendor, a context argument
    missing, or what the vendor's client refuses (no `base_url`, a misspelt name)."""


class ConnectionError(MeetingsError):  # noqa: A001 - the package's own, as httpx's is
    """The vendor could not be reached, or did not answer in time."""


def _api_error(exc: BaseException, status: int, vendor: str) -> APIError:
    kind: type[APIError] = {
        404: NotFoundError,
        400: InvalidRequestError,
        409: InvalidRequestError,
        422: InvalidRequestError,
        401: AuthenticationError,
        403: AuthenticationError,
    }.get(status, APIError)
    return kind(f"{vendor}: {exc}", status, exc)


# --- converting between Meeting and the vendor's object -------------------------


def _dig(data: typing.Any, tokens: Tokens) -> typing.Any:
    for token in tokens:
        if isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        elif isinstance(data, dict):
            data = data.get(token)
        else:
            return None
    return data


def _put(data: dict[str, typing.Any], tokens: Tokens, value: typing.Any) -> None:
    for token in tokens[:-1]:
        data = data.setdefault(token, {})
    data[tokens[-1]] = value


def _completed(values: dict[str, typing.Any]) -> dict[str, typing.Any]:
    """`values` with end or duration worked out when start and the other are there."""
    start, end, duration = (values.get(name) for name in TIMES)
    if start is not None and end is None and duration is not None:
        values["end"] = start + duration
    elif start is not None and duration is None and end is not None:
        values["duration"] = end - start
    elif start is None and end is not None and duration is not None:
        values["start"] = end - duration
    return values


def _given(
    meeting: Meeting, vendor: VendorMap, creating: bool = False
) -> dict[str, typing.Any]:
    """The fields `meeting` sets, times completed, checked before anything is sent:
    `UnsupportedFieldError` for one the vendor cannot store, `InvalidRequestError`
    for a naive datetime, times that disagree, or a text longer than it takes.
    A create whose start is in a named zone (`zoneinfo`) is held there."""
    given = {
        name: getattr(meeting, name)
        for name in FIELDS
        if name != "id" and getattr(meeting, name) is not None
    }
    can = vendor.capabilities
    refused = sorted(set(given) - set(can.writable))
    if refused:
        raise UnsupportedFieldError(vendor.name, refused)
    zone = getattr(given.get("start"), "tzinfo", None)
    if (
        creating
        and "timezone" in can.writable
        and "timezone" not in given
        and isinstance(zone, zoneinfo.ZoneInfo)
        and (not can.timezones or zone.key in can.timezones)
    ):
        given["timezone"] = zone.key
    _check_stored(given, vendor)
    for name in ("start", "end"):
        moment = given.get(name)
        if moment is not None and moment.utcoffset() is None:
            raise InvalidRequestError(
                f"{name} is a naive datetime, which names no instant: give it a zone,"
                f" e.g. {name}.replace(tzinfo=zoneinfo.ZoneInfo('Europe/Paris'))"
                " or tzinfo=datetime.UTC",
                None,
                None,
                [name],
            )
    start, end, duration = (given.get(name) for name in TIMES)
    if start is not None and end is not None and duration is not None:
        if start + duration != end:
            raise InvalidRequestError(
                f"end {end} is not start {start} + duration {duration}: give two of them",
                None,
                None,
                list(TIMES),
            )
    return _completed(given)


def _check_stored(given: Mapping[str, typing.Any], vendor: VendorMap) -> None:
    """Refuse what the vendor's capabilities say it cannot take: a text too long, a
    zone it has no id for, a rule or part of one it cannot store."""
    can = vendor.capabilities
    for name, limit in can.max_length:
        text = given.get(name)
        if isinstance(text, str) and len(text) > limit:
            raise InvalidRequestError(
                f"{name} is refused by {vendor.name}: at most {limit} characters,"
                f" not {len(text)}",
                None,
                None,
                [name],
            )
    zone = given.get("timezone")
    if zone is not None and can.timezones and zone not in can.timezones:
        raise InvalidRequestError(
            f"timezone {zone!r} is refused by {vendor.name}: one of"
            f" {', '.join(can.timezones)}",
            None,
            None,
            ["timezone"],
        )
    rule = given.get("recurrence")
    if isinstance(rule, Rule):
        if rule.frequency.value not in can.recurrence:
            raise UnsupportedFieldError(
                vendor.name, ["recurrence"], f"{rule.frequency.value} rules"
            )
        defaults = Rule(frequency=rule.frequency)
        parts = [
            part
            for part in Rule.model_fields
            if getattr(rule, part) != getattr(defaults, part)
            and part not in can.rule_parts
        ]
        if parts:
            raise UnsupportedFieldError(vendor.name, ["recurrence"], ", ".join(parts))


# A change to one of the times alone keeps this one: the end moves with the start.
KEPT = {"start": "duration", "end": "start", "duration": "start"}


def _reads_first(changes: Meeting, vendor: VendorMap) -> bool:
    """Whether an update of `changes` needs the meeting as it is: when one time
    changes alone and the vendor stores another that the change moves; or when a
    field is written inside an object of the meeting, which a patch may replace
    whole, so the object is sent whole."""
    changed = [name for name in FIELDS if getattr(changes, name) is not None]
    if any(
        len(_written_at(f)) > 1
        for f in vendor.fields
        if f.name in changed and not f.read_only
    ):
        return True
    times = [name for name in TIMES if name in changed]
    if len(times) != 1:
        return False
    stored = {f.name for f in vendor.fields if f.name in TIMES and not f.read_only}
    return bool(stored - {times[0], KEPT[times[0]]})


def _moved(
    given: dict[str, typing.Any], current: Mapping[str, typing.Any]
) -> dict[str, typing.Any]:
    """`given` (an update's checked fields) completed with the times of `current` (a
    meeting as it is) by the one rule: a time changed alone keeps the time `KEPT`
    names (start alone keeps the duration; end or duration alone keeps the start),
    and the third follows."""
    changed = [name for name in TIMES if name in given]
    if len(changed) != 1 or current.get(KEPT[changed[0]]) is None:
        return given
    kept = KEPT[changed[0]]
    return _completed({**given, kept: current[kept]})


def to_vendor(
    meeting: Meeting, vendor: VendorMap, creating: bool
) -> dict[str, typing.Any]:
    """The vendor's meeting object (wire names) for the fields `meeting` sets;
    `UnsupportedFieldError` if it sets one the vendor cannot store."""
    return _wire(_given(meeting, vendor, creating), vendor, creating)


def _wire(
    given: dict[str, typing.Any], vendor: VendorMap, creating: bool
) -> dict[str, typing.Any]:
    """The vendor's meeting object (wire names) for `given` (`_given`'s fields)."""
    wire: dict[str, typing.Any] = {}
    if creating:
        for tokens, constant in vendor.constants:
            _put(wire, tokens, constant)
    for field in vendor.fields:
        if not field.read_only and given.get(field.name) is not None:
            _put(wire, _written_at(field), _written(field, given[field.name]))
            for tokens, constant in field.constants:
                _put(wire, tokens, constant)
    return wire


def _written_at(field: FieldMap) -> Tokens:
    return field.at if field.write is None else field.write


def _values(data: typing.Any, vendor: VendorMap) -> dict[str, typing.Any]:
    """The unified fields a vendor's meeting object (wire names, JSON values) holds."""
    values = {}
    for field in vendor.fields:
        found = _dig(data, field.at)
        if found is not None:
            values[field.name] = _read(field, found)
    read = Meeting(**values).model_dump(exclude_none=True)
    zone = _zone(read.get("timezone"))
    for name in ("start", "end"):
        if name in read:  # in the meeting's zone; a time without an offset is in it
            moment = read[name]
            if moment.utcoffset() is None:
                moment = moment.replace(tzinfo=zone)
            read[name] = moment.astimezone(zone)
    return _completed(read)


def _zone(name: typing.Any) -> datetime.tzinfo:
    """The zone an IANA name names; UTC for none or one unknown here."""
    if isinstance(name, str):
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return datetime.timezone.utc


def from_vendor(data: typing.Any, vendor: VendorMap) -> StoredMeeting:
    """The `StoredMeeting` a vendor's meeting object (wire names, JSON values) describes."""
    try:
        return StoredMeeting(**_values(data, vendor), original=data)
    except InvalidRequestError as exc:
        raise MeetingsError(
            f"{vendor.name} answered with what is not a meeting: {exc}", exc.original
        ) from exc


def _refusal(
    exc: pydantic.ValidationError, vendor: VendorMap, verb: Verb
) -> InvalidRequestError:
    """The vendor's models' refusal of a request body, in the unified fields' names."""
    places = {verb.body + _written_at(f): f.name for f in vendor.fields}
    fields: list[str] = []
    problems = []
    for error in exc.errors():
        location = tuple(str(token) for token in error["loc"])
        name = next((n for at, n in places.items() if location[: len(at)] == at), None)
        if name is None:
            where = "/" + "/".join(location)
            what = f"its {where} (no Meeting field maps there)"
        else:
            fields.append(name)
            what = name
        if error["type"] == "missing":
            problems.append(f"{what} is required by {vendor.name}")
        else:
            problems.append(f"{what} is refused by {vendor.name}: {error['msg']}")
    return InvalidRequestError(
        "; ".join(problems), None, exc, list(dict.fromkeys(fields))
    )


def _written(field: FieldMap, value: typing.Any) -> typing.Any:
    if isinstance(value, Rule):
        return _rule_written(field, value)
    if field.values and isinstance(value, str):  # a zone: the vendor's id of it
        return {unified: vendor for vendor, unified in field.values}[value]
    if isinstance(value, enum.Enum):
        names = {unified: vendor for vendor, unified in field.values}
        return names.get(value.value, value.value)
    if isinstance(value, datetime.timedelta):
        units = value.total_seconds() / field.unit
        return int(units) if units == int(units) else units
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, list):
        if field.separator:
            return field.separator.join(value)
        if field.key:
            items = []
            for item in value:
                holder: dict[str, typing.Any] = dict(field.each)
                _put(holder, field.key, item)
                items.append(holder)
            return items
    return value


def _rule_written(field: FieldMap, rule: Rule) -> typing.Any:
    """The vendor's recurrence object for `rule` (whose parts it stores, checked)."""
    names = {unified: vendor for vendor, unified in field.values}
    days = {unified: vendor for vendor, unified in field.days}
    written: dict[str, typing.Any] = {}
    for part, tokens in field.parts:
        value = getattr(rule, part)
        if part == "frequency":
            value = names[value.value]
        elif part == "weekdays":
            if not value:
                continue
            value = [days[day.value] for day in value]
            value = field.separator.join(map(str, value)) if field.separator else value
        elif isinstance(value, datetime.datetime):
            value = value.isoformat()
        if value is not None:
            if tokens:
                _put(written, tokens, value)
            else:
                return value
    return written


def _rule_read(field: FieldMap, value: typing.Any) -> typing.Any:
    """The `Rule` of a vendor's recurrence object (its frequency alone, for a
    mapping with no parts)."""
    found = {part: _dig(value, tokens) for part, tokens in field.parts}
    found = {part: v for part, v in found.items() if v is not None}
    if "frequency" not in found:
        return None
    frequencies = {str(vendor): unified for vendor, unified in field.values}
    found["frequency"] = frequencies.get(str(found["frequency"]), "unknown")
    days = found.get("weekdays")
    if isinstance(days, str) and field.separator:
        days = [day.strip() for day in days.split(field.separator) if day.strip()]
    if isinstance(days, list):
        names = dict(field.days)
        found["weekdays"] = tuple(names[str(d)] for d in days if str(d) in names)
    return found


def _read(field: FieldMap, value: typing.Any) -> typing.Any:
    if field.parts:
        return _rule_read(field, value)
    if field.values and field.name == "timezone":
        # an id the spec does not name: None
        return {str(vendor): zone for vendor, zone in field.values}.get(str(value))
    if field.values:
        return {str(vendor): v for vendor, v in field.values}.get(str(value), "unknown")
    if field.name == "duration" and isinstance(value, (int, float)):
        return datetime.timedelta(seconds=value * field.unit)
    if field.name == "attendees":
        if field.separator and isinstance(value, str):
            return [
                part.strip() for part in value.split(field.separator) if part.strip()
            ]
        if field.key and isinstance(value, list):
            return [str(_dig(item, field.key)) for item in value]
    if field.name == "id":
        return str(value)
    return value


# --- the clients ----------------------------------------------------------------


def _dump(value: typing.Any) -> typing.Any:
    """A vendor's answer as JSON data, wire names, without the fields it left out."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return pydantic.TypeAdapter(typing.Any).dump_python(value, mode="json")


class _Adapter:
    """What the sync and async clients share: building calls and reading answers."""

    def __init__(
        self, client: typing.Any, vendor: VendorMap, context: Mapping[str, typing.Any]
    ) -> None:
        missing = [name for name in vendor.context if context.get(name) is None]
        if missing:
            raise ConfigurationError(
                f"{vendor.name} needs {', '.join(missing)}= to connect"
            )
        self.vendor = vendor
        self._client = client
        self._context = dict(context)
        self._package = importlib.import_module(vendor.package, __package__)

    @property
    def capabilities(self) -> Capabilities:
        """What this vendor keeps and takes: the `Meeting` fields it keeps (the
        others are always None), those a create requires, its length limits..."""
        return self.vendor.capabilities

    @property
    def actions(self) -> frozenset[str]:
        """What it can do to a meeting besides the five: of start, end and cancel."""
        return frozenset(name for name, _ in self.vendor.actions)

    def _action(self, name: str) -> Verb:
        verb = dict(self.vendor.actions).get(name)
        if verb is None:
            raise UnsupportedOperationError(self.vendor.name, name)
        return verb

    def _method(self, verb: Verb) -> typing.Any:
        target = self._client
        for name in verb.method.split("."):
            target = getattr(target, name)
        return target

    def _arguments(
        self,
        verb: Verb,
        meeting_id: str | None = None,
        wire: dict[str, typing.Any] | None = None,
        page_size: int | None = None,
    ) -> dict[str, typing.Any]:
        arguments = dict(verb.constants)
        if page_size is not None and verb.page_size:
            arguments[verb.page_size] = self._page_size(page_size)
        arguments |= {name: self._context[key] for key, name in verb.arguments}
        if verb.id_argument and meeting_id is not None:
            arguments[verb.id_argument] = meeting_id
        if wire is not None:
            body: dict[str, typing.Any] = {}
            if verb.body:
                _put(body, verb.body, wire)
            else:
                body.update(wire)
            for key, tokens in verb.body_context:
                _put(body, tokens, self._context[key])
            try:
                arguments["body"] = self._body_model(verb).model_validate(body)
            except pydantic.ValidationError as exc:
                raise _refusal(exc, self.vendor, verb) from exc
        return arguments

    def _page_size(self, size: int) -> int:
        """`size`, if the vendor's spec allows it; else `InvalidRequestError`."""
        least, most = self.vendor.capabilities.page_sizes or (None, None)
        if (least is not None and size < least) or (most is not None and size > most):
            allowed = f"from {least or 1} to {'any' if most is None else most}"
            raise InvalidRequestError(
                f"page_size {size} is refused by {self.vendor.name}: {allowed}",
                None,
                None,
            )
        return size

    def _body_model(self, verb: Verb) -> type[pydantic.BaseModel]:
        """The vendor's model of `verb`'s request body."""
        models = importlib.import_module(".models", self._package.__name__)
        return typing.cast(type[pydantic.BaseModel], getattr(models, verb.body_type))

    def _writable(self, current: typing.Any, verb: Verb) -> dict[str, typing.Any]:
        """The parts of a meeting as read that `verb`'s body takes: what a
        replacing update sends back unchanged (not the id, links or status)."""
        if not isinstance(current, dict):
            return {}
        if verb.body:
            return current
        fields = self._body_model(verb).model_fields
        names = {field.serialization_alias or name for name, field in fields.items()}
        return {key: value for key, value in current.items() if key in names}

    def _meeting(self, answer: typing.Any, verb: Verb) -> StoredMeeting:
        return from_vendor(_dig(_dump(answer), verb.result), self.vendor)

    def _changed(
        self, given: dict[str, typing.Any], current: typing.Any
    ) -> dict[str, typing.Any]:
        """The meeting object an update sends for `given` (the checked fields of
        the changes) to the meeting read as `current` (None where it was not read)."""
        verb = self.vendor.update
        if current is not None:
            given = _moved(given, _values(current, self.vendor))
        wire = _wire(given, self.vendor, creating=False)
        if verb.replace:
            changed = _merged(self._writable(current, verb), wire)
        elif current is None:
            return wire
        else:
            changed = {  # each object the changes write inside, whole
                key: (
                    _merged(current[key], value)
                    if isinstance(value, dict) and isinstance(current.get(key), dict)
                    else value
                )
                for key, value in wire.items()
            }
        for field in self.vendor.fields:  # a rule is replaced whole, never merged
            if field.parts and isinstance(given.get(field.name), Rule):
                _put(changed, _written_at(field), _written(field, given[field.name]))
        return changed

    def _needs_current(self, changes: Meeting) -> bool:
        return self.vendor.update.replace or _reads_first(changes, self.vendor)

    def _items(self, answer: typing.Any, verb: Verb) -> list[typing.Any]:
        found = _dig(_dump(answer), verb.result)
        return found if isinstance(found, list) else []

    def _error(self, exc: Exception) -> MeetingsError | None:
        """The unified error for an exception of the vendor's client; None for others."""
        name = self.vendor.name
        if isinstance(exc, self._package.APIStatusError):
            return _api_error(exc, exc.status_code, name)
        if isinstance(exc, self._package.APIConnectionError):
            return ConnectionError(f"{name}: {exc}", exc)
        if isinstance(exc, self._package.MissingCredentialError):
            return AuthenticationError(f"{name}: {exc}", None, exc)
        if isinstance(exc, self._package.APIError):  # an answer unlike its spec
            return APIError(f"{name}: {exc}", getattr(exc, "status_code", None), exc)
        return None


class MeetingsClient(_Adapter):
    """Create, read, list, update and delete meetings on one vendor."""

    def _call(self, verb: Verb, **arguments: typing.Any) -> typing.Any:
        try:
            return self._method(verb)(**arguments)
        except Exception as exc:
            error = self._error(exc)
            if error is None:
                raise
            raise error from exc

    def create(self, meeting: Meeting) -> StoredMeeting:
        verb = self.vendor.create
        wire = to_vendor(meeting, self.vendor, creating=True)
        created = self._meeting(
            self._call(verb, **self._arguments(verb, None, wire)), verb
        )
        return self.get(created.id) if verb.refetch else created

    def get(self, meeting_id: str) -> StoredMeeting:
        verb = self.vendor.get
        return self._meeting(
            self._call(verb, **self._arguments(verb, meeting_id)), verb
        )

    def list(self, page_size: int | None = None) -> Iterator[StoredMeeting]:
        """Every meeting, page after page, each page fetched when reached
        (`page_size` items a page, where the vendor lets it be chosen; one
        outside `capabilities.page_sizes` is an `InvalidRequestError`)."""
        verb = self.vendor.list
        answer = self._call(verb, **self._arguments(verb, page_size=page_size))
        items = answer if verb.paged else self._items(answer, verb)
        try:
            for item in items:
                yield from_vendor(_dig(_dump(item), verb.item), self.vendor)
        except Exception as exc:  # a later page failed
            error = self._error(exc)
            if error is None:
                raise
            raise error from exc

    def update(self, meeting_id: str, changes: Meeting) -> StoredMeeting:
        """The meeting after `changes` (its fields that are set) are applied. A
        time changed alone keeps the duration (start) or the start (end, duration)."""
        verb, read = self.vendor.update, self.vendor.get
        given = _given(changes, self.vendor)
        current = None
        if self._needs_current(changes):
            answer = self._call(read, **self._arguments(read, meeting_id))
            current = _dig(_dump(answer), read.result)
        wire = self._changed(given, current)
        answer = self._call(verb, **self._arguments(verb, meeting_id, wire))
        return self.get(meeting_id) if answer is None else self._meeting(answer, verb)

    def delete(self, meeting_id: str) -> None:
        verb = self.vendor.delete
        self._call(verb, **self._arguments(verb, meeting_id))

    def start(self, meeting_id: str) -> StoredMeeting:
        """Start the meeting now; the meeting after."""
        return self._act("start", meeting_id)

    def end(self, meeting_id: str) -> StoredMeeting:
        """End the meeting for everyone; the meeting after."""
        return self._act("end", meeting_id)

    def cancel(self, meeting_id: str) -> StoredMeeting:
        """Cancel the meeting, which the vendor keeps; the meeting after."""
        return self._act("cancel", meeting_id)

    def _act(self, name: str, meeting_id: str) -> StoredMeeting:
        verb = self._action(name)
        self._call(verb, **self._arguments(verb, meeting_id))
        return self.get(meeting_id)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> MeetingsClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncMeetingsClient(_Adapter):
    """The async twin of `MeetingsClient`."""

    async def _call(self, verb: Verb, **arguments: typing.Any) -> typing.Any:
        try:
            return await self._method(verb)(**arguments)
        except Exception as exc:
            error = self._error(exc)
            if error is None:
                raise
            raise error from exc

    async def create(self, meeting: Meeting) -> StoredMeeting:
        verb = self.vendor.create
        wire = to_vendor(meeting, self.vendor, creating=True)
        created = self._meeting(
            await self._call(verb, **self._arguments(verb, None, wire)), verb
        )
        return await self.get(created.id) if verb.refetch else created

    async def get(self, meeting_id: str) -> StoredMeeting:
        verb = self.vendor.get
        return self._meeting(
            await self._call(verb, **self._arguments(verb, meeting_id)), verb
        )

    async def list(self, page_size: int | None = None) -> AsyncIterator[StoredMeeting]:
        """Every meeting, page after page, each page fetched when reached
        (`page_size` items a page, where the vendor lets it be chosen; one
        outside `capabilities.page_sizes` is an `InvalidRequestError`)."""
        verb = self.vendor.list
        arguments = self._arguments(verb, page_size=page_size)
        try:
            if verb.paged:
                async for item in self._method(verb)(**arguments):
                    yield from_vendor(_dig(_dump(item), verb.item), self.vendor)
                return
            answer = await self._method(verb)(**arguments)
        except Exception as exc:
            error = self._error(exc)
            if error is None:
                raise
            raise error from exc
        for item in self._items(answer, verb):
            yield from_vendor(_dig(_dump(item), verb.item), self.vendor)

    async def update(self, meeting_id: str, changes: Meeting) -> StoredMeeting:
        """The meeting after `changes` (its fields that are set) are applied. A
        time changed alone keeps the duration (start) or the start (end, duration)."""
        verb, read = self.vendor.update, self.vendor.get
        given = _given(changes, self.vendor)
        current = None
        if self._needs_current(changes):
            answer = await self._call(read, **self._arguments(read, meeting_id))
            current = _dig(_dump(answer), read.result)
        wire = self._changed(given, current)
        answer = await self._call(verb, **self._arguments(verb, meeting_id, wire))
        return (
            await self.get(meeting_id)
            if answer is None
            else self._meeting(answer, verb)
        )

    async def delete(self, meeting_id: str) -> None:
        verb = self.vendor.delete
        await self._call(verb, **self._arguments(verb, meeting_id))

    async def start(self, meeting_id: str) -> StoredMeeting:
        """Start the meeting now; the meeting after."""
        return await self._act("start", meeting_id)

    async def end(self, meeting_id: str) -> StoredMeeting:
        """End the meeting for everyone; the meeting after."""
        return await self._act("end", meeting_id)

    async def cancel(self, meeting_id: str) -> StoredMeeting:
        """Cancel the meeting, which the vendor keeps; the meeting after."""
        return await self._act("cancel", meeting_id)

    async def _act(self, name: str, meeting_id: str) -> StoredMeeting:
        verb = self._action(name)
        await self._call(verb, **self._arguments(verb, meeting_id))
        return await self.get(meeting_id)

    async def close(self) -> None:
        await self._client.close()

    async def __aenter__(self) -> AsyncMeetingsClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def _merged(
    current: typing.Any, changes: dict[str, typing.Any]
) -> dict[str, typing.Any]:
    """`current` (a vendor object) with `changes` written over it, mappings merged."""
    merged = dict(current) if isinstance(current, dict) else {}
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def connect(
    vendors: Mapping[str, VendorMap], name: str, **options: typing.Any
) -> MeetingsClient:
    """A `MeetingsClient` for vendor `name`: `options` are its client's arguments
    (credentials, `base_url`...) and the vendor's context (`account_id`...)."""
    vendor, client, context = _connected(vendors, name, options, "")
    return MeetingsClient(client, vendor, context)


def connect_async(
    vendors: Mapping[str, VendorMap], name: str, **options: typing.Any
) -> AsyncMeetingsClient:
    """The async twin of `connect`."""
    vendor, client, context = _connected(vendors, name, options, "Async")
    return AsyncMeetingsClient(client, vendor, context)


def _connected(
    vendors: Mapping[str, VendorMap],
    name: str,
    options: Mapping[str, typing.Any],
    prefix: str,
) -> tuple[VendorMap, typing.Any, dict[str, typing.Any]]:
    vendor = vendors.get(name)
    if vendor is None:
        raise ConfigurationError(
            f"unknown vendor {name!r}: one of {', '.join(sorted(vendors))}"
        )
    context = {k: v for k, v in options.items() if k in vendor.context}
    arguments = {k: v for k, v in options.items() if k not in vendor.context}
    package = importlib.import_module(vendor.package, __package__)
    client_class = getattr(package, prefix + vendor.client)
    try:
        return vendor, client_class(**arguments), context
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"{name}: {exc}", exc) from exc
