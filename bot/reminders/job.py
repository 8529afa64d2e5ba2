"""One run of the reminder job: extend series, queue due reminders and thank-yous.

The bot's JobQueue calls :func:`run_exclusively` every ``reminder_interval_seconds``: with
several workers, one of them runs it at a time (a claim in the database, bot/db/claims.py),
and the unique key of ``reminder_sent`` keeps every reminder once-only even so. Tests call
:func:`run_once` with a context whose clock they control. The outbox job then delivers what
was queued.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import AppContext
from bot.db.claims import exclusive
from bot.facilitators.meetings import materialise_all
from bot.facilitators.recognition import queue_thanks
from bot.reminders.notices import queue_due_reminders

#: The claim's name: one reminder run at a time across all workers.
REMINDERS_JOB = "reminders"


@dataclass(frozen=True)
class JobReport:
    """What one run did."""

    meetings_added: int
    reminders: int
    thanks: int


def run_once(context: AppContext) -> JobReport:
    """Do everything that is due at ``context.clock()``, in one transaction."""
    with context.database.session() as session:
        added = materialise_all(session, context)
        reminders = queue_due_reminders(session, context)
        thanks = queue_thanks(session, context)
    return JobReport(added, reminders, thanks)


def run_exclusively(context: AppContext) -> JobReport | None:
    """:func:`run_once`, unless another worker is running the reminder job right now
    (``None`` then: that worker queues what is due)."""
    with exclusive(context.database, REMINDERS_JOB) as mine:
        return run_once(context) if mine else None
