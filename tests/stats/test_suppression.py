"""A statistics cell of 4 never shows its number: not on a page, in a CSV or in a chart."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from web.dashboard_helpers import TILBURG, login

from bot.feedback.models import FeedbackTally
from bot.staff.scope import Scope
from bot.stats import charts, report
from bot.stats.counters import Event, count, iso_week

ADMIN = Scope("admin", "admin", None, (), True)


class _Cells(HTMLParser):
    """Collects the text of every <td data-event|data-grade|data-reason> cell."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        key = found.get("data-event") or found.get("data-grade") or found.get("data-reason")
        if tag == "td" and key:
            self._open = key
            self.cells.append((key, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            key, text = self.cells[-1]
            self.cells[-1] = (key, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._open = None


def _seed(context, n: int, event: Event, topic: str, language: str, municipality: str) -> None:
    with context.database.session() as session:
        for _ in range(n):
            count(session, event, topic=topic, language=language, municipality_code=municipality,
                  now=context.clock())


def test_cells_under_five_show_as_less_than_five() -> None:
    assert [report.Cell.of(n).display for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    assert report.Cell.of(4).value is None and "4" not in repr(report.Cell.of(4))


def test_a_cell_of_four_never_shows_its_number(client, context) -> None:
    _seed(context, 4, Event.SEARCH_EMPTY, "grief", "fa", TILBURG)
    _seed(context, 4, Event.REQUEST, "grief", "fa", TILBURG)
    _seed(context, 7, Event.SEARCH_EMPTY, "loneliness", "tr", TILBURG)
    with context.database.session() as session:
        session.add(FeedbackTally(week=iso_week(context.clock()), source="request", topic="grief",
                                  language="fa", municipality_code=TILBURG, measure="grade",
                                  value="6", count=4))
    login(client, "admin")
    for path in ("/statistics", "/statistics?group=topic", "/statistics?group=week",
                 "/statistics/missing"):
        parser = _Cells()
        parser.feed(client.get(path).text)
        texts = [text.strip() for _, text in parser.cells]
        assert texts, path
        assert "4" not in texts and "<5" in texts, path
    parser = _Cells()
    parser.feed(client.get("/statistics").text)
    assert dict(parser.cells)["6"] == "<5"  # four people gave grade 6
    # The mean grade of four people is not shown either (it would reveal their grades).
    for path in ("/statistics/export.csv", "/statistics/missing.csv",
                 "/statistics/export.csv?group=week"):
        rows = list(csv.reader(io.StringIO(client.get(path).text)))
        values = [cell for row in rows[1:] for cell in row]
        assert "4" not in values and "<5" in values, path
    assert "7" in [cell for row in csv.reader(io.StringIO(
        client.get("/statistics/missing.csv").text)) for cell in row]
    # The chart draws no bar of height 4 and no label "4".
    with context.database.session() as session:
        weekly = report.weekly_series(session, ADMIN, weeks=report.recent_weeks(
            context.clock(), 4), event="request")
    figure = charts.weekly_figure(weekly, "requests", "<5")
    axes = figure.axes[0]
    heights = [patch.get_height() for patch in axes.patches]
    assert 4 not in heights
    labels = [t.get_text() for t in axes.texts] + [t.get_text() for t in axes.get_yticklabels()]
    assert "4" not in labels and "<5" in labels
    svg = client.get("/statistics/chart/request.svg").text
    assert "&lt;5" in svg


def test_help_missing_ranks_by_empty_searches_without_ordering_small_cells(context) -> None:
    _seed(context, 9, Event.SEARCH_EMPTY, "grief", "ar", TILBURG)
    _seed(context, 6, Event.SEARCH_EMPTY, "parenting", "tr", TILBURG)
    _seed(context, 3, Event.SEARCH_EMPTY, "loneliness", "fa", TILBURG)
    _seed(context, 1, Event.SEARCH_EMPTY, "addiction", "nl", TILBURG)
    with context.database.session() as session:
        gaps = report.missing_help(session, ADMIN, weeks=report.recent_weeks(context.clock(), 2))
    assert [(g.topic, g.empty.display) for g in gaps] == [
        ("grief", "9"), ("parenting", "6"), ("addiction", "<5"), ("loneliness", "<5")]
    coordinator_elsewhere = Scope("u", "coordinator", None, ("GM0344",), False)
    with context.database.session() as session:
        assert report.missing_help(session, coordinator_elsewhere,
                                   weeks=report.recent_weeks(context.clock(), 2)) == []
