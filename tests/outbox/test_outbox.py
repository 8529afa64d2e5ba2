"""Queued messages are delivered once, retried on failure (never dropped for it), and never
readable in the database."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.context import AppContext
from bot.outbox import sending
from bot.outbox import service as outbox
from bot.outbox.models import OutboundMessage
from bot.privacy.sealed import generate_key
from bot.settings import Settings
from bot.vocabulary import Button, ButtonIntent, Reply


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def context(database) -> AppContext:
    return AppContext(
        Settings(encryption_key=generate_key(), pseudonym_secret="x"), database, Clock()
    )


async def test_a_due_message_is_delivered_once_and_then_gone(context: AppContext) -> None:
    reply = Reply("<b>Antwoord</b>", ((Button("Menu", ButtonIntent.CHOOSE_OPTION, "menu"),),))
    with context.database.session() as session:
        outbox.enqueue(
            session,
            context,
            chat_id=424242,
            purpose="request:AB-CDE",
            reply=reply,
            due_at=context.clock() + timedelta(hours=1),
        )
        stored = session.scalars(select(OutboundMessage)).one()
        assert "424242" not in stored.chat_token

    sent: list[tuple[int, Reply]] = []

    async def send(chat_id: int, message: Reply) -> None:
        sent.append((chat_id, message))

    assert await outbox.deliver_due(context, send) == 0  # not due yet
    context.clock.now += timedelta(hours=2)  # type: ignore[attr-defined]
    assert await outbox.deliver_due(context, send) == 1
    assert sent == [(424242, reply)]
    assert await outbox.deliver_due(context, send) == 0  # never twice
    with context.database.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0


async def test_a_failed_delivery_is_retried_later_with_a_capped_delay_and_never_dropped(
    context: AppContext,
) -> None:
    with context.database.session() as session:
        outbox.enqueue(session, context, chat_id=7, purpose="reminder:1", reply=Reply("hoi"))

    async def fail(chat_id: int, message: Reply) -> None:
        raise ConnectionError("telegram down")

    delays: list[timedelta] = []
    for attempt in range(1, 13):
        assert await outbox.deliver_due(context, fail) == 0
        with context.database.session() as session:
            row = session.scalars(select(OutboundMessage)).one()  # still queued
        assert row.attempts == attempt
        delays.append(row.due_at - context.clock())
        assert await outbox.deliver_due(context, fail) == 0  # not tried again before then
        with context.database.session() as session:
            assert session.scalars(select(OutboundMessage)).one().attempts == attempt
        context.clock.now = row.due_at  # type: ignore[attr-defined]
    assert delays[:3] == [sending.FIRST_BACKOFF, 2 * sending.FIRST_BACKOFF,
                          4 * sending.FIRST_BACKOFF]
    assert max(delays) == delays[-1] == sending.MAX_BACKOFF

    sent: list[tuple[int, Reply]] = []

    async def send(chat_id: int, message: Reply) -> None:
        sent.append((chat_id, message))

    assert await outbox.deliver_due(context, send) == 1  # Telegram is back
    assert sent == [(7, Reply("hoi"))]
    with context.database.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0
