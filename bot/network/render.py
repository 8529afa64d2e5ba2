"""The bot's own texts around "help me ask": the entry button, the three questions with their
buttons, and the messages around a draft (the draft itself comes from :mod:`bot.network.draft`).

The draft is sent as a message of its own, with nothing else in it, so it can be copied or
forwarded as it is; the buttons to change it come in the message after it.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n.catalogs import Translator, _
from bot.i18n.formatting import isolate
from bot.network.choices import DraftSpec, Style, What, When, Who
from bot.network.draft import draft_html
from bot.vocabulary import Button, ButtonIntent, Option, Reply

#: The button intent that answers each question.
ANSWER_INTENTS = {
    "who": ButtonIntent.NETWORK_WHO,
    "what": ButtonIntent.NETWORK_WHAT,
    "when": ButtonIntent.NETWORK_WHEN,
}
#: The name of the product in the forwarding note (a name: isolated in Farsi and Arabic).
BOT_NAME = "Steunwijzer"
#: Button labels for the person asked, what is asked and roughly when (msgids, translated
#: when used).
WHO_LABELS: dict[str, str] = {
    Who.FAMILY: _("Family"),
    Who.NEIGHBOUR: _("A neighbour"),
    Who.FRIEND: _("A friend"),
    Who.COLLEAGUE: _("A colleague"),
    Who.COMMUNITY: _("Someone from the mosque, church or association"),
}
WHAT_LABELS: dict[str, str] = {
    What.SHOPPING: _("Shopping"),
    What.RIDE: _("A ride to the hospital or GP"),
    What.COMPANY: _("Company or a walk"),
    What.LETTERS: _("Letters and forms"),
    What.CHILDREN: _("Looking after the children"),
    What.PHONE: _("A phone call now and then"),
}
WHEN_LABELS: dict[str, str] = {
    When.WEEK: _("This week"),
    When.WEEKEND: _("This weekend"),
    When.MORNING: _("One morning"),
    When.AFTERNOON: _("One afternoon"),
    When.EVENING: _("One evening"),
    When.REGULARLY: _("Now and then"),
}


def _t(language: str):
    return Translator(language).gettext


def network_button(language: str) -> Button:
    """The "Help me ask someone I know" button: after a disclosure and after practical-help
    results."""
    _ = _t(language)
    return Button(_("Help me ask someone I know"), ButtonIntent.CHOOSE_OPTION, Option.ASK_NETWORK)


def _label(language: str, labels: Mapping[str, str], code: str) -> str:
    """The translated label of ``code`` in ``labels`` (an unknown code as it is)."""
    return _t(language)(labels[code]) if code in labels else code


def who_label(language: str, who: str) -> str:
    """A button label for the person asked."""
    return _label(language, WHO_LABELS, who)


def what_label(language: str, what: str) -> str:
    """A button label for what is asked."""
    return _label(language, WHAT_LABELS, what)


def when_label(language: str, when: str) -> str:
    """A button label for roughly when."""
    return _label(language, WHEN_LABELS, when)


def _answer_rows(language: str, slot: str) -> tuple[tuple[Button, ...], ...]:
    intent = ANSWER_INTENTS[slot]
    if slot == "who":
        buttons = [Button(who_label(language, w), intent, w.value) for w in Who]
        return ((buttons[0], buttons[1]), (buttons[2], buttons[3]), (buttons[4],))
    if slot == "what":
        return tuple((Button(what_label(language, w), intent, w.value),) for w in What)
    buttons = [Button(when_label(language, w), intent, w.value) for w in When]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def question(language: str, slot: str, *, intro: bool = False, sorry: bool = False) -> Reply:
    """Ask "who", "what" or "when", with a button per answer and a way out. ``intro``: the
    first question of the flow says what will happen; ``sorry``: a typed answer was not
    understood."""
    _ = _t(language)
    asks = {
        "who": _("Who would you like to ask?"),
        "what": _("What would you like to ask for?"),
        "when": _("When, roughly? They can always suggest another moment."),
    }
    before = []
    if sorry:
        before.append(_("Sorry, I didn't quite understand that."))
    if intro:
        before.append(
            _("I'll help you write a short message that you send yourself, from your own phone.")
        )
    ask = asks[slot] + " " + _("Choose below, or say it in your own words.")
    cancel = (Button(_("Cancel"), ButtonIntent.CHOOSE_OPTION, Option.CANCEL),)
    return Reply("\n\n".join((*before, ask)), (*_answer_rows(language, slot), cancel))


# ---------------------------------------------------------------------------- the draft
def _options(language: str, spec: DraftSpec) -> Reply:
    """After a draft: another style, the Dutch copy, another message, the menu. The buttons
    carry the whole choice: the conversation state has forgotten it."""
    _ = _t(language)
    labels = {
        Style.SHORTER: _("Shorter"),
        Style.WARMER: _("Warmer"),
        Style.PLAIN: _("The first version"),
    }
    styles = tuple(
        Button(labels[style], ButtonIntent.NETWORK_DRAFT, spec.with_style(style).encode())
        for style in (Style.SHORTER, Style.WARMER, Style.PLAIN)
        if style is not spec.style
    )
    rows: list[tuple[Button, ...]] = [styles]
    if language != "nl" and not spec.dutch:
        rows.append(
            (Button(_("Also in Dutch"), ButtonIntent.NETWORK_DUTCH, spec.with_dutch().encode()),)
        )
    rows.append(
        (
            Button(_("Another message"), ButtonIntent.CHOOSE_OPTION, Option.ASK_NETWORK),
            Button(_("Main menu"), ButtonIntent.CHOOSE_OPTION, Option.MENU),
        )
    )
    return Reply(_("Would you like it different? I have not kept your choices."), tuple(rows))


def _drafts(language: str, spec: DraftSpec) -> list[Reply]:
    """The draft as a message of its own, and the Dutch copy as another when asked for."""
    replies = [Reply(draft_html(spec, language))]
    if spec.dutch and language != "nl":
        replies.append(Reply(draft_html(spec, "nl")))
    return replies


def first_draft(language: str, spec: DraftSpec) -> tuple[Reply, ...]:
    """How to use the draft, the draft (and its Dutch copy), then what can be changed."""
    _ = _t(language)
    intro = [
        _(
            "Here is your message. Press and hold it to copy it, paste it into a chat with "
            "the person, and change whatever you like. I don't send anything myself."
        ),
        _("If you forward it instead, they will see that it comes from {bot}.").format(
            bot=isolate(BOT_NAME, language)
        ),
    ]
    if spec.dutch and language != "nl":
        intro.append(_("The next message is the same request in Dutch."))
    return (Reply(" ".join(intro)), *_drafts(language, spec), _options(language, spec))


def other_version(language: str, spec: DraftSpec) -> tuple[Reply, ...]:
    """A shorter, warmer or the first version again (with the Dutch copy if it was asked for)."""
    _ = _t(language)
    headers = {
        Style.SHORTER: _("A shorter version:"),
        Style.WARMER: _("A warmer version:"),
        Style.PLAIN: _("The first version:"),
    }
    return (Reply(headers[spec.style]), *_drafts(language, spec), _options(language, spec))


def dutch_copy(language: str, spec: DraftSpec) -> tuple[Reply, ...]:
    """Also in Dutch: the same request in Dutch, as a message of its own."""
    _ = _t(language)
    return (
        Reply(_("The same request in Dutch:")),
        Reply(draft_html(spec, "nl")),
        _options(language, spec),
    )
