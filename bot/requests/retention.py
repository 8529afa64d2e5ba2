"""The retention job for requests and feedback invitations (privacy.md: enforced by a job)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.context import AppContext
from bot.feedback import service as feedback
from bot.requests import service as requests

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionReport:
    """How many rows the job ended."""

    expired_requests: int
    lapsed_invitations: int


def run_retention(context: AppContext) -> RetentionReport:
    """Expire old requests (deleting their sealed chat ids) and lapsed feedback invitations."""
    with context.database.session() as session:
        expired = requests.expire_due(session, context)
        lapsed = feedback.purge(session, context)
    if expired or lapsed:
        log.info("retention: %d request(s) expired, %d invitation(s) lapsed", expired, lapsed)
    return RetentionReport(expired, lapsed)
