"""Issue 13 finding 8: sessions had no idle timeout, and the dashboard sent no HSTS behind TLS.

Attackers: someone at a shared computer where a coordinator walked away still logged in, and
someone on the network path who strips TLS from a later visit (sslstrip) to read the cookie.
"""

from __future__ import annotations

from dashboard_app import client_fixture, clock_fixture, context_fixture  # noqa: F401 - fixtures
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web.dashboard_helpers import login

from bot.staff.models import StaffSession
from bot.web.app import create_app


def _logged_in(client) -> bool:
    return client.get("/requests", follow_redirects=False).status_code == 200


def test_a_session_left_alone_ends_after_the_idle_timeout(client, context, clock) -> None:
    idle = context.settings.web_session_idle_minutes
    assert login(client, "tilburg").status_code == 303
    clock.advance(minutes=idle - 1)
    assert _logged_in(client)  # in use: still there, and the idle time starts again
    clock.advance(minutes=idle - 1)
    assert _logged_in(client)
    clock.advance(minutes=idle + 1)
    response = client.get("/requests", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    with context.database.session() as session:  # and the stale session is gone
        assert session.scalar(select(func.count()).select_from(StaffSession)) == 0


def test_a_busy_session_still_ends_after_its_lifetime(client, context, clock) -> None:
    login(client, "tilburg")
    step = context.settings.web_session_idle_minutes / 2
    used = 0.0
    while used + step < context.settings.web_session_hours * 60:
        clock.advance(minutes=step)
        used += step
        assert _logged_in(client)
    clock.advance(minutes=step)
    assert not _logged_in(client)


def test_hsts_is_sent_when_cookies_are_secure(context) -> None:
    context.settings.web_secure_cookies = True
    with TestClient(create_app(context), base_url="https://127.0.0.1") as secure:
        for path in ("/login", "/healthz"):
            header = secure.get(path).headers.get("strict-transport-security", "")
            assert header.startswith("max-age="), path
            assert int(header.removeprefix("max-age=").split(";")[0]) >= 365 * 24 * 3600
        redirect = login(secure, "admin")
        assert "strict-transport-security" in redirect.headers


def test_no_hsts_on_plain_http(client) -> None:
    # Without TLS (development) the header would be ignored at best; it is not sent.
    assert "strict-transport-security" not in client.get("/login").headers
