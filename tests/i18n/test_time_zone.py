"""One setting, ``STEUNWIJZER_TIMEZONE``, decides every local time: what a facilitator types,
what is stored, what people read and what calendars get.

Bonaire (``America/Kralendijk``, UTC-4 all year, part of the Netherlands) is the zone that
differs from the default everywhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from staffgroups import Clock, make_facilitator, make_group

from bot.context import AppContext
from bot.facilitators import errors
from bot.facilitators import meetings as meeting_service
from bot.facilitators.errors import Refused
from bot.facilitators.meetings import MeetingDraft
from bot.facilitators.recurrence import Repeat
from bot.facilitators.timeparse import local, to_utc
from bot.i18n.formatting import meeting_when
from bot.privacy.sealed import generate_key
from bot.reminders.ics import group_calendar
from bot.settings import Settings, SettingsError, load_settings
from bot.web.i18n import UiText

BONAIRE = "America/Kralendijk"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EVENING = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)  # 19:30 in Amsterdam, 14:30 on Bonaire


def test_the_zone_setting_is_checked_and_given_as_a_zone(monkeypatch) -> None:
    assert Settings().zone == AMSTERDAM
    assert Settings(timezone=BONAIRE).zone == ZoneInfo(BONAIRE)
    monkeypatch.setenv("STEUNWIJZER_TIMEZONE", "Europe/Atlantis")
    with pytest.raises(SettingsError, match="STEUNWIJZER_TIMEZONE"):
        load_settings()


def test_people_and_coordinators_read_times_in_the_configured_zone() -> None:
    bonaire = ZoneInfo(BONAIRE)
    assert meeting_when(EVENING, None, "nl", AMSTERDAM).endswith("19:30")
    assert meeting_when(EVENING, None, "nl", bonaire).endswith("14:30")
    assert "14:30" in UiText("nl", bonaire).when(EVENING)
    assert "19:30" in UiText("nl", AMSTERDAM).when(EVENING)


def test_typed_times_are_read_in_the_configured_zone() -> None:
    bonaire = ZoneInfo(BONAIRE)
    assert to_utc(date(2026, 12, 1), time(14, 30), bonaire) == EVENING
    assert local(EVENING, bonaire) == datetime(2026, 12, 1, 14, 30)
    # The hour Amsterdam skips in spring exists on Bonaire, which has no summer time.
    with pytest.raises(Refused) as refused:
        to_utc(date(2026, 3, 29), time(2, 30), AMSTERDAM)
    assert refused.value.message == errors.NONEXISTENT_TIME
    assert to_utc(date(2026, 3, 29), time(2, 30), bonaire).hour == 6


def test_a_series_planned_on_bonaire_is_stored_and_published_in_bonaire_time(database) -> None:
    settings = Settings(timezone=BONAIRE, encryption_key=generate_key(),
                        pseudonym_secret="test-secret")
    context = AppContext(settings, database, Clock(datetime(2026, 3, 20, 9, 0, tzinfo=UTC)))
    with database.session() as session:
        group_id = make_group(session)
        facilitator = make_facilitator(session, context, group_id, 91_001)
        created = meeting_service.create_meeting(session, context, facilitator, MeetingDraft(
            group_id=group_id, day=date(2026, 3, 24), start=time(19, 30), end=time(21, 30),
            repeat=Repeat.WEEKLY, place="Kas di Kultura"))
        # 19:30 on Bonaire is 23:30 UTC, before and after Europe's clocks change (29 March).
        starts = [m.starts_at for m in created[:3]]
        assert {(s.hour, s.minute) for s in starts} == {(23, 30)}
        assert meeting_service.group_info(session, facilitator, group_id,
                                          settings.zone).usual_times[0] == "19:30"
        calendar = group_calendar(session, settings, group_id, context.clock())
    assert calendar is not None
    feed, upcoming = calendar
    assert upcoming == len(created)
    master = next(e for e in Calendar.from_ical(feed).walk("VEVENT") if "RRULE" in e)
    assert str(master["DTSTART"].dt.tzinfo) == BONAIRE
    assert master["DTSTART"].dt.time() == time(19, 30)
    assert Calendar.from_ical(feed)["X-WR-TIMEZONE"] == BONAIRE
