"""Feedback: ask once, a week after a referral, only with consent; keep only aggregates.

A referral is an answered request or a search with results. When the citizen agrees, an
invitation is stored (pseudonym only, for /forget) and the question is queued in the outbox
for ``feedback_delay_days`` later. Grades and reasons go into :class:`FeedbackTally` rows per
week × topic × language × municipality; the invitation is deleted once answered.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.feedback import render
from bot.feedback.models import FeedbackInvite, FeedbackTally
from bot.outbox import service as outbox
from bot.stats.counters import iso_week

#: An unanswered invitation is deleted this long after the question was due.
LAPSE_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class Referral:
    """What the citizen was referred for: counted with the grade, never who they are."""

    source: str  # request | search
    topic: str | None
    language: str
    municipality_code: str | None


def _delay(context: AppContext) -> timedelta:
    return timedelta(days=context.settings.feedback_delay_days)


def invite(session: Session, context: AppContext, *, pseudonym: str, chat_id: int,
           referral: Referral) -> FeedbackInvite | None:
    """Plan the question; ``None`` when one is already planned for this person (ask once)."""
    existing = session.scalar(select(FeedbackInvite).where(FeedbackInvite.pseudonym == pseudonym))
    if existing is not None:
        return None
    token = secrets.token_urlsafe(6)
    now = context.clock()
    row = FeedbackInvite(token=token, pseudonym=pseudonym, source=referral.source,
                         topic=referral.topic or "", language=referral.language,
                         municipality_code=referral.municipality_code or "",
                         created_at=now, ask_at=now + _delay(context))
    session.add(row)
    outbox.enqueue(session, context, chat_id=chat_id, purpose=f"feedback:{token}",
                   reply=render.question(referral.language, token), due_at=row.ask_at)
    session.flush()
    return row


def _tally(session: Session, invite_row: FeedbackInvite, measure: str, value: str,
           week: str) -> None:
    key = {"week": week, "source": invite_row.source, "topic": invite_row.topic,
           "language": invite_row.language, "municipality_code": invite_row.municipality_code,
           "measure": measure, "value": value}
    updated = session.execute(
        update(FeedbackTally)
        .where(*(getattr(FeedbackTally, name) == v for name, v in key.items()))
        .values(count=FeedbackTally.count + 1)
    )
    if updated.rowcount == 0:  # type: ignore[attr-defined]
        session.add(FeedbackTally(**key, count=1))
        session.flush()


def _own(session: Session, pseudonym: str, token: str) -> FeedbackInvite | None:
    return session.scalar(select(FeedbackInvite).where(FeedbackInvite.token == token,
                                                       FeedbackInvite.pseudonym == pseudonym))


def record_grade(session: Session, context: AppContext, *, pseudonym: str, token: str,
                 grade: int) -> bool:
    """Count a grade 1–10 once; ``False`` when the invitation is gone or already graded."""
    row = _own(session, pseudonym, token)
    if row is None or row.grade is not None or not 1 <= grade <= 10:
        return False
    row.grade = grade
    _tally(session, row, "grade", str(grade), iso_week(context.clock()))
    return True


def record_reason(session: Session, context: AppContext, *, pseudonym: str, token: str,
                  reason: str) -> bool:
    """Count the optional reason and delete the invitation."""
    row = _own(session, pseudonym, token)
    if row is None or row.grade is None or reason not in render.REASONS:
        return False
    _tally(session, row, "reason", reason, iso_week(context.clock()))
    session.delete(row)
    return True


def purge(session: Session, context: AppContext) -> int:
    """Delete invitations nobody answered (and their queued question)."""
    cutoff = context.clock() - LAPSE_AFTER
    tokens = session.scalars(
        select(FeedbackInvite.token).where(FeedbackInvite.ask_at <= cutoff)).all()
    for token in tokens:
        outbox.discard(session, f"feedback:{token}")
    session.execute(delete(FeedbackInvite).where(FeedbackInvite.token.in_(tokens)))
    return len(tokens)


def forget(session: Session, pseudonym: str) -> int:
    """/forget: delete this person's invitations and queued questions; returns rows removed."""
    tokens = session.scalars(select(FeedbackInvite.token)
                             .where(FeedbackInvite.pseudonym == pseudonym)).all()
    removed = sum(outbox.discard(session, f"feedback:{token}") for token in tokens)
    result = session.execute(delete(FeedbackInvite).where(FeedbackInvite.pseudonym == pseudonym))
    return removed + (result.rowcount or 0)  # type: ignore[attr-defined]


def tallies(session: Session, weeks: Sequence[str]) -> Sequence[FeedbackTally]:
    """Every tally row in ``weeks`` (aggregates only; suppression happens in the report)."""
    return session.scalars(select(FeedbackTally).where(FeedbackTally.week.in_(weeks))).all()
