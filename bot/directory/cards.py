"""Display snapshots of directory entries: all the bot shows, so renderers never touch the DB.

Cards are frozen dataclasses built in a handful of batched queries (:func:`load_cards`); they
carry plain values only (strings, tuples, aware UTC datetimes) and are safe to cache, pass
between threads and serialise.

Texts per language (product.md): a card's ``description`` and ``how_to_join`` are shown in the
reader's language where the group wrote one, Dutch otherwise; ``description_language`` and
``how_to_join_language`` say which language the shown text is in, so a renderer can mark a
Dutch text for a reader of another language. ``texts`` keeps every text the group wrote
(Dutch included), so :meth:`ServiceCard.text` and :meth:`ServiceCard.in_language` can pick for
any reader, whatever language the card was loaded in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, bindparam, func, literal, select, union_all
from sqlalchemy.orm import Session

from bot.directory.models import (
    DEFAULT_TEXT_LANGUAGE,
    Location,
    Meeting,
    Municipality,
    Organisation,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceText,
    ServiceTopic,
)


@dataclass(frozen=True, slots=True)
class MeetingCard:
    """One dated meeting. ``language`` is as stored: comma-separated codes ("nl,tr") or None."""

    id: str
    service_id: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC
    place: str | None
    online_url: str | None
    language: str | None
    note: str | None  # the group's own words
    cancelled: bool

    @property
    def languages(self) -> tuple[str, ...]:
        """The meeting's language codes as a tuple (empty when not given)."""
        if not self.language:
            return ()
        return tuple(code.strip() for code in self.language.split(",") if code.strip())


@dataclass(frozen=True, slots=True)
class LocationCard:
    """A physical place of a service."""

    name: str
    address: str | None
    postcode: str | None
    city: str | None
    municipality_code: str | None


class CardText(NamedTuple):
    """A text the group wrote: ``field`` (description, how_to_join) in ``language``."""

    field: str
    language: str
    text: str


@dataclass(frozen=True, slots=True)
class ServiceCard:
    """Snapshot of one service with its organisation, places and next meeting.

    ``description`` and ``how_to_join`` are in ``description_language`` and
    ``how_to_join_language`` (see the module docstring); ``texts`` holds every written text.
    """

    id: str
    name: str
    kind: str
    status: str
    description: str
    organisation_id: str
    organisation_name: str
    organisation_url: str | None
    organisation_phone: str | None
    organisation_email: str | None
    url: str | None  # the service's own contact, may be None (then use the organisation's)
    phone: str | None
    email: str | None
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    municipality_codes: tuple[str, ...]  # served: service areas plus location municipalities
    municipalities: tuple[str, ...]  # their names, same order
    locations: tuple[LocationCard, ...]
    national: bool
    online: bool
    in_person: bool
    online_url: str | None
    women_only: bool
    community_focus: str | None
    led_by: str | None
    cost: str
    accessibility: str | None
    join_mode: str
    how_to_join: str | None
    anonymity: str | None
    wait_time: str | None
    next_meeting: MeetingCard | None
    description_language: str = DEFAULT_TEXT_LANGUAGE
    how_to_join_language: str = DEFAULT_TEXT_LANGUAGE
    texts: tuple[CardText, ...] = ()

    def text(self, field: str, language: str) -> tuple[str | None, str]:
        """``field``'s text for a reader of ``language`` and the language it is in.

        The group's own text in ``language`` where it wrote one, else the Dutch text (which may
        be None). A card without ``texts`` (built by hand) answers with its own field.
        """
        if not self.texts:
            value = getattr(self, field) or None
            return value, getattr(self, f"{field}_language")
        for wanted in dict.fromkeys((language, DEFAULT_TEXT_LANGUAGE)):
            for text in self.texts:
                if text.field == field and text.language == wanted:
                    return text.text, wanted
        return None, DEFAULT_TEXT_LANGUAGE

    def in_language(self, language: str) -> ServiceCard:
        """This card with ``description`` and ``how_to_join`` for a reader of ``language``."""
        description, description_language = self.text("description", language)
        how_to_join, how_to_join_language = self.text("how_to_join", language)
        return replace(
            self,
            description=description or "",
            description_language=description_language,
            how_to_join=how_to_join,
            how_to_join_language=how_to_join_language,
        )


