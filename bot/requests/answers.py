"""What a citizen receives when a coordinator answers: a template in their language.

Templates are English msgids translated through the Babel catalogs, like every other
citizen-facing text. The coordinator's free text is added below, marked as their own words
(it is not translated). Every answer carries the buttons to reply in the same thread or
withdraw the question; a real answer also offers the "did this help?" question in a week.
"""

from __future__ import annotations

from datetime import tzinfo
from enum import StrEnum
from html import escape

from bot.directory.card_text import service_card_text
from bot.directory.cards import ServiceCard
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate
from bot.vocabulary import Button, ButtonIntent, Reply


class Template(StrEnum):
    """The answer templates a coordinator can choose."""

    GROUP = "group"  # here is a group for you (a directory entry)
    VOLUNTEER_CENTRE = "volunteer_centre"  # here is the volunteer centre (a directory entry)
    ASK_MUNICIPALITY = "ask_municipality"  # can you tell me your municipality?
    LOOKING_INTO_IT = "looking_into_it"  # thank you, we are looking into it
    OWN_WORDS = "own_words"  # only the coordinator's own words


#: Templates that need a directory entry.
NEEDS_SERVICE = frozenset({Template.GROUP, Template.VOLUNTEER_CENTRE})
#: Templates that only need the free text.
NEEDS_TEXT = frozenset({Template.OWN_WORDS})
#: Templates after which the request counts as answered (a referral was made).
ANSWERING = frozenset({Template.GROUP, Template.VOLUNTEER_CENTRE, Template.OWN_WORDS})

#: ``choose_option`` values (prefix:request code) of the follow-up buttons.
REPLY = "reply"
WITHDRAW = "withdraw"
FEEDBACK_YES = "fbyes"


def template_text(language: str, template: str) -> str:
    """The fixed part of a template in ``language``."""
    _ = Translator(language).gettext
    texts = {
        Template.GROUP: _("Here is a group that may suit you:"),
        Template.VOLUNTEER_CENTRE: _("Here is the volunteer centre that can help you further:"),
        Template.ASK_MUNICIPALITY: _("Can you tell us in which municipality you live? Then we "
                                     "can look for something near you. Press \"Reply\" to "
                                     "answer; you can also say you would rather not."),
        Template.LOOKING_INTO_IT: _("Thank you for your question. We are looking into it and "
                                    "will write to you here again."),
        Template.OWN_WORDS: "",
    }
    return texts[Template(template)]


def followup_buttons(language: str, code: str, *,
                     offer_feedback: bool) -> tuple[tuple[Button, ...], ...]:
    """Reply / withdraw, and (after a real answer) "ask me in a week whether it helped"."""
    _ = Translator(language).gettext
    rows: list[tuple[Button, ...]] = [(
        Button(_("Reply"), ButtonIntent.CHOOSE_OPTION, f"{REPLY}:{code}"),
        Button(_("Withdraw my question"), ButtonIntent.CHOOSE_OPTION, f"{WITHDRAW}:{code}"),
    )]
    if offer_feedback:
        rows.append((Button(_("Ask me in a week if this helped"), ButtonIntent.CHOOSE_OPTION,
                            f"{FEEDBACK_YES}:{code}"),))
    return tuple(rows)


def render_answer(language: str, code: str, template: str, card: ServiceCard | None,
                  own_words: str, zone: tzinfo) -> Reply:
    """The whole answer message for the citizen, in their language (Telegram HTML; a
    meeting's time local in ``zone``)."""
    _ = Translator(language).gettext
    parts = ["<b>" + _("A coordinator answered your question {code}:").format(
        code=isolate(code, language)) + "</b>"]
    fixed = template_text(language, template)
    if fixed:
        parts.append(fixed)
    if card is not None:
        parts.append(service_card_text(language, card, zone))
    if own_words.strip():
        parts.append(_("In the coordinator's own words:") + "\n<i>"
                     + isolate(escape(own_words.strip()), language) + "</i>")
    parts.append(_("The coordinator does not know who you are."))
    return Reply("\n\n".join(parts),
                 followup_buttons(language, code, offer_feedback=template in ANSWERING))
