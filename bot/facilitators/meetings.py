"""Meetings a facilitator posts: one-off or recurring, edited or cancelled per occurrence.

A recurring meeting is a :class:`MeetingSeries` (an RRULE in Amsterdam wall-clock time)
whose occurrences are materialised as ordinary ``Meeting`` rows for the coming weeks, so
search, group pages and reminders need no knowledge of series. Every service here first
checks that the facilitator runs the group, validates, writes the audit log and tells
subscribers about cancellations and moves, all in the caller's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit import service as audit
from bot.context import AppContext
from bot.directory.models import Meeting
from bot.facilitators import errors
from bot.facilitators.errors import Refused
from bot.facilitators.membership import actor, require_group
from bot.facilitators.models import Facilitator, MeetingSeries, SeriesOccurrence
from bot.facilitators.recurrence import Repeat, occurrences, rrule_for
from bot.facilitators.timeparse import local, to_utc
from bot.reminders import notices
from bot.vocabulary import ALL_LANGUAGES

NOTE_LIMIT = 500
PLACE_LIMIT = 300
URL_LIMIT = 500


@dataclass(frozen=True)
class MeetingDraft:
    """What a facilitator chose for a new meeting (local date and times)."""

    group_id: str
    day: date
    start: time
    end: time
    repeat: Repeat = Repeat.ONCE
    place: str | None = None
    online_url: str | None = None
    languages: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Changes:
    """What to change in a meeting or series; ``None`` leaves a field as it is.

    ``day`` only applies to a single occurrence (a series keeps its rhythm); an empty
    string for ``note`` removes the note.
    """

    day: date | None = None
    start: time | None = None
    end: time | None = None
    place: str | None = None
    online_url: str | None = None
    languages: tuple[str, ...] | None = None
    note: str | None = None

    @property
    def moves(self) -> bool:
        """Whether this changes when or where people have to be."""
        return any(v is not None for v in (self.day, self.start, self.end, self.place,
                                            self.online_url))


# ---------------------------------------------------------------------------- validation
def _clean_text(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > limit:
        raise Refused(errors.TOO_LONG, limit=limit)
    return value or None


def _clean_url(value: str | None) -> str | None:
    value = _clean_text(value, URL_LIMIT)
    if value is not None and not value.lower().startswith("https://"):
        raise Refused(errors.BAD_LINK)
    return value


def _languages(codes: tuple[str, ...]) -> str | None:
    known = [c for c in dict.fromkeys(codes) if c in ALL_LANGUAGES]
    return ",".join(known) or None


def _span(day: date, start: time, end: time, now: datetime, zone: tzinfo,
          language: str) -> tuple[datetime, datetime]:
    starts = to_utc(day, start, zone, language)
    ends = to_utc(day, end, zone, language)
    if ends <= starts:
        raise Refused(errors.END_BEFORE_START)
    if starts <= now:
        raise Refused(errors.IN_THE_PAST)
    return starts, ends


# ---------------------------------------------------------------------------- create
def create_meeting(session: Session, context: AppContext, facilitator: Facilitator,
                   draft: MeetingDraft) -> list[Meeting]:
    """Post a one-off meeting or start a series; returns the meetings now planned."""
    require_group(session, facilitator, draft.group_id)
    now = context.clock()
    starts, ends = _span(draft.day, draft.start, draft.end, now, context.settings.zone,
                         facilitator.language)
    place = _clean_text(draft.place, PLACE_LIMIT)
    online_url = _clean_url(draft.online_url)
    note = _clean_text(draft.note, NOTE_LIMIT)
    languages = _languages(draft.languages)
    rule = rrule_for(draft.repeat, datetime.combine(draft.day, draft.start))
    if rule is None:
        meeting = Meeting(id=uuid.uuid4().hex, service_id=draft.group_id, starts_at=starts,
                          ends_at=ends, place=place, online_url=online_url, language=languages,
                          note=note, cancelled=False)
        session.add(meeting)
        session.flush()
        audit.record(session, actor_kind="facilitator", actor=actor(facilitator),
                     action="meeting.create", target=f"meeting:{meeting.id}",
                     detail=f"{starts.isoformat()} once", at=now)
        return [meeting]
    series = MeetingSeries(
        id=uuid.uuid4().hex, service_id=draft.group_id, rrule=rule,
        dtstart=datetime.combine(draft.day, draft.start).isoformat(),
        duration_minutes=int((ends - starts).total_seconds() // 60), place=place,
        online_url=online_url, language=languages, note=note, cancelled=False,
        created_by=facilitator.id, created_at=now,
    )
    session.add(series)
    session.flush()
    created = materialise(session, context, series)
    audit.record(session, actor_kind="facilitator", actor=actor(facilitator),
                 action="series.create", target=f"series:{series.id}",
                 detail=f"{rule} from {series.dtstart}", at=now)
    return created


def materialise(session: Session, context: AppContext, series: MeetingSeries) -> list[Meeting]:
    """Create the missing meetings of ``series`` up to ``series_weeks_ahead`` weeks from now.

    Occurrences are keyed by their original start, so running this again (every reminder
    job run does) adds only new weeks and never resurrects a cancelled or moved one.
    """
    if series.cancelled:
        return []
    now, zone = context.clock(), context.settings.zone
    start_local = datetime.fromisoformat(series.dtstart)
    window_end = local(now, zone) + timedelta(weeks=context.settings.series_weeks_ahead)
    known = set(session.scalars(select(SeriesOccurrence.original_start)
                                .where(SeriesOccurrence.series_id == series.id)))
    created = []
    for occurrence in occurrences(series.rrule, start_local, local(now, zone), window_end):
        try:
            starts = to_utc(occurrence.date(), occurrence.time(), zone)
        except Refused:
            continue  # a wall-clock time the DST change skips or doubles that day
        if starts in known or starts <= now:
            continue
        meeting = Meeting(id=uuid.uuid4().hex, service_id=series.service_id, starts_at=starts,
                          ends_at=starts + timedelta(minutes=series.duration_minutes),
                          place=series.place, online_url=series.online_url,
                          language=series.language, note=series.note, cancelled=False,
                          series_id=series.id)
        session.add(meeting)
        session.flush()
        session.add(SeriesOccurrence(meeting_id=meeting.id, series_id=series.id,
                                     original_start=starts, detached=False))
        created.append(meeting)
    session.flush()
    return created


def materialise_all(session: Session, context: AppContext) -> int:
    """Extend every running series (called by the reminder job); returns meetings added."""
    series_list = session.scalars(select(MeetingSeries).where(MeetingSeries.cancelled.is_(False)))
    return sum(len(materialise(session, context, series)) for series in series_list)


# ---------------------------------------------------------------------------- look up
def upcoming(session: Session, context: AppContext, facilitator: Facilitator, group_id: str,
             limit: int = 8) -> list[Meeting]:
    """The next meetings of one of the facilitator's groups, cancelled ones included."""
    require_group(session, facilitator, group_id)
    return list(session.scalars(
        select(Meeting).where(Meeting.service_id == group_id, Meeting.starts_at > context.clock())
        .order_by(Meeting.starts_at, Meeting.id).limit(limit)
    ))


