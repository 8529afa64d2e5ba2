"""/forget: delete everything tied to a pseudonym (privacy.md), and keep it deleted.

Keeping it deleted means three things: a tombstone so a restored backup cannot bring it back
(:func:`reapply_tombstones`), SQLite's ``secure_delete`` (set on every connection in
:mod:`bot.db.session`) so the freed pages hold zeros, and :func:`wipe_wal` so the write-ahead
log does not keep the old pages either.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.citizens.models import CitizenProfile
from bot.conversation import state_store
from bot.conversation.models import ConversationState
from bot.db.base import utcnow
from bot.db.session import Database
from bot.feedback import service as feedback
from bot.feedback.models import FeedbackInvite
from bot.outbox import service as outbox
from bot.privacy import tombstones
from bot.reminders import subscriptions as reminder_subscriptions
from bot.reminders.models import Subscription
from bot.requests.models import HelpRequest

log = logging.getLogger(__name__)


def forget_citizen(session: Session, pseudonym: str, *, now: datetime | None = None) -> int:
    """Delete the profile, requests and subscriptions of ``pseudonym``; returns rows removed.

    Aggregate counters are not tied to anyone and stay. The conversation state goes too (both
    flows); the NLU service keeps nothing to clear. A tombstone remembers the deletion (as a
    hash) until no backup from before it can be restored.
    """
    codes = session.scalars(
        select(HelpRequest.code).where(HelpRequest.pseudonym == pseudonym)
    ).all()
    removed = sum(outbox.discard(session, f"request:{code}") for code in codes)
    removed += reminder_subscriptions.forget(session, pseudonym)
    # Feedback invitations and their queued question; request threads go with the requests.
    removed += feedback.forget(session, pseudonym)
    removed += state_store.forget(session, pseudonym)
    for model in (HelpRequest, CitizenProfile):
        result = session.execute(delete(model).where(model.pseudonym == pseudonym))
        removed += result.rowcount or 0  # type: ignore[attr-defined]
    tombstones.record(session, tombstones.PSEUDONYM, pseudonym, now or utcnow())
    return removed


#: What a person's rows are, and which moment of each row says whether it existed before the
#: /forget (a person who came back afterwards keeps what they did since).
_PERSONAL: tuple[tuple[type[Any], Any], ...] = (
    (HelpRequest, HelpRequest.created_at),
    (Subscription, Subscription.created_at),
    (FeedbackInvite, FeedbackInvite.created_at),
    (ConversationState, ConversationState.updated_at),
    (CitizenProfile, CitizenProfile.last_seen_at),
)


def _erase_until(session: Session, pseudonym: str, until: datetime) -> int:
    """Delete ``pseudonym``'s rows from ``until`` or earlier, with their queued messages."""
    purposes = [f"request:{code}" for code in session.scalars(select(HelpRequest.code).where(
        HelpRequest.pseudonym == pseudonym, HelpRequest.created_at <= until))]
    purposes += [reminder_subscriptions.purpose(sid) for sid in session.scalars(
        select(Subscription.id).where(Subscription.pseudonym == pseudonym,
                                      Subscription.created_at <= until))]
    purposes += [f"feedback:{token}" for token in session.scalars(select(FeedbackInvite.token)
                 .where(FeedbackInvite.pseudonym == pseudonym,
                        FeedbackInvite.created_at <= until))]
    removed = sum(outbox.discard(session, purpose) for purpose in purposes)
    for model, moment in _PERSONAL:
        result = session.execute(delete(model).where(model.pseudonym == pseudonym,
                                                     moment <= until))
        removed += result.rowcount or 0  # type: ignore[attr-defined]
    return removed


def reapply_tombstones(session: Session) -> int:
    """Delete again what /forget and "stop reminders" deleted, if a restore brought it back;
    returns rows removed.

    The pseudonyms and subscription ids present are hashed and looked up among the
    tombstones; a match is deleted as far as it is not newer than the tombstone.
    """
    stones = {row.digest: row.deleted_at for row in session.scalars(
        select(tombstones.Tombstone))}
    if not stones:
        return 0
    removed = 0
    present: set[str] = set()
    for model, _moment in _PERSONAL:
        present.update(session.scalars(select(model.pseudonym).distinct()))
    for pseudonym in sorted(present):
        deleted_at = stones.get(tombstones.digest(tombstones.PSEUDONYM, pseudonym))
        if deleted_at is not None:
            removed += _erase_until(session, pseudonym, deleted_at)
    for subscription_id in list(session.scalars(select(Subscription.id))):
        if tombstones.digest(tombstones.SUBSCRIPTION, subscription_id) in stones:
            removed += outbox.discard(session, reminder_subscriptions.purpose(subscription_id))
            session.execute(delete(Subscription).where(Subscription.id == subscription_id))
            removed += 1
    return removed


def wipe_wal(database: Database) -> None:
    """SQLite: copy the write-ahead log into the database and truncate it, so pages from
    before a deletion are not left in the ``-wal`` file. A no-op on PostgreSQL (its vacuum
    policy is in docs/security.md); if readers keep it busy, the next run tries again."""
    if database.engine.dialect.name != "sqlite":
        return
    with database.engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    if busy is not None and busy[0]:
        log.info("write-ahead log busy; it is truncated on the next retention run")
