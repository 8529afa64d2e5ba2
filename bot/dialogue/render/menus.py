"""The main menu and the conversation around it: welcome, greeting, goodbye, thanks, help,
privacy and the kind fallback."""

from __future__ import annotations

from bot.dialogue.render.common import gettext_for as _t
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate, number
from bot.vocabulary import Button, ButtonIntent, Option, Reply


def main_menu_buttons(language: str) -> tuple[tuple[Button, ...], ...]:
    """The main options of the routing ladder."""
    _ = _t(language)
    return (
        (Button(_("A group of people like me"), ButtonIntent.CHOOSE_OPTION, Option.PEER_GROUP),),
        (
            Button(
                _("Practical help from a volunteer"),
                ButtonIntent.CHOOSE_OPTION,
                Option.VOLUNTEER_HELP,
            ),
        ),
        (
            Button(_("Ask a person"), ButtonIntent.CHOOSE_OPTION, Option.HUMAN),
            Button(_("I want to volunteer"), ButtonIntent.CHOOSE_OPTION, Option.VOLUNTEER_SIGNUP),
        ),
    )


def welcome(language: str) -> tuple[Reply, ...]:
    """/start: warm welcome, the anonymity promise, what the bot can do."""
    _ = _t(language)
    text = "\n\n".join(
        [
            _(
                "Welcome. I am Steunwijzer. I help you find people who went through the same, "
                "volunteer help, or someone to talk to, near you or online."
            ),
            _(
                "You don't need to give your name. Nothing that identifies you is stored, and you "
                "can delete everything at any time with /forget."
            ),
            _(
                "Tell me in your own words what is going on, or choose below. "
                "You can write in Dutch, Turkish, Farsi or Arabic."
            ),
        ]
    )
    return (Reply(text, main_menu_buttons(language)),)


def main_menu(language: str) -> tuple[Reply, ...]:
    """The main options with a short question."""
    _ = _t(language)
    return (Reply(_("What would help you most?"), main_menu_buttons(language)),)


def greeting(language: str) -> tuple[Reply, ...]:
    """A reply to hello."""
    _ = _t(language)
    return (
        Reply(
            _("Hello! Good that you are here. What is on your mind?"), main_menu_buttons(language)
        ),
    )


def goodbye(language: str) -> tuple[Reply, ...]:
    """A reply to goodbye."""
    _ = _t(language)
    return (
        Reply(
            _(
                "Take care. You can come back any time. Send /forget if you want me to "
                "delete everything."
            )
        ),
    )


def thanks(language: str) -> tuple[Reply, ...]:
    """A reply to thanks."""
    _ = _t(language)
    return (
        Reply(
            _("You're welcome. Is there anything else I can help with?"),
            main_menu_buttons(language),
        ),
    )


def no_problem(language: str) -> tuple[Reply, ...]:
    """A reply to no."""
    _ = _t(language)
    return (Reply(_("That's fine. I'm here when you need me."), main_menu_buttons(language)),)


def cancelled(language: str) -> tuple[Reply, ...]:
    """Something was cancelled; nothing was stored."""
    _ = _t(language)
    return (Reply(_("Okay, I stopped. Nothing was stored."), main_menu_buttons(language)),)


def help_text(language: str) -> tuple[Reply, ...]:
    """/help: what the bot can do."""
    _ = _t(language)
    text = "\n".join(
        [
            _("This is what I can do:"),
            "• " + _("find peer groups: people who went through the same"),
            "• " + _("find volunteer help: a buddy, help with shopping, paperwork or debts"),
            "• " + _("tell you how to become a volunteer"),
            "• " + _("pass your question to a person, anonymously"),
            "• " + _("help you ask someone you know, with a short message you send yourself"),
            "• " + _("show crisis lines when things are urgent"),
            "",
            _("Commands: /start, /help, /language, /privacy, /forget"),
        ]
    )
    return (Reply(text, main_menu_buttons(language)),)


def privacy(language: str, conversation_expiry_hours: int) -> tuple[Reply, ...]:
    """/privacy in plain language; the expiry is the one the state store enforces."""
    _ = _t(language)
    text = "\n\n".join(
        [
            _("<b>Your privacy</b>"),
            _(
                "I never store your name, username, phone number or Telegram account. Inside the "
                "system you are only a random code."
            ),
            Translator(language).ngettext(
                "What you write is used to answer you and deleted after {hours} hour without "
                "contact.",
                "What you write is used to answer you and deleted after {hours} hours without "
                "contact.",
                conversation_expiry_hours,
                hours=isolate(number(conversation_expiry_hours, language), language),
            ),
            _(
                "Kept until you delete it or stop writing for a long time: your language, "
                "questions you chose to send to a person (deleted some weeks after they are "
                "closed), and reminders you asked for."
            ),
            _(
                "If you ask a person something, a coordinator sees only your question with "
                "names, phone numbers, addresses and names of accounts removed, and a short "
                "code. Never who you are."
            ),
            _("Statistics only count numbers per topic, language, municipality and week."),
            _("Send /forget to delete everything at once."),
        ]
    )
    return (Reply(text),)


def fallback(language: str) -> tuple[Reply, ...]:
    """Kind fallback with the main options."""
    _ = _t(language)
    return (
        Reply(
            _(
                "I'm not sure I understood you. You can tell me in other words, or "
                "choose one of these:"
            ),
            main_menu_buttons(language),
        ),
    )
