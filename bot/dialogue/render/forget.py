"""/forget: asking before deleting everything, and saying it is done."""

from __future__ import annotations

from bot.dialogue.render.common import gettext_for as _t
from bot.vocabulary import Button, ButtonIntent, Option, Reply


def confirm_forget(language: str) -> tuple[Reply, ...]:
    """Ask before deleting everything."""
    _ = _t(language)
    return (
        Reply(
            _(
                "Do you want me to delete everything I know about you: your language, "
                "your questions and your reminders? This cannot be undone."
            ),
            (
                (
                    Button(_("Yes, delete everything"), ButtonIntent.CONFIRM_FORGET),
                    Button(_("No"), ButtonIntent.CHOOSE_OPTION, Option.MENU),
                ),
            ),
        ),
    )


def forgotten(language: str) -> tuple[Reply, ...]:
    """Everything is deleted."""
    _ = _t(language)
    return (
        Reply(
            _(
                "Done. I have deleted everything about you. You can also delete this chat "
                "in Telegram. You are welcome back any time."
            )
        ),
    )
