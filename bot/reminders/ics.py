"""A group's meetings as iCalendar (RFC 5545): the public feed and the .ics sent in the chat.

A facilitator's series becomes one VEVENT with its RRULE (in the configured time zone, with a
VTIMEZONE), EXDATE for cancelled occurrences and a RECURRENCE-ID override for every
occurrence that was edited on its own. One-off meetings (and imported/demo meetings) are
plain VEVENTs; a cancelled one-off meeting stays in the feed with STATUS:CANCELLED so a
calendar that already had it removes it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory.models import Meeting, Service
from bot.facilitators.models import MeetingSeries, SeriesOccurrence
from bot.i18n.catalogs import Translator
from bot.settings import Settings

UID_DOMAIN = "steunwijzer"
#: How far back the feed still lists meetings (so today's meeting stays visible).
PAST = timedelta(days=1)


def _event(uid: str, group: Service, start: datetime, end: datetime, place: str | None,
           online_url: str | None, note: str | None, link: str | None, stamp: datetime,
           language: str, zone: tzinfo) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", group.name)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    if place or online_url:
        event.add("location", place or online_url)
    if online_url:
        event.add("url", online_url)
    description = [group.description] if group.description else []
    if note:
        # Marked as the group's own words, as in the bot.
        description.append(Translator(language).gettext("Note from the group") + ": " + note)
    if link:
        description.append(link)
    if description:
        event.add("description", "\n\n".join(description))
    return event


def group_calendar(session: Session, settings: Settings, group_id: str, now: datetime,
                   link: str | None = None, language: str = "nl") -> tuple[bytes, int] | None:
    """The calendar of ``group_id`` and how many upcoming meetings it holds; None if unknown
    or not active (the public feed and the chat's .ics answer "not found" for those)."""
    group = session.get(Service, group_id)
    if group is None or group.status != "active":
        return None
    calendar = Calendar()
    calendar.add("prodid", "-//Steunwijzer//meetings//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", group.name)
    calendar.add("x-wr-timezone", settings.timezone)
    zone = settings.zone
    upcoming = 0

    series_list = session.scalars(select(MeetingSeries).where(
        MeetingSeries.service_id == group_id, MeetingSeries.cancelled.is_(False))).all()
    in_series = {s.id for s in series_list}
    for series in series_list:
        start = datetime.fromisoformat(series.dtstart).replace(tzinfo=zone)
        master = _event(f"series-{series.id}@{UID_DOMAIN}", group, start,
                        start + timedelta(minutes=series.duration_minutes), series.place,
                        series.online_url, series.note, link, now, language, zone)
        master.add("rrule", dict(part.split("=", 1) for part in series.rrule.split(";")))
        rows = session.execute(
            select(Meeting, SeriesOccurrence)
            .join(SeriesOccurrence, SeriesOccurrence.meeting_id == Meeting.id)
            .where(SeriesOccurrence.series_id == series.id)
            .order_by(SeriesOccurrence.original_start)
        ).all()
        exdates = [occ.original_start.astimezone(zone) for m, occ in rows if m.cancelled]
        if exdates:
            master.add("exdate", exdates)
        calendar.add_component(master)
        for meeting, occurrence in rows:
            if meeting.cancelled:
                continue
            if meeting.starts_at >= now:
                upcoming += 1
            if occurrence.detached:
                override = _event(f"series-{series.id}@{UID_DOMAIN}", group, meeting.starts_at,
                                  meeting.ends_at, meeting.place, meeting.online_url,
                                  meeting.note, link, now, language, zone)
                override.add("recurrence-id", occurrence.original_start.astimezone(zone))
                calendar.add_component(override)

    singles = session.scalars(
        select(Meeting).where(Meeting.service_id == group_id, Meeting.starts_at >= now - PAST)
        .order_by(Meeting.starts_at)
    ).all()
    for meeting in singles:
        if meeting.series_id in in_series:
            continue
        event = _event(f"meeting-{meeting.id}@{UID_DOMAIN}", group, meeting.starts_at,
                       meeting.ends_at, meeting.place, meeting.online_url, meeting.note, link, now,
                       language, zone)
        if meeting.cancelled:
            event.add("status", "CANCELLED")
        elif meeting.starts_at >= now:
            upcoming += 1
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical(), upcoming
