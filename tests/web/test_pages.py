"""Directory management, import with row-level problems, facilitators, feeds, language."""

from __future__ import annotations

from sqlalchemy import select
from web.dashboard_helpers import TILBURG_ORG, csrf_of, login

from bot.audit.models import AuditEvent
from bot.directory.models import Service
from bot.directory.search import find_services


def _first_service(context, organisation_id: str, kind: str = "peer_group") -> Service:
    with context.database.session() as session:
        return session.scalars(select(Service).where(Service.organisation_id == organisation_id,
                                                     Service.kind == kind)).first()


def test_editing_a_service_validates_like_an_import_and_is_audited(client, context) -> None:
    service = _first_service(context, TILBURG_ORG)
    login(client, "tilburg")
    form_page = client.get(f"/directory/services/{service.id}")
    assert form_page.status_code == 200
    data = {"csrf_token": csrf_of(form_page.text), "service_id": service.id,
            "organisation_id": TILBURG_ORG, "name": "Samen verder (demo)", "kind": "peer_group",
            "status": "active", "email": "not-an-email", "topics": ["grief"],
            "languages": ["nl", "fa"], "in_person": "true", "cost": "free",
            "join_mode": "just_come"}
    refused = client.post("/directory/services", data=data)
    assert refused.status_code == 422 and "email" in refused.text
    saved = client.post("/directory/services", data={**data, "email": "groep@example.org"},
                        follow_redirects=False)
    assert saved.status_code == 303
    with context.database.session() as session:
        stored = session.get(Service, service.id)
        assert stored.name == "Samen verder (demo)" and stored.language_codes == ["fa", "nl"]
        assert session.scalar(select(AuditEvent.action).where(
            AuditEvent.action == "service.update")) == "service.update"


def test_a_coordinator_cannot_edit_another_organisations_service(client, context) -> None:
    with context.database.session() as session:
        other = session.scalars(
            select(Service).where(Service.organisation_id != TILBURG_ORG)).first()
    login(client, "tilburg")
    assert client.get(f"/directory/services/{other.id}").status_code == 404


def test_an_import_with_errors_lists_every_problem_row_by_row_and_changes_nothing(client) -> None:
    login(client, "admin")
    csrf = csrf_of(client.get("/directory/import").text)
    body = (b"organisation,name,kind,topics,languages\n"
            b"Demo org,Groep A,peer_group,grief,nl\n"
            b"Demo org,Groep B,not_a_kind,grief,nl\n"
            b"Demo org,Groep C,peer_group,sadness,xx\n")
    response = client.post("/directory/import", data={"csrf_token": csrf},
                           files={"file": ("groups.csv", body, "text/csv")})
    assert response.status_code == 422
    assert "row 3" in response.text and "row 4" in response.text
    assert "Groep A" not in client.get("/directory").text


def test_facilitator_invitations_come_with_a_link_and_qr_code(client, context) -> None:
    service = _first_service(context, TILBURG_ORG)
    login(client, "tilburg")
    page = client.get("/facilitators")
    assert page.status_code == 200 and "data:image/svg+xml" in page.text
    created = client.post("/facilitators/invite", data={"csrf_token": csrf_of(page.text),
                                                        "group_id": service.id})
    assert created.status_code == 200
    assert "https://t.me/" in created.text and "?start=inv_" in created.text


def test_the_calendar_feeds_are_mounted_and_public(client, context) -> None:
    with context.database.session() as session:
        outcome = find_services(session, kind="peer_group", limit=1, now=context.clock())
    response = client.get(f"/feeds/groups/{outcome.results[0].card.id}.ics")
    assert response.status_code == 200 and "BEGIN:VCALENDAR" in response.text


def test_the_interface_switches_between_dutch_and_english(client) -> None:
    login(client, "admin")
    assert "Anonieme vragen" in client.get("/requests").text
    client.get("/language/en?next=/requests")
    assert "Anonymous requests" in client.get("/requests").text
    assert client.get("/language/en?next=//evil.example", follow_redirects=False
                      ).headers["location"] == "/"
