"""Facilitators post one-off and recurring meetings, edit and cancel them, only in own groups."""

from __future__ import annotations

from datetime import date, time
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from staffgroups import make_facilitator, make_group

from bot.audit.models import AuditEvent
from bot.directory.models import Meeting
from bot.facilitators import errors
from bot.facilitators import meetings as service
from bot.facilitators.errors import Refused
from bot.facilitators.meetings import Changes, MeetingDraft
from bot.facilitators.models import MeetingSeries
from bot.facilitators.recurrence import Repeat
from bot.facilitators.timeparse import local, parse_date, parse_time

ZONE = ZoneInfo("Europe/Amsterdam")  # the default STEUNWIJZER_TIMEZONE: times below are Dutch


@pytest.fixture
def setup(context):
    with context.database.session() as session:
        group_id = make_group(session)
        other_group = make_group(session, "Andere groep (test)")
        facilitator = make_facilitator(session, context, group_id, 42_001)
        outsider = make_facilitator(session, context, other_group, 42_002, name="Bram",
                                    language="nl")
    return group_id, other_group, facilitator, outsider


def draft(group_id: str, day: date, repeat: Repeat = Repeat.WEEKLY, **kw) -> MeetingDraft:
    return MeetingDraft(group_id=group_id, day=day, start=time(19, 30), end=time(21, 30),
                        repeat=repeat, place="Buurthuis De Linde", languages=("tr",), **kw)


def _local_times(session, series_id: str) -> list:
    rows = session.scalars(select(Meeting).where(Meeting.series_id == series_id)
                           .order_by(Meeting.starts_at))
    return [local(m.starts_at, ZONE) for m in rows]


def test_a_weekly_series_keeps_local_time_across_the_dst_change(context, setup) -> None:
    group_id, _other, facilitator, _outsider = setup
    with context.database.session() as session:
        created = service.create_meeting(session, context, facilitator,
                                         draft(group_id, date(2026, 3, 24)))
        series = session.scalar(select(MeetingSeries))
        assert series.rrule == "FREQ=WEEKLY;BYDAY=TU"
        times = _local_times(session, series.id)
    assert len(created) == len(times) == 12  # twelve weeks ahead (settings.series_weeks_ahead)
    assert all(t.hour == 19 and t.minute == 30 and t.weekday() == 1 for t in times)
    utc_hours = {m.starts_at.hour for m in created}
    assert utc_hours == {18, 17}  # 19:30 is 18:30 UTC in winter, 17:30 UTC in summer


def test_every_two_weeks_and_monthly_second_tuesday(context, setup) -> None:
    group_id, _other, facilitator, _outsider = setup
    with context.database.session() as session:
        biweekly = service.create_meeting(session, context, facilitator,
                                          draft(group_id, date(2026, 3, 24), Repeat.BIWEEKLY))
        monthly = service.create_meeting(session, context, facilitator,
                                         draft(group_id, date(2026, 4, 14), Repeat.MONTHLY))
        rules = {s.rrule for s in session.scalars(select(MeetingSeries))}
    assert rules == {"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "FREQ=MONTHLY;BYDAY=2TU"}
    starts = [local(m.starts_at, ZONE) for m in biweekly]  # wall-clock: UTC gaps shift with DST
    gaps = {(b - a).days for a, b in pairwise(starts)}
    assert gaps == {14}
    days = [local(m.starts_at, ZONE).date() for m in monthly]
    assert days == [date(2026, 4, 14), date(2026, 5, 12), date(2026, 6, 9)]
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)  # the second Tuesday


def test_materialising_again_adds_only_new_weeks(context, clock, setup) -> None:
    group_id, _other, facilitator, _outsider = setup
    with context.database.session() as session:
        service.create_meeting(session, context, facilitator, draft(group_id, date(2026, 3, 24)))
    with context.database.session() as session:
        assert service.materialise_all(session, context) == 0
    clock.advance(weeks=2)
    with context.database.session() as session:
        assert service.materialise_all(session, context) == 2
        assert session.scalar(select(func.count()).select_from(Meeting)) == 14