def _meeting(session: Session, facilitator: Facilitator, meeting_id: str) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise Refused(errors.MEETING_GONE)
    require_group(session, facilitator, meeting.service_id)
    return meeting


def series_of(session: Session, meeting: Meeting) -> MeetingSeries | None:
    """The facilitator-made series of a meeting, if it belongs to one."""
    return session.get(MeetingSeries, meeting.series_id) if meeting.series_id else None


# ---------------------------------------------------------------------------- edit
def _still_to_come(session: Session, context: AppContext, facilitator: Facilitator,
                   meeting_id: str) -> tuple[Meeting, datetime]:
    """A meeting of the facilitator's groups that is neither cancelled nor past (else
    refused), and the moment that was checked against."""
    meeting = _meeting(session, facilitator, meeting_id)
    if meeting.cancelled:
        raise Refused(errors.ALREADY_CANCELLED)
    now = context.clock()
    if meeting.starts_at <= now:
        raise Refused(errors.IN_THE_PAST)
    return meeting, now


def _live_series(session: Session, facilitator: Facilitator, series_id: str) -> MeetingSeries:
    """A series of the facilitator's groups that is not stopped (else refused)."""
    series = session.get(MeetingSeries, series_id)
    if series is None or series.cancelled:
        raise Refused(errors.MEETING_GONE)
    require_group(session, facilitator, series.service_id)
    return series


