"""The question of each guided step, with buttons for the common answers.

Pure functions from what the step needs to a :class:`~bot.vocabulary.Reply`; every
channel renders the same replies (Telegram as inline buttons, the terminal as numbers).
Buttons that pick a group or a meeting carry the position in the list offered (kept in the
flow state), which keeps them short whatever the ids look like.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from babel.dates import format_date

from bot.facilitators import texts
from bot.facilitators.meetings import GroupInfo
from bot.facilitators.recurrence import Repeat, describe
from bot.facilitators.state import FlowState, Step
from bot.i18n.formatting import locale_for
from bot.vocabulary import ALL_LANGUAGES, Button, ButtonIntent, Reply, language_name

#: The days offered as buttons for a new date, from today on.
DAYS_OFFERED = 7
#: The end times offered: this many minutes after the start.
DURATIONS = (60, 90, 120)
#: Longest label of a button that shows data (a usual place).
LABEL_LIMIT = 60

#: The button intent that answers each step's question.
ANSWERS: dict[Step, ButtonIntent] = {
    Step.GROUP: ButtonIntent.FACILITATOR_GROUP,
    Step.DATE: ButtonIntent.FACILITATOR_DAY,
    Step.START: ButtonIntent.FACILITATOR_START,
    Step.END: ButtonIntent.FACILITATOR_END,
    Step.REPEAT: ButtonIntent.FACILITATOR_REPEAT,
    Step.PLACE: ButtonIntent.FACILITATOR_PLACE,
    Step.LANGUAGES: ButtonIntent.FACILITATOR_LANGUAGES,
    Step.NOTE: ButtonIntent.FACILITATOR_NOTE,
    Step.CONFIRM: ButtonIntent.FACILITATOR_SAVE,
    Step.MEETING: ButtonIntent.FACILITATOR_MEETING,
    Step.SCOPE: ButtonIntent.FACILITATOR_SCOPE,
    Step.FIELD: ButtonIntent.FACILITATOR_FIELD,
    Step.CANCEL_CONFIRM: ButtonIntent.FACILITATOR_CANCEL,
    Step.LEAVE_CONFIRM: ButtonIntent.FACILITATOR_LEAVE,
}


def _button(label: str, step: Step, value: str) -> Button:
    return Button(label, ANSWERS[step], value)


def _rows(buttons: Sequence[Button], width: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i:i + width]) for i in range(0, len(buttons), width))


def ask(step: Step, language: str, state: FlowState, info: GroupInfo, today: date) -> Reply:
    """The question of ``step`` about ``info``'s group, with its buttons."""
    label = texts.label
    buttons: tuple[tuple[Button, ...], ...] = ()
    if step == Step.DATE:
        days = [today + timedelta(days=n) for n in range(DAYS_OFFERED)]
        locale = locale_for(language)
        buttons = _rows([_button(format_date(d, format="EEE d MMM", locale=locale), step,
                                 d.isoformat()) for d in days], 4)
    elif step == Step.START:
        buttons = (tuple(_button(t, step, t) for t in info.usual_times),)
    elif step == Step.END:
        start = datetime.combine(today, time.fromisoformat(state.start or "00:00"))
        ends = [(start + timedelta(minutes=m)).strftime("%H:%M") for m in DURATIONS]
        buttons = (tuple(_button(label(language, "until", time=e), step, e) for e in ends),)
    elif step == Step.REPEAT:
        first = datetime.combine(date.fromisoformat(state.day or today.isoformat()),
                                 time.fromisoformat(state.start or "00:00"))
        buttons = tuple((_button(describe(r, first, language), step, r.value),) for r in Repeat)
    elif step == Step.PLACE:
        rows = []
        if info.usual_place:
            rows.append((_button(label(language, "usual_place", place=info.usual_place)
                                 [:LABEL_LIMIT], step, "usual"),))
        rows.append((_button(label(language, "online"), step, "online"),))
        buttons = tuple(rows)
    elif step == Step.LANGUAGES:
        rows = []
        if info.languages:
            names = texts.languages_text(language, info.languages)
            rows.append((_button(label(language, "usual_languages", languages=names), step,
                                 "usual"),))
        rows.append(tuple(_button(language_name(c), step, c) for c in ALL_LANGUAGES))
        buttons = tuple(rows)
    elif step == Step.NOTE:
        buttons = ((_button(label(language, "no_note"), step, "none"),),)
    elif step == Step.SCOPE:
        buttons = ((_button(label(language, "only_this"), step, "one"),
                    _button(label(language, "whole_series"), step, "series")),)
    elif step == Step.FIELD:
        buttons = ((_button(label(language, "field_time"), step, "time"),
                    _button(label(language, "field_place"), step, "place")),
                   (_button(label(language, "field_languages"), step, "languages"),
                    _button(label(language, "field_note"), step, "note")))
    return Reply(texts.ask(language, step.value), buttons)


def choose_group(language: str, names: Sequence[str]) -> Reply:
    """Which of the facilitator's groups (the buttons carry positions in ``names``)."""
    return Reply(texts.ask(language, Step.GROUP.value),
                 tuple((_button(name, Step.GROUP, str(i)),) for i, name in enumerate(names)))


def choose_meeting(language: str, meetings: Sequence[tuple[str, bool]]) -> Reply:
    """Which meeting, as (when, part of a series) in the order of the state's choices."""
    return Reply(texts.ask(language, Step.MEETING.value),
                 tuple((_button(when + (" ↻" if in_series else ""), Step.MEETING, str(i)),)
                       for i, (when, in_series) in enumerate(meetings)))


def confirm_new(language: str, summary: str) -> Reply:
    """The summary of a new meeting with Save and Cancel."""
    return Reply(summary, ((_button(texts.label(language, "save"), Step.CONFIRM, "save"),
                            _button(texts.label(language, "cancel"), Step.CONFIRM, "no")),))


def confirm_cancel(language: str, when: str, whole_series: bool) -> Reply:
    """Ask before cancelling one meeting or the rest of a series."""
    yes = texts.label(language, "yes_stop_series" if whole_series else "yes_cancel")
    return Reply(texts.confirm_cancel(language, when, whole_series),
                 ((_button(yes, Step.CANCEL_CONFIRM, "yes"),
                   _button(texts.label(language, "no"), Step.CANCEL_CONFIRM, "no")),))


def confirm_leave(language: str, group: str) -> Reply:
    """Ask before leaving a group."""
    return Reply(texts.confirm_leave(language, group),
                 ((_button(texts.label(language, "yes_leave"), Step.LEAVE_CONFIRM, "yes"),
                   _button(texts.label(language, "no"), Step.LEAVE_CONFIRM, "no")),))


def my_groups(language: str,
              overview: Sequence[tuple[str, Sequence[texts.MeetingLine]]],
              zone: tzinfo) -> Reply:
    """/mygroups, with the button to change the language."""
    menu = Button("🌐 " + texts.label(language, "language"), ButtonIntent.FACILITATOR_LANGUAGE,
                  "menu")
    return Reply(texts.my_groups(language, overview, zone), ((menu,),))


def choose_language(language: str) -> Reply:
    """The languages a facilitator can choose, each in its own name."""
    return Reply(texts.choose_language(language),
                 tuple((Button(language_name(c), ButtonIntent.FACILITATOR_LANGUAGE, c),)
                       for c in ALL_LANGUAGES))
