"""Directory search: the one function every caller uses to find services for a person.

:func:`find_services` filters in SQL (status, topic, kind, women-only, online-only), ranks the
candidates in SQL by *tier* and then by language match and a meeting soon, fetches only the top
``limit`` ids and builds display cards for just those (:mod:`bot.directory.cards`).

Tiers, best first (the ``tier`` and first reason code of a :class:`SearchResult`):

``in_municipality``      has a Location in the person's municipality
``serves_municipality``  has a ServiceArea row for it
``serves_region``        serves, or has a location in, another municipality of the same region
``online``               online=True (left out when ``online_ok`` is False)
``national``             national=True

Services that fit none of these (another region, not online, not national) are not shown. When no
place is known ("I'd rather not say", or a place we could not resolve) only the ``online`` and
``national`` tiers apply: we never guess a place.

Topic rule: a service matches a topic when it has that topic. Services *without any topic* of
the general kinds in :data:`TOPICLESS_KINDS` (volunteer centres, community centres, professional
desks such as a sociaal wijkteam) match every topic, because they help with anything and the
person may not know it; topic-less groups, buddy projects and helplines do not, because showing
a random group for "grief" would be wrong.

When nothing is found, :attr:`SearchOutcome.alternatives` says what to offer instead: online and
national services for the topic (any kind, even when online was declined), the volunteer centre
of the municipality (or a national one), and always a ``human`` (ask a coordinator).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.directory.cards import MeetingCard, ServiceCard, load_cards, meeting_card
from bot.directory.gazetteer import Gazetteer, PlaceMatch
from bot.directory.models import (
    Location,
    Meeting,
    Municipality,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceTopic,
)

#: Ranking tiers, best first; a result's ``tier`` is one of these.
TIERS = ("in_municipality", "serves_municipality", "serves_region", "online", "national")
#: Kinds that, without any topic of their own, match every topic (see module docstring).
TOPICLESS_KINDS = frozenset({"volunteer_centre", "community_centre", "professional"})
#: A meeting within this window ranks a service up ("meeting_soon").
SOON = timedelta(days=14)
#: How many cards each alternative carries at most.
ALTERNATIVE_LIMIT = 3

AlternativeKind = Literal["online", "national", "volunteer_centre", "human"]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One found service.

    ``reasons`` are codes for why it is shown and where it ranks: the tier first, then
    ``language_match`` and ``meeting_soon`` when they apply. ``score`` is higher for better
    results and only comparable within one search.
    """

    card: ServiceCard
    tier: str
    reasons: tuple[str, ...]
    score: float


@dataclass(frozen=True, slots=True)
class Alternative:
    """Something to offer when no result fits; ``human`` carries no cards."""

    kind: AlternativeKind
    cards: tuple[ServiceCard, ...]


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """Results, the place they were searched for, and what to offer when there are none.

    ``place_unknown`` is the place text (or municipality code) that could not be resolved; the
    search then ran as if no place was given. ``alternatives`` is empty when there are results.
    """

    results: tuple[SearchResult, ...]
    place: PlaceMatch | None
    place_unknown: str | None
    alternatives: tuple[Alternative, ...]


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime given; use an aware datetime")
    return now


# Statement pieces use named bind parameters and the statements are cached per *shape*
# (lru_cache below): SQLAlchemy memoises a statement object's cache key, so a reused object
# skips construction and cache-key generation, which cost more than SQLite itself.
_KINDS = bindparam("kinds", expanding=True)
_REGION = bindparam("region", expanding=True)
_TOPICLESS = bindparam("topicless", expanding=True)


def _topic_condition() -> ColumnElement[bool]:
    """Has the topic ``:topic``, or is a topic-less service of a general kind."""
    has_topic = exists().where(
        ServiceTopic.service_id == Service.id, ServiceTopic.topic == bindparam("topic")
    )
    no_topics = ~exists().where(ServiceTopic.service_id == Service.id)
    return or_(has_topic, and_(Service.kind.in_(_TOPICLESS), no_topics))


def _language_match(has_language: bool) -> ColumnElement[int]:
    """1 when the service works in ``:language``, else 0."""
    if not has_language:
        return literal(0)
    hit = exists().where(
        ServiceLanguage.service_id == Service.id, ServiceLanguage.language == bindparam("language")
    )
    return case((hit, 1), else_=0)


