"""What Telegram shows about the bot: the command menu and descriptions, in every language."""

from __future__ import annotations

from telegram import BotCommand
from telegram.ext import Application

from bot.i18n.catalogs import Translator
from bot.vocabulary import ALL_LANGUAGES

#: The citizens' commands, in menu order. Facilitator commands are not advertised: they are
#: told to facilitators when they accept an invitation.
COMMANDS = ("start", "help", "language", "privacy", "forget")


def command_menu(language: str) -> list[BotCommand]:
    """The command menu in ``language`` (setMyCommands with language_code)."""
    _ = Translator(language).gettext
    descriptions = {
        "start": _("Start or start again"),
        "help": _("What this bot can do"),
        "language": _("Choose your language"),
        "privacy": _("What is stored and who sees what"),
        "forget": _("Delete everything about me"),
    }
    return [BotCommand(name, descriptions[name]) for name in COMMANDS]


def bot_description(language: str) -> tuple[str, str]:
    """The long and short bot descriptions in ``language``."""
    _ = Translator(language).gettext
    return (
        _(
            "Anonymous help finding peer groups, volunteer help and someone to talk to in the "
            "Netherlands. In Dutch, Turkish, Farsi and Arabic. No name needed."
        ),
        _("Find peer groups and volunteer help, anonymously."),
    )


async def publish_profile(application: Application) -> None:
    """Set the command menu and descriptions for every language (and the default)."""
    bot = application.bot
    for language in (*ALL_LANGUAGES, None):
        code = language or "nl"
        long_text, short_text = bot_description(code)
        await bot.set_my_commands(command_menu(code), language_code=language)
        await bot.set_my_description(long_text, language_code=language)
        await bot.set_my_short_description(short_text, language_code=language)
