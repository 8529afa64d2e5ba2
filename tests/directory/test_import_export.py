"""Import and export: HSDS 3.0 validity, exact round trips, all-or-nothing imports, idempotency."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.db.session import Database
from bot.directory.csv_format import COLUMNS, export_csv
from bot.directory.formats import (
    ImportFormatError,
    import_demo,
    import_file,
    sync_national_lines,
)
from bot.directory.hsds import SCHEMA_PATH, dumps, export_hsds
from bot.directory.importer import ImportReport
from bot.directory.models import (
    Location,
    Meeting,
    Organisation,
    Schedule,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceTopic,
)
from bot.directory.records import ImportProblem, service_id_for

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_SCHEMA = Path("/work/shared/hsds-3.0/schema/service_with_definitions.json")
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
TABLES = (Meeting, Schedule, Location, ServiceArea, ServiceLanguage, ServiceTopic, Service,
          Organisation)  # fmt: skip


def _counts(session: Session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in TABLES
    }


def _state(db: Database) -> tuple[dict[str, int], str, list[tuple[str, datetime]]]:
    """Everything an import could change: row counts, the full export, meeting times."""
    with db.session() as session:
        meetings = list(session.execute(select(Meeting.id, Meeting.starts_at)).tuples())
        return _counts(session), dumps(export_hsds(session)), sorted(meetings)


def _wipe(db: Database) -> None:
    with db.session() as session:
        for model in TABLES:
            session.execute(delete(model))


def _import(db: Database, path: Path) -> ImportReport:
    with db.session() as session:
        return import_file(session, path)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- HSDS validity


def test_vendored_schema_is_the_shared_hsds_schema() -> None:
    if not SHARED_SCHEMA.exists():
        pytest.skip("shared HSDS schema not present on this machine")
    assert json.loads(SCHEMA_PATH.read_text()) == json.loads(SHARED_SCHEMA.read_text())


def test_every_exported_demo_service_validates_against_hsds(database: Database) -> None:
    with database.session() as session:
        assert import_demo(session, NOW).ok
    with database.session() as session:
        services = export_hsds(session)
        total = session.scalar(select(func.count()).select_from(Service))
    schema = json.loads((SHARED_SCHEMA if SHARED_SCHEMA.exists() else SCHEMA_PATH).read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert len(services) == total > 250
    for service in services:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(service)]
        assert errors == [], service["name"]
    # Spot-check the mapping of one group.
    group = next(s for s in services if s["name"].startswith("Rouwgroep Turkstalig Tilburg"))
    schedule = group["schedules"][0]
    assert {"freq", "interval", "dtstart", "opens_at", "closes_at", "description"} <= set(schedule)
    rrule = [a["value"] for a in schedule["attributes"] if a["taxonomy_term"]["code"] == "rrule"]
    assert rrule and rrule[0].startswith("FREQ=")
    assert group["service_areas"][0]["name"] == "Tilburg"
    assert group["service_at_locations"][0]["location"]["addresses"][0]["country"] == "NL"
    codes = {a["taxonomy_term"]["code"] for a in group["attributes"]}
    assert {"peer_group", "grief", "women_only", "national", "led_by", "join_mode"} <= codes


def test_export_is_json_serialisable_and_stable(database: Database) -> None:
    with database.session() as session:
        import_demo(session, NOW)
    with database.session() as session:
        first = dumps(export_hsds(session))
    with database.session() as session:
        assert dumps(export_hsds(session)) == first
    json.loads(first)


# --------------------------------------------------------------------------- round trips


def test_hsds_round_trip_is_exact(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        import_demo(session, NOW)
    before = _state(database)[1]
    path = _write(tmp_path, "directory.json", before)
    _wipe(database)

    report = _import(database, path)
    assert report.ok, report
    assert (report.created, report.updated, report.unchanged) == (len(json.loads(before)), 0, 0)
    assert _state(database)[1] == before


def test_csv_round_trip_is_exact(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        import_demo(session, NOW)
        csv_before = export_csv(session)
    hsds_before = _state(database)[1]
    path = _write(tmp_path, "directory.csv", csv_before)
    _wipe(database)

    report = _import(database, path)
    assert report.ok, report
    with database.session() as session:
        assert export_csv(session) == csv_before
    assert _state(database)[1] == hsds_before  # the CSV carries everything HSDS does


def test_csv_header_is_documented_order(database: Database) -> None:
    with database.session() as session:
        text = export_csv(session)
    assert text.splitlines()[0] == ",".join(COLUMNS)


# --------------------------------------------------------------------------- good files


@pytest.mark.parametrize("name", ["good_services.json", "good_services.csv"])
def test_reimport_changes_nothing(database: Database, name: str) -> None:
    first = _import(database, FIXTURES / name)
    assert first.ok, first
    assert first.created >= 2 and first.updated == 0
    state = _state(database)

    second = _import(database, FIXTURES / name)
    assert second.ok, second
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert (second.organisations.created, second.organisations.updated) == (0, 0)
    assert _state(database) == state


def test_demo_import_is_idempotent(database: Database) -> None:
    with database.session() as session:
        first = import_demo(session, NOW)
    assert first.ok and first.created > 250 and first.meetings.created > 500
    with database.session() as session:
        second = import_demo(session, NOW)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert (second.organisations.created, second.organisations.updated) == (0, 0)
    assert (second.meetings.created, second.meetings.updated) == (0, 0)
    assert "services 0 created, 0 updated" in second.summary()


def test_changed_field_counts_as_one_update(database: Database, tmp_path: Path) -> None:
    assert _import(database, FIXTURES / "good_services.json").ok
    data = json.loads((FIXTURES / "good_services.json").read_text())
    data[1]["description"] = "Nieuwe tekst van de groep zelf."
    report = _import(database, _write(tmp_path, "changed.json", json.dumps(data)))
    assert report.ok, report
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    with database.session() as session:
        service = session.get(Service, data[1]["id"])
        assert service is not None and service.description == "Nieuwe tekst van de groep zelf."


def test_hsds_import_maps_fields(database: Database) -> None:
    report = _import(database, FIXTURES / "good_services.json")
    assert report.ok, report
    with database.session() as session:
        group = session.get(Service, "3c1e6a52-4b0e-4f4e-9a51-0b6f7c1d2e01")
        online = session.get(Service, "3c1e6a52-4b0e-4f4e-9a51-0b6f7c1d2e02")
        assert group is not None and online is not None
        assert group.topic_ids == ["grief", "loneliness"]
        assert group.language_codes == ["nl", "tr"]  # "TR" normalised
        assert group.municipality_codes == ["GM0855"]  # resolved from the name "Tilburg"
        assert group.women_only and group.led_by == "expert_by_experience"
        assert group.community_focus == "Turkse en Koerdische vrouwen uit de wijk"
        assert group.how_to_join == "Loop gewoon binnen."
        assert group.locations[0].municipality_code == "GM0855"
        assert group.locations[0].postcode == "5038 AA"
        schedule = group.schedules[0]
        assert (schedule.rrule, schedule.dtstart, schedule.duration_minutes) == (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2025-01-07T19:30", 120)  # fmt: skip
        # Built from freq/byday/opens_at/closes_at when there is no raw RRULE attribute.
        assert online.schedules[0].rrule == "FREQ=MONTHLY;BYDAY=1SA"
        assert online.schedules[0].dtstart == "2025-02-01T10:00"
        assert online.online and online.national and not online.in_person
        assert online.online_url == "https://example.org/online/mantelzorg"


def test_csv_import_ids_places_and_lists(database: Database) -> None:
    report = _import(database, FIXTURES / "good_services.csv")
    assert report.ok, report
    with database.session() as session:
        expected_id = service_id_for("Testcentrale Den Haag", "Taalmaatjes Den Haag (test)")
        buddy = session.get(Service, expected_id)  # no id in the row → uuid5(org, name)
        assert buddy is not None
        assert buddy.municipality_codes == ["GM0518"]  # "Den Haag"
        assert buddy.wait_time == "Wachtlijst: ongeveer 6 weken."
        assert buddy.join_mode == "contact_first"
        group = session.scalars(
            select(Service).where(Service.name == "Vrouwengroep Nieuw in Nederland (test)")
        ).one()
        assert group.municipality_codes == ["GM0518"]  # "Lahey" and "GM0518" are one place
        assert group.women_only
        assert sorted(loc.name for loc in group.locations) == ["Bibliotheek West", "Buurthuis Oost"]
        assert {loc.municipality_code for loc in group.locations} == {"GM0518"}
        assert sorted((s.rrule, s.duration_minutes) for s in group.schedules) == [
            ("FREQ=MONTHLY;BYDAY=-1FR", 120), ("FREQ=WEEKLY;BYDAY=MO", 90)]  # fmt: skip
        kept = session.get(Service, "3c1e6a52-4b0e-4f4e-9a51-0b6f7c1d2e09")
        assert kept is not None and kept.language_codes == ["nl", "tr"]


# --------------------------------------------------------------------------- broken files


def _problems(report: ImportReport) -> list[str]:
    return report.problem_lines()


def _has(problems: list[str], prefix: str, fragment: str) -> bool:
    return any(p.startswith(prefix) and fragment in p for p in problems)


def test_broken_hsds_file_changes_nothing_and_lists_every_problem(database: Database) -> None:
    assert _import(database, FIXTURES / "good_services.json").ok
    before = _state(database)

    report = _import(database, FIXTURES / "bad_services.json")
    assert not report.ok
    problems = _problems(report)
    assert _has(problems, "$[0].attributes[1].taxonomy_term.code", "unknown topic 'grieff'")
    assert _has(problems, "$[1].schedules[0].attributes[0].value", "invalid RRULE")
    assert _has(problems, "$[1].schedules[0].attributes[0].value", "BYDAY")
    assert "$[2].name: missing name" in problems
    assert _has(problems, "$[3].service_areas[0].name", "unknown municipality 'Atlantis'")
    assert _has(problems, "$[3].languages[0].code", "bad language code 'dutch'")
    assert (report.created, report.updated) == (0, 0)
    assert "not imported" in report.summary()
    assert _state(database) == before


def test_broken_csv_file_changes_nothing_and_lists_every_problem(database: Database) -> None:
    assert _import(database, FIXTURES / "good_services.csv").ok
    before = _state(database)

    report = _import(database, FIXTURES / "bad_services.csv")
    assert not report.ok
    problems = _problems(report)
    assert _has(problems, "row 2, column topics: unknown topic 'grieff'", "")
    assert _has(problems, "row 3, column schedule_rrules: invalid RRULE", "BYDAY")
    assert "row 4, column name: missing name" in problems
    assert _has(problems, "row 5, column municipalities: unknown municipality 'Atlantis'", "")
    assert len(problems) == 4, problems
    assert _state(database) == before
    assert str(report).count("\n") == 4  # summary + one line per problem


def test_csv_checks_shapes_duplicates_and_columns(sqlite_database: Database, tmp_path: Path
                                                  ) -> None:  # fmt: skip
    text = (
        "id,organisation,name,kind,languages,email,url,municipalities,topic\n"
        "3c1e6a52-4b0e-4f4e-9a51-0b6f7c1d2e77,Org,A,peer_group,xx,no-at-sign,ftp://x,"
        "Amsterdm,\n"
        "3c1e6a52-4b0e-4f4e-9a51-0b6f7c1d2e77,Org,B,buddy,nl,a@b.nl,https://example.org,"
        "GM0363,\n"
        "not-a-uuid,Org,C,peer_group,nl,,,,\n"
    )
    report = _import(sqlite_database, _write(tmp_path, "shapes.csv", text))
    problems = _problems(report)
    assert "row 1, column topic: unknown column" in problems
    assert _has(problems, "row 2, column languages", "unknown language code 'xx'")
    assert _has(problems, "row 2, column email", "bad e-mail address")
    assert _has(problems, "row 2, column url", "bad url")
    assert _has(problems, "row 2, column municipalities", "did you mean Amsterdam?")
    assert _has(problems, "row 3, column kind", "unknown kind 'buddy'")
    assert _has(problems, "row 4, column id", "bad id 'not-a-uuid'")
    with sqlite_database.session() as session:
        assert _counts(session)["service"] == 0


def test_duplicate_ids_in_one_file_are_reported(sqlite_database: Database, tmp_path: Path
                                                ) -> None:  # fmt: skip
    data = json.loads((FIXTURES / "good_services.json").read_text())
    data.append(json.loads(json.dumps(data[0])) | {"name": "Copy"})
    report = _import(sqlite_database, _write(tmp_path, "dupes.json", json.dumps(data)))
    assert not report.ok
    assert _has(_problems(report), "$[2]", "duplicate service id")
    assert _has(_problems(report), "$[2]", "also at $[0]")


def test_hsds_schema_problems_have_json_paths(sqlite_database: Database, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "good_services.json").read_text())
    data[0]["status"] = "open"
    data[1]["id"] = "not-a-uuid"
    report = _import(sqlite_database, _write(tmp_path, "schema.json", json.dumps(data)))
    problems = _problems(report)
    assert _has(problems, "$[0].status", "'open'")
    assert _has(problems, "$[1].id", "not-a-uuid")


def test_not_json_and_unknown_extension(sqlite_database: Database, tmp_path: Path) -> None:
    report = _import(sqlite_database, _write(tmp_path, "broken.json", "[{"))
    assert not report.ok and report.problems[0].location.startswith("line 1")
    with pytest.raises(ImportFormatError):
        _import(sqlite_database, _write(tmp_path, "data.xlsx", ""))


def test_report_printing() -> None:
    report = ImportReport(
        ok=False, problems=(ImportProblem("row 7, column topics", "unknown topic 'grieff'"),)
    )
    assert str(report).splitlines() == [
        "not imported, 1 problem; the database was not changed",
        "row 7, column topics: unknown topic 'grieff'",
    ]


def test_national_lines_sync_as_helplines(database: Database) -> None:
    with database.session() as session:
        report = sync_national_lines(session)
    assert report.ok and report.created == 9
    with database.session() as session:
        helplines = session.scalars(select(Service).where(Service.kind == "helpline")).all()
        assert all(s.national and not s.in_person for s in helplines)
        by_name = {s.name: s for s in helplines}
        assert by_name["Veilig Thuis"].phone == "0800-2000"
        assert "0800-0113" in (by_name["113 Zelfmoordpreventie"].how_to_join or "")
    with database.session() as session:
        again = sync_national_lines(session)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
