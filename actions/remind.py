"""Reminders and calendars for a group's meetings (the "Remind me", "Add to calendar" and
"Stop" buttons, and /reminders)."""

from __future__ import annotations

from bot.context import AppContext
from bot.dialogue import render
from bot.directory.models import Service
from bot.facilitators.links import group_link
from bot.reminders import subscriptions
from bot.reminders import texts as reminder_texts
from bot.reminders.ics import group_calendar
from bot.vocabulary import Reply


def subscribe(
    context: AppContext, pseudonym: str | None, chat_token: str | None, group_id: str,
    language: str,
) -> Reply:
    """Remind this person of ``group_id``'s meetings, at the chat the sealed token opens.

    Without a chat to write to later (the terminal chat) or an encryption key, the person is
    told kindly that reminders are not available here.
    """
    if not (pseudonym and chat_token and context.sealer):
        return reminder_texts.unavailable(language)
    with context.database.session() as session:
        subscription = subscriptions.subscribe_with_token(
            session, context, pseudonym=pseudonym, chat_token=chat_token, group_id=group_id,
            language=language,
        )
        group = session.get(Service, group_id) if subscription else None
        if group is None:  # unknown or not active: as the group page says
            return render.group_not_found(language)[0]
        return reminder_texts.subscribed(
            language, group.name, subscriptions.lead_minutes(context)
        )


def calendar(context: AppContext, group_id: str, language: str) -> Reply:
    """The group's next meetings as an .ics file, each with the link back to the group."""
    try:
        link = group_link(context.settings, group_id)
    except ValueError:
        link = None
    with context.database.session() as session:
        built = group_calendar(
            session, context.settings, group_id, context.clock(), link, language
        )
        group = session.get(Service, group_id)
        if built is None or group is None:  # unknown or not active
            return render.group_not_found(language)[0]
        return reminder_texts.calendar(language, group.name, *built)


def stop(context: AppContext, pseudonym: str | None, subscription_id: str | None,
         language: str) -> Reply:
    """Stop one reminder; without one (``/reminders``), list them with a stop button each."""
    with context.database.session() as session:
        if pseudonym and subscription_id and subscriptions.unsubscribe(
            session, pseudonym, subscription_id
        ):
            return reminder_texts.stopped(language)
        rows = subscriptions.subscriptions_of(session, pseudonym or "")
        return reminder_texts.reminder_list(language, rows)
