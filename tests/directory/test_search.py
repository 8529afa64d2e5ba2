"""find_services: filters, ranking tiers with reasons, alternatives, cards and meetings.

Each test builds its own small directory through the ORM (no dependency on the demo data).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.directory.gazetteer import Gazetteer
from bot.directory.models import (
    Location,
    Meeting,
    Organisation,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceTopic,
)
from bot.directory.search import find_services, get_service_card, upcoming_meetings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TILBURG = "GM0855"
GOIRLE = "GM0785"  # same region (Midden-Brabant)
ROTTERDAM = "GM0599"


def _service(
    sid: str,
    *,
    name: str | None = None,
    kind: str = "peer_group",
    topics: tuple[str, ...] = ("loneliness",),
    languages: tuple[str, ...] = ("nl",),
    located: str | None = None,
    areas: tuple[str, ...] = (),
    meetings: tuple[timedelta | tuple[timedelta, bool], ...] = (),
    **fields: object,
) -> Service:
    service = Service(
        id=sid,
        organisation_id="org",
        name=name or sid,
        kind=kind,
        description=f"about {sid}",
        **fields,
    )
    service.topics = [ServiceTopic(topic=t) for t in topics]
    service.languages = [ServiceLanguage(language=lang) for lang in languages]
    service.areas = [ServiceArea(municipality_code=code) for code in areas]
    if located:
        service.locations = [
            Location(
                id=f"{sid}-loc",
                name=f"Buurthuis {sid}",
                address="Stationsstraat 1",
                postcode="5038 AA",
                city="Tilburg",
                municipality_code=located,
            )
        ]
    for i, item in enumerate(meetings):
        delta, cancelled = item if isinstance(item, tuple) else (item, False)
        service.meetings.append(
            Meeting(
                id=f"{sid}-m{i}",
                starts_at=NOW + delta,
                ends_at=NOW + delta + timedelta(hours=2),
                place="Buurthuis",
                language="nl,tr",
                cancelled=cancelled,
            )
        )
    return service


def _org() -> Organisation:
    return Organisation(
        id="org", name="Welzijn Test", url="https://welzijn.example", phone="013-1234567"
    )


@pytest.fixture
def db(database) -> Iterator:
    """The migrated database (SQLite and PostgreSQL) plus one organisation."""
    with database.session() as session:
        session.add(_org())
    yield database


def _add(db, *services: Service) -> None:
    with db.session() as session:
        session.add_all(services)


def _ids(outcome) -> list[str]:
    return [r.card.id for r in outcome.results]


def test_ranking_tiers_with_reasons(db) -> None:
    _add(
        db,
        _service("z-in", located=TILBURG),
        _service("y-serves", areas=(TILBURG,)),
        _service("x-region", areas=(GOIRLE,)),
        _service("w-online", online=True, in_person=False),
        _service("v-national", kind="helpline", national=True, in_person=False),
        _service("u-elsewhere", areas=(ROTTERDAM,)),
        _service("t-inactive", located=TILBURG, status="inactive"),
        _service("s-other-topic", topics=("grief",), located=TILBURG),
    )
    with db.session() as session:
        outcome = find_services(session, topic="loneliness", place="Tilburg", now=NOW)
    assert outcome.place is not None and outcome.place.code == TILBURG
    assert outcome.place_unknown is None
    assert _ids(outcome) == ["z-in", "y-serves", "x-region", "w-online", "v-national"]
    assert [r.tier for r in outcome.results] == [
        "in_municipality",
        "serves_municipality",
        "serves_region",
        "online",
        "national",
    ]
    assert all(r.reasons[0] == r.tier for r in outcome.results)
    scores = [r.score for r in outcome.results]
    assert scores == sorted(scores, reverse=True)
    assert outcome.alternatives == ()


def test_place_by_alias_postcode_and_code_give_the_same_results(db) -> None:
    _add(db, _service("in", located=TILBURG), _service("elsewhere", located=ROTTERDAM))
    with db.session() as session:
        gaz = Gazetteer.load(session)
        for kwargs in (
            {"place": "تیلبورگ"},
            {"place": "5038"},
            {"place": "ik woon in Tilbrug"},
            {"municipality_code": TILBURG},
            {"place": "Tilburg", "gazetteer": gaz},
        ):
            outcome = find_services(session, topic="loneliness", now=NOW, **kwargs)
            assert _ids(outcome) == ["in"], kwargs


def test_language_match_ranks_up_within_a_tier(db) -> None:
    _add(
        db,
        _service("a-dutch", located=TILBURG),
        _service("b-turkish", located=TILBURG, languages=("tr", "nl")),
        _service("c-online-turkish", online=True, in_person=False, languages=("tr",)),
    )
    with db.session() as session:
        plain = find_services(session, topic="loneliness", place="Tilburg", now=NOW)
        turkish = find_services(
            session, topic="loneliness", place="Tilburg", language="tr", now=NOW
        )
    assert _ids(plain) == ["a-dutch", "b-turkish", "c-online-turkish"]
    # Language ranks up *within* a tier; it never lifts an online group above a local one.
    assert _ids(turkish) == ["b-turkish", "a-dutch", "c-online-turkish"]
    assert turkish.results[0].reasons == ("in_municipality", "language_match")
    assert turkish.results[1].reasons == ("in_municipality",)


def test_meeting_soon_ranks_up(db) -> None:
    _add(
        db,
        _service("a-far", located=TILBURG, meetings=(timedelta(days=30),)),
        _service("b-cancelled", located=TILBURG, meetings=((timedelta(days=2), True),)),
        _service("c-past", located=TILBURG, meetings=(timedelta(days=-1),)),
        _service("d-soon", located=TILBURG, meetings=(timedelta(days=3),)),
    )
    with db.session() as session:
        outcome = find_services(session, topic="loneliness", place="Tilburg", now=NOW)
    assert _ids(outcome) == ["d-soon", "a-far", "b-cancelled", "c-past"]
    assert outcome.results[0].reasons == ("in_municipality", "meeting_soon")
    assert all("meeting_soon" not in r.reasons for r in outcome.results[1:])


def test_language_before_meeting_soon(db) -> None:
    _add(
        db,
        _service("a-soon", located=TILBURG, meetings=(timedelta(days=1),)),
        _service("b-farsi", located=TILBURG, languages=("fa",)),
    )
    with db.session() as session:
        outcome = find_services(
            session, topic="loneliness", place="Tilburg", language="fa", now=NOW
        )
    assert _ids(outcome) == ["b-farsi", "a-soon"]


def test_women_only_filter(db) -> None:
    _add(
        db,
        _service("mixed", located=TILBURG),
        _service("women", located=TILBURG, women_only=True),
    )
    with db.session() as session:
        only = find_services(session, topic="loneliness", place="Tilburg", women_only=True, now=NOW)
        both = find_services(session, topic="loneliness", place="Tilburg", now=NOW)
    assert _ids(only) == ["women"]
    assert only.results[0].card.women_only is True
    assert sorted(_ids(both)) == ["mixed", "women"]


def test_online_ok_false_drops_online_only(db) -> None:
    _add(
        db,
        _service("hybrid", located=TILBURG, online=True, in_person=True),
        _service("online-only", online=True, in_person=False),
        _service("national-line", kind="helpline", national=True, in_person=False),
    )
    with db.session() as session:
        outcome = find_services(
            session, topic="loneliness", place="Tilburg", online_ok=False, now=NOW
        )
        default = find_services(session, topic="loneliness", place="Tilburg", now=NOW)
    assert _ids(outcome) == ["hybrid", "national-line"]
    assert _ids(default) == ["hybrid", "online-only", "national-line"]


def test_no_place_shows_online_and_national_only(db) -> None:
    _add(
        db,
        _service("local", located=TILBURG),
        _service("online", online=True, in_person=False),
        _service("national", kind="helpline", national=True, in_person=False),
    )
    with db.session() as session:
        none = find_services(session, topic="loneliness", now=NOW)
        unknown = find_services(session, topic="loneliness", place="Parijs", now=NOW)
    assert _ids(none) == ["online", "national"]
    assert none.place is None and none.place_unknown is None
    assert _ids(unknown) == ["online", "national"]
    assert unknown.place is None and unknown.place_unknown == "Parijs"


def test_unknown_municipality_code(db) -> None:
    with db.session() as session:
        outcome = find_services(session, municipality_code="GM9999", now=NOW)
    assert outcome.place is None and outcome.place_unknown == "GM9999"


def test_kind_filters_and_topicless_kinds(db) -> None:
    _add(
        db,
        _service("group", located=TILBURG),
        _service("centre", kind="volunteer_centre", topics=(), located=TILBURG),
        _service("topicless-group", topics=(), located=TILBURG),
        _service("buddy", kind="volunteer_service", located=TILBURG),
    )
    with db.session() as session:
        any_kind = find_services(session, topic="loneliness", place="Tilburg", now=NOW)
        groups = find_services(
            session, topic="loneliness", kind="peer_group", place="Tilburg", now=NOW
        )
        help_ = find_services(
            session,
            topic="loneliness",
            kinds=("volunteer_service", "volunteer_centre"),
            place="Tilburg",
            now=NOW,
        )
        grief = find_services(session, topic="grief", place="Tilburg", now=NOW)
    # A topic-less volunteer centre matches any topic; a topic-less group does not.
    assert sorted(_ids(any_kind)) == ["buddy", "centre", "group"]
    assert _ids(groups) == ["group"]
    assert sorted(_ids(help_)) == ["buddy", "centre"]
    assert _ids(grief) == ["centre"]


def test_limit(db) -> None:
    _add(db, *[_service(f"g{i:02d}", located=TILBURG) for i in range(12)])
    with db.session() as session:
        outcome = find_services(session, topic="loneliness", place="Tilburg", limit=5, now=NOW)
    assert _ids(outcome) == ["g00", "g01", "g02", "g03", "g04"]


def test_no_result_offers_alternatives(db) -> None:
    _add(
        db,
        _service("online-buddy", kind="volunteer_service", topics=("newcomer",), online=True,
                 in_person=False),
        _service("national-line", kind="helpline", topics=("newcomer",), national=True,
                 in_person=False),
        _service("centre-tilburg", kind="volunteer_centre", topics=(), areas=(TILBURG,)),
        _service("centre-national", kind="volunteer_centre", topics=(), national=True),
        _service("grief-online", topics=("grief",), online=True, in_person=False),
    )  # fmt: skip
    with db.session() as session:
        outcome = find_services(
            session, topic="newcomer", kind="peer_group", place="Tilburg", now=NOW
        )
        elsewhere = find_services(
            session, topic="newcomer", kind="peer_group", place="Rotterdam", now=NOW
        )
    assert outcome.results == ()
    kinds = [a.kind for a in outcome.alternatives]
    assert kinds == ["online", "national", "volunteer_centre", "human"]
    cards = {a.kind: [c.id for c in a.cards] for a in outcome.alternatives}
    assert cards["online"] == ["online-buddy"]
    assert cards["national"] == ["national-line"]
    assert cards["volunteer_centre"] == ["centre-tilburg"]
    assert cards["human"] == []
    # No volunteer centre serves Rotterdam here: the national one is offered instead.
    centre = next(a for a in elsewhere.alternatives if a.kind == "volunteer_centre")
    assert [c.id for c in centre.cards] == ["centre-national"]


def test_empty_directory_still_offers_a_human(db) -> None:
    with db.session() as session:
        outcome = find_services(session, topic="addiction", place="Tilburg", now=NOW)
    assert outcome.results == ()
    assert [a.kind for a in outcome.alternatives] == ["human"]


def test_card_snapshot_and_next_meeting(db) -> None:
    _add(
        db,
        _service(
            "grp",
            name="Samen Sterk",
            located=TILBURG,
            areas=(GOIRLE,),
            languages=("tr", "nl"),
            topics=("loneliness", "grief"),
            women_only=True,
            community_focus="voor vrouwen uit Turkije",
            led_by="peer",
            anonymity="alleen voornaam",
            meetings=((timedelta(days=1), True), timedelta(days=8), timedelta(days=-2)),
        ),
    )
    with db.session() as session:
        outcome = find_services(session, topic="grief", place="Tilburg", now=NOW)
        card = get_service_card(session, "grp", now=NOW)
        meetings = upcoming_meetings(session, "grp", NOW)
        assert get_service_card(session, "nope", now=NOW) is None
    assert outcome.results[0].card == card
    assert card.name == "Samen Sterk"
    assert card.organisation_name == "Welzijn Test"
    assert card.organisation_phone == "013-1234567"
    assert card.topics == ("grief", "loneliness")
    assert card.languages == ("nl", "tr")
    assert card.municipalities == ("Goirle", "Tilburg")
    assert card.locations[0].city == "Tilburg" and card.locations[0].postcode == "5038 AA"
    assert card.women_only and card.led_by == "peer" and card.anonymity == "alleen voornaam"
    # The first *not cancelled* meeting from now on, aware UTC.
    assert card.next_meeting is not None
    assert card.next_meeting.id == "grp-m1"
    assert card.next_meeting.starts_at == NOW + timedelta(days=8)
    assert card.next_meeting.starts_at.tzinfo is not None
    assert card.next_meeting.languages == ("nl", "tr")
    # upcoming_meetings lists cancelled ones too (flagged), never past ones.
    assert [(m.id, m.cancelled) for m in meetings] == [("grp-m0", True), ("grp-m1", False)]
    assert upcoming_meetings(session, "grp", NOW, limit=1)[0].id == "grp-m0"


def test_naive_now_is_rejected(db) -> None:
    with db.session() as session, pytest.raises(ValueError):
        find_services(session, now=datetime(2026, 1, 1))
