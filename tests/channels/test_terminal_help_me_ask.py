"""The terminal chat runs "help me ask" through the same core as Telegram: a typed request,
buttons by their number, the draft on a message of its own, then a shorter version. No NLU
service: the keyword understanding reads the request."""

from __future__ import annotations

import io

from bot.channels.terminal import chat_loop, plain
from bot.context import AppContext
from bot.conversation.pipeline import Pipeline
from bot.i18n.catalogs import Translator
from bot.network.choices import DraftSpec, Style, What, When, Who
from bot.network.draft import draft_text
from bot.settings import Settings


def _(msgid: str) -> str:
    return plain(Translator("nl").gettext(msgid))


def in_order(screen: str, *expected: str) -> None:
    """Each expected text appears on screen, after the one before."""
    position = 0
    for text in expected:
        found = screen.find(text, position)
        assert found >= 0, f"{text!r} not shown (after position {position}):\n{screen}"
        position = found + len(text)


def as_shown(text: str) -> str:
    """A message as the terminal prints it (continuation lines indented)."""
    return "bot> " + text.replace("\n", "\n     ")


async def test_help_me_ask_in_the_terminal(sqlite_database) -> None:
    context = AppContext(Settings(pseudonym_secret="terminal-test"), sqlite_database)
    lines = [
        "hoe vraag ik mijn buurman om hulp?",
        "1",  # what: the shopping
        "2",  # when: this weekend
        "1",  # shorter
    ]
    out = io.StringIO()
    await chat_loop(Pipeline(context, None), io.StringIO("\n".join(lines) + "\n"), out, "nl")
    screen = out.getvalue()

    spec = DraftSpec(Who.NEIGHBOUR, What.SHOPPING, When.WEEKEND)
    in_order(
        screen,
        _("What would you like to ask for?"),
        "[1] " + _("Shopping"),
        "[2] " + _("This weekend"),
        _("If you forward it instead, they will see that it comes from {bot}.").format(
            bot="Steunwijzer"
        ),
        as_shown(draft_text(spec, "nl")),
        "[1] " + _("Shorter"),
        _("A shorter version:"),
        as_shown(draft_text(spec.with_style(Style.SHORTER), "nl")),
    )
    assert _("Who would you like to ask?") not in screen  # "mijn buurman" said it already
    assert "Zou u me dit weekend kunnen helpen met de boodschappen?" in screen
