"""What facilitators read in the bot, in their own language (Babel catalogs).

Group names, places and notes come from data: they are HTML-escaped and, inside Farsi and
Arabic text, wrapped in Unicode isolates. A facilitator's note is shown exactly as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from html import escape

from bot.i18n.catalogs import Translator, _
from bot.i18n.formatting import isolate, meeting_when
from bot.vocabulary import language_name

COMMANDS = ("mygroups", "newmeeting", "editmeeting", "cancelmeeting", "leave")


def _t(language: str):
    return Translator(language).gettext


def _say(language: str, message: str) -> str:
    """``message`` (a msgid marked with ``_``) in ``language``."""
    return Translator(language).gettext(message)


def iso(text: str, language: str) -> str:
    """Escaped data, isolated inside right-to-left text."""
    return isolate(escape(text), language)


def commands_line(language: str) -> str:
    """The facilitator's commands."""
    return _say(language,
                _("Commands: /mygroups, /newmeeting, /editmeeting, /cancelmeeting, /leave"))


def welcome(language: str, group: str) -> str:
    """After accepting an invitation: ask for the name coordinators will see."""
    _ = _t(language)
    return "\n\n".join([
        _("Welcome! You are now a facilitator of {group}.", group=f"<b>{iso(group, language)}</b>"),
        ask_name(language),
    ])


def ask_name(language: str) -> str:
    """The question for the name coordinators will see."""
    return _say(language, _("Which name should coordinators see? Choose any name; it does not "
                            "have to be your real one. Your Telegram name and account are "
                            "never stored."))


def name_saved(language: str, name: str) -> str:
    """The display name is saved."""
    _ = _t(language)
    return _("Thank you, {name}.", name=iso(name, language)) + "\n" + commands_line(language)


@dataclass(frozen=True)
class MeetingLine:
    """A meeting as a facilitator's list shows it."""

    starts_at: datetime
    ends_at: datetime
    place: str | None
    cancelled: bool
    in_series: bool


def meeting_line(language: str, meeting: MeetingLine, zone: tzinfo) -> str:
    """One line: when (local time in ``zone``), where, cancelled or not."""
    _ = _t(language)
    line = meeting_when(meeting.starts_at, meeting.ends_at, language, zone)
    if meeting.place:
        line += " · " + iso(meeting.place, language)
    if meeting.in_series:
        line += " ↻"
    if meeting.cancelled:
        line = "<s>" + line + "</s> " + _("(cancelled)")
    return line


def my_groups(language: str, groups: Sequence[tuple[str, Sequence[MeetingLine]]],
              zone: tzinfo) -> str:
    """/mygroups: each group with its next meetings."""
    _ = _t(language)
    parts = ["<b>" + _("Your groups") + "</b>"]
    for name, meetings in groups:
        lines = [f"<b>{iso(name, language)}</b>"]
        lines += ["• " + meeting_line(language, m, zone) for m in meetings] or [
            _("No meetings planned.")]
        parts.append("\n".join(lines))
    parts.append(commands_line(language))
    return "\n\n".join(parts)


def ask(language: str, step: str) -> str:
    """The question of one step of a guided conversation."""
    _ = _t(language)
    questions = {
        "group": _("Which group?"),
        "date": _("On which day? Choose a day or type a date (for example 24-12-2026)."),
        "start": _("What time does it start? Choose or type a time (for example 19:30)."),
        "end": _("Until what time? Choose or type the end time (for example 21:30)."),
        "repeat": _("Does the meeting repeat?"),
        "place": _("Where is the meeting? Choose, or type the place."),
        "link": _("Send the link of the online meeting (starting with https://)."),
        "languages": _("In which language is the meeting?"),
        "note": _("Add a short note in your own words (for example \"this time in room 2\"), "
                  "or press \"No note\". It is shown exactly as you write it, marked as the "
                  "group's own text."),
        "meeting": _("Which meeting?"),
        "scope": _("Only this meeting, or the whole series from now on?"),
        "field": _("What do you want to change?"),
    }
    return questions[step]


