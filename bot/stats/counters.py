"""Count anonymous events. No pseudonym or text ever reaches these rows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.stats.models import StatCounter


class Event(StrEnum):
    """Kinds of counted events."""

    SEARCH = "search"
    SEARCH_EMPTY = "search_empty"
    CRISIS_SHOWN = "crisis_shown"
    REQUEST = "request"
    REMINDER = "reminder"
    # A "help me ask" draft was shown: counted by language and week only (actions/ask_network.py).
    NETWORK_DRAFT = "network_draft"


def iso_week(moment: datetime) -> str:
    """``2026-W48`` for ``moment``."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def count(
    session: Session,
    event: Event,
    *,
    topic: str | None = None,
    language: str = "",
    municipality_code: str | None = None,
    kind: str = "",
    now: datetime | None = None,
) -> None:
    """Add one to the counter of this event's cell (``kind``: a crisis answer's kind)."""
    key = {
        "event": event.value,
        "week": iso_week(now or utcnow()),
        "topic": topic or "",
        "language": language,
        "municipality_code": municipality_code or "",
        "kind": kind,
    }
    updated = session.execute(
        update(StatCounter)
        .where(*(getattr(StatCounter, name) == value for name, value in key.items()))
        .values(count=StatCounter.count + 1)
    )
    if updated.rowcount == 0:  # type: ignore[attr-defined]
        session.add(StatCounter(**key, count=1))
        session.flush()
