"""The guided steps of /newmeeting, /editmeeting, /cancelmeeting, /leave and choosing a name.

Each answer (a button's value or typed text) moves a :class:`FlowState` to the next question,
or ends the conversation by saving through the membership and meeting services, which check
on every call that the facilitator runs the group. An answer the rules refuse raises
:class:`Refused`; :func:`refused` says why and asks again (or ends, where asking again cannot
help). Saving is ``saving.py``'s job; everything runs inside the caller's database session.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time

from bot.directory.models import Service
from bot.facilitators import errors, meetings, membership, questions, saving, texts
from bot.facilitators.errors import Refused
from bot.facilitators.meetings import Changes
from bot.facilitators.recurrence import Repeat, describe
from bot.facilitators.state import FlowState, Step, Task
from bot.facilitators.timeparse import local, parse_date, parse_time, to_utc
from bot.facilitators.work import Outcome, Work, over
from bot.i18n.formatting import meeting_when
from bot.vocabulary import ALL_LANGUAGES, Reply, language_name

#: Steps that take typed text; the others only take their buttons and ask again otherwise.
TYPED = frozenset({Step.NAME, Step.DATE, Step.START, Step.END, Step.PLACE, Step.LINK,
                   Step.LANGUAGES, Step.NOTE})
#: Refusals after which asking the same question again cannot help.
ENDING = frozenset({errors.NOT_YOUR_GROUP, errors.NOT_A_FACILITATOR, errors.MEETING_GONE,
                    errors.ALREADY_CANCELLED})
#: Steps whose answer is the final save: a refusal there ends the conversation.
FINAL = frozenset({Step.CONFIRM, Step.CANCEL_CONFIRM, Step.LEAVE_CONFIRM})
#: A position in the list of groups or meetings offered, as a button carries it.
_POSITION = re.compile(r"[0-9]{1,3}")


# ---------------------------------------------------------------------------- starting
def begin(work: Work, task: Task, groups: Sequence[Service], group_id: str | None) -> Outcome:
    """Start ``task``: for the group named in the command, the only group, or ask which."""
    state = FlowState(task=task, step=Step.GROUP)
    if group_id:
        return after_group(work, state.with_(group=group_id))  # the service checks it
    if len(groups) == 1:
        return after_group(work, state.with_(group=groups[0].id))
    return _choose_group(work, state, groups)


def _choose_group(work: Work, state: FlowState, groups: Sequence[Service]) -> Outcome:
    return Outcome((questions.choose_group(work.language, [g.name for g in groups]),),
                   state.at(Step.GROUP, choices=tuple(g.id for g in groups)))


def after_group(work: Work, state: FlowState) -> Outcome:
    """The first question once the group is known."""
    info = work.info(state)
    if state.task is Task.NEW_MEETING:
        return ask(work, state, Step.DATE)
    if state.task is Task.LEAVE:
        return Outcome((questions.confirm_leave(work.language, info.name),),
                       state.at(Step.LEAVE_CONFIRM))
    return _choose_meeting(work, state)


def _choose_meeting(work: Work, state: FlowState) -> Outcome:
    listed = [m for m in meetings.upcoming(work.session, work.context, work.facilitator,
                                           state.group or "") if not m.cancelled]
    if not listed:
        return over(texts.no_meetings(work.language))
    shown = [(meeting_when(m.starts_at, m.ends_at, work.language, work.zone),
              meetings.series_of(work.session, m) is not None) for m in listed]
    return Outcome((questions.choose_meeting(work.language, shown),),
                   state.at(Step.MEETING, choices=tuple(m.id for m in listed)))


def ask(work: Work, state: FlowState, step: Step) -> Outcome:
    """Ask the question of ``step``."""
    reply = questions.ask(step, work.language, state, work.info(state), work.today())
    return Outcome((reply,), state.at(step))


def again(work: Work, state: FlowState) -> Outcome:
    """Ask the current question once more (a button of another question, text where a
    button is needed, or after a refusal)."""
    step = state.step
    if step == Step.NAME:
        return Outcome((Reply(texts.ask_name(work.language)),), state)
    if step == Step.GROUP:
        return _choose_group(work, state, membership.groups_of(work.session, work.facilitator))
    if step == Step.MEETING:
        return _choose_meeting(work, state)
    if step == Step.CONFIRM:
        return _confirm_new(work, state)
    if step == Step.CANCEL_CONFIRM:
        return _after_scope(work, state)
    if step == Step.LEAVE_CONFIRM:
        return after_group(work, state)
    return ask(work, state, step)


def refused(work: Work, state: FlowState, refusal: Refused) -> Outcome:
    """Say why an answer was refused, then ask again, or end where that cannot help."""
    said = Reply(refusal.render(work.language))
    if refusal.message in ENDING or state.step in FINAL:
        return Outcome((said,))
    try:
        retry = again(work, state)
    except Refused as second:  # e.g. taken off the group meanwhile
        return Outcome((said, Reply(second.render(work.language))))
    return Outcome((said, *retry.replies), retry.state)


# ---------------------------------------------------------------------------- answers
def answer(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    """Move on with a button's value (``choice``) or typed text; raises :class:`Refused`."""
    step = state.step
    if choice is None and (typed is None or step not in TYPED):
        return again(work, state)
    return _ANSWERS[step](work, state, choice, typed)


