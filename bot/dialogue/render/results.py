"""Search results as cards with their buttons, "nothing found" with what to try instead, and a
group's page with its upcoming meetings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from html import escape

from bot.dialogue.render.common import gettext_for as _t
from bot.dialogue.render.ladder import topic_label
from bot.dialogue.render.menus import main_menu_buttons
from bot.directory.card_text import group_words, service_card_text
from bot.directory.cards import MeetingCard, ServiceCard
from bot.directory.search import SearchOutcome
from bot.i18n.formatting import isolate, meeting_when
from bot.network.render import network_button
from bot.reminders import texts as reminder_texts
from bot.taxonomy import Route
from bot.vocabulary import Button, ButtonIntent, DialogueState, Option, Reply


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
