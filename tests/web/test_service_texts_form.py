"""The service form edits the description and how-to-join text per language too."""

from __future__ import annotations

from sqlalchemy import select
from web.dashboard_helpers import TILBURG_ORG, csrf_of, login

from bot.directory.models import Service, ServiceText


def _farsi_group(context) -> Service:
    with context.database.session() as session:
        return session.scalars(select(Service).where(
            Service.organisation_id == TILBURG_ORG, Service.kind == "peer_group",
            Service.name.like("Rouwgroep Farsitalig%"))).one()


def _texts(context, service_id: str) -> dict[tuple[str, str], str]:
    with context.database.session() as session:
        rows = session.scalars(select(ServiceText).where(ServiceText.service_id == service_id))
        return {(row.language, row.field): row.text for row in rows}


def test_the_form_shows_and_saves_texts_per_language(client, context) -> None:
    group = _farsi_group(context)
    before = _texts(context, group.id)
    assert ("fa", "description") in before  # the demo writes Farsi groups' texts in Farsi
    login(client, "tilburg")
    page = client.get(f"/directory/services/{group.id}")
    assert page.status_code == 200
    assert 'name="description_fa"' in page.text and 'name="how_to_join_tr"' in page.text
    assert 'lang="fa" dir="rtl"' in page.text and 'lang="tr" dir="ltr"' in page.text
    assert before[("fa", "description")] in page.text
    assert "Beschrijving in het Perzisch" in page.text  # the dashboard speaks Dutch first

    data = {"csrf_token": csrf_of(page.text), "service_id": group.id,
            "organisation_id": TILBURG_ORG, "name": group.name, "kind": "peer_group",
            "status": "active", "topics": ["grief"], "languages": ["fa", "nl"],
            "in_person": "true", "cost": "free", "join_mode": group.join_mode,
            "description": group.description, "how_to_join": group.how_to_join or "",
            "description_fa": "متن تازهٔ گروه دربارهٔ خودش.", "how_to_join_fa": "",
            "how_to_join_en": "Just come along."}
    saved = client.post("/directory/services", data=data, follow_redirects=False)
    assert saved.status_code == 303
    after = _texts(context, group.id)
    assert after[("fa", "description")] == "متن تازهٔ گروه دربارهٔ خودش."
    assert ("fa", "how_to_join") not in after  # emptied: a Farsi reader now sees the Dutch
    assert after[("en", "how_to_join")] == "Just come along."


def test_a_form_without_the_language_fields_keeps_the_texts(client, context) -> None:
    group = _farsi_group(context)
    before = _texts(context, group.id)
    login(client, "tilburg")
    page = client.get(f"/directory/services/{group.id}")
    data = {"csrf_token": csrf_of(page.text), "service_id": group.id,
            "organisation_id": TILBURG_ORG, "name": group.name, "kind": "peer_group",
            "status": "active", "topics": ["grief"], "languages": ["fa", "nl"],
            "in_person": "true", "cost": "free", "join_mode": group.join_mode}
    assert client.post("/directory/services", data=data,
                       follow_redirects=False).status_code == 303
    assert _texts(context, group.id) == before
