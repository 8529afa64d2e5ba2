"""Queue messages for later delivery and read the due ones.

The dashboard and the jobs put messages here; only the bot, which holds the Telegram
connection, takes them out: :func:`deliver_due` (``bot/outbox/sending.py``), one sender at a
time across all workers, paced, in order per chat, at least once and never lost.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.outbox.models import OutboundMessage
from bot.outbox.sending import deliver_due
from bot.vocabulary import Reply

__all__ = ["Delivery", "deliver_due", "discard", "due", "enqueue", "enqueue_sealed"]


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
        Delivery(row.id, context.sealer.open(row.chat_token, row.purpose), row.reply())
        for row in rows
    ]


def discard(session: Session, purpose_prefix: str) -> int:
    """Drop queued messages whose purpose starts with ``purpose_prefix`` (e.g. on /forget)."""
    result = session.execute(
        delete(OutboundMessage).where(OutboundMessage.purpose.startswith(purpose_prefix))
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
