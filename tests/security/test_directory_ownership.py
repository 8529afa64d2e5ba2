"""Issue 13 finding 4: a coordinator of another organisation must not take over services by
importing a file, nor download the services of other organisations.

The attacker is the coordinator of Tilburg; the victim is the organisation of Utrecht. The
file names the attacker's own organisation (which the old check looked at) but carries the id
of one of Utrecht's services.
"""

from __future__ import annotations

import csv
import io
import json

from dashboard_app import client_fixture, clock_fixture, context_fixture  # noqa: F401 - fixtures
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from web.dashboard_helpers import TILBURG_ORG, UTRECHT_ORG, csrf_of, login

from bot.audit.models import AuditEvent
from bot.directory import csv_format, hsds
from bot.directory.models import Organisation, Service
from bot.directory.store import municipality_info, service_record

TAKEN_OVER = "Overgenomen door Tilburg"


def _victim(context) -> Service:
    """One of Utrecht's services, with its organisation loaded."""
    with context.database.session() as session:
        return session.scalars(
            select(Service).options(selectinload(Service.organisation))
            .where(Service.organisation_id == UTRECHT_ORG).order_by(Service.id)
        ).first()


def _as_attackers(context, victim: Service) -> dict[str, str]:
    """The victim's row, renamed and placed under the attacker's own organisation."""
    with context.database.session() as session:
        mine = session.get(Organisation, TILBURG_ORG)
        service = session.get(Service, victim.id)
        row = csv_format.record_to_row(service_record(service))
    row.update(organisation_id=mine.id, organisation=mine.name,
               organisation_description=mine.description or "", organisation_url=mine.url or "",
               organisation_email=mine.email or "", organisation_phone=mine.phone or "",
               name=TAKEN_OVER)
    return row


def _csv(rows: list[dict[str, str]]) -> bytes:
    """A CSV file as a spreadsheet would save it (the export's columns)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_format.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _upload(client, name: str, body: bytes):
    csrf = csrf_of(client.get("/directory/import").text)
    return client.post("/directory/import", data={"csrf_token": csrf},
                       files={"file": (name, body, "text/plain")})


def _owner_and_name(context, service_id: str) -> tuple[str, str]:
    with context.database.session() as session:
        service = session.get(Service, service_id)
        return service.organisation_id, service.name


def _import_audits(context) -> list[str]:
    with context.database.session() as session:
        return list(session.scalars(select(AuditEvent.action)
                                    .where(AuditEvent.action.like("directory.import%"))))


def test_a_csv_import_cannot_take_over_another_organisations_service(client, context) -> None:
    victim = _victim(context)
    body = _csv([_as_attackers(context, victim)])
    login(client, "tilburg")
    response = _upload(client, "mine.csv", body)
    # Refused, with the row and column of the foreign id, and nothing written.
    assert response.status_code == 422
    assert "row 2, column id" in response.text
    assert "This service belongs to another organisation." in response.text
    assert _owner_and_name(context, victim.id) == (UTRECHT_ORG, victim.name)
    assert _import_audits(context) == ["directory.import_refused"]


def test_an_hsds_import_cannot_take_over_another_organisations_service(client, context) -> None:
    victim = _victim(context)
    with context.database.session() as session:
        mine = session.get(Organisation, TILBURG_ORG)
        service = session.get(Service, victim.id)
        document = hsds.service_to_hsds(service_record(service), municipality_info(session))
    document["organization"] = {**document["organization"], "id": mine.id, "name": mine.name}
    document["name"] = TAKEN_OVER
    login(client, "tilburg")
    response = _upload(client, "mine.json", json.dumps([document]).encode())
    assert response.status_code == 422
    assert "$[0].id" in response.text
    assert _owner_and_name(context, victim.id) == (UTRECHT_ORG, victim.name)


def test_an_admin_may_still_import_any_service(client, context) -> None:
    victim = _victim(context)
    row = _as_attackers(context, victim)
    row.update(organisation_id=victim.organisation_id, organisation=victim.organisation.name,
               organisation_description=victim.organisation.description or "",
               organisation_url=victim.organisation.url or "",
               organisation_email=victim.organisation.email or "",
               organisation_phone=victim.organisation.phone or "")
    login(client, "admin")
    response = _upload(client, "fix.csv", _csv([row]))
    assert response.status_code == 200, response.text
    assert _owner_and_name(context, victim.id) == (UTRECHT_ORG, TAKEN_OVER)


def _exported_ids(client, fmt: str) -> set[str]:
    response = client.get(f"/directory/export.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        return {row["id"] for row in csv.DictReader(io.StringIO(response.text))}
    return {service["id"] for service in json.loads(response.text)}


def _ids_of(context, organisation_id: str | None = None) -> set[str]:
    with context.database.session() as session:
        query = select(Service.id)
        if organisation_id:
            query = query.where(Service.organisation_id == organisation_id)
        return set(session.scalars(query))


def test_the_export_holds_only_the_coordinators_own_services(client, context) -> None:
    mine, theirs = _ids_of(context, TILBURG_ORG), _ids_of(context, UTRECHT_ORG)
    assert mine and theirs
    login(client, "tilburg")
    for fmt in ("csv", "json"):
        assert _exported_ids(client, fmt) == mine, fmt
    client.cookies.clear()
    login(client, "admin")
    with context.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Service)) == len(_ids_of(context))
    for fmt in ("csv", "json"):
        assert _exported_ids(client, fmt) == _ids_of(context), fmt
