"""Issue 13 finding 8 and the Build bullet: the login throttle.

Attackers: someone on the internet guessing passwords (from one address, or from several
dashboard processes behind a load balancer), someone who wants to know which usernames
exist, and someone who wants to keep a coordinator out by failing logins in their name.
"""

from __future__ import annotations

import re
from datetime import timedelta

from dashboard_app import client_from, clock_fixture, context_fixture  # noqa: F401 - fixtures
from sqlalchemy import func, select
from web.dashboard_helpers import login

from bot.staff import throttle
from bot.staff.models import LoginThrottle

ATTACKER = "198.51.100.66"
WRONG = "not the password at all"
_ALERT = re.compile(r'role="alert"[^>]*>([^<]*)<')


def _answer(response) -> tuple[int, str]:
    """What a visitor learns from a failed login: the status and the message shown."""
    match = _ALERT.search(response.text)
    return response.status_code, match.group(1).strip() if match else ""


def test_two_dashboard_processes_share_the_throttle(context) -> None:
    # Two app objects on the same database: what two processes behind a balancer are.
    with client_from(context, ATTACKER) as first, client_from(context, ATTACKER) as second:
        limit = context.settings.web_login_max_failures
        answers = [_answer(login(first if n % 2 else second, "nobody", WRONG))
                   for n in range(limit)]
        assert [status for status, _ in answers] == [401] * (limit - 1) + [429]
        # Blocked in both processes.
        assert login(first, "nobody", WRONG).status_code == 429
        assert login(second, "nobody", WRONG).status_code == 429


def test_known_and_unknown_usernames_get_the_same_answers(context) -> None:
    limit = context.settings.web_login_max_failures
    seen = {}
    for name, address in (("tilburg", "198.51.100.1"), ("no-such-user", "198.51.100.2")):
        with client_from(context, address) as client:
            seen[name] = [_answer(login(client, name, WRONG)) for _ in range(limit + 2)]
    assert seen["tilburg"] == seen["no-such-user"]
    assert seen["tilburg"][0] == (401, "Onjuiste gebruikersnaam of wachtwoord.")
    assert seen["tilburg"][-1][0] == 429
    # Seen from a third address, the attacked account answers like one that does not exist:
    # no lockout tells that "tilburg" is a real name.
    with client_from(context, "198.51.100.3") as client:
        assert _answer(login(client, "tilburg", WRONG)) == \
            _answer(login(client, "no-such-user", WRONG))


def test_failing_logins_in_someones_name_does_not_lock_them_out(context) -> None:
    with client_from(context, ATTACKER) as attacker:
        for _ in range(3 * context.settings.web_login_max_failures):
            login(attacker, "tilburg", WRONG)
        assert login(attacker, "tilburg").status_code == 429  # the attacker is stopped
    with client_from(context, "192.0.2.10") as coordinator:
        assert login(coordinator, "tilburg").status_code == 303  # the coordinator is not


def test_blocks_grow_exponentially_and_end(context, clock) -> None:
    with client_from(context, ATTACKER) as client:
        for _ in range(context.settings.web_login_max_failures):
            login(client, "tilburg", WRONG)
        first = timedelta(seconds=context.settings.web_login_backoff_seconds)
        assert login(client, "tilburg").status_code == 429  # the right password waits too
        clock.advance(seconds=first.total_seconds() + 1)
        assert login(client, "tilburg", WRONG).status_code == 429  # one more: twice as long
        clock.advance(seconds=first.total_seconds() + 1)
        assert login(client, "tilburg").status_code == 429
        clock.advance(seconds=first.total_seconds())
        assert login(client, "tilburg").status_code == 303


def _rows(context) -> int:
    with context.database.session() as session:
        return session.scalar(select(func.count()).select_from(LoginThrottle))


def test_the_throttle_table_stays_bounded_and_holds_no_names(context, clock) -> None:
    policy = throttle.ThrottlePolicy.from_settings(context.settings)
    policy = throttle.ThrottlePolicy(**{**policy.__dict__, "max_rows": 40})
    with context.database.session() as session:
        for number in range(100):
            throttle.failed(session, f"guess{number}", f"203.0.113.{number}",
                            now=clock(), policy=policy)
    assert _rows(context) <= 40
    with context.database.session() as session:
        keys = list(session.scalars(select(LoginThrottle.key)))
    assert not any("guess" in key or "203.0.113" in key for key in keys)
    # After the memory period the next failure clears every old row.
    clock.advance(hours=context.settings.web_login_memory_hours, seconds=1)
    with context.database.session() as session:
        throttle.failed(session, "late", "203.0.113.250", now=clock(), policy=policy)
    assert _rows(context) == 2  # the new pair and its address
    # Through the web as well: the setting bounds the table.
    context.settings.web_login_throttle_rows = 6
    for number in range(5):
        with client_from(context, f"192.0.2.{number + 100}") as client:
            login(client, f"someone{number}", WRONG)
    assert _rows(context) <= 6


def test_ipv6_addresses_count_per_64_network() -> None:
    assert throttle.source_key("2001:db8:1:2::1") == throttle.source_key("2001:db8:1:2:ffff::9")
    assert throttle.source_key("2001:db8:1:2::1") != throttle.source_key("2001:db8:1:3::1")
    assert throttle.source_key("192.0.2.1") != throttle.source_key("192.0.2.2")
