"""The demo directory and the national lines."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from itertools import product
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.session import Database
from bot.directory.demo import CITIES, MEETING_WEEKS, build_demo, demo_services, meetings_for
from bot.directory.formats import import_demo
from bot.directory.models import (
    Meeting,
    Organisation,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceTopic,
)
from bot.directory.national_lines import (
    CATEGORIES,
    NationalLinesError,
    lines_for,
    load_national_lines,
    national_line,
    parse_national_lines,
)
from bot.directory.values import LOCAL_TZ
from bot.taxonomy import LedBy, ServiceKind, Topic
from bot.vocabulary import CITIZEN_LANGUAGES

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # DST starts in the Netherlands on 29 March 2026
REQUIRED_CITIES = {"GM0363", "GM0599", "GM0518", "GM0344", "GM0855", "GM0772"}


# --------------------------------------------------------------------------- national lines


def test_national_lines_load_from_yaml_without_a_database() -> None:
    # A fresh interpreter proves the module needs neither SQLAlchemy nor a database.
    code = (
        "import sys\n"
        "from bot.directory.national_lines import load_national_lines\n"
        "lines = load_national_lines()\n"
        "assert 'sqlalchemy' not in sys.modules, 'national lines must not need the database'\n"
        "print(len(lines))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 9


def test_national_lines_carry_the_facts_of_safety_md() -> None:
    lines = {line.id: line for line in load_national_lines()}
    assert lines["emergency_112"].phone == "112" and lines["emergency_112"].always_open
    line_113 = lines["suicide_prevention_113"]
    assert line_113.phone == "113" and line_113.tel_uri == "tel:113"
    assert [p.phone for p in line_113.other_phones] == ["0800-0113"]
    assert line_113.other_phones[0].free and line_113.chat_url == "https://www.113.nl"
    assert line_113.always_open and line_113.serves("suicide")
    assert lines["veilig_thuis"].phone == "0800-2000" and lines["veilig_thuis"].free
    assert lines["de_luisterlijn"].phone == "088 0767 000" and lines["de_luisterlijn"].always_open
    assert lines["korrelatie"].phone == "0900 1450"
    assert lines["slachtofferhulp"].phone == "0900 0101"
    assert lines["mantelzorglijn"].phone == "030 760 60 55"
    kindertelefoon = lines["kindertelefoon"]
    assert kindertelefoon.phone == "0800-0432" and kindertelefoon.free
    assert kindertelefoon.anonymous and kindertelefoon.serves("children")
    assert lines["huisarts"].phone is None and lines["huisarts"].hours is not None
    for line in lines.values():
        assert line.description.nl and line.description.en and line.url.startswith("https://")
        assert line.categories <= CATEGORIES
    assert national_line("veilig_thuis").serves("violence_home")
    assert [line.id for line in lines_for("violence_home")] == ["veilig_thuis"]
    assert load_national_lines() is load_national_lines()  # cached


def test_malformed_national_lines_fail_loudly() -> None:
    with pytest.raises(NationalLinesError, match="categories"):
        parse_national_lines(
            "lines:\n  - id: x\n    name: X\n    organisation: X\n    url: https://x.nl\n"
            "    description: {nl: a, en: b}\n    categories: [sucide]\n"
        )
    with pytest.raises(NationalLinesError, match="lines"):
        parse_national_lines("[]")


# --------------------------------------------------------------------------- demo (no DB)


def test_demo_is_deterministic_and_clearly_fictional() -> None:
    first, second = build_demo(NOW), build_demo(NOW)
    assert first == second
    assert 250 <= len(first.services) <= 400
    assert len({s.id for s in first.services}) == len(first.services)
    for service in first.services:
        if service.kind == ServiceKind.HELPLINE.value:
            assert service.national  # the real national lines, never fictional
            continue
        for name in (service.name, service.organisation.name):
            assert "(demo)" in name or name.startswith("Demo"), name
        for text in (service.email, service.url, service.online_url):
            assert text is None or "example" in text
        assert service.phone is None


def test_demo_has_the_variety_the_product_needs() -> None:
    services = demo_services()
    kinds = {s.kind for s in services}
    assert kinds == {k.value for k in ServiceKind}
    assert {s.led_by for s in services} >= {x.value for x in LedBy}
    assert any(s.women_only for s in services)
    assert any(s.community_focus for s in services)
    online = [s for s in services if s.online and s.national and s.kind == "peer_group"]
    assert len(online) >= 10 and all(s.online_url and not s.areas for s in online)
    buddies = [s for s in services if s.kind == "volunteer_service"]
    assert {n.split(" ")[0] for n in (s.name for s in buddies)} == {
        "Maatjesproject", "Taalmaatjes", "Schuldhulpmaatje"}  # fmt: skip
    assert all(s.wait_time and "Wachtlijst" in s.wait_time for s in buddies)
    assert any(s.kind == "carer_support" and "Mantelzorgsteunpunt" in s.name for s in services)
    rules = {sch.rrule for s in services for sch in s.schedules}
    assert any("FREQ=WEEKLY" in r and "INTERVAL" not in r for r in rules)
    assert any("INTERVAL=2" in r for r in rules)
    assert any("FREQ=MONTHLY" in r for r in rules)
    assert {c.code for c in CITIES} >= REQUIRED_CITIES


def test_demo_meetings_cover_eight_weeks_and_keep_local_time_across_dst() -> None:
    demo = build_demo(NOW)
    assert demo.meetings
    assert all(NOW <= m.starts_at <= NOW + timedelta(weeks=MEETING_WEEKS) for m in demo.meetings)
    weekly = next(
        s for s in demo.services
        if s.schedules and s.schedules[0].rrule == "FREQ=WEEKLY;BYDAY=TU" and s.kind == "peer_group"
    )  # fmt: skip
    meetings = meetings_for(weekly, NOW)
    local_times = {m.starts_at.astimezone(LOCAL_TZ).strftime("%a %H:%M") for m in meetings}
    assert len(local_times) == 1  # same wall-clock time every week…
    offsets = {m.starts_at.astimezone(LOCAL_TZ).utcoffset() for m in meetings}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # …across the DST change
    assert len(meetings) == MEETING_WEEKS
    assert all(m.starts_at.tzinfo is not None for m in meetings)


def test_demo_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        build_demo(datetime(2026, 3, 20))


# --------------------------------------------------------------------------- demo in the DB


def test_demo_covers_every_topic_city_and_language(database: Database) -> None:
    with database.session() as session:
        report = import_demo(session, NOW)
    assert report.ok, report
    with database.session() as session:
        covered = set(
            session.execute(
                select(ServiceTopic.topic, ServiceArea.municipality_code, ServiceLanguage.language)
                .join(ServiceArea, ServiceArea.service_id == ServiceTopic.service_id)
                .join(ServiceLanguage, ServiceLanguage.service_id == ServiceTopic.service_id)
                .where(ServiceArea.municipality_code.in_(REQUIRED_CITIES))
                .distinct()
            ).tuples()
        )
        wanted = set(product([t.value for t in Topic], REQUIRED_CITIES, CITIZEN_LANGUAGES))
        assert wanted - covered == set()

        helplines = session.scalars(select(Service).where(Service.kind == "helpline")).all()
        assert len(helplines) == 9 and all(s.national for s in helplines)
        assert session.scalar(select(Organisation).where(Organisation.name == "MantelzorgNL"))
        meeting = session.scalars(select(Meeting).order_by(Meeting.starts_at)).first()
        assert meeting is not None and meeting.starts_at.tzinfo is not None
        assert meeting.starts_at >= NOW


def test_demo_import_later_adds_only_new_meetings(database: Database) -> None:
    with database.session() as session:
        first = import_demo(session, NOW)
    with database.session() as session:
        later = import_demo(session, NOW + timedelta(weeks=1))
    assert (later.created, later.updated) == (0, 0)
    assert later.meetings.created > 0 and later.meetings.updated == 0
    assert later.meetings.created < first.meetings.created
