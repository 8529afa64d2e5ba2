"""What a channel says when a turn cannot be answered the usual way: a button whose data no
dialogue reads, or a failure while answering. Both in the person's language, both kind, and
neither repeats what was pressed or typed."""

from __future__ import annotations

from html import escape

from bot.dialogue.model import Reply
from bot.dialogue.render import main_menu_buttons
from bot.directory.national_lines import national_line
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate


def stale_button(language: str) -> tuple[Reply, ...]:
    """A button from an older version of the bot, or forged callback data: the main menu."""
    _ = Translator(language).gettext
    return (Reply(_("That button no longer works. You can start again here:"),
                  main_menu_buttons(language)),)


def failed(language: str) -> Reply:
    """Answering went wrong on the bot's side: say so, and name a line to talk to now (the
    person may have been reaching out for help)."""
    _ = Translator(language).gettext
    phone = f"<b>{isolate(escape(national_line('de_luisterlijn').phone or ''), language)}</b>"
    return Reply(_("Sorry, something went wrong on my side. Please try again in a moment. If "
                   "you want to talk to someone now, De Luisterlijn is there day and night: "
                   "{phone}.").format(phone=phone))
