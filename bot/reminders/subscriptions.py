"""Anonymous subscriptions: "Remind me" on a group, /reminders, stop, and /forget."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.conversation.models import ConversationState
from bot.db.base import utcnow
from bot.directory.models import Service
from bot.outbox import service as outbox
from bot.privacy import tombstones
from bot.reminders.models import Subscription

CHAT_PURPOSE = "chat"  # what the bot seals a chat id for when it passes it to the dialogue


def purpose(subscription_id: str) -> str:
    """The sealing purpose of one subscription's chat id (also its outbox purpose)."""
    return f"subscription:{subscription_id}"


def lead_minutes(context: AppContext) -> list[int]:
    """The configured lead times, largest first (e.g. [1440, 120])."""
    return [int(m) for m in context.settings.reminder_lead_minutes.split(",")]


def subscribe(session: Session, context: AppContext, *, pseudonym: str, chat_id: int,
              group_id: str, language: str) -> Subscription | None:
    """Subscribe ``pseudonym`` to ``group_id`` (or refresh an existing subscription).

    Returns ``None`` when the group does not exist or is not active (a forged or old "Remind
    me" button cannot subscribe to it). The chat id is sealed for this subscription only and
    never stored in plain form.
    """
    if context.sealer is None:
        raise RuntimeError("STEUNWIJZER_ENCRYPTION_KEY is needed for reminders")
    group = session.get(Service, group_id)
    if group is None or group.status != "active":
        return None
    subscription = session.scalar(select(Subscription).where(
        Subscription.pseudonym == pseudonym, Subscription.service_id == group_id))
    if subscription is None:
        subscription = Subscription(id=uuid.uuid4().hex, pseudonym=pseudonym, service_id=group_id,
                                    created_at=context.clock())
        session.add(subscription)
    subscription.language = language
    subscription.lead_minutes = context.settings.reminder_lead_minutes
    subscription.last_seen_at = context.clock()
    subscription.chat_token = context.sealer.seal(chat_id, purpose(subscription.id))
    session.flush()
    return subscription


def subscribe_with_token(session: Session, context: AppContext, *, pseudonym: str,
                         chat_token: str, group_id: str, language: str) -> Subscription | None:
    """Like :func:`subscribe`, with the sealed chat id of ``Turn.chat_token``."""
    assert context.sealer is not None
    chat_id = context.sealer.open(chat_token, CHAT_PURPOSE)
    return subscribe(session, context, pseudonym=pseudonym, chat_id=chat_id, group_id=group_id,
                     language=language)


def subscriptions_of(session: Session, pseudonym: str) -> list[tuple[str, str]]:
    """(subscription id, group name) of ``pseudonym``, by group name."""
    rows = session.execute(
        select(Subscription.id, Service.name).join(Service, Service.id == Subscription.service_id)
        .where(Subscription.pseudonym == pseudonym).order_by(Service.name)
    )
    return [(sid, name) for sid, name in rows]


def unsubscribe(session: Session, pseudonym: str, subscription_id: str, *,
                now: datetime | None = None) -> bool:
    """Delete one of ``pseudonym``'s subscriptions with its sealed chat id and queued messages
    (and a tombstone, so a restored backup does not start the reminders again)."""
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or subscription.pseudonym != pseudonym:
        return False
    outbox.discard(session, purpose(subscription.id))
    tombstones.record(session, tombstones.SUBSCRIPTION, subscription.id, now or utcnow())
    session.delete(subscription)  # reminder_sent rows cascade
    return True


def forget(session: Session, pseudonym: str) -> int:
    """/forget: delete every subscription of ``pseudonym``; returns rows removed."""
    ids = session.scalars(select(Subscription.id).where(Subscription.pseudonym == pseudonym)).all()
    removed = sum(outbox.discard(session, purpose(sid)) for sid in ids)
    result = session.execute(delete(Subscription).where(Subscription.pseudonym == pseudonym))
    return removed + (result.rowcount or 0)  # type: ignore[attr-defined]


def note_activity(session: Session) -> int:
    """Move each subscription's ``last_seen_at`` up to its person's latest conversation turn.

    The conversation state is written on every turn and lives at least a day, and the
    retention job calls this before it purges idle states, so no turn is missed and no extra
    write happens per message. Returns the subscriptions updated.
    """
    latest = (select(func.max(ConversationState.updated_at))
              .where(ConversationState.pseudonym == Subscription.pseudonym).scalar_subquery())
    result = session.execute(
        update(Subscription).where(latest > Subscription.last_seen_at)
        .values(last_seen_at=latest).execution_options(synchronize_session=False))
    return result.rowcount or 0  # type: ignore[attr-defined]


def purge_inactive(session: Session, cutoff: datetime) -> int:
    """Delete subscriptions (sealed chat id, queued reminders) of people not seen since
    ``cutoff``; returns how many."""
    ids = session.scalars(select(Subscription.id)
                          .where(Subscription.last_seen_at < cutoff)).all()
    for sid in ids:
        outbox.discard(session, purpose(sid))
    if ids:
        session.execute(delete(Subscription).where(Subscription.id.in_(ids)))
    return len(ids)
