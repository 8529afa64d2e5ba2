"""The public iCalendar feed and the .ics file: valid, with the recurrence and the cancellation."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar
from staffgroups import make_facilitator, make_group

from bot.facilitators import meetings as meeting_service
from bot.facilitators.http import router
from bot.facilitators.meetings import Changes, MeetingDraft
from bot.facilitators.recurrence import Repeat
from bot.facilitators.timeparse import local
from bot.reminders.ics import group_calendar

ZONE = ZoneInfo("Europe/Amsterdam")  # the default STEUNWIJZER_TIMEZONE: times below are Dutch


@pytest.fixture
def feed_app(context) -> TestClient:
    app = FastAPI()
    app.state.context = context
    app.include_router(router, prefix="/feeds")
    return TestClient(app)


def test_feed_has_the_series_rrule_exdate_and_the_moved_occurrence(context, feed_app) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
        facilitator = make_facilitator(session, context, group_id, 88_001)
        created = meeting_service.create_meeting(session, context, facilitator, MeetingDraft(
            group_id=group_id, day=date(2026, 3, 24), start=time(19, 30), end=time(21, 30),
            repeat=Repeat.WEEKLY, place="Buurthuis De Linde", note="Thee staat klaar"))
        meeting_service.create_meeting(session, context, facilitator, MeetingDraft(
            group_id=group_id, day=date(2026, 3, 26), start=time(10, 0), end=time(11, 0),
            online_url="https://meet.example/rouw"))
        holiday, moved = created[2], created[4]
        meeting_service.cancel_occurrence(session, context, facilitator, holiday.id)
        meeting_service.edit_occurrence(session, context, facilitator, moved.id,
                                        Changes(start=time(18, 0), end=time(20, 0)))

    response = feed_app.get(f"/feeds/groups/{group_id}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)  # a real parser
    events = calendar.walk("VEVENT")
    master = next(e for e in events if "RRULE" in e)
    assert master["RRULE"]["FREQ"] == ["WEEKLY"] and master["RRULE"]["BYDAY"] == ["TU"]
    assert str(master["DTSTART"].dt.tzinfo) == "Europe/Amsterdam"
    assert master["DTSTART"].dt.time() == time(19, 30)
    exdates = [d.dt for ex in ([master["EXDATE"]] if not isinstance(master["EXDATE"], list)
                                else master["EXDATE"]) for d in ex.dts]
    assert [local(d, ZONE).date() for d in exdates] == [date(2026, 4, 7)]
    [override] = [e for e in events if "RECURRENCE-ID" in e]
    assert override["UID"] == master["UID"]
    assert local(override["RECURRENCE-ID"].dt, ZONE).date() == date(2026, 4, 21)
    assert override["DTSTART"].dt.time() == time(18, 0)
    [single] = [e for e in events if "RRULE" not in e and "RECURRENCE-ID" not in e]
    assert str(single["URL"]) == "https://meet.example/rouw"
    assert "Thee staat klaar" in str(master["DESCRIPTION"])
    assert calendar.walk("VTIMEZONE")  # calendar apps get the DST rules with the feed
    # The expansion a calendar app does skips the holiday and keeps local time.
    from dateutil.rrule import rrulestr
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=master["DTSTART"].dt)
    starts = [d for d in rule[:6] if d not in exdates]
    assert len(starts) == 5 and all(d.time() == time(19, 30) for d in starts)

    assert feed_app.get("/feeds/groups/nope.ics").status_code == 404


def test_the_ics_file_of_demo_style_meetings_counts_upcoming(context) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
        empty = group_calendar(session, context.settings, group_id, context.clock())
        assert empty is not None and empty[1] == 0
        facilitator = make_facilitator(session, context, group_id, 88_002)
        meeting_service.create_meeting(session, context, facilitator, MeetingDraft(
            group_id=group_id, day=date(2026, 3, 24), start=time(19, 30), end=time(21, 30)))
        body, count = group_calendar(session, context.settings, group_id, context.clock(),
                                     language="ar")
    assert count == 1
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert event["SUMMARY"] == "Rouwgroep De Linde (test)"