def _apply_details(target: Meeting | MeetingSeries, changes: Changes) -> None:
    """Put the place, link, languages and note that ``changes`` gives on a meeting or a
    series (a field left ``None`` stays as it is)."""
    if changes.place is not None:
        target.place = _clean_text(changes.place, PLACE_LIMIT)
    if changes.online_url is not None:
        target.online_url = _clean_url(changes.online_url) if changes.online_url else None
    if changes.languages is not None:
        target.language = _languages(changes.languages)
    if changes.note is not None:
        target.note = _clean_text(changes.note, NOTE_LIMIT)


def _apply(meeting: Meeting, changes: Changes, now: datetime, zone: tzinfo, language: str,
           day: date | None = None) -> None:
    local_start, local_end = local(meeting.starts_at, zone), local(meeting.ends_at, zone)
    new_day = changes.day or day or local_start.date()
    start = changes.start or local_start.time()
    end = changes.end or local_end.time()
    if changes.day or changes.start or changes.end:
        meeting.starts_at, meeting.ends_at = _span(new_day, start, end, now, zone, language)
    _apply_details(meeting, changes)


def edit_occurrence(session: Session, context: AppContext, facilitator: Facilitator,
                    meeting_id: str, changes: Changes) -> Meeting:
    """Change one meeting (also one occurrence of a series); subscribers hear of a move."""
    meeting, now = _still_to_come(session, context, facilitator, meeting_id)
    old_start, old_place = meeting.starts_at, meeting.place
    _apply(meeting, changes, now, context.settings.zone, facilitator.language)
    occurrence = session.get(SeriesOccurrence, meeting.id)
    if occurrence is not None:
        occurrence.detached = True  # later series edits leave this one as it is now
    session.flush()
    audit.record(session, actor_kind="facilitator", actor=actor(facilitator),
                 action="meeting.edit", target=f"meeting:{meeting.id}",
                 detail=_describe(changes), at=now)
    if meeting.starts_at != old_start or meeting.place != old_place or changes.online_url:
        notices.notify_moved(session, context, meeting, old_start)
    return meeting


