"""The routing ladder's questions: acknowledging a situation, the topics, the place, and
where to find information."""

from __future__ import annotations

from html import escape

from bot.dialogue.render.common import gettext_for as _t
from bot.dialogue.render.common import line_phone
from bot.dialogue.render.menus import main_menu_buttons
from bot.i18n.catalogs import _
from bot.i18n.formatting import isolate
from bot.network.render import network_button
from bot.taxonomy import Topic
from bot.vocabulary import ONLINE, SKIP, Button, ButtonIntent, Reply

#: A plain-words label for each topic (msgids, translated when used).
TOPIC_LABELS = {
    Topic.LONELINESS: _("Loneliness"),
    Topic.GRIEF: _("Loss and grief"),
    Topic.CAREGIVING: _("Caring for someone close"),
    Topic.MENTAL_HEALTH: _("Feeling down, anxious or burnt out"),
    Topic.CHRONIC_ILLNESS: _("Long-term illness"),
    Topic.ADDICTION: _("Addiction (also as a relative)"),
    Topic.MONEY_DEBT: _("Money worries and paperwork"),
    Topic.PARENTING: _("Raising children"),
    Topic.NEWCOMER: _("New in the Netherlands"),
    Topic.VIOLENCE: _("Violence or threats at home"),
}


def topic_label(language: str, topic: str) -> str:
    """A plain-words label for a topic id (an unknown id as it is)."""
    return _t(language)(TOPIC_LABELS[topic]) if topic in TOPIC_LABELS else topic  # type: ignore[index]


def acknowledge(language: str, topic: str | None) -> tuple[Reply, ...]:
    """A brief, human acknowledgement of a shared situation, then the options."""
    _ = _t(language)
    specific = {
        Topic.LONELINESS: _("Feeling alone is hard, and many people feel it without saying so."),
        Topic.GRIEF: _("I'm sorry for your loss. Grief can take a long time."),
        Topic.CAREGIVING: _(
            "Looking after someone close takes a lot of energy. Your own rest matters too."
        ),
        Topic.MENTAL_HEALTH: _("That sounds heavy. Good that you put it into words."),
        Topic.CHRONIC_ILLNESS: _("Living with an illness every day is tiring."),
        Topic.ADDICTION: _("Addiction touches the person and everyone around them."),
        Topic.MONEY_DEBT: _("Money worries can keep you awake. You are not the only one."),
        Topic.PARENTING: _("Raising children is not something you have to do alone."),
        Topic.NEWCOMER: _("Starting over in a new country is a lot at once."),
    }
    text = specific.get(topic, _("Thank you for telling me. That sounds hard."))  # type: ignore[call-overload]
    text += "\n\n" + _("What would help you most?")
    # The first rung of the ladder: the person's own network, with help asking (product.md).
    buttons = (*main_menu_buttons(language), (network_button(language),))
    return (Reply(text, buttons),)


def information(language: str, topic: str | None) -> tuple[Reply, ...]:
    """Where to find information: the national lines, plainly."""
    _ = _t(language)
    text = "\n".join(
        [
            _("Someone to talk to, anonymously: De Luisterlijn {phone} (day and night).").format(
                phone=line_phone("de_luisterlijn", language)
            ),
            _("Questions about caring for someone: Mantelzorglijn {phone}.").format(
                phone=line_phone("mantelzorglijn", language)
            ),
            _("Medical or psychological complaints: your GP (huisarts)."),
        ]
    )
    return (Reply(text, main_menu_buttons(language)),)


def ask_topic(language: str) -> tuple[Reply, ...]:
    """Topic buttons, in plain words."""
    _ = _t(language)
    buttons = tuple(
        (Button(topic_label(language, topic), ButtonIntent.CHOOSE_TOPIC, topic.value),)
        for topic in Topic
    )
    return (
        Reply(_("What is it about? Choose what fits best, or tell me in your own words."), buttons),
    )


def _place_buttons(language: str) -> tuple[tuple[Button, ...], ...]:
    """The ways to answer "where?" without a place: "online is fine", "I'd rather not say"."""
    _ = _t(language)
    return (
        (
            Button(_("Online is fine"), ButtonIntent.CHOOSE_PLACE, ONLINE),
            Button(_("I'd rather not say"), ButtonIntent.CHOOSE_PLACE, SKIP),
        ),
    )


def ask_place(language: str) -> tuple[Reply, ...]:
    """Ask for the municipality, with "online is fine" and "I'd rather not say"."""
    _ = _t(language)
    return (
        Reply(
            _(
                "In which municipality do you live? Type the name or the 4 digits of your "
                "postcode. Only to find something nearby; it is deleted with the rest of our "
                "conversation."
            ),
            _place_buttons(language),
        ),
    )


def place_unknown(language: str, text: str) -> tuple[Reply, ...]:
    """The place could not be recognised."""
    _ = _t(language)
    return (
        Reply(
            _(
                'I don\'t know the place "{place}". Could you type the municipality or the 4 '
                "digits of your postcode?"
            ).format(place=isolate(escape(text[:60]), language)),
            _place_buttons(language),
        ),
    )