def _meeting_soon() -> ColumnElement[int]:
    """1 when a not-cancelled meeting starts in ``[:now, :soon_until)``, else 0."""
    hit = exists().where(
        Meeting.service_id == Service.id,
        Meeting.cancelled.is_(False),
        Meeting.starts_at >= bindparam("now"),
        Meeting.starts_at < bindparam("soon_until"),
    )
    return case((hit, 1), else_=0)


def _topic_prefilter(service_id: ColumnElement[str]) -> ColumnElement[bool]:
    """Index-only part of the topic rule, for candidate subqueries: has ``:topic`` or no topic.

    Checked on location/service_area rows before any service row is read (the covering
    (service_id, topic) key makes these probes cheap); the kind part of the rule is checked
    afterwards by :func:`_topic_condition`.
    """
    return or_(
        exists().where(
            ServiceTopic.service_id == service_id, ServiceTopic.topic == bindparam("topic")
        ),
        ~exists().where(ServiceTopic.service_id == service_id),
    )


def _serves_any(
    codes: ColumnElement[Any] | Sequence[str], *, has_topic: bool = False
) -> ColumnElement[bool]:
    """The service has a location in, or a service area for, one of ``codes``.

    One IN over a UNION ALL (not an OR of two INs) so the database drives the lookup from the
    municipality indexes instead of scanning every service.
    """
    by_location = select(Location.service_id).where(Location.municipality_code.in_(codes))
    by_area = select(ServiceArea.service_id).where(ServiceArea.municipality_code.in_(codes))
    if has_topic:
        by_location = by_location.where(_topic_prefilter(Location.service_id))
        by_area = by_area.where(_topic_prefilter(ServiceArea.service_id))
    return Service.id.in_(union_all(by_location, by_area))


def _filters(
    *, has_kinds: bool, has_topic: bool, women_only: bool, online_ok: bool
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Service.status == "active"]
    if has_kinds:
        # coalesce() keeps SQLite from driving the query by ix_service_kind (a kind is often
        # half the table) instead of the much smaller municipality candidate list.
        conditions.append(func.coalesce(Service.kind, "").in_(_KINDS))
    if has_topic:
        conditions.append(_topic_condition())
    if women_only:
        conditions.append(Service.women_only.is_(True))
    if not online_ok:
        conditions.append(or_(Service.online.is_(False), Service.in_person.is_(True)))
    return conditions


@lru_cache(maxsize=512)
def _tier_statement(
    tier: int,
    *,
    has_kinds: bool,
    has_topic: bool,
    women_only: bool,
    online_ok: bool,
    has_language: bool,
) -> Select[tuple[str, int, int]]:
    """The ranked candidates of one tier: (id, language match, meeting soon), best first."""
    code = bindparam("code")
    by_location = select(Location.service_id).where(Location.municipality_code == code)
    by_area = select(ServiceArea.service_id).where(ServiceArea.municipality_code == code)
    if has_topic:
        by_location = by_location.where(_topic_prefilter(Location.service_id))
        by_area = by_area.where(_topic_prefilter(ServiceArea.service_id))
    membership: ColumnElement[bool] = {
        0: Service.id.in_(by_location),
        1: Service.id.in_(by_area),
        2: _serves_any(_REGION, has_topic=has_topic),
        3: Service.online.is_(True),
        4: Service.national.is_(True),
    }[tier]
    lang = _language_match(has_language).label("lang")
    soon = _meeting_soon().label("soon")
    filters = _filters(
        has_kinds=has_kinds, has_topic=has_topic, women_only=women_only, online_ok=online_ok
    )
    return (
        select(Service.id, lang, soon)
        .where(*filters, membership)
        .order_by(lang.desc(), soon.desc(), Service.name, Service.id)
        .limit(bindparam("limit"))
    )


