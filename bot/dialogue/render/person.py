"""Asking a person: what will happen, the scrubbed question shown back, and its code."""

from __future__ import annotations

from html import escape

from bot.dialogue.render.common import gettext_for as _t
from bot.i18n.formatting import isolate
from bot.vocabulary import Button, ButtonIntent, Option, Reply


def ask_question(language: str) -> tuple[Reply, ...]:
    """Explain what will happen, then ask for the question."""
    _ = _t(language)
    text = "\n\n".join(
        [
            _(
                "You can ask a coordinator of a volunteer centre or welfare organisation a "
                "question. They will not know who you are: they only see your question and a "
                "short code."
            ),
            _(
                "Write your question in one message. Leave out your name, address and phone "
                "number; I will remove them anyway."
            ),
        ]
    )
    return (Reply(text, ((Button(_("Cancel"), ButtonIntent.CHOOSE_OPTION, Option.CANCEL),),)),)


def confirm_question(language: str, scrubbed: str) -> tuple[Reply, ...]:
    """Show the scrubbed question back before storing it."""
    _ = _t(language)
    text = (
        _("This is what a coordinator will see:")
        + "\n\n<i>"
        + escape(scrubbed)
        + "</i>\n\n"
        + _("Shall I send it?")
    )
    return (
        Reply(
            text,
            (
                (
                    Button(_("Yes, send it"), ButtonIntent.CHOOSE_OPTION, Option.SEND_QUESTION),
                    Button(_("Cancel"), ButtonIntent.CHOOSE_OPTION, Option.CANCEL),
                ),
            ),
        ),
    )


def question_stored(language: str, code: str) -> tuple[Reply, ...]:
    """The question is stored under a code."""
    _ = _t(language)
    return (
        Reply(
            _(
                "Your question is saved under code {code}. A coordinator will answer you "
                "here in this chat; usually within two working days. Nobody has answered "
                "it yet."
            ).format(code=f"<b>{isolate(code, language)}</b>")
        ),
    )
