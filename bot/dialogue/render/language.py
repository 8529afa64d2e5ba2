"""The language menu: each language in its own name, and the confirmation in the new one."""

from __future__ import annotations

from bot.dialogue.render.common import gettext_for as _t
from bot.dialogue.render.menus import main_menu_buttons
from bot.vocabulary import ALL_LANGUAGES, Button, ButtonIntent, Reply, language_name


def language_menu(language: str) -> tuple[Reply, ...]:
    """Buttons showing each language in its own name."""
    _ = _t(language)
    buttons = tuple(
        (Button(language_name(code), ButtonIntent.CHOOSE_LANGUAGE, code),)
        for code in ALL_LANGUAGES
    )
    return (Reply(_("Which language do you want to use?"), buttons),)


def language_set(language: str) -> tuple[Reply, ...]:
    """Confirmation in the newly chosen language."""
    _ = _t(language)
    return (Reply(_("Okay, from now on I will write in English."), main_menu_buttons(language)),)
