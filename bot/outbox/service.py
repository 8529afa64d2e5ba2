"""Queue messages for later delivery and deliver the due ones.

The dashboard and the reminder job put messages here; only the bot process, which holds the
Telegram connection, takes them out. A message is deleted after it was handed to Telegram,
so it is never sent twice; after ``MAX_ATTEMPTS`` failures it is dropped (the chat may be
gone) rather than retried forever.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.dialogue.model import Reply
from bot.outbox.models import OutboundMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Delivery:
    """A due message with the chat id opened, ready for the Telegram side."""

    id: int
    chat_id: int
    reply: Reply


def enqueue(
    session: Session,
    context: AppContext,
    *,
    chat_id: int,
    purpose: str,
    reply: Reply,
    due_at: datetime | None = None,
) -> OutboundMessage:
    """Queue ``reply`` for ``chat_id``; the chat id is sealed for ``purpose``."""
    if context.sealer is None:
        raise RuntimeError("STEUNWIJZER_ENCRYPTION_KEY is needed to queue messages")
    return enqueue_sealed(session, context, chat_token=context.sealer.seal(chat_id, purpose),
                          purpose=purpose, reply=reply, due_at=due_at)


def enqueue_sealed(
    session: Session,
    context: AppContext,
    *,
    chat_token: str,
    purpose: str,
    reply: Reply,
    due_at: datetime | None = None,
) -> OutboundMessage:
    """Queue ``reply`` for a chat id that is already sealed for ``purpose`` (e.g. a request's
    own token): the dashboard queues answers this way without holding the encryption key."""
    document_name, document = (None, None)
    if reply.document is not None:
        document_name = reply.document[0]
        document = base64.b64encode(reply.document[1]).decode()
    message = OutboundMessage(
        purpose=purpose,
        chat_token=chat_token,
        text=reply.text,
        buttons=json.dumps(reply.to_json()["buttons"]) if reply.buttons else None,
        document_name=document_name,
        document=document,
        due_at=due_at or context.clock(),
    )
    session.add(message)
    session.flush()
    return message


def _reply_of(message: OutboundMessage) -> Reply:
    reply = Reply.from_json({"text": message.text, "buttons": json.loads(message.buttons or "[]")})
    if message.document_name and message.document:
        return Reply(
            reply.text, reply.buttons, (message.document_name, base64.b64decode(message.document))
        )
    return reply


def due(session: Session, context: AppContext, limit: int = 50) -> list[Delivery]:
    """Due messages, oldest first, with their chat ids opened."""
    assert context.sealer is not None
    rows = session.scalars(
        select(OutboundMessage)
        .where(OutboundMessage.due_at <= context.clock())
        .order_by(OutboundMessage.due_at, OutboundMessage.id)
        .limit(limit)
    ).all()
    return [
        Delivery(row.id, context.sealer.open(row.chat_token, row.purpose), _reply_of(row))
        for row in rows
    ]


async def deliver_due(context: AppContext, send: Callable[[int, Reply], Awaitable[None]]) -> int:
    """Send every due message with ``send``; returns how many were delivered."""
    with context.database.session() as session:
        deliveries = due(session, context)
    delivered = 0
    for delivery in deliveries:
        try:
            await send(delivery.chat_id, delivery.reply)
        except Exception as exc:
            log.warning("outbox message %s not delivered: %s", delivery.id, type(exc).__name__)
            with context.database.session() as session:
                row = session.get(OutboundMessage, delivery.id)
                if row is not None:
                    row.attempts += 1
                    row.due_at = context.clock() + RETRY_AFTER
                    if row.attempts >= MAX_ATTEMPTS:
                        session.delete(row)
            continue
        with context.database.session() as session:
            session.execute(delete(OutboundMessage).where(OutboundMessage.id == delivery.id))
        delivered += 1
    return delivered


def discard(session: Session, purpose_prefix: str) -> int:
    """Drop queued messages whose purpose starts with ``purpose_prefix`` (e.g. on /forget)."""
    result = session.execute(
        delete(OutboundMessage).where(OutboundMessage.purpose.startswith(purpose_prefix))
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
