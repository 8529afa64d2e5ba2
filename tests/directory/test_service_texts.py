"""Descriptions and how-to-join texts per language (product.md, "What a group listing carries").

A reader sees their own language where the group wrote one, Dutch otherwise, and a Dutch text
shown to a reader of another language is marked as Dutch. Texts travel through CSV and HSDS
(as attributes of the ``steunwijzer-texts`` taxonomy) and back exactly; a malformed language
code is refused with its location. Real databases: SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.db.session import Database
from bot.dialogue import render
from bot.directory.csv_format import COLUMNS, TEXT_COLUMNS, export_csv
from bot.directory.formats import import_file
from bot.directory.hsds import TEXT_TAXONOMY, dumps, export_hsds, validate_service
from bot.directory.importer import ImportReport
from bot.directory.models import Organisation, Service, ServiceText
from bot.directory.records import service_id_for
from bot.directory.search import find_services, get_service_card
from bot.i18n.formatting import FSI, PDI

ZONE = ZoneInfo("Europe/Amsterdam")  # the default STEUNWIJZER_TIMEZONE: times below are Dutch

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
TILBURG = "GM0855"
ORG = "Testwelzijn Tilburg"
FARSI_GROUP = "Rouwgroep Farsitalig Tilburg (test)"
DUTCH_GROUP = "Rouwgroep Tilburg (test)"
TURKISH_GROUP = "Rouwgroep Turkstalig Tilburg (test)"

FA_DESCRIPTION = "دربارهٔ از دست دادن عزیزان با کسانی حرف می‌زنیم که این درد را می‌شناسند."
FA_JOIN = "لطفاً اول برای ما ایمیل بفرستید تا پیش از اولین جلسه با هم آشنا شویم."
EN_DESCRIPTION = "We talk about loss with people who know it."
TR_DESCRIPTION = "Kaybı yaşamış insanlarla kayıp üzerine konuşuyoruz."

CSV = (
    "organisation,name,kind,topics,languages,municipalities,join_mode,description,"
    "description_fa,description_TR,description_en,how_to_join,how_to_join_fa\n"
    f"{ORG},{FARSI_GROUP},peer_group,grief,fa;nl,Tilburg,contact_first,"
    f"Praten over verlies in het Farsi.,{FA_DESCRIPTION},,{EN_DESCRIPTION},"
    f"Stuur eerst een mailtje.,{FA_JOIN}\n"
    f"{ORG},{DUTCH_GROUP},peer_group,grief,nl,Tilburg,just_come,"
    "Praten over verlies.,,,,Loop gewoon binnen.,\n"
    f"{ORG},{TURKISH_GROUP},peer_group,grief,tr;nl,Tilburg,just_come,"
    f"Praten over verlies in het Turks.,,{TR_DESCRIPTION},,Loop gewoon binnen.,\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(db: Database, path: Path) -> ImportReport:
    with db.session() as session:
        return import_file(session, path)


@pytest.fixture
def groups(database: Database, tmp_path: Path) -> Database:
    """Three grief groups in Tilburg: Farsi (fa + en texts), Dutch only, Turkish (tr text)."""
    report = _import(database, _write(tmp_path, "groups.csv", CSV))
    assert report.ok, report
    return database


def _id(name: str) -> str:
    return service_id_for(ORG, name)


def _texts(db: Database) -> set[tuple[str, str, str]]:
    with db.session() as session:
        rows = session.execute(select(ServiceText.service_id, ServiceText.language,
                                      ServiceText.field))
        return {(sid, language, field) for sid, language, field in rows}


# --------------------------------------------------------------------------- storage


def test_csv_texts_are_stored_per_language(groups: Database) -> None:
    assert _texts(groups) == {
        (_id(FARSI_GROUP), "fa", "description"),
        (_id(FARSI_GROUP), "fa", "how_to_join"),
        (_id(FARSI_GROUP), "en", "description"),
        (_id(TURKISH_GROUP), "tr", "description"),  # the column was description_TR
    }
    with groups.session() as session:
        farsi = session.get(Service, _id(FARSI_GROUP))
        assert farsi is not None
        assert farsi.description == "Praten over verlies in het Farsi."  # Dutch stays on service
        texts = {(t.language, t.field): t.text for t in farsi.texts}
        assert texts[("fa", "how_to_join")] == FA_JOIN


def test_a_text_row_is_unique_per_language_and_field_and_goes_with_its_service(
    groups: Database,
) -> None:
    with pytest.raises(IntegrityError), groups.session() as session:
        session.add(ServiceText(service_id=_id(FARSI_GROUP), language="fa", field="description",
                                text="twice"))
        session.flush()
    with pytest.raises(IntegrityError), groups.session() as session:
        session.add(ServiceText(service_id=_id(DUTCH_GROUP), language="fa", field="name",
                                text="not a translatable field"))
        session.flush()
    with groups.session() as session:
        # A database-level delete: the foreign key cascades, not only the ORM.
        session.execute(delete(Service).where(Service.id == _id(FARSI_GROUP)))
    assert {sid for sid, _language, _field in _texts(groups)} == {_id(TURKISH_GROUP)}
    with groups.session() as session:
        session.execute(delete(Organisation))
    assert _texts(groups) == set()


# --------------------------------------------------------------------------- what a reader sees


def _search(db: Database, language: str) -> dict[str, object]:
    with db.session() as session:
        outcome = find_services(session, topic="grief", municipality_code=TILBURG,
                                language=language, now=NOW)
    return {result.card.name: result.card for result in outcome.results}


def test_a_farsi_reader_gets_the_farsi_how_to_join_and_description(groups: Database) -> None:
    card = _search(groups, "fa")[FARSI_GROUP]
    assert (card.how_to_join, card.how_to_join_language) == (FA_JOIN, "fa")
    assert (card.description, card.description_language) == (FA_DESCRIPTION, "fa")
    text = render.service_card_text("fa", card, ZONE)
    assert f"({FSI}{FA_JOIN}{PDI})" in text
    assert "(به هلندی)" not in text and "Stuur eerst" not in text
    [page] = render.group_detail("fa", card, [], ZONE)
    assert f"<i>{FSI}{FA_DESCRIPTION}{PDI}</i>" in page.text
    assert "Praten over verlies" not in page.text


def test_a_turkish_reader_of_a_dutch_only_group_gets_dutch_marked_as_dutch(
    groups: Database,
) -> None:
    card = _search(groups, "tr")[DUTCH_GROUP]
    assert (card.description, card.description_language) == ("Praten over verlies.", "nl")
    assert card.how_to_join_language == "nl"
    [page] = render.group_detail("tr", card, [], ZONE)
    assert "<i>Praten over verlies.</i> (Hollandaca)" in page.text
    assert "(Loop gewoon binnen.) (Hollandaca)" in page.text


def test_a_farsi_reader_gets_a_dutch_text_isolated_and_marked(groups: Database) -> None:
    with groups.session() as session:
        card = get_service_card(session, _id(DUTCH_GROUP), NOW, language="fa")
    assert card is not None
    [page] = render.group_detail("fa", card, [], ZONE)
    assert f"<i>{FSI}Praten over verlies.{PDI}</i> (به هلندی)" in page.text
    assert f"({FSI}Loop gewoon binnen.{PDI}) (به هلندی)" in page.text


def test_each_field_falls_back_to_dutch_on_its_own(groups: Database) -> None:
    card = _search(groups, "tr")[TURKISH_GROUP]
    assert (card.description_language, card.how_to_join_language) == ("tr", "nl")
    [page] = render.group_detail("tr", card, [], ZONE)
    assert f"<i>{TR_DESCRIPTION}</i>" in page.text
    assert f"<i>{TR_DESCRIPTION}</i> (" not in page.text  # no mark on the reader's language
    assert "(Loop gewoon binnen.) (Hollandaca)" in page.text
    english = _search(groups, "en")[FARSI_GROUP]
    [page] = render.group_detail("en", english, [], ZONE)
    assert f"<i>{EN_DESCRIPTION}</i>" in page.text
    assert "(Stuur eerst een mailtje.) (in Dutch)" in page.text


def test_a_dutch_reader_sees_the_dutch_texts_unmarked(groups: Database) -> None:
    card = _search(groups, "nl")[FARSI_GROUP]
    assert card.description == "Praten over verlies in het Farsi."
    [page] = render.group_detail("nl", card, [], ZONE)
    assert "Stuur eerst een mailtje." in page.text and "Nederlands)" not in page.text
    assert FA_DESCRIPTION not in page.text


def test_the_renderer_picks_the_readers_language_from_any_card(groups: Database) -> None:
    """A card loaded without a language (as the group page is) still carries every text."""
    with groups.session() as session:
        card = get_service_card(session, _id(FARSI_GROUP), NOW)
    assert card is not None and card.description_language == "nl"
    [page] = render.group_detail("fa", card, [], ZONE)
    assert FA_DESCRIPTION in page.text and FA_JOIN in page.text
    assert card.in_language("fa").how_to_join == FA_JOIN
    assert card.in_language("ar").how_to_join == "Stuur eerst een mailtje."
    assert card.in_language("ar").how_to_join_language == "nl"


# --------------------------------------------------------------------------- CSV


def test_csv_export_has_a_column_per_text_and_reimports_unchanged(
    groups: Database, tmp_path: Path
) -> None:
    with groups.session() as session:
        text = export_csv(session)
    header = text.splitlines()[0].split(",")
    assert header == list(COLUMNS)
    assert header.index("description_tr") == header.index("description") + 1
    assert header.index("how_to_join_tr") == header.index("how_to_join") + 1
    assert set(TEXT_COLUMNS) <= set(header)
    assert FA_JOIN in text and TR_DESCRIPTION in text
    report = _import(groups, _write(tmp_path, "again.csv", text))
    assert report.ok, report
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_csv_changing_or_clearing_a_text_is_one_update(groups: Database, tmp_path: Path) -> None:
    changed = CSV.replace(FA_JOIN, "لطفاً قبل از آمدن ایمیل بزنید.").replace(TR_DESCRIPTION, "")
    report = _import(groups, _write(tmp_path, "changed.csv", changed))
    assert report.ok, report
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    assert (_id(TURKISH_GROUP), "tr", "description") not in _texts(groups)
    with groups.session() as session:
        row = session.get(ServiceText, (_id(FARSI_GROUP), "fa", "how_to_join"))
        assert row is not None and row.text == "لطفاً قبل از آمدن ایمیل بزنید."


def test_csv_malformed_language_codes_are_refused_with_their_column(
    database: Database, tmp_path: Path
) -> None:
    text = (
        "organisation,name,kind,description_farsi,how_to_join_nl,description_de,description_,"
        "description_fa,description_FA\n"
        f"{ORG},Groep (test),peer_group,a,b,c,d,e,f\n"
    )
    report = _import(database, _write(tmp_path, "bad.csv", text))
    assert not report.ok
    problems = report.problem_lines()
    assert any(p.startswith("row 1, column description_farsi: bad language code 'farsi'")
               for p in problems), problems
    assert any(p.startswith("row 1, column how_to_join_nl: 'nl' is the main language")
               for p in problems), problems
    assert any(p.startswith("row 1, column description_de: texts can be given in tr, fa, ar, en")
               for p in problems), problems
    assert "row 1, column description_: missing language code" in problems
    assert "row 1, column description_FA: the same text as column description_fa" in problems
    assert not any("unknown column" in p for p in problems)
    assert _texts(database) == set()


# --------------------------------------------------------------------------- HSDS


def _exported(db: Database) -> list[dict]:
    with db.session() as session:
        return export_hsds(session)


def _text_attributes(service: dict) -> dict[str, str]:
    return {a["taxonomy_term"]["code"]: a["value"] for a in service["attributes"]
            if a["taxonomy_term"]["taxonomy"] == TEXT_TAXONOMY}


def test_hsds_carries_texts_as_attributes_and_stays_schema_valid(groups: Database) -> None:
    services = {s["name"]: s for s in _exported(groups)}
    farsi = services[FARSI_GROUP]
    assert validate_service(farsi) == []
    assert farsi["description"] == "Praten over verlies in het Farsi."  # core field: Dutch
    assert farsi["application_process"] == "Stuur eerst een mailtje."
    assert _text_attributes(farsi) == {
        "description:en": EN_DESCRIPTION,
        "description:fa": FA_DESCRIPTION,
        "application_process:fa": FA_JOIN,
    }
    assert _text_attributes(services[DUTCH_GROUP]) == {}
    assert all(validate_service(s) == [] for s in services.values())


def test_hsds_round_trip_with_texts_is_exact(groups: Database, tmp_path: Path) -> None:
    before = dumps(_exported(groups))
    with groups.session() as session:
        session.execute(delete(Organisation))
    assert _texts(groups) == set()
    report = _import(groups, _write(tmp_path, "directory.json", before))
    assert report.ok, report
    assert report.created == 3
    assert dumps(_exported(groups)) == before
    again = _import(groups, _write(tmp_path, "directory.json", before))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_hsds_malformed_texts_are_refused_with_their_json_path(
    groups: Database, tmp_path: Path
) -> None:
    services = _exported(groups)
    index = next(i for i, s in enumerate(services) if s["name"] == FARSI_GROUP)
    attributes = services[index]["attributes"]
    at = {a["taxonomy_term"]["code"]: i for i, a in enumerate(attributes)}
    attributes[at["description:fa"]]["taxonomy_term"]["code"] = "description:farsi"
    attributes[at["description:en"]]["taxonomy_term"]["code"] = "summary:en"
    attributes[at["application_process:fa"]]["value"] = " "
    duplicate = json.loads(json.dumps(attributes[at["application_process:fa"]]))
    duplicate["taxonomy_term"]["code"] = "application_process:nl"
    attributes.append(duplicate)
    before = _texts(groups)

    report = _import(groups, _write(tmp_path, "bad.json", json.dumps(services)))
    assert not report.ok
    problems = report.problem_lines()
    path = f"$[{index}].attributes"
    assert any(p.startswith(f"{path}[{at['description:fa']}].taxonomy_term.code: "
                            "bad language code 'farsi'") for p in problems), problems
    assert any(p.startswith(f"{path}[{at['description:en']}].taxonomy_term.code: "
                            "unknown text 'summary:en'") for p in problems), problems
    assert f"{path}[{at['application_process:fa']}].value: missing text" in problems
    assert any(p.startswith(f"{path}[{len(attributes) - 1}].taxonomy_term.code: "
                            "'nl' is the main language") for p in problems), problems
    assert _texts(groups) == before


def test_hsds_two_texts_for_one_field_and_language_are_refused(
    groups: Database, tmp_path: Path
) -> None:
    services = _exported(groups)
    index = next(i for i, s in enumerate(services) if s["name"] == FARSI_GROUP)
    attributes = services[index]["attributes"]
    first = next(i for i, a in enumerate(attributes)
                 if a["taxonomy_term"]["code"] == "application_process:fa")
    copy = json.loads(json.dumps(attributes[first])) | {"value": "یک متن دیگر"}
    attributes.append(copy)
    report = _import(groups, _write(tmp_path, "twice.json", json.dumps(services)))
    assert not report.ok
    assert any(p.startswith(f"$[{index}].attributes[{len(attributes) - 1}]: more than one "
                            "application_process text in 'fa'") and f"[{first}]" in p
               for p in report.problem_lines()), report.problem_lines()
