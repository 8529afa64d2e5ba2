"""Every citizen-facing text of the dialogue, rendered in the reader's language.

Messages are English msgids translated through the Babel catalogs in ``locales/``; Dutch
names, numbers and links inside Farsi and Arabic text are wrapped in Unicode isolates.
Texts are Telegram HTML, so everything that comes from data is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from html import escape

from bot.directory.cards import MeetingCard, ServiceCard
from bot.directory.national_lines import national_line
from bot.directory.search import SearchOutcome
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate, meeting_when, number
from bot.network.render import network_button
from bot.reminders import texts as reminder_texts
from bot.safety.answer import emergency_line
from bot.taxonomy import Route, Topic
from bot.vocabulary import (
    ALL_LANGUAGES,
    ONLINE,
    SKIP,
    Button,
    ButtonIntent,
    DialogueState,
    Option,
    Reply,
    language_name,
)


def _t(language: str):
    return Translator(language).gettext


def topic_label(language: str, topic: str) -> str:
    """A plain-words label for a topic id."""
    _ = _t(language)
    labels = {
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
    return labels.get(topic, topic)  # type: ignore[call-overload]


def kind_label(language: str, kind: str) -> str:
    """What a service is, in plain words."""
    _ = _t(language)
    labels = {
        "peer_group": _("Peer group: people who went through the same"),
        "volunteer_centre": _("Volunteer centre"),
        "volunteer_service": _("Volunteer help"),
        "carer_support": _("Support point for carers"),
        "community_centre": _("Community centre"),
        "professional": _("Professional help"),
        "helpline": _("Helpline"),
    }
    return labels.get(kind, kind)


# ---------------------------------------------------------------------------- menus
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


def _line_phone(line_id: str, language: str) -> str:
    """A national line's number, bold and isolated; numbers live in the lines file only
    (safety.md rule 7)."""
    return f"<b>{isolate(escape(national_line(line_id).phone or ''), language)}</b>"


def database_down(language: str) -> tuple[Reply, ...]:
    """The directory is unreachable: say so and offer the national lines."""
    _ = _t(language)
    return (
        Reply(
            _(
                "Sorry, I can't reach the list of groups right now. Please try again in "
                "a few minutes. If you want to talk to someone now, De Luisterlijn is "
                "there day and night: {phone}."
            ).format(phone=_line_phone("de_luisterlijn", language))
        ),
    )


def went_wrong(language: str) -> tuple[Reply, ...]:
    """Answering went wrong on the bot's side: say so, and name a line to talk to now (the
    person may have been reaching out for help)."""
    _ = _t(language)
    return (Reply(_("Sorry, something went wrong on my side. Please try again in a moment. If "
                    "you want to talk to someone now, De Luisterlijn is there day and night: "
                    "{phone}.").format(phone=_line_phone("de_luisterlijn", language))),)


def refused(language: str, message: str, values: dict[str, object]) -> tuple[Reply, ...]:
    """A typed error's reason for the person (a catalog msgid and its values, see
    ``bot/errors.py``) in the reader's language; values are escaped like all data."""
    safe = {name: escape(value) if isinstance(value, str) else value
            for name, value in values.items()}
    return (Reply(Translator(language).gettext(message, **safe)),)


def understands_less(language: str) -> str:
    """One line for degraded mode (Rasa down)."""
    _ = _t(language)
    return _("I understand less than usual right now. The buttons still work.")


# ---------------------------------------------------------------------------- language
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


# ---------------------------------------------------------------------------- ladder
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
                phone=_line_phone("de_luisterlijn", language)
            ),
            _("Questions about caring for someone: Mantelzorglijn {phone}.").format(
                phone=_line_phone("mantelzorglijn", language)
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
            (
                (
                    Button(_("Online is fine"), ButtonIntent.CHOOSE_PLACE, ONLINE),
                    Button(_("I'd rather not say"), ButtonIntent.CHOOSE_PLACE, SKIP),
                ),
            ),
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
            (
                (
                    Button(_("Online is fine"), ButtonIntent.CHOOSE_PLACE, ONLINE),
                    Button(_("I'd rather not say"), ButtonIntent.CHOOSE_PLACE, SKIP),
                ),
            ),
        ),
    )


# ---------------------------------------------------------------------------- results
def _line(label: str, value: str) -> str:
    return f"{label}: {value}"


def group_words(language: str, card: ServiceCard, field: str) -> tuple[str, str] | None:
    """The group's own ``field`` text (description, how_to_join) for a reader of ``language``.

    Their language where the group wrote one, else Dutch (product.md). Returns the escaped text
    (isolated in right-to-left text) and a mark to put after it: " (in Dutch)" when a Dutch
    text is shown to a reader of another language, else "". None when there is no text.
    """
    _ = _t(language)
    text, written_in = card.text(field, language)
    if not text:
        return None
    mark = ""
    if written_in == "nl" and language != "nl":
        mark = " " + _("(in Dutch)")
    return isolate(escape(text), language), mark


