"""Honest, anonymous statistics for the dashboard: tables, "where is help missing", charts, CSV.

Everything here works on the aggregate counters only (:class:`StatCounter`,
:class:`FeedbackTally`). Suppression rule (privacy.md): a cell counting 1 to 4 is shown as
"<5", everywhere: pages, CSV, chart bars and chart labels. Code outside this module only ever
gets a :class:`Cell`, whose :attr:`Cell.display` is the only text form of a count and whose
:attr:`Cell.value` is ``None`` when suppressed; the raw count is kept private.

Tables have no total rows or columns, so a suppressed cell cannot be recovered by subtracting
the visible cells of the same table from a total. (Comparing two different groupings can
still narrow a small number down; docs/dashboard.md explains why the groupings are limited.)

Periods: a cell that covers several weeks is the sum of its *weekly* parts (the same
grouping, one week at a time), and a weekly part of 1 to 4 is left out of every sum; such a
cell reads ``12+`` ("12, plus weeks with fewer than five"), or ``<5`` when nothing else is
left. Otherwise asking for 12 weeks and then 11 weeks (or the same 12 weeks one week later)
would reveal the small number of the week in between as the difference. Now every number
shown is a sum of weekly cells of at least five, each of which the same grouping by week
shows anyway, so no choice of weeks tells more than that table already does. The average
grade follows the same rule.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.feedback.models import FeedbackTally
from bot.staff.scope import Scope
from bot.stats.counters import Event, iso_week
from bot.stats.models import StatCounter

SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
#: After a number that leaves out weeks of 1–4 (see the module docstring).
PARTIAL = "+"
DIMENSIONS = ("week", "topic", "language", "municipality_code")
#: The columns of the statistics table, in order.
EVENTS = (Event.SEARCH.value, Event.SEARCH_EMPTY.value, Event.CRISIS_SHOWN.value,
          Event.REQUEST.value, Event.REMINDER.value, Event.NETWORK_DRAFT.value, "feedback")


@dataclass(frozen=True)
class Cell:
    """One count as it may be shown. Build with :meth:`of` or :meth:`of_weeks`; never show
    the count directly."""

    _count: int = field(repr=False)  # the sum of the parts of at least SUPPRESS_BELOW
    _small: bool = field(default=False, repr=False)  # whether parts of 1–4 were left out

    @classmethod
    def of(cls, count: int) -> Cell:
        """A cell for ``count`` (one week, or something that is never summed over weeks)."""
        return cls.of_weeks([count])

    @classmethod
    def of_weeks(cls, counts: Iterable[int]) -> Cell:
        """A cell over several weeks from its weekly counts: weeks of 1–4 are left out."""
        shown, small = 0, False
        for count in counts:
            if 0 < count < SUPPRESS_BELOW:
                small = True
            else:
                shown += int(count)
        return cls(shown, small)

    @property
    def suppressed(self) -> bool:
        """True when there are only weeks of 1–4: too few to show without risking someone
        being recognised."""
        return self._small and self._count == 0

    @property
    def partial(self) -> bool:
        """True when a number is shown but weeks of 1–4 were left out of it."""
        return self._small and self._count > 0

    @property
    def value(self) -> int | None:
        """The number when it may be shown (without the small weeks), else ``None``."""
        return None if self.suppressed else self._count

    @property
    def display(self) -> str:
        """The text shown everywhere: the number, "12+" (plus small weeks) or "<5"."""
        if self.suppressed:
            return SUPPRESSED
        return f"{self._count}{PARTIAL}" if self.partial else str(self._count)

    @property
    def rank_key(self) -> int:
        """Sort key that does not order suppressed cells among themselves."""
        return 0 if self.suppressed else self._count


@dataclass(frozen=True)
class Row:
    """One row of a statistics table: its dimension values and a cell per column."""

    key: tuple[str, ...]
    cells: dict[str, Cell]
    mean_grade: str  # "–" unless at least SUPPRESS_BELOW grades were given


@dataclass(frozen=True)
class Report:
    """A statistics table for some weeks, grouped by some dimensions."""

    weeks: tuple[str, ...]
    dimensions: tuple[str, ...]
    rows: tuple[Row, ...]


def recent_weeks(now: datetime, count: int) -> tuple[str, ...]:
    """The ISO weeks of the last ``count`` weeks up to ``now``, oldest first."""
    return tuple(iso_week(now - timedelta(weeks=n)) for n in reversed(range(count)))


def _in_scope(scope: Scope, municipality_code: str) -> bool:
    return scope.sees_municipality(municipality_code or None)


def _counters(session: Session, weeks: Sequence[str], scope: Scope) -> list[StatCounter]:
    rows = session.scalars(select(StatCounter).where(StatCounter.week.in_(weeks))).all()
    return [r for r in rows if _in_scope(scope, r.municipality_code)]


def _feedback(session: Session, weeks: Sequence[str], scope: Scope) -> list[FeedbackTally]:
    rows = session.scalars(select(FeedbackTally).where(FeedbackTally.week.in_(weeks))).all()
    return [r for r in rows if _in_scope(scope, r.municipality_code)]


def _key(row: StatCounter | FeedbackTally, dimensions: Sequence[str]) -> tuple[str, ...]:
    return tuple(getattr(row, name) for name in dimensions)


#: Counts per week: ``weekly[key][event][week]``.
_Weekly = dict[tuple[str, ...], dict[str, dict[str, int]]]


def _weekly() -> _Weekly:
    return defaultdict(lambda: defaultdict(lambda: defaultdict(int)))


def _mean(grade_sums: dict[str, int], graded: dict[str, int]) -> str:
    """The average grade over the weeks with at least five grades (others are left out, as
    in the cells), or "–" when there are none."""
    weeks = [week for week, n in graded.items() if n >= SUPPRESS_BELOW]
    total = sum(graded[week] for week in weeks)
    if total < SUPPRESS_BELOW:
        return "–"
    return f"{sum(grade_sums[week] for week in weeks) / total:.1f}"


def build_report(session: Session, scope: Scope, *, weeks: Sequence[str],
                 dimensions: Sequence[str] = DIMENSIONS) -> Report:
    """Counts per event, grouped by ``dimensions`` (a subset of :data:`DIMENSIONS`)."""
    dimensions = tuple(d for d in DIMENSIONS if d in dimensions) or DIMENSIONS
    counts = _weekly()
    grade_sums: dict[tuple[str, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for counter in _counters(session, weeks, scope):
        counts[_key(counter, dimensions)][counter.event][counter.week] += counter.count
    for tally in _feedback(session, weeks, scope):
        if tally.measure != "grade":
            continue
        key = _key(tally, dimensions)
        counts[key]["feedback"][tally.week] += tally.count
        grade_sums[key][tally.week] += int(tally.value) * tally.count
    rows = []
    for key in sorted(counts):
        cells = {event: Cell.of_weeks(counts[key][event].values()) for event in EVENTS}
        rows.append(Row(key, cells, _mean(grade_sums[key], counts[key]["feedback"])))
    return Report(tuple(weeks), dimensions, tuple(rows))


@dataclass(frozen=True)
class Gap:
    """One topic × language × municipality where searches found nothing."""

    topic: str
    language: str
    municipality_code: str
    empty: Cell
    found: Cell


def missing_help(session: Session, scope: Scope, *, weeks: Sequence[str],
                 limit: int = 50) -> list[Gap]:
    """"Where is help missing": searches that found nothing, most first.

    Suppressed cells are ranked after the visible ones and among themselves by name, so the
    order does not reveal which small number is larger.
    """
    counts = _weekly()
    for counter in _counters(session, weeks, scope):
        key = (counter.topic, counter.language, counter.municipality_code)
        counts[key][counter.event][counter.week] += counter.count
    empty, found = Event.SEARCH_EMPTY.value, Event.SEARCH.value
    gaps = [Gap(*key, empty=Cell.of_weeks(events[empty].values()),
                found=Cell.of_weeks(events[found].values()))
            for key, events in counts.items() if sum(events[empty].values()) > 0]
    gaps.sort(key=lambda g: (-g.empty.rank_key, g.topic, g.language, g.municipality_code))
    return gaps[:limit]


@dataclass(frozen=True)
class FeedbackSummary:
    """Grades 1–10 and reasons given in the period (cells, suppressed like the rest)."""

    grades: dict[int, Cell]
    reasons: dict[str, Cell]
    mean_grade: str


def feedback_summary(session: Session, scope: Scope, *, weeks: Sequence[str],
                     reasons: Iterable[str]) -> FeedbackSummary:
    """How people graded the help they were referred to, and what happened."""
    grades: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    reason_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for tally in _feedback(session, weeks, scope):
        if tally.measure == "grade":
            grades[int(tally.value)][tally.week] += tally.count
        else:
            reason_counts[tally.value][tally.week] += tally.count
    cells = {g: Cell.of_weeks(grades[g].values()) for g in range(1, 11)}
    # The mean of what the cells show: weekly counts of one grade under five are left out.
    total = sum(cell.value or 0 for cell in cells.values())
    mean = (f"{sum(g * (cell.value or 0) for g, cell in cells.items()) / total:.1f}"
            if total >= SUPPRESS_BELOW else "–")
    return FeedbackSummary(cells, {r: Cell.of_weeks(reason_counts[r].values()) for r in reasons},
                           mean)


def weekly_series(session: Session, scope: Scope, *, weeks: Sequence[str],
                  event: str) -> list[tuple[str, Cell]]:
    """One event per week (for a chart), as cells."""
    report = build_report(session, scope, weeks=weeks, dimensions=("week",))
    by_week = {row.key[0]: row.cells[event] for row in report.rows}
    return [(week, by_week.get(week, Cell.of(0))) for week in weeks]


# ---------------------------------------------------------------------------- CSV
def report_csv(report: Report, headers: dict[str, str]) -> str:
    """The table as CSV, with "<5" exactly as on the page. ``headers`` names the columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([headers.get(d, d) for d in report.dimensions]
                    + [headers.get(e, e) for e in EVENTS] + [headers.get("mean_grade", "mean")])
    for row in report.rows:
        writer.writerow([*row.key, *(row.cells[e].display for e in EVENTS), row.mean_grade])
    return buffer.getvalue()


def gaps_csv(gaps: Sequence[Gap], headers: dict[str, str]) -> str:
    """The "where is help missing" ranking as CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([headers.get(n, n) for n in ("topic", "language", "municipality_code",
                                                 "search_empty", "search")])
    for gap in gaps:
        writer.writerow([gap.topic, gap.language, gap.municipality_code, gap.empty.display,
                         gap.found.display])
    return buffer.getvalue()
