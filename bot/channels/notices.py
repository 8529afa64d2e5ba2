"""What a channel says when a turn cannot be answered the usual way: a button whose data no
dialogue reads, or a failure while answering. Both in the person's language, both kind, and
neither repeats what was pressed or typed."""

from __future__ import annotations

from bot.dialogue.render import main_menu_buttons, went_wrong
from bot.i18n.catalogs import Translator
from bot.vocabulary import Reply


def stale_button(language: str) -> tuple[Reply, ...]:
    """A button from an older version of the bot, or forged callback data: the main menu."""
    _ = Translator(language).gettext
    return (Reply(_("That button no longer works. You can start again here:"),
                  main_menu_buttons(language)),)


def failed(language: str) -> Reply:
    """Answering went wrong on the bot's side: say so, and name a line to talk to now (the
    person may have been reaching out for help): the dialogue's own answer for it."""
    return went_wrong(language)[0]