def service_card_text(language: str, card: ServiceCard, zone: tzinfo) -> str:
    """One result: what it is, who is behind it, languages, where, when (local time in
    ``zone``), cost, how to join."""
    _ = _t(language)
    iso = lambda s: isolate(escape(s), language)  # noqa: E731 - short local helper
    lines = [f"<b>{iso(card.name)}</b>", kind_label(language, card.kind)]
    if card.organisation_name:
        lines.append(_line(_("Organised by"), iso(card.organisation_name)))
    if card.languages:
        names = ", ".join(language_name(code, language) for code in card.languages)
        lines.append(_line(_("Languages"), names))
    where: list[str] = []
    for location in card.locations[:1]:
        parts = [p for p in (location.address, location.city) if p]
        where.append(iso(", ".join(parts) or location.name))
    if card.online:
        where.append(_("online"))
    if where:
        lines.append(_line(_("Where"), " · ".join(where)))
    if card.women_only:
        lines.append(_("For women only"))
    if card.community_focus:
        lines.append(_line(_("In their own words"), f"<i>{iso(card.community_focus)}</i>"))
    if card.next_meeting is not None:
        when = meeting_when(card.next_meeting.starts_at, card.next_meeting.ends_at, language,
                            zone)
        lines.append(_line(_("Next meeting"), when))
    lines.append(
        _line(_("Cost"), _("free") if card.cost in ("", "free", "gratis") else iso(card.cost))
    )
    join = _("Just come along") if card.join_mode == "just_come" else _("Get in touch first")
    how_to_join = group_words(language, card, "how_to_join")
    if how_to_join:
        join += f" ({how_to_join[0]}){how_to_join[1]}"
    lines.append(_line(_("How to join"), join))
    if card.wait_time:
        lines.append(_line(_("Waiting time"), iso(card.wait_time)))
    contact = [
        c
        for c in (
            card.phone or card.organisation_phone,
            card.url or card.organisation_url,
            card.email or card.organisation_email,
        )
        if c
    ]
    if contact:
        lines.append(_line(_("Contact"), " · ".join(iso(c) for c in contact)))
    return "\n".join(lines)


def _result_buttons(
    language: str, has_more: bool, state: DialogueState
) -> tuple[tuple[Button, ...], ...]:
    _ = _t(language)
    rows: list[tuple[Button, ...]] = []
    if has_more:
        rows.append((Button(_("Show more"), ButtonIntent.SHOW_MORE),))
    row = [
        Button(_("Another topic"), ButtonIntent.CHOOSE_OPTION, Option.ANOTHER_TOPIC),
        Button(_("Ask a person"), ButtonIntent.CHOOSE_OPTION, Option.HUMAN),
    ]
    rows.append(tuple(row))
    if state.second_topic and state.route == Route.PEER_GROUP:
        # Two problems named at once: groups for the other one are one press away.
        also = _("Also: {topic}").format(topic=topic_label(language, state.second_topic))
        rows.append((Button(also, ButtonIntent.CHOOSE_TOPIC, state.second_topic),))
    if state.route == Route.PEER_GROUP:
        label = _("Show mixed groups too") if state.women_only else _("Only groups for women")
        rows.append((Button(label, ButtonIntent.CHOOSE_OPTION, Option.WOMEN_ONLY),))
    if state.route == Route.VOLUNTEER_HELP:
        # Before (or beside) a volunteer: someone they know, with help asking.
        rows.append((network_button(language),))
    return tuple(rows)


def results(
    language: str, outcome: SearchOutcome, state: DialogueState, per_page: int, zone: tzinfo
) -> tuple[Reply, ...]:
    """At most ``per_page`` results with buttons; or a plain "nothing found" with alternatives."""
    _ = _t(language)
    start = state.page * per_page
    page = outcome.results[start : start + per_page]
    if not page:
        return no_results(language, outcome, state, state.page == 0, zone)
    where = isolate(escape(state.place_name), language) if state.place_name else None
    if state.page > 0:
        header = _("More results:")
    elif where:
        header = _("This is what I found for you near {place}:").format(place=where)
    else:
        header = _("This is what I found for you, online and nationwide:")
    replies = [Reply(header)]
    for result in page:
        replies.append(
            Reply(
                service_card_text(language, result.card, zone),
                ((Button(_("Details and meetings"), ButtonIntent.OPEN_GROUP, result.card.id),),),
            )
        )
    has_more = len(outcome.results) > start + per_page
    last = replies[-1]
    extra = _result_buttons(language, has_more, state)
    if state.page == 0:
        # Consent first (issue 5): only if the person presses this are they asked, once, later.
        extra += (
            (Button(_("Ask me in a week if this helped"), ButtonIntent.CHOOSE_OPTION, "fbsearch"),),
        )
    replies[-1] = Reply(last.text, last.buttons + extra)
    return tuple(replies)