def edit_series(session: Session, context: AppContext, facilitator: Facilitator,
                series_id: str, changes: Changes) -> MeetingSeries:
    """Change a series from now on: its future occurrences that were not edited on their own."""
    series = _live_series(session, facilitator, series_id)
    now = context.clock()
    changes = replace(changes, day=None)  # a series keeps its rhythm
    start_local = datetime.fromisoformat(series.dtstart)
    new_start = changes.start or start_local.time()
    old_end = (start_local + timedelta(minutes=series.duration_minutes)).time()
    new_end = changes.end or old_end
    if datetime.combine(date.min, new_end) <= datetime.combine(date.min, new_start):
        raise Refused(errors.END_BEFORE_START)
    series.dtstart = datetime.combine(start_local.date(), new_start).isoformat()
    series.duration_minutes = int((datetime.combine(date.min, new_end)
                                   - datetime.combine(date.min, new_start)).total_seconds() // 60)
    _apply_details(series, changes)
    rows = session.execute(
        select(Meeting, SeriesOccurrence).join(SeriesOccurrence,
                                               SeriesOccurrence.meeting_id == Meeting.id)
        .where(SeriesOccurrence.series_id == series.id, SeriesOccurrence.detached.is_(False),
               Meeting.cancelled.is_(False), Meeting.starts_at > now)
        .order_by(Meeting.starts_at)
    ).all()
    first_moved: tuple[Meeting, datetime] | None = None
    for meeting, occurrence in rows:
        old_start, old_place = meeting.starts_at, meeting.place
        day = local(occurrence.original_start, context.settings.zone).date()
        _apply(meeting, replace(changes, start=new_start, end=new_end), now,
               context.settings.zone, facilitator.language, day=day)
        occurrence.original_start = meeting.starts_at  # the rhythm itself changed
        if first_moved is None and (meeting.starts_at != old_start or meeting.place != old_place):
            first_moved = (meeting, old_start)
    session.flush()
    audit.record(session, actor_kind="facilitator", actor=actor(facilitator),
                 action="series.edit", target=f"series:{series.id}", detail=_describe(changes),
                 at=now)
    if first_moved is not None:
        notices.notify_moved(session, context, *first_moved)
    return series


# ---------------------------------------------------------------------------- cancel
def cancel_occurrence(session: Session, context: AppContext, facilitator: Facilitator,
                      meeting_id: str) -> Meeting:
    """Cancel one meeting (e.g. a holiday in a weekly series); subscribers are told."""
    meeting, now = _still_to_come(session, context, facilitator, meeting_id)
    meeting.cancelled = True
    session.flush()
    audit.record(session, actor_kind="facilitator", actor=actor(facilitator),
                 action="meeting.cancel", target=f"meeting:{meeting.id}",
                 detail=meeting.starts_at.isoformat(), at=now)
    notices.notify_cancelled(session, context, meeting)
    return meeting


def cancel_series(session: Session, context: AppContext, facilitator: Facilitator,
                  series_id: str) -> int:
    """Stop a series: every future occurrence is cancelled; returns how many."""
    series = _live_series(session, facilitator, series_id)
    now = context.clock()
    series.cancelled = True
    future = list(session.scalars(
        select(Meeting).where(Meeting.series_id == series.id, Meeting.cancelled.is_(False),
                              Meeting.starts_at > now).order_by(Meeting.starts_at)))
    for meeting in future:
        meeting.cancelled = True
    session.flush()
    audit.record(session, actor_kind="facilitator", actor=actor(facilitator),
                 action="series.cancel", target=f"series:{series.id}",
                 detail=f"{len(future)} future meetings", at=now)
    if future:
        notices.notify_cancelled(session, context, future[0], whole_series=True)
        for meeting in future[1:]:
            notices.withdraw_reminders(session, meeting)
    return len(future)


def _describe(changes: Changes) -> str:
    """Which fields changed, for the audit log (not the facilitator's note text itself)."""
    names = [name for name in ("day", "start", "end", "place", "online_url", "languages", "note")
             if getattr(changes, name) is not None]
    return "changed: " + ", ".join(names)


# ---------------------------------------------------------------------------- for the guided chat
@dataclass(frozen=True)
class GroupInfo:
    """What the guided conversation offers as buttons for one group."""

    id: str
    name: str
    usual_place: str | None
    online_url: str | None
    languages: tuple[str, ...]
    usual_times: tuple[str, ...]  # "19:30", most used first


DEFAULT_TIMES = ("10:00", "14:00", "19:30")


def group_info(session: Session, facilitator: Facilitator, group_id: str,
               zone: tzinfo) -> GroupInfo:
    """The group's usual place, link, languages and start times (local, in ``zone``, from
    its meetings)."""
    group = require_group(session, facilitator, group_id)
    place = None
    if group.locations:
        loc = group.locations[0]
        place = ", ".join(p for p in (loc.name, loc.address, loc.city) if p)
    counts: dict[str, int] = {}
    for starts in session.scalars(select(Meeting.starts_at).where(Meeting.service_id == group_id)
                                  .order_by(Meeting.starts_at.desc()).limit(50)):
        key = local(starts, zone).strftime("%H:%M")
        counts[key] = counts.get(key, 0) + 1
    usual = sorted(counts, key=lambda k: (-counts[k], k))[:3]
    times = tuple(dict.fromkeys([*usual, *DEFAULT_TIMES]))[:4]
    return GroupInfo(group.id, group.name, place, group.online_url,
                     tuple(group.language_codes), times)


def check_span(context: AppContext, day: date, start: time, end: time, language: str) -> None:
    """Refuse a start/end now, with the same rules as saving (past, order, DST)."""
    _span(day, start, end, context.clock(), context.settings.zone, language)
