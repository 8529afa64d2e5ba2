"""Build the request itself: short, concrete and easy to refuse, from the catalog's templates.

One template per "what", with a ``{when}`` slot; "who" decides the register. The person writes
to someone they know, so the draft speaks as one does to them: family and friends familiarly
(Turkish *sen*, Farsi *تو*, Dutch *je*), a neighbour, a colleague or someone from the mosque,
church or association politely (*siz*, *شما*, *u*; Dutch keeps *je* for a colleague).
The register is the template's msgctxt (``familiar`` / ``polite``): the English is the same,
the translation is not. Arabic uses one neutral form for both (``يمكنك`` with a verbal noun,
so neither the writer's nor the reader's gender shows).

Shorter keeps the greeting, the request and a short way out; warmer adds a wish, says that
asking is not easy, and what it would mean, before the same way out.
"""

from __future__ import annotations

from html import escape

from bot.i18n.catalogs import Translator, _, pgettext
from bot.network.choices import DraftSpec, Style, What, When, Who

FAMILIAR = "familiar"
POLITE = "polite"

#: Asked familiarly in every language; the rest politely (Dutch: see DUTCH_FAMILIAR).
FAMILIAR_WHO = frozenset({Who.FAMILY, Who.FRIEND})
#: In Dutch one says "je" to a colleague too ("u" to a colleague sounds distant).
DUTCH_FAMILIAR = FAMILIAR_WHO | {Who.COLLEAGUE}

# Translators: each request is addressed by the person to someone they know. {when} is one of
# the phrases below ("this week", "now and then"), placed where it reads naturally.
REQUESTS: dict[str, dict[What, tuple[str, str]]] = {
    FAMILIAR: {
        What.SHOPPING: pgettext("familiar", "Could you help me with the shopping {when}?"),
        What.RIDE: pgettext(
            "familiar", "Could you take me to an appointment at the hospital or the GP {when}?"
        ),
        What.COMPANY: pgettext(
            "familiar", "Would you like to have a coffee or go for a short walk together {when}?"
        ),
        What.LETTERS: pgettext(
            "familiar", "Could you help me with a few letters and forms {when}?"
        ),
        What.CHILDREN: pgettext("familiar", "Could you look after my children {when}?"),
        What.PHONE: pgettext("familiar", "Could you give me a call {when}?"),
    },
    POLITE: {
        What.SHOPPING: pgettext("polite", "Could you help me with the shopping {when}?"),
        What.RIDE: pgettext(
            "polite", "Could you take me to an appointment at the hospital or the GP {when}?"
        ),
        What.COMPANY: pgettext(
            "polite", "Would you like to have a coffee or go for a short walk together {when}?"
        ),
        What.LETTERS: pgettext("polite", "Could you help me with a few letters and forms {when}?"),
        What.CHILDREN: pgettext("polite", "Could you look after my children {when}?"),
        What.PHONE: pgettext("polite", "Could you give me a call {when}?"),
    },
}

#: The {when} of a request, inside the sentence.
WHEN_PHRASES: dict[When, str] = {
    When.WEEK: _("this week"),
    When.WEEKEND: _("this weekend"),
    When.MORNING: _("one morning"),
    When.AFTERNOON: _("one afternoon"),
    When.EVENING: _("one evening"),
    When.REGULARLY: _("now and then"),
}

GREETING = {FAMILIAR: pgettext("familiar", "Hi!"), POLITE: pgettext("polite", "Hi!")}
WISH = {
    FAMILIAR: pgettext("familiar", "I hope you are well."),
    POLITE: pgettext("polite", "I hope you are well."),
}
WAY_OUT = {
    FAMILIAR: pgettext("familiar", "If it doesn't suit you, no problem at all."),
    POLITE: pgettext("polite", "If it doesn't suit you, no problem at all."),
}
SHORT_WAY_OUT = {
    FAMILIAR: pgettext("familiar", "No problem if not."),
    POLITE: pgettext("polite", "No problem if not."),
}
NOT_EASY = _("Asking for help doesn't come easily to me.")
MEANS_A_LOT = _("It would mean a lot to me.")
THANKS = _("Thank you!")


def register(who: Who, language: str) -> str:
    """``familiar`` or ``polite``: how the person addresses ``who`` in ``language``."""
    familiar = DUTCH_FAMILIAR if language == "nl" else FAMILIAR_WHO
    return FAMILIAR if who in familiar else POLITE


def draft_text(spec: DraftSpec, language: str) -> str:
    """The request in ``language`` as plain text: greeting on its own line, then the rest."""
    translator = Translator(language)
    reg = register(spec.who, language)

    def say(marked: tuple[str, str], **values: object) -> str:
        return translator.pgettext(*marked, **values)

    when = translator.gettext(WHEN_PHRASES[spec.when])
    request = say(REQUESTS[reg][spec.what], when=when)
    greeting = say(GREETING[reg])
    if spec.style is Style.SHORTER:
        return " ".join((greeting, request, say(SHORT_WAY_OUT[reg])))
    if spec.style is Style.WARMER:
        body = (
            say(WISH[reg]),
            translator.gettext(NOT_EASY),
            request,
            translator.gettext(MEANS_A_LOT),
            say(WAY_OUT[reg]),
            translator.gettext(THANKS),
        )
    else:
        body = (request, say(WAY_OUT[reg]), translator.gettext(THANKS))
    return greeting + "\n" + " ".join(body)


def draft_html(spec: DraftSpec, language: str) -> str:
    """:func:`draft_text` for a Telegram HTML message (nothing but the request in it)."""
    return escape(draft_text(spec, language), quote=False)
