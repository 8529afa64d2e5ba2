"""One run of the reminder job: extend series, queue due reminders and thank-yous.

The bot's JobQueue calls :func:`run_once` every ``reminder_interval_seconds``; tests call it
with a context whose clock they control. The outbox job then delivers what was queued.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import AppContext
from bot.facilitators.meetings import materialise_all
from bot.facilitators.recognition import queue_thanks
from bot.reminders.notices import queue_due_reminders


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
