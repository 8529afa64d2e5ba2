"""The retention job (privacy.md: every retention period is configurable and enforced by a
job): run hourly by the bot's job queue and by ``steunwijzer retention``.

One run, at ``context.clock()``:

1. takes the tombstones back from ``tombstone_file`` (a restored database lost the newer
   ones) and applies them again, so a restore cannot bring back what /forget deleted;
2. notes who wrote recently (from the conversation states, before those are purged);
3. deletes idle conversation states and the ids of Telegram updates answered more than
   ``update_memory_hours`` ago, expires requests nobody touched, deletes requests that
   ended ``request_retention_days`` ago, profiles and subscriptions of people who have not
   written for ``profile_inactive_days`` / ``subscription_inactive_days``, lapsed feedback
   invitations and tombstones older than ``backup_max_age_days``;
4. writes the tombstone file again and truncates SQLite's write-ahead log, so what was
   deleted is not left in the database's files.

Every period is a setting (``bot/settings.py``); docs/security.md lists each with its test.
With several bot workers each job runs in one of them at a time (bot/db/claims.py, used by
bot/channels/telegram_jobs.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete

from bot.citizens import preferences
from bot.context import AppContext
from bot.conversation import state_store
from bot.conversation.models import HandledUpdate
from bot.feedback import service as feedback
from bot.privacy import tombstones
from bot.privacy.forget import reapply_tombstones, wipe_wal
from bot.reminders import subscriptions
from bot.requests import service as requests

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionReport:
    """How many rows one run ended or deleted."""

    expired_requests: int
    lapsed_invitations: int
    idle_conversations: int = 0
    ended_requests_deleted: int = 0
    inactive_profiles: int = 0
    inactive_subscriptions: int = 0
    tombstones_applied: int = 0
    tombstones_expired: int = 0


def run_retention(context: AppContext, tombstone_file: Path | None = None) -> RetentionReport:
    """Apply every retention period once (see the module docstring for the order).

    ``tombstone_file`` overrides the ``tombstone_file`` setting (``steunwijzer retention
    --tombstones``, e.g. right after a restore).
    """
    settings = context.settings
    now = context.clock()
    journal = tombstone_file or settings.tombstone_file
    with context.database.session() as session:
        if journal is not None:
            tombstones.merge(session, tombstones.read_file(journal))
        applied = reapply_tombstones(session)
    idle = purge_idle_conversations(context)
    purge_handled_updates(context)
    with context.database.session() as session:
        expired = requests.expire_due(session, context)
        deleted = requests.purge_ended(session, context)
        profiles = preferences.purge_inactive(
            session, now - timedelta(days=settings.profile_inactive_days))
        inactive = subscriptions.purge_inactive(
            session, now - timedelta(days=settings.subscription_inactive_days))
        lapsed = feedback.purge(session, context)
        buried = tombstones.expire(session, now, timedelta(days=settings.backup_max_age_days))
        remaining = tombstones.entries(session)
    if journal is not None:
        save_tombstones(journal, remaining)
    wipe_wal(context.database)
    report = RetentionReport(expired, lapsed, idle, deleted, profiles, inactive, applied, buried)
    if any((expired, lapsed, deleted, profiles, inactive, applied, buried)):
        log.info(
            "retention: %d request(s) expired, %d ended request(s) deleted, %d profile(s) and "
            "%d subscription(s) inactive, %d invitation(s) lapsed, %d row(s) deleted again "
            "after a restore, %d tombstone(s) expired",
            expired, deleted, profiles, inactive, lapsed, applied, buried,
        )
    return report


def purge_idle_conversations(context: AppContext) -> int:
    """Delete conversation states idle for longer than the conversation expiry (a state is
    also ignored on read once it is too old); run with the retention job and, in the bot,
    every ``conversation_purge_seconds``.

    First the profiles and subscriptions note their person's latest turn from the states:
    that is how their inactivity periods know who still writes, without a write per message.
    """
    with context.database.session() as session:
        preferences.note_activity(session)
        subscriptions.note_activity(session)
        removed = state_store.purge(
            session, now=context.clock(), expiry=context.settings.conversation_expiry
        )
    if removed:
        log.info("retention: %d idle conversation(s) deleted", removed)
    return removed


def purge_handled_updates(context: AppContext) -> int:
    """Forget the ids of Telegram updates answered more than ``update_memory_hours`` ago
    (Telegram stops sending an update again long before that); returns how many."""
    cutoff = context.clock() - timedelta(hours=context.settings.update_memory_hours)
    with context.database.session() as session:
        result = session.execute(delete(HandledUpdate).where(HandledUpdate.handled_at < cutoff))
        removed = result.rowcount or 0  # type: ignore[attr-defined]
    if removed:
        log.debug("retention: %d handled update id(s) forgotten", removed)
    return removed


def purge_job(context: AppContext) -> int:
    """The bot's frequent purge: idle conversation states, then old handled update ids;
    returns how many conversation states were deleted."""
    removed = purge_idle_conversations(context)
    purge_handled_updates(context)
    return removed


def save_tombstones(path: Path, entries: list[tombstones.Entry]) -> None:
    """Write the tombstone file; a failure is logged (the database still holds them all, and
    the next run or /forget writes the file again)."""
    try:
        tombstones.write_file(path, entries)
    except OSError as exc:
        log.warning("tombstone file not written: %s", type(exc).__name__)


def after_forget(context: AppContext) -> None:
    """What follows a /forget once it committed: the tombstone file gets the new tombstone at
    once (a restore the same day must not undo it) and SQLite's write-ahead log is
    truncated, so the deleted rows are gone from the files as well."""
    if context.settings.tombstone_file is not None:
        with context.database.session() as session:
            entries = tombstones.entries(session)
        save_tombstones(context.settings.tombstone_file, entries)
    wipe_wal(context.database)