def meeting_card(meeting: Meeting) -> MeetingCard:
    """Snapshot of one :class:`Meeting` row."""
    return MeetingCard(
        id=meeting.id,
        service_id=meeting.service_id,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place=meeting.place,
        online_url=meeting.online_url,
        language=meeting.language,
        note=meeting.note,
        cancelled=bool(meeting.cancelled),
    )


_MEETING_COLUMNS = (
    Meeting.id,
    Meeting.service_id,
    Meeting.starts_at,
    Meeting.ends_at,
    Meeting.place,
    Meeting.online_url,
    Meeting.language,
    Meeting.note,
    Meeting.cancelled,
)


def _meeting_from_row(row: Row[Any]) -> MeetingCard:
    values = dict(row._mapping)
    values["cancelled"] = bool(values["cancelled"])
    return MeetingCard(**values)


# Statements are built once at import and only bound per call: SQLAlchemy memoises a
# statement object's cache key, so reusing the object skips construction and cache-key work
# (that was most of the cost of a search). ``ids`` is an expanding IN parameter.
_IDS = bindparam("ids", expanding=True)
_NOW = bindparam("now", type_=Meeting.starts_at.type)

_FIRST_MEETING = (
    select(
        Meeting.id,
        # ROW_NUMBER() works on SQLite >= 3.25 and PostgreSQL and avoids fetching every
        # future occurrence of long recurring series.
        func.row_number()
        .over(partition_by=Meeting.service_id, order_by=(Meeting.starts_at, Meeting.id))
        .label("rank"),
    )
    .where(Meeting.service_id.in_(_IDS), Meeting.cancelled.is_(False), Meeting.starts_at >= _NOW)
    .subquery()
)
_NEXT_MEETINGS = (
    select(*_MEETING_COLUMNS)
    .join(_FIRST_MEETING, _FIRST_MEETING.c.id == Meeting.id)
    .where(_FIRST_MEETING.c.rank == 1)
)

# Labels are the ServiceCard field names, so a row maps onto the card by keyword.
_SERVICES = (
    select(
        Service.id,
        Service.name,
        Service.kind,
        Service.status,
        Service.description,
        Service.organisation_id,
        Organisation.name.label("organisation_name"),
        Organisation.url.label("organisation_url"),
        Organisation.phone.label("organisation_phone"),
        Organisation.email.label("organisation_email"),
        Service.url,
        Service.phone,
        Service.email,
        Service.national,
        Service.online,
        Service.in_person,
        Service.online_url,
        Service.women_only,
        Service.community_focus,
        Service.led_by,
        Service.cost,
        Service.accessibility,
        Service.join_mode,
        Service.how_to_join,
        Service.anonymity,
        Service.wait_time,
    )
    .join(Organisation, Organisation.id == Service.organisation_id)
    .where(Service.id.in_(_IDS))
)
_FLAGS = ("national", "online", "in_person", "women_only")
# Topics, languages, served municipalities and texts per language of many services in one
# round trip. A text's "what" is "<field>:<language>" (never "t", "l" or "a").
_CHILDREN = union_all(
    select(ServiceTopic.service_id, literal("t").label("what"), ServiceTopic.topic.label("value"))
    .where(ServiceTopic.service_id.in_(_IDS)),
    select(ServiceLanguage.service_id, literal("l"), ServiceLanguage.language)
    .where(ServiceLanguage.service_id.in_(_IDS)),
    select(ServiceArea.service_id, literal("a"), ServiceArea.municipality_code)
    .where(ServiceArea.service_id.in_(_IDS)),
    select(ServiceText.service_id, ServiceText.field + literal(":") + ServiceText.language,
           ServiceText.text)
    .where(ServiceText.service_id.in_(_IDS)),
)  # fmt: skip
_LOCATIONS = (
    select(
        Location.service_id,
        Location.name,
        Location.address,
        Location.postcode,
        Location.city,
        Location.municipality_code,
    )
    .where(Location.service_id.in_(_IDS))
    .order_by(Location.service_id, Location.name, Location.id)
)
_MUNICIPALITY_NAMES = select(Municipality.code, Municipality.name).where(
    Municipality.code.in_(_IDS)
)


