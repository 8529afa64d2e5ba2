"""Citizen-facing texts of reminders, notices and calendars, in the reader's language.

Telegram HTML: everything from data is escaped, and Dutch names, places and links are wrapped
in Unicode isolates inside Farsi and Arabic text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from html import escape

from babel.dates import format_timedelta
from babel.lists import format_list

from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate, locale_for, meeting_when
from bot.vocabulary import Button, ButtonIntent, Reply

CALLBACK_LIMIT = 64  # bytes of Telegram callback_data


def _iso(text: str, language: str) -> str:
    return isolate(escape(text), language)


def lead_times(language: str, minutes: Sequence[int]) -> str:
    """E.g. "1 day and 2 hours" in the reader's language (Babel)."""
    locale = locale_for(language)
    parts = [format_timedelta(timedelta(minutes=m), threshold=1.0, locale=locale)
             for m in sorted(minutes, reverse=True)]
    return format_list(parts, locale=locale)


def group_buttons(language: str, group_id: str) -> tuple[Button, ...]:
    """"Remind me" and "Add to calendar" for a group page (none if the id is too long).

    Telegram refuses a whole message whose button data exceeds 64 bytes, so a group with a
    very long imported id gets no buttons rather than no page.
    """
    _ = Translator(language).gettext
    buttons = (Button("🔔 " + _("Remind me"), ButtonIntent.REMIND_ME, group_id),
               Button("📅 " + _("Add to calendar"), ButtonIntent.CALENDAR, group_id))
    if any(len(b.callback_data.encode()) > CALLBACK_LIMIT for b in buttons):
        return ()
    return buttons


def subscribed(language: str, group: str, minutes: Sequence[int]) -> Reply:
    """The subscription is saved."""
    _ = Translator(language).gettext
    text = "\n\n".join([
        _("Done. I will remind you of the meetings of {group}, {lead} before.",
          group=f"<b>{_iso(group, language)}</b>", lead=lead_times(language, minutes)),
        _("Nobody sees who you are: the group only sees how many people saved a reminder. "
          "Send /reminders to see or stop your reminders."),
    ])
    return Reply(text)


def unavailable(language: str) -> Reply:
    """Reminders need Telegram and an encryption key."""
    _ = Translator(language).gettext
    return Reply(_("Reminders are not available here, sorry."))


def _place(language: str, place: str | None, online_url: str | None) -> str:
    _ = Translator(language).gettext
    lines = []
    if place:
        lines.append(_("Where") + ": " + _iso(place, language))
    if online_url:
        lines.append(_("Online") + ": " + _iso(online_url, language))
    return "\n".join(lines)


def reminder(language: str, group: str, starts: datetime, ends: datetime, place: str | None,
             online_url: str | None, note: str | None, zone: tzinfo) -> Reply:
    """A reminder of one meeting (times local in ``zone``)."""
    _ = Translator(language).gettext
    lines = [_("Reminder: {group} meets {when}.", group=f"<b>{_iso(group, language)}</b>",
               when=meeting_when(starts, ends, language, zone))]
    where = _place(language, place, online_url)
    if where:
        lines.append(where)
    if note:
        lines.append(_("Note from the group") + ": <i>" + _iso(note, language) + "</i>")
    lines.append(_("Send /reminders to stop these reminders."))
    return Reply("\n".join(lines))


def cancelled(language: str, group: str, starts: datetime, ends: datetime,
              whole_series: bool, zone: tzinfo) -> Reply:
    """A meeting (or all further meetings) will not take place (times local in ``zone``)."""
    _ = Translator(language).gettext
    name = f"<b>{_iso(group, language)}</b>"
    if whole_series:
        text = _("{group} will not meet any more at this time. All further meetings from "
                 "{when} on are cancelled.", group=name,
                 when=meeting_when(starts, ends, language, zone))
    else:
        text = _("The meeting of {group} on {when} is cancelled.", group=name,
                 when=meeting_when(starts, ends, language, zone))
    return Reply(text + "\n" + _("Send /reminders to stop these reminders."))


def moved(language: str, group: str, old_start: datetime, starts: datetime, ends: datetime,
          place: str | None, online_url: str | None, zone: tzinfo) -> Reply:
    """A meeting moved to another time or place (times local in ``zone``)."""
    _ = Translator(language).gettext
    lines = [_("The meeting of {group} on {old} has changed. New: {when}.",
               group=f"<b>{_iso(group, language)}</b>",
               old=meeting_when(old_start, None, language, zone),
               when=meeting_when(starts, ends, language, zone))]
    where = _place(language, place, online_url)
    if where:
        lines.append(where)
    return Reply("\n".join(lines))


def reminder_list(language: str, rows: Sequence[tuple[str, str]]) -> Reply:
    """/reminders: the groups with a reminder and a stop button for each."""
    _ = Translator(language).gettext
    if not rows:
        return Reply(_("You have no reminders. Open a group and press \"Remind me\" to get one."))
    lines = [_("<b>Your reminders</b>")] + ["• " + _iso(name, language) for _id, name in rows]
    buttons = tuple((Button(_("Stop: {group}", group=name), ButtonIntent.STOP_REMINDER, sid),)
                    for sid, name in rows)
    return Reply("\n".join(lines), buttons)


def stopped(language: str) -> Reply:
    """A subscription was deleted."""
    _ = Translator(language).gettext
    return Reply(_("Stopped. I deleted this reminder and the encrypted chat number kept for it."))


def calendar(language: str, group: str, ics: bytes, count: int) -> Reply:
    """The .ics file of a group's next meetings."""
    _ = Translator(language).gettext
    if count == 0:
        return Reply(_("{group} has no meetings planned yet.", group=_iso(group, language)))
    text = _("The next meetings of {group} as a calendar file. Open it to add them to your "
             "calendar.", group=f"<b>{_iso(group, language)}</b>")
    return Reply(text, document=("meetings.ics", ics))