def _name(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    name = typed or ""
    membership.set_display_name(work.session, work.context, work.facilitator, name)
    return over(texts.name_saved(work.language, " ".join(name.split())))


def _index(choice: str | None, choices: tuple[str, ...]) -> int | None:
    """The position a group or meeting button carries, or ``None`` for anything else (the
    question is asked again). Matched in ASCII: "²".isdigit() is true, int("²") fails."""
    if choice is None or not _POSITION.fullmatch(choice) or int(choice) >= len(choices):
        return None
    return int(choice)


def _group(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    index = _index(choice, state.choices)
    if index is None:
        return again(work, state)
    return after_group(work, state.with_(group=state.choices[index], choices=()))


def _date(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    day = parse_date(choice or typed or "", work.today())  # buttons carry 2026-03-21
    return ask(work, state.with_(day=day.isoformat()), Step.START)


def _start(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    start = parse_time(choice or typed or "")
    return ask(work, state.with_(start=start.strftime("%H:%M")), Step.END)


def _end(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    end = parse_time(choice or typed or "")
    start = time.fromisoformat(state.start or "00:00")
    day = date.fromisoformat(state.day or state.meeting_day or work.today().isoformat())
    meetings.check_span(work.context, day, start, end, work.language)
    state = state.with_(end=end.strftime("%H:%M"))
    if state.editing:
        # A series keeps its rhythm: only the times change.
        return saving.edit(work, state, Changes(day=None if state.series else day, start=start,
                                               end=end))
    return ask(work, state, Step.REPEAT)


def _repeat(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    if choice not in set(Repeat):
        return again(work, state)
    return ask(work, state.with_(repeat=Repeat(choice)), Step.PLACE)


def _typed(text: str | None, limit: int) -> str | None:
    value = (text or "").strip()
    if len(value) > limit:
        raise Refused(errors.TOO_LONG, limit=limit)
    return value or None


def _place(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    info = work.info(state)
    place: str | None = None
    online_url: str | None = None
    if choice == "usual":
        place = info.usual_place
    elif choice == "online":
        if not info.online_url:
            return ask(work, state.with_(place=None, online_url=None), Step.LINK)
        online_url = info.online_url
    else:
        place = _typed(typed, meetings.PLACE_LIMIT)
    return _after_place(work, state.with_(place=place, online_url=online_url))


def _link(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    link = _typed(typed, meetings.URL_LIMIT) or ""
    if not link.lower().startswith("https://"):
        raise Refused(errors.BAD_LINK)
    return _after_place(work, state.with_(place=None, online_url=link))


def _after_place(work: Work, state: FlowState) -> Outcome:
    if state.editing:  # a place replaces an online link and the other way round
        return saving.edit(work, state, Changes(place=state.place or "",
                                               online_url=state.online_url or ""))
    return ask(work, state, Step.LANGUAGES)


def _language_codes(typed: str) -> tuple[str, ...]:
    """Codes or names, comma-separated: "tr, nl" or "Türkçe, Nederlands"."""
    by_name = {language_name(code).casefold(): code for code in ALL_LANGUAGES}
    words = (w.strip().casefold() for w in typed.split(","))
    codes = (w if w in ALL_LANGUAGES else by_name.get(w) for w in words)
    return tuple(dict.fromkeys(c for c in codes if c))


def _languages(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    if choice == "usual":
        codes = work.info(state).languages
    elif choice in ALL_LANGUAGES:
        codes = (choice,)
    else:
        codes = _language_codes(typed or "")
    state = state.with_(languages=tuple(codes))
    if state.editing:
        return saving.edit(work, state, Changes(languages=tuple(codes)))
    return ask(work, state, Step.NOTE)


def _note(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    note = None if choice == "none" else _typed(typed, meetings.NOTE_LIMIT)
    state = state.with_(note=note)
    if state.editing:
        return saving.edit(work, state, Changes(note=note or ""))  # "" removes the note
    return _confirm_new(work, state)


def _confirm_new(work: Work, state: FlowState) -> Outcome:
    language, draft = work.language, saving.draft(state)
    first = datetime.combine(draft.day, draft.start)
    summary = texts.summary(language, work.info(state).name,
                            to_utc(draft.day, draft.start, work.zone, language),
                            to_utc(draft.day, draft.end, work.zone, language),
                            describe(draft.repeat, first, language), draft.place,
                            draft.online_url, draft.languages, draft.note, work.zone)
    return Outcome((questions.confirm_new(language, summary),), state.at(Step.CONFIRM))


def _confirm(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    if choice != "save":
        return over(texts.nothing_changed(work.language))
    return saving.create(work, state)


def _meeting(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    index = _index(choice, state.choices)
    if index is None:
        return again(work, state)
    state = state.with_(meeting=state.choices[index], choices=())
    meeting = saving.chosen(work, state)
    if meeting.cancelled:
        raise Refused(errors.ALREADY_CANCELLED)
    state = state.with_(meeting_day=local(meeting.starts_at, work.zone).date().isoformat())
    if meetings.series_of(work.session, meeting) is not None:
        return ask(work, state, Step.SCOPE)
    return _after_scope(work, state.with_(series=False))


def _scope(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    if choice not in ("one", "series"):
        return again(work, state)
    return _after_scope(work, state.with_(series=choice == "series"))


def _after_scope(work: Work, state: FlowState) -> Outcome:
    if state.editing:
        return ask(work, state, Step.FIELD)
    meeting = saving.chosen(work, state)
    when = meeting_when(meeting.starts_at, meeting.ends_at, work.language, work.zone)
    return Outcome((questions.confirm_cancel(work.language, when, state.series),),
                   state.at(Step.CANCEL_CONFIRM))


def _field(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    if choice == "time":  # a series keeps its days: only one meeting can move to another
        return ask(work, state, Step.START if state.series else Step.DATE)
    if choice in (Step.PLACE, Step.LANGUAGES, Step.NOTE):
        return ask(work, state, Step(choice))
    return again(work, state)


def _cancel(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    if choice != "yes":
        return over(texts.nothing_changed(work.language))
    return saving.cancel(work, state)


def _leave(work: Work, state: FlowState, choice: str | None, typed: str | None) -> Outcome:
    if choice != "yes":
        return over(texts.nothing_changed(work.language))
    return saving.leave(work, state)


_Answer = Callable[[Work, FlowState, str | None, str | None], Outcome]
_ANSWERS: dict[Step, _Answer] = {
    Step.NAME: _name,
    Step.GROUP: _group,
    Step.DATE: _date,
    Step.START: _start,
    Step.END: _end,
    Step.REPEAT: _repeat,
    Step.PLACE: _place,
    Step.LINK: _link,
    Step.LANGUAGES: _languages,
    Step.NOTE: _note,
    Step.CONFIRM: _confirm,
    Step.MEETING: _meeting,
    Step.SCOPE: _scope,
    Step.FIELD: _field,
    Step.CANCEL_CONFIRM: _cancel,
    Step.LEAVE_CONFIRM: _leave,
}
