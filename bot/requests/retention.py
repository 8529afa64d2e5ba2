"""The retention jobs (privacy.md: every retention period is enforced by a job): requests,
feedback invitations, and idle conversation states."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.context import AppContext
from bot.conversation import state_store
from bot.feedback import service as feedback
from bot.requests import service as requests

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionReport:
    """How many rows the job ended."""

    expired_requests: int
    lapsed_invitations: int
    idle_conversations: int = 0


def run_retention(context: AppContext) -> RetentionReport:
    """Expire old requests (deleting their sealed chat ids), lapsed feedback invitations and
    idle conversation states."""
    with context.database.session() as session:
        expired = requests.expire_due(session, context)
        lapsed = feedback.purge(session, context)
    idle = purge_idle_conversations(context)
    if expired or lapsed:
        log.info("retention: %d request(s) expired, %d invitation(s) lapsed", expired, lapsed)
    return RetentionReport(expired, lapsed, idle)


def purge_idle_conversations(context: AppContext) -> int:
    """Delete conversation states idle for longer than the conversation expiry (run every
    ``conversation_purge_seconds``; a state is also ignored on read once it is too old)."""
    with context.database.session() as session:
        removed = state_store.purge(
            session, now=context.clock(), expiry=context.settings.conversation_expiry
        )
    if removed:
        log.info("retention: %d idle conversation(s) deleted", removed)
    return removed
