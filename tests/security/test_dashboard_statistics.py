"""Issue 13 finding 8: statistics could be differenced by varying the week range.

The attacker is a coordinator (or anyone given a CSV) who wants the small number that "<5"
hides: ask for the last two weeks, then for the last week only, and subtract. Three Farsi
speakers in Tilburg asking about grief in one week are three people someone could recognise.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from dashboard_app import client_fixture, clock_fixture, context_fixture  # noqa: F401 - fixtures
from web.dashboard_helpers import TILBURG, login

from bot.feedback.models import FeedbackTally
from bot.stats.counters import Event, count, iso_week

NUMBER = re.compile(r"^(\d+)\+?$")


def _seed(context, weeks_ago: int, times: int, event: Event = Event.REQUEST) -> None:
    moment = context.clock() - timedelta(weeks=weeks_ago)
    with context.database.session() as session:
        for _ in range(times):
            count(session, event, topic="grief", language="fa", municipality_code=TILBURG,
                  now=moment)


def _numbers(client, path: str) -> list[dict[str, int | None]]:
    """Every row of a statistics CSV as column → shown number (None for "<5", "–" and text)."""
    rows = list(csv.DictReader(io.StringIO(client.get(path).text)))
    assert rows, path
    result = []
    for row in rows:
        shown = {}
        for column, text in row.items():
            match = NUMBER.match(text or "")
            shown[column] = int(match.group(1)) if match else None
        result.append(shown)
    return result


def _small_differences(wide: list[dict], narrow: list[dict]) -> list[tuple[str, int]]:
    """Columns where the wider period shows a number 1–4 higher than the narrower one."""
    found = []
    for a, b in zip(wide, narrow, strict=True):
        for column in a:
            if a[column] is not None and b[column] is not None and 0 < a[column] - b[column] < 5:
                found.append((column, a[column] - b[column]))
    return found


def test_two_overlapping_periods_do_not_reveal_a_small_week(client, context) -> None:
    _seed(context, weeks_ago=1, times=3)  # the small week: must stay hidden
    _seed(context, weeks_ago=0, times=6)
    login(client, "admin")
    for query in ("group=topic", "group=topic&group=language",
                  "group=language&group=municipality_code"):
        one = _numbers(client, f"/statistics/export.csv?weeks=1&{query}")
        two = _numbers(client, f"/statistics/export.csv?weeks=2&{query}")
        assert _small_differences(two, one) == [], query
    # The same on the page: the two-week total shows as 6+ ("plus small weeks"), never 9.
    page = client.get("/statistics?weeks=2&group=topic").text
    assert '<td class="num" data-event="request">6+</td>' in page
    assert 'data-event="request">9<' not in page
    # Grouped by week the small week is "<5", as it always was.
    weekly = client.get("/statistics/export.csv?weeks=2&group=week").text
    assert "<5" in weekly and ",3," not in weekly


def test_the_help_missing_ranking_cannot_be_differenced_either(client, context) -> None:
    _seed(context, weeks_ago=2, times=2, event=Event.SEARCH_EMPTY)
    _seed(context, weeks_ago=0, times=7, event=Event.SEARCH_EMPTY)
    login(client, "admin")
    one = _numbers(client, "/statistics/missing.csv?weeks=1")
    three = _numbers(client, "/statistics/missing.csv?weeks=3")
    assert _small_differences(three, one) == []


def test_grades_of_a_small_week_do_not_leak_through_the_average(client, context) -> None:
    with context.database.session() as session:
        for weeks_ago, grade, times in ((0, 8, 5), (1, 2, 3)):
            session.add(FeedbackTally(
                week=iso_week(context.clock() - timedelta(weeks=weeks_ago)), source="request",
                topic="grief", language="fa", municipality_code=TILBURG, measure="grade",
                value=str(grade), count=times))
    login(client, "admin")
    means = [re.search(r"Gemiddeld cijfer: ([^<]+)<", client.get(
        f"/statistics?weeks={weeks}").text).group(1).strip() for weeks in (1, 2)]
    # Without the rule the two-week average would be 5.8, and with the counts (5 and 8)
    # the three grades of 2 would follow from it.
    assert means == ["8.0", "8.0"]
