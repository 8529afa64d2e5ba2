"""What a finished guided conversation changes: a new meeting, an edit, a cancellation, leaving.

Each goes through the meeting and membership services, which check that the facilitator runs
the group, and ends the conversation with a message saying what happened.
"""

from __future__ import annotations

from datetime import date, time

from bot.directory.models import Meeting
from bot.facilitators import errors, meetings, membership, texts
from bot.facilitators.errors import Refused
from bot.facilitators.meetings import Changes, MeetingDraft
from bot.facilitators.recurrence import Repeat
from bot.facilitators.state import FlowState
from bot.facilitators.work import Outcome, Work, over


def draft(state: FlowState) -> MeetingDraft:
    """The new meeting the state describes (after the note step)."""
    return MeetingDraft(
        group_id=state.group or "", day=date.fromisoformat(state.day or ""),
        start=time.fromisoformat(state.start or ""), end=time.fromisoformat(state.end or ""),
        repeat=state.repeat or Repeat.ONCE, place=state.place,
        online_url=state.online_url, languages=state.languages, note=state.note)


def chosen(work: Work, state: FlowState) -> Meeting:
    """The meeting chosen in the state, if it still exists in the state's group."""
    meeting = work.session.get(Meeting, state.meeting) if state.meeting else None
    if meeting is None or meeting.service_id != state.group:
        raise Refused(errors.MEETING_GONE)
    return meeting


def _series_id(work: Work, state: FlowState) -> str:
    series_id = chosen(work, state).series_id
    if series_id is None:
        raise Refused(errors.MEETING_GONE)
    return series_id


def create(work: Work, state: FlowState) -> Outcome:
    """Post the new meeting or series."""
    planned = meetings.create_meeting(work.session, work.context, work.facilitator, draft(state))
    return over(texts.created(work.language, len(planned)))


def edit(work: Work, state: FlowState, changes: Changes) -> Outcome:
    """Change the chosen meeting, or its series from now on."""
    if state.series:
        meetings.edit_series(work.session, work.context, work.facilitator,
                             _series_id(work, state), changes)
    else:
        meetings.edit_occurrence(work.session, work.context, work.facilitator,
                                 state.meeting or "", changes)
    return over(texts.edited(work.language))


def cancel(work: Work, state: FlowState) -> Outcome:
    """Cancel the chosen meeting, or the rest of its series."""
    if state.series:
        count = meetings.cancel_series(work.session, work.context, work.facilitator,
                                       _series_id(work, state))
    else:
        meetings.cancel_occurrence(work.session, work.context, work.facilitator,
                                   state.meeting or "")
        count = 1
    return over(texts.cancelled(work.language, count))


def leave(work: Work, state: FlowState) -> Outcome:
    """Stop as facilitator of the state's group."""
    info = work.info(state)
    membership.leave(work.session, work.context, work.facilitator, info.id)
    return over(texts.left(work.language, info.name))
