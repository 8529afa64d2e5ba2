"""safety.md rule 5: the anonymous crisis counter records the kind of crisis, and nothing
more; the statistics add the kinds up into one "crisis answers" cell."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.db.session import Database
from bot.staff.scope import Scope
from bot.stats import report
from bot.stats.counters import Event, count, iso_week
from bot.stats.models import StatCounter

ADMIN = Scope("admin", "admin", None, (), True)
MOMENT = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)


def test_the_counter_keeps_the_kind_and_the_report_adds_kinds_up(database: Database) -> None:
    with database.session() as session:
        for kind in ("suicide", "suicide", "child", "violence_home", "forced_marriage"):
            count(session, Event.CRISIS_SHOWN, language="fa", kind=kind, now=MOMENT)
    with database.session() as session:
        rows = session.scalars(select(StatCounter)).all()
        assert sorted((r.kind, r.count) for r in rows) == [
            ("child", 1), ("forced_marriage", 1), ("suicide", 2), ("violence_home", 1)
        ]
        assert {r.event for r in rows} == {"crisis_shown"}
        built = report.build_report(session, ADMIN, weeks=[iso_week(MOMENT)],
                                    dimensions=("language",))
        [row] = built.rows
        assert row.cells["crisis_shown"].value == 5