@pytest.mark.parametrize(("day", "start", "end", "message"), [
    (date(2026, 3, 19), time(19, 30), time(21, 0), errors.IN_THE_PAST),
    (date(2026, 3, 24), time(21, 0), time(19, 30), errors.END_BEFORE_START),
    (date(2026, 3, 29), time(2, 30), time(4, 0), errors.NONEXISTENT_TIME),
    (date(2026, 10, 25), time(2, 30), time(4, 0), errors.AMBIGUOUS_TIME),
])
def test_impossible_moments_are_refused_with_a_clear_message(
    context, setup, day: date, start: time, end: time, message: str,
) -> None:
    group_id, _other, facilitator, _outsider = setup
    bad = MeetingDraft(group_id=group_id, day=day, start=start, end=end)
    with context.database.session() as session, pytest.raises(Refused) as refused:
        service.create_meeting(session, context, facilitator, bad)
    assert refused.value.message == message
    rendered = refused.value.render("tr")
    assert "{" not in rendered and rendered != message  # translated, placeholders filled
    with context.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_a_facilitator_acts_only_on_their_own_groups(context, setup) -> None:
    group_id, other_group, facilitator, outsider = setup
    with context.database.session() as session:
        [meeting] = service.create_meeting(
            session, context, facilitator, draft(group_id, date(2026, 3, 24), Repeat.ONCE))
        meeting_id = meeting.id
    attempts = [
        lambda s: service.create_meeting(s, context, outsider, draft(group_id, date(2026, 3, 24))),
        lambda s: service.edit_occurrence(s, context, outsider, meeting_id, Changes(note="x")),
        lambda s: service.cancel_occurrence(s, context, outsider, meeting_id),
        lambda s: service.upcoming(s, context, outsider, group_id),
        lambda s: service.group_info(s, outsider, group_id, ZONE),
    ]
    for attempt in attempts:
        with context.database.session() as session, pytest.raises(Refused) as refused:
            attempt(session)
        assert refused.value.message == errors.NOT_YOUR_GROUP
    with context.database.session() as session:
        meeting = session.get(Meeting, meeting_id)
        assert not meeting.cancelled and meeting.note is None
        assert session.scalar(select(func.count()).select_from(Meeting)) == 1
        # and the outsider can still run their own group
        assert service.create_meeting(session, context, outsider,
                                      draft(other_group, date(2026, 3, 25), Repeat.ONCE))


def test_edit_one_occurrence_then_the_series(context, setup) -> None:
    group_id, _other, facilitator, _outsider = setup
    with context.database.session() as session:
        created = service.create_meeting(session, context, facilitator,
                                         draft(group_id, date(2026, 3, 24)))
        second, third = created[1].id, created[2].id
        series_id = created[0].series_id
    with context.database.session() as session:
        service.edit_occurrence(session, context, facilitator, second,
                                Changes(start=time(18, 0), end=time(20, 0),
                                        note="Deze keer in zaal 2"))
    with context.database.session() as session:
        service.edit_series(session, context, facilitator, series_id,
                            Changes(start=time(20, 0), end=time(22, 0), place="Wijkhuis Noord"))
    with context.database.session() as session:
        edited = session.get(Meeting, second)
        assert local(edited.starts_at, ZONE).time() == time(18, 0)  # detached: kept as edited
        assert edited.note == "Deze keer in zaal 2" and edited.place == "Buurthuis De Linde"
        other = session.get(Meeting, third)
        assert local(other.starts_at, ZONE).time() == time(20, 0)
        assert other.place == "Wijkhuis Noord"
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions[-3:] == ["series.create", "meeting.edit", "series.edit"]


def test_cancel_one_occurrence_and_then_the_series(context, setup) -> None:
    group_id, _other, facilitator, _outsider = setup
    with context.database.session() as session:
        created = service.create_meeting(session, context, facilitator,
                                         draft(group_id, date(2026, 3, 24)))
        holiday = created[3].id
        series_id = created[0].series_id
    with context.database.session() as session:
        service.cancel_occurrence(session, context, facilitator, holiday)
        with pytest.raises(Refused):
            service.cancel_occurrence(session, context, facilitator, holiday)
    with context.database.session() as session:
        assert service.cancel_series(session, context, facilitator, series_id) == 11
        assert session.scalar(select(func.count()).select_from(Meeting)
                              .where(Meeting.cancelled.is_(False))) == 0
        assert service.materialise_all(session, context) == 0  # a stopped series stays stopped
        actions = {e.action for e in session.scalars(select(AuditEvent))}
        assert {"meeting.cancel", "series.cancel"} <= actions


def test_typed_dates_and_times_in_any_digits() -> None:
    today = date(2026, 3, 20)
    assert parse_date("24-03-2026", today) == date(2026, 3, 24)
    assert parse_date("۲۴/۳", today) == date(2026, 3, 24)  # Persian digits
    assert parse_date("٥-١", today) == date(2027, 1, 5)  # Arabic-Indic, next January
    assert parse_date("2026-12-24", today) == date(2026, 12, 24)
    assert parse_time("19.30") == time(19, 30) and parse_time("۱۹:۳۰") == time(19, 30)
    for bad in ("31-02-2026", "morgen"):
        with pytest.raises(Refused):
            parse_date(bad, today)
    with pytest.raises(Refused):
        parse_time("25:00")