def next_meetings(
    session: Session, service_ids: Sequence[str], now: datetime
) -> dict[str, MeetingCard]:
    """The first not-cancelled meeting with ``starts_at >= now`` per service, in one query."""
    if not service_ids:
        return {}
    rows = session.execute(_NEXT_MEETINGS, {"ids": list(service_ids), "now": now})
    return {row.service_id: _meeting_from_row(row) for row in rows}


def load_cards(
    session: Session,
    service_ids: Sequence[str],
    now: datetime,
    municipality_names: Mapping[str, str] | None = None,
    language: str | None = None,
) -> dict[str, ServiceCard]:
    """Cards for ``service_ids`` (missing ids are left out), keyed by id.

    ``language`` is the reader's: each card's description and how-to-join are in that language
    where the group wrote one, Dutch otherwise (None: Dutch). Four or five column queries
    whatever the count (services with their organisation; topics, languages, areas and texts
    in one UNION; locations; next meetings; municipality names unless ``municipality_names``
    is given, e.g. a Gazetteer's). Column queries instead of ORM entities with selectin
    loaders: the ORM path cost ~6 ms for ten cards, this ~1 ms.
    """
    ids = list(dict.fromkeys(service_ids))
    if not ids:
        return {}
    params = {"ids": ids}
    services = session.execute(_SERVICES, params).all()
    if not services:
        return {}
    topics: dict[str, list[str]] = defaultdict(list)
    languages: dict[str, list[str]] = defaultdict(list)
    codes: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, list[CardText]] = defaultdict(list)
    for sid, what, value in session.execute(_CHILDREN, params):
        if what == "t":
            topics[sid].append(value)
        elif what == "l":
            languages[sid].append(value)
        elif what == "a":
            codes[sid].add(value)
        else:
            field, _colon, text_language = what.partition(":")
            texts[sid].append(CardText(field, text_language, value))
    locations: dict[str, list[LocationCard]] = defaultdict(list)
    for sid, *fields in session.execute(_LOCATIONS, params):
        card = LocationCard(*fields)
        locations[sid].append(card)
        if card.municipality_code:
            codes[sid].add(card.municipality_code)
    if municipality_names is None:
        wanted = set().union(*codes.values()) if codes else set()
        rows = session.execute(_MUNICIPALITY_NAMES, {"ids": sorted(wanted)}) if wanted else ()
        municipality_names = {code: name for code, name in rows}
    meetings = next_meetings(session, [row.id for row in services], now)
    names = municipality_names
    cards = {}
    for row in services:
        values = dict(row._mapping)
        sid = values["id"]
        values["description"] = values["description"] or ""
        values.update({flag: bool(values[flag]) for flag in _FLAGS})
        served = sorted(codes.get(sid, ()), key=lambda c: (names.get(c, c), c))
        written = [
            CardText(field, DEFAULT_TEXT_LANGUAGE, values[field])
            for field in ("description", "how_to_join")
            if values[field]
        ]
        written += sorted(texts.get(sid, ()))
        card = ServiceCard(
            **values,
            topics=tuple(sorted(topics.get(sid, ()))),
            languages=tuple(sorted(languages.get(sid, ()))),
            municipality_codes=tuple(served),
            municipalities=tuple(names.get(c, c) for c in served),
            locations=tuple(locations.get(sid, ())),
            next_meeting=meetings.get(sid),
            texts=tuple(written),
        )
        cards[sid] = card.in_language(language) if language else card
    return cards
