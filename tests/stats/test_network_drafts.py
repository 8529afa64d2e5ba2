""""Help me ask" drafts are counted by language and week only, and coordinators see them in
the statistics like every other count (cells under 5 suppressed)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db.session import Database
from bot.staff.scope import Scope
from bot.stats import report
from bot.stats.counters import Event, count, iso_week

ADMIN = Scope("admin", "admin", None, (), True)
MOMENT = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)


def test_drafts_show_in_the_statistics_and_small_cells_are_suppressed(database: Database) -> None:
    with database.session() as session:
        for _ in range(6):
            count(session, Event.NETWORK_DRAFT, language="tr", now=MOMENT)
        for _ in range(2):
            count(session, Event.NETWORK_DRAFT, language="ar", now=MOMENT)
    with database.session() as session:
        built = report.build_report(session, ADMIN, weeks=[iso_week(MOMENT)],
                                    dimensions=("language",))
    cells = {row.key[0]: row.cells["network_draft"] for row in built.rows}
    assert cells["tr"].value == 6
    assert cells["ar"].display == "<5"
