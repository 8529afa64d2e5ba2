"""What the outbox tests share: contexts for several workers on one database, a time the
pacer sleeps on without waiting, queueing and reading the outbox, and the metrics."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.context import AppContext
from bot.db.session import Database
from bot.outbox import service as outbox
from bot.outbox.models import OutboundMessage
from bot.outbox.pacing import Pacer
from bot.privacy.sealed import generate_key
from bot.runtime.metrics import REGISTRY
from bot.settings import Settings
from bot.vocabulary import Reply

#: Runs a test on the real PostgreSQL server only (the claims are PostgreSQL's).
ON_POSTGRES = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Clock:
    """The application clock (due times), moved by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class VirtualTime:
    """The pacer's monotonic clock: sleeping moves it forward at once, and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def pacer(self, rate: float = 25.0) -> Pacer:
        """A pacer on this time."""
        return Pacer(rate, clock=self, sleep=self.sleep)


def settings(**overrides: object) -> Settings:
    """Settings with keys, shared by every worker of a test."""
    return Settings(encryption_key=generate_key(), pseudonym_secret="outbox-test",
                    **overrides)  # type: ignore[arg-type]


def worker(context: AppContext, url: str | None = None) -> AppContext:
    """Another worker: the same settings and clock, its own engine and connections."""
    return AppContext(context.settings, Database(url or context.database.url), context.clock)


def queue(context: AppContext, chat_id: int, text: str, *, purpose: str = "request:AB-CDE",
          due_at: datetime | None = None) -> int:
    """Queue ``text`` for ``chat_id``; returns the row id."""
    with context.database.session() as session:
        return outbox.enqueue(session, context, chat_id=chat_id, purpose=purpose,
                              reply=Reply(text), due_at=due_at).id


def pending(context: AppContext) -> int:
    """How many messages are still queued."""
    with context.database.session() as session:
        return session.scalar(select(func.count()).select_from(OutboundMessage)) or 0


def metric(name: str) -> float:
    """A counter or gauge of the bot's metrics, as Prometheus would read it."""
    value = REGISTRY.get_sample_value(name)
    return 0.0 if value is None else value


def possible_duplicates() -> float:
    return metric("steunwijzer_outbox_possible_duplicates_total")


def sent_total() -> float:
    return metric("steunwijzer_outbox_sent_total")