def _resolve_place(
    session: Session,
    place: str | None,
    municipality_code: str | None,
    gazetteer: Gazetteer | None,
) -> tuple[PlaceMatch | None, str | None, tuple[str, ...]]:
    """(match, unresolved text, other municipalities of its region)."""
    if municipality_code:
        if gazetteer is not None:
            name = gazetteer.name_of(municipality_code)
        else:
            name = session.scalar(
                select(Municipality.name).where(Municipality.code == municipality_code)
            )
        if name is None:
            return None, municipality_code, ()
        match = PlaceMatch(municipality_code, name, municipality_code, "name", 1.0)
    elif place and place.strip():
        gazetteer = gazetteer or Gazetteer.load(session)
        match = gazetteer.resolve(place) or gazetteer.find_in_text(place)
        if match is None:
            return None, place, ()
    else:
        return None, None, ()
    if gazetteer is not None:
        return match, None, gazetteer.region_codes(match.code)
    region = select(Municipality.region).where(Municipality.code == match.code).scalar_subquery()
    others = session.scalars(
        select(Municipality.code)
        .where(Municipality.region == region, Municipality.code != match.code)
        .order_by(Municipality.code)
    ).all()
    return match, None, tuple(others)


def find_services(
    session: Session,
    *,
    topic: str | None = None,
    kind: str | None = None,
    kinds: Sequence[str] = (),
    place: str | None = None,
    municipality_code: str | None = None,
    language: str | None = None,
    online_ok: bool = True,
    women_only: bool = False,
    now: datetime | None = None,
    limit: int = 10,
    gazetteer: Gazetteer | None = None,
) -> SearchOutcome:
    """Find active services for a person, best first (see the module docstring for the rules).

    ``place`` is free text resolved with the gazetteer (whole answer first, then inside a
    sentence); ``municipality_code`` (e.g. ``GM0855``) wins over it when both are given.
    ``language`` (the reader's) ranks services in that language up, never filters, and puts
    each card's description and how-to-join in that language where the group wrote one
    (Dutch otherwise; see :mod:`bot.directory.cards`). ``women_only`` keeps
    only women-only groups; ``online_ok=False`` drops online-only services and the online tier.
    Pass a long-lived ``gazetteer`` to avoid loading one per call.
    """
    now = _aware(now)
    wanted_kinds = tuple(dict.fromkeys([*([kind] if kind else []), *kinds]))
    match, unknown, region_codes = _resolve_place(session, place, municipality_code, gazetteer)
    names = gazetteer.names if gazetteer is not None else None

    params: dict[str, Any] = {
        "kinds": list(wanted_kinds),
        "topic": topic,
        "topicless": sorted(TOPICLESS_KINDS),
        "language": language,
        "now": now,
        "soon_until": now + SOON,
        "code": match.code if match else None,
        "region": list(region_codes),
    }
    shape = {
        "has_kinds": bool(wanted_kinds),
        "has_topic": bool(topic),
        "women_only": women_only,
        "online_ok": online_ok,
        "has_language": bool(language),
    }
    tiers = [0, 1] if match is not None else []
    if match is not None and region_codes:
        tiers.append(2)
    if online_ok:
        tiers.append(3)
    tiers.append(4)

    # One small query per tier, best tier first, stopping as soon as ``limit`` is reached:
    # each query is driven by an index (location/service_area by municipality, the service
    # table for online/national) and only its own candidates get the ranking subqueries.
    rows: list[tuple[str, int, int, int]] = []
    seen: set[str] = set()
    for tier_index in tiers:
        if len(rows) >= limit:
            break
        # Every candidate of an earlier tier that passes the filters is already in ``rows``
        # (we only get here when that tier ran out), so fetching len(rows) extra and
        # skipping seen ids gives exactly the next ones without NOT IN subqueries.
        params["limit"] = limit - len(rows) + len(seen)
        stmt = _tier_statement(tier_index, **shape)
        for sid, lang_hit, soon_hit in session.execute(stmt, params).tuples():
            if sid not in seen and len(rows) < limit:
                seen.add(sid)
                rows.append((sid, tier_index, lang_hit, soon_hit))
    cards = load_cards(session, [r[0] for r in rows], now, names, language)
    results = tuple(
        SearchResult(
            card=cards[sid],
            tier=TIERS[tier_index],
            reasons=(TIERS[tier_index],)
            + (("language_match",) if lang_hit else ())
            + (("meeting_soon",) if soon_hit else ()),
            score=float((len(TIERS) - tier_index) * 10 + 2 * lang_hit + soon_hit),
        )
        for sid, tier_index, lang_hit, soon_hit in rows
        if sid in cards
    )
    alternatives: tuple[Alternative, ...] = ()
    if not results:
        alternatives = _alternatives(
            session, topic=topic, match=match, language=language, women_only=women_only,
            now=now, names=names,
        )  # fmt: skip
    return SearchOutcome(results, match, unknown, alternatives)


