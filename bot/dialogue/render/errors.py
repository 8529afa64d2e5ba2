"""When answering fails or is refused: the directory unreachable, something went wrong, a typed
error's reason, and the line for degraded understanding."""

from __future__ import annotations

from html import escape

from bot.dialogue.render.common import gettext_for as _t
from bot.dialogue.render.common import line_phone
from bot.i18n.catalogs import Translator
from bot.vocabulary import Reply


def database_down(language: str) -> tuple[Reply, ...]:
    """The directory is unreachable: say so and offer the national lines."""
    _ = _t(language)
    return (
        Reply(
            _(
                "Sorry, I can't reach the list of groups right now. Please try again in "
                "a few minutes. If you want to talk to someone now, De Luisterlijn is "
                "there day and night: {phone}."
            ).format(phone=line_phone("de_luisterlijn", language))
        ),
    )


def went_wrong(language: str) -> tuple[Reply, ...]:
    """Answering went wrong on the bot's side: say so, and name a line to talk to now (the
    person may have been reaching out for help)."""
    _ = _t(language)
    return (Reply(_("Sorry, something went wrong on my side. Please try again in a moment. If "
                    "you want to talk to someone now, De Luisterlijn is there day and night: "
                    "{phone}.").format(phone=line_phone("de_luisterlijn", language))),)


def refused(language: str, message: str, values: dict[str, object]) -> tuple[Reply, ...]:
    """A typed error's reason for the person (a catalog msgid and its values, see
    ``bot/errors.py``) in the reader's language; values are escaped like all data."""
    safe = {name: escape(value) if isinstance(value, str) else value
            for name, value in values.items()}
    return (Reply(Translator(language).gettext(message, **safe)),)


def understands_less(language: str) -> str:
    """One line for degraded mode (Rasa down)."""
    _ = _t(language)
    return _("I understand less than usual right now. The buttons still work.")
