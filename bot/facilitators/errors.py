"""Refusals a facilitator (or coordinator) sees, as translatable messages.

Services raise :class:`Refused` with an English msgid and values; the Telegram side renders
it in the facilitator's language, the CLI in English. Keeping the msgid here (marked with
``_``) means every refusal is in the catalogs.
"""

from __future__ import annotations

from bot import errors
from bot.i18n.catalogs import Translator, _


class Refused(errors.Refused):
    """A request that breaks a rule; ``message`` is a catalog msgid with ``{placeholders}``
    (the typed :class:`bot.errors.Refused`, so the dashboard answers it with a 422 page)."""

    def render(self, language: str) -> str:
        """The refusal in ``language``."""
        return Translator(language).gettext(self.message, **self.values)


NOT_YOUR_GROUP = _("You can only change meetings of your own groups.")
NOT_A_FACILITATOR = _("You are not a facilitator of any group. A coordinator can send you an "
                      "invitation link.")
INVITATION_UNKNOWN = _("This invitation link is not valid. Ask the coordinator for a new one.")
INVITATION_USED = _("This invitation link was already used. Ask the coordinator for a new one.")
INVITATION_EXPIRED = _("This invitation link has expired. Ask the coordinator for a new one.")
NOT_A_GROUP = _("This is not a peer group.")
IN_THE_PAST = _("That moment is in the past. Choose a date and time from now on.")
END_BEFORE_START = _("The end time must be after the start time.")
NONEXISTENT_TIME = _("{time} does not exist on {date}: the clocks go forward that night. "
                     "Choose another time.")
AMBIGUOUS_TIME = _("{time} happens twice on {date}: the clocks go back that night. "
                   "Choose another time.")
BAD_DATE = _("I could not read that date. Type it like 24-12-2026, or use a button.")
BAD_TIME = _("I could not read that time. Type it like 19:30, or use a button.")
BAD_LINK = _("An online link must start with https://")
MEETING_GONE = _("That meeting does not exist any more.")
ALREADY_CANCELLED = _("That meeting is already cancelled.")
TOO_LONG = _("That is too long. Keep it under {limit} characters.")