#: Button labels by key (msgids, translated when used).
LABELS = {
    "until": _("until {time}"),
    "usual_place": _("Usual place: {place}"),
    "online": _("Online"),
    "usual_languages": _("As usual: {languages}"),
    "no_note": _("No note"),
    "save": _("Save"),
    "cancel": _("Cancel"),
    "only_this": _("Only this one"),
    "whole_series": _("The whole series"),
    "field_time": _("Date and time"),
    "field_place": _("Place"),
    "field_languages": _("Languages"),
    "field_note": _("Note"),
    "yes_cancel": _("Yes, cancel it"),
    "yes_stop_series": _("Yes, stop the series"),
    "no": _("No"),
    "yes_leave": _("Yes, I stop"),
    "language": _("Language"),
}


def label(language: str, key: str, **values: object) -> str:
    """A button label."""
    return Translator(language).gettext(LABELS[key], **values)


def languages_text(language: str, codes: Sequence[str]) -> str:
    """Language names in the reader's language."""
    return ", ".join(language_name(code, language) for code in codes)


def summary(language: str, group: str, starts: datetime, ends: datetime, repeat: str,
            place: str | None, online_url: str | None, languages: Sequence[str],
            note: str | None, zone: tzinfo) -> str:
    """Everything of a new meeting, to check before saving."""
    _ = _t(language)
    lines = ["<b>" + _("Please check:") + "</b>",
             _("Group") + ": " + iso(group, language),
             _("When") + ": " + meeting_when(starts, ends, language, zone),
             _("Repeats") + ": " + repeat]
    if place:
        lines.append(_("Where") + ": " + iso(place, language))
    if online_url:
        lines.append(_("Online") + ": " + iso(online_url, language))
    if languages:
        lines.append(_("Languages") + ": " + languages_text(language, languages))
    if note:
        lines.append(_("Note from the group") + ": <i>" + iso(note, language) + "</i>")
    return "\n".join(lines)


def created(language: str, count: int) -> str:
    """The meeting (series) is saved."""
    return Translator(language).ngettext(
        "Saved. {n} meeting is planned.",
        "Saved. {n} meetings are planned for the coming weeks.", count)


def edited(language: str) -> str:
    """A change is saved."""
    return _say(language, _("Saved. People with a reminder get a message when the time or "
                            "place changed."))


def confirm_cancel(language: str, when: str, whole_series: bool) -> str:
    """Ask before cancelling."""
    _ = _t(language)
    if whole_series:
        return _("Stop the whole series from {when} on? People with a reminder get a message.",
                 when=when)
    return _("Cancel the meeting of {when}? People with a reminder get a message.", when=when)


def cancelled(language: str, count: int) -> str:
    """Cancelled."""
    return Translator(language).ngettext(
        "Cancelled. People with a reminder get a message.",
        "Cancelled: {n} meetings. People with a reminder get a message.", count)


def confirm_leave(language: str, group: str) -> str:
    """Ask before leaving a group."""
    _ = _t(language)
    return _("Do you want to stop as facilitator of {group}?",
             group=f"<b>{iso(group, language)}</b>")


def left(language: str, group: str) -> str:
    """Left a group."""
    _ = _t(language)
    return _("Done. You are no longer a facilitator of {group}.",
             group=f"<b>{iso(group, language)}</b>")


def nothing_changed(language: str) -> str:
    """A guided conversation was stopped."""
    return _say(language, _("Okay, nothing was changed."))


def no_meetings(language: str) -> str:
    """Nothing to edit or cancel."""
    return _say(language, _("This group has no meetings planned. Use /newmeeting to add one."))


def language_set(language: str) -> str:
    """The facilitator chose a language."""
    return _say(language, _("Okay, from now on I will write in English."))


def choose_language(language: str) -> str:
    """Which language for the facilitator."""
    return _say(language, _("Which language do you want to use?"))


def thank_you(language: str, group: str, count: int) -> str:
    """After a meeting: thanks and anonymous numbers, never who."""
    text = Translator(language).ngettext(
        "Thank you for being there for {group} today! {n} person had saved a reminder for "
        "this meeting.",
        "Thank you for being there for {group} today! {n} people had saved a reminder for "
        "this meeting.", count, group=f"<b>{iso(group, language)}</b>")
    _ = _t(language)
    return text + "\n" + _("You only see how many, never who.")