def no_results(
    language: str, outcome: SearchOutcome, state: DialogueState, first_page: bool, zone: tzinfo
) -> tuple[Reply, ...]:
    """Say plainly that nothing was found and offer what the search suggests instead."""
    _ = _t(language)
    if not first_page:
        return (Reply(_("That was everything I found."), _result_buttons(language, False, state)),)
    replies = [
        Reply(
            _(
                "I found nothing that fits exactly. That says more about the list than "
                "about you. Here is what I can offer instead:"
            )
        )
    ]
    for alternative in outcome.alternatives:
        if alternative.kind == "human" or not alternative.cards:
            continue
        for card in alternative.cards[:2]:
            replies.append(Reply(service_card_text(language, card, zone)))
    rows: tuple[tuple[Button, ...], ...] = (
        (
            Button(_("Ask a person"), ButtonIntent.CHOOSE_OPTION, Option.HUMAN),
            Button(_("Another topic"), ButtonIntent.CHOOSE_OPTION, Option.ANOTHER_TOPIC),
        ),
    )
    if state.route == Route.VOLUNTEER_HELP:
        rows += ((network_button(language),),)
    replies.append(
        Reply(_("A person can also look for you: ask your question anonymously."), rows)
    )
    return tuple(replies)


def group_detail(
    language: str, card: ServiceCard, meetings: Sequence[MeetingCard], zone: tzinfo
) -> tuple[Reply, ...]:
    """A group with its upcoming meetings, local time in ``zone`` (also for poster deep
    links)."""
    _ = _t(language)
    text = service_card_text(language, card, zone)
    description = group_words(language, card, "description")
    if description:
        text += (
            "\n\n"
            + _("The group about itself:")
            + "\n<i>"
            + description[0]
            + "</i>"
            + description[1]
        )
    # Cancelled meetings stay listed, struck through, so people who planned to go know.
    upcoming = list(meetings)
    if any(not m.cancelled for m in upcoming):
        text += "\n\n<b>" + _("Upcoming meetings") + "</b>"
        for meeting in upcoming:
            line = "• " + meeting_when(meeting.starts_at, meeting.ends_at, language, zone)
            if meeting.place:
                line += " · " + isolate(escape(meeting.place), language)
            if meeting.cancelled:
                text += "\n<s>" + line + "</s> " + _("(cancelled)")
                continue
            if meeting.note:
                line += (
                    "\n  "
                    + _("Note from the group")
                    + ": <i>"
                    + isolate(escape(meeting.note), language)
                    + "</i>"
                )
            text += "\n" + line
    rows: tuple[tuple[Button, ...], ...] = (
        (
            Button(_("Ask a person"), ButtonIntent.CHOOSE_OPTION, Option.HUMAN),
            Button(_("Main menu"), ButtonIntent.CHOOSE_OPTION, Option.MENU),
        ),
    )
    reminder_buttons = reminder_texts.group_buttons(language, card.id)
    if card.kind == "peer_group" and reminder_buttons:
        rows = (reminder_buttons, *rows)
    return (Reply(text, rows),)


def group_not_found(language: str) -> tuple[Reply, ...]:
    """A deep link to a group that no longer exists."""
    _ = _t(language)
    return (
        Reply(
            _("I can't find that group any more. Maybe it stopped or moved."),
            main_menu_buttons(language),
        ),
    )


# ---------------------------------------------------------------------------- a person
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


# ---------------------------------------------------------------------------- forget
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


# ---------------------------------------------------------------------------- input
def unsupported_input(language: str, kind: str) -> str:
    """A clear answer to stickers, photos, voice, files, locations (with 112 and 113), and to
    an edit."""
    _ = _t(language)
    texts = {
        "sticker": _("Thanks for the sticker! I can only read text, though."),
        "voice": _("I can't listen to voice messages. Could you type it? A few words are enough."),
        "photo": _("I can't look at photos. Could you tell me in words what is going on?"),
        "document": _(
            "I can't open files. Please don't send documents with personal details; "
            "just tell me in words."
        ),
        "location": _(
            "I don't use locations, so you stay anonymous. You can type your municipality instead."
        ),
        "edited": _(
            "I saw you changed a message. I answered the first version; just send the "
            "new text again if it matters."
        ),
    }
    text = texts.get(kind, _("I can only read text messages."))
    if kind == "edited":
        return text  # its words were read by the crisis net already
    # What the bot cannot read: someone in crisis may reach for a voice message or a photo
    # (safety.md rule 1).
    return f"{text}\n\n{emergency_line(language)}"


def caption_only(language: str) -> str:
    """Said before the answer to a photo's or file's caption."""
    _ = _t(language)
    return _("I can't look at photos or files, but I read the text you wrote with it.")


def flood(language: str) -> str:
    """Too many messages in a short time."""
    _ = _t(language)
    return _(
        "You are sending a lot of messages at once. I read them one by one; please wait a moment."
    )


def group_chat(language: str, link: str) -> str:
    """The bot was used in a group chat (the link isolated inside Farsi and Arabic)."""
    _ = _t(language)
    return _(
        "To keep you anonymous I only talk in a private chat. Open {link} to talk to me privately."
    ).format(link=isolate(link, language))


def too_long(language: str) -> str:
    """A very long message was shortened."""
    _ = _t(language)
    return _(
        "That was a long message; I read the first part. You can also send it in several pieces."
    )