def _alternatives(
    session: Session,
    *,
    topic: str | None,
    match: PlaceMatch | None,
    language: str | None,
    women_only: bool,
    now: datetime,
    names: Mapping[str, str] | None,
) -> tuple[Alternative, ...]:
    """What to offer when nothing fits, in the order of the module docstring.

    Relaxes kind and ``online_ok`` (an online group is a fair offer when no in-person one
    exists) but keeps topic and women-only, which are about who the person is.
    """
    base = _filters(has_kinds=False, has_topic=bool(topic), women_only=women_only, online_ok=True)
    order = (
        _language_match(bool(language)).desc(),
        _meeting_soon().desc(),
        Service.name,
        Service.id,
    )
    params = {
        "topic": topic,
        "topicless": sorted(TOPICLESS_KINDS),
        "language": language,
        "now": now,
        "soon_until": now + SOON,
    }

    def pick(*conditions: ColumnElement[bool], exclude: Sequence[str] = ()) -> list[str]:
        stmt = select(Service.id).where(*base, *conditions)
        if exclude:
            stmt = stmt.where(Service.id.not_in(exclude))
        return list(session.scalars(stmt.order_by(*order).limit(ALTERNATIVE_LIMIT), params))

    # Volunteer centres have their own offer below; keep them out of online/national.
    not_centre = Service.kind != "volunteer_centre"
    online_ids = pick(Service.online.is_(True), not_centre)
    national_ids = pick(Service.national.is_(True), not_centre, exclude=online_ids)
    # The volunteer centre helps with anything, so topic and women-only do not apply to it.
    centre_base = (Service.status == "active", Service.kind == "volunteer_centre")
    centre_ids: list[str] = []
    if match is not None:
        centre_ids = list(
            session.scalars(
                select(Service.id)
                .where(*centre_base, _serves_any((match.code,)))
                .order_by(Service.name, Service.id)
                .limit(1)
            )
        )
    if not centre_ids:
        centre_ids = list(
            session.scalars(
                select(Service.id)
                .where(*centre_base, Service.national.is_(True))
                .order_by(Service.name, Service.id)
                .limit(1)
            )
        )
    cards = load_cards(
        session, [*online_ids, *national_ids, *centre_ids], now, names, language
    )
    offers: list[Alternative] = []
    for kind_, ids in (
        ("online", online_ids),
        ("national", national_ids),
        ("volunteer_centre", centre_ids),
    ):
        found = tuple(cards[i] for i in ids if i in cards)
        if found:
            offers.append(Alternative(kind_, found))  # type: ignore[arg-type]
    offers.append(Alternative("human", ()))
    return tuple(offers)


def get_service_card(
    session: Session, service_id: str, now: datetime | None = None, language: str | None = None
) -> ServiceCard | None:
    """The card of one service (whatever its status; see ``card.status``), or None.

    ``language``: the reader's, for the description and how-to-join (None: Dutch).
    """
    return load_cards(session, [service_id], _aware(now), language=language).get(service_id)


def get_active_service_card(
    session: Session, service_id: str, now: datetime | None = None, language: str | None = None
) -> ServiceCard | None:
    """The card of one service a citizen may open by its id (a deep link, a button), or None.

    Only an active service: the search never shows the others, and an old poster or a forged
    button must not reach them either (they answer "not found", like an unknown id).
    """
    card = get_service_card(session, service_id, now, language)
    return card if card is not None and card.status == "active" else None


def upcoming_meetings(
    session: Session, service_id: str, now: datetime, limit: int = 5
) -> list[MeetingCard]:
    """The next ``limit`` meetings of a service with ``starts_at >= now``, earliest first.

    Cancelled meetings are included with ``cancelled=True`` so the bot can say "not this week"
    to people who planned to go.
    """
    rows = session.scalars(
        select(Meeting)
        .where(Meeting.service_id == service_id, Meeting.starts_at >= _aware(now))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    )
    return [meeting_card(m) for m in rows]
