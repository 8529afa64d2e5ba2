"""Importing directory data: validate everything first, then upsert in one transaction.

Pipeline (the same for HSDS JSON, CSV, the demo directory and the national lines):

1. A format module (:mod:`bot.directory.hsds`, :mod:`bot.directory.csv_format`) parses the
   file into plain, frozen *records* (:class:`ServiceRecord` with its
   :class:`OrganisationRecord`, locations and schedules). While parsing it hands every value to
   a :class:`Checker`, which normalises it and collects an :class:`ImportProblem` with the exact
   location (``row 7, column topics`` or ``$[2].schedules[0]…``) for anything wrong.
2. :func:`import_records` adds the checks that need the whole file or the database (duplicate
   ids, one organisation described two ways, a location id owned by another service).
3. Only when there is not a single problem are the records upserted. The caller's session owns
   the transaction (``with db.session() as s: import_file(s, path)`` commits once at the end);
   nothing is written when there are problems, so a broken file leaves the database as it was.

Upsert compares the record built from the file with the record built from the database row;
equal records are left alone entirely (not even ``updated_at`` moves), which is what makes a
re-import report ``0 created, 0 updated``. Import never deletes services that are missing from
a file: a file is a set of upserts, not a full replacement (removing groups is a coordinator
decision, not a side effect of a partial file).

Normalisation rules shared by every format, so that round trips are exact:

- empty optional text is ``None``; ``description`` is never ``None`` ("" instead);
- texts in other languages than Dutch (:class:`TextRecord`) are a sorted set keyed by
  (field, language); an empty one is simply not there;
- topics, languages and service areas are sorted sets; locations and schedules are sorted by id;
- a schedule's ``dtstart`` is a naive Europe/Amsterdam wall-clock time in ISO format with
  minute precision (seconds only when non-zero); an RRULE is stored upper-case without the
  ``RRULE:`` prefix and without DTSTART.

Stable ids: ids from a file are kept. Missing ids are derived with uuid5 under
:data:`NAMESPACE`: a service from (organisation name, service name), an organisation from its
name, a location or schedule from its service id and position.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from dateutil.rrule import rrule, rrulestr
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from bot.directory.gazetteer import Gazetteer
from bot.directory.models import (
    DEFAULT_TEXT_LANGUAGE,
    TEXT_LANGUAGES,
    Location,
    Meeting,
    Municipality,
    Organisation,
    Schedule,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceText,
    ServiceTopic,
)
from bot.directory.national_lines import NationalLine, load_national_lines
from bot.taxonomy import JoinMode, LedBy, ServiceKind, Topic

#: Namespace of every derived id. Never change it: derived ids would all change with it.
NAMESPACE = uuid.UUID("6f1d7c1e-8a52-5b0e-9d1c-5e7a3b2c9f40")

#: Wall-clock zone of schedules (RRULE dtstart) and demo meetings.
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")

STATUSES = ("active", "inactive", "defunct", "temporarily closed")  # HSDS service.status
MAX_DURATION_MINUTES = 24 * 60

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{1,30}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$", re.IGNORECASE)


def stable_id(*parts: str) -> str:
    """A deterministic uuid5 (as text) from ``parts``; the same parts always give the same id."""
    # \x1f (unit separator) cannot occur in names, so ("a b", "c") and ("a", "b c") differ.
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def service_id_for(organisation_name: str, service_name: str) -> str:
    """The id given to a service that arrives without one."""
    return stable_id("service", organisation_name.strip(), service_name.strip())


def organisation_id_for(organisation_name: str) -> str:
    """The id given to an organisation that arrives without one."""
    return stable_id("organisation", organisation_name.strip())


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class OrganisationRecord:
    """An organisation as plain data (mirrors :class:`~bot.directory.models.Organisation`)."""

    id: str
    name: str
    description: str = ""
    url: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class LocationRecord:
    """A place where a service meets (mirrors :class:`~bot.directory.models.Location`)."""

    id: str
    name: str
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    municipality_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class ScheduleRecord:
    """A recurring schedule (mirrors :class:`~bot.directory.models.Schedule`)."""

    id: str
    rrule: str
    dtstart: str
    duration_minutes: int = 120
    description: str | None = None


@dataclass(frozen=True)
class TextRecord:
    """A service's ``description`` or ``how_to_join`` in a language other than Dutch
    (mirrors :class:`~bot.directory.models.ServiceText`)."""

    field: str
    language: str
    text: str


@dataclass(frozen=True)
class ServiceRecord:
    """A service with everything that belongs to it, in canonical (sorted) form."""

    id: str
    organisation: OrganisationRecord
    name: str
    kind: str
    description: str = ""
    status: str = "active"
    url: str | None = None
    email: str | None = None
    phone: str | None = None
    national: bool = False
    online: bool = False
    in_person: bool = True
    online_url: str | None = None
    women_only: bool = False
    community_focus: str | None = None
    led_by: str | None = None
    cost: str = "free"
    accessibility: str | None = None
    join_mode: str = JoinMode.JUST_COME.value
    how_to_join: str | None = None
    anonymity: str | None = None
    wait_time: str | None = None
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    locations: tuple[LocationRecord, ...] = ()
    schedules: tuple[ScheduleRecord, ...] = ()
    texts: tuple[TextRecord, ...] = ()

    def canonical(self) -> ServiceRecord:
        """The same record with its collections sorted, so equal content compares equal."""
        return replace(
            self,
            topics=tuple(sorted(set(self.topics))),
            languages=tuple(sorted(set(self.languages))),
            areas=tuple(sorted(set(self.areas))),
            locations=tuple(sorted(self.locations, key=lambda x: x.id)),
            schedules=tuple(sorted(self.schedules, key=lambda x: x.id)),
            texts=tuple(sorted(set(self.texts), key=lambda x: (x.field, x.language))),
        )

    def text(self, field: str, language: str) -> str | None:
        """The ``field`` text in ``language`` (Dutch: the main field), or None."""
        if language == DEFAULT_TEXT_LANGUAGE:
            return getattr(self, field) or None
        for text in self.texts:
            if text.field == field and text.language == language:
                return text.text
        return None


#: Scalar columns shared by :class:`ServiceRecord` and :class:`~bot.directory.models.Service`.
SERVICE_SCALARS = tuple(
    f.name
    for f in fields(ServiceRecord)
    if f.name
    not in {
        "id", "organisation", "topics", "languages", "areas", "locations", "schedules", "texts"
    }
)  # fmt: skip


@dataclass(frozen=True)
class MeetingRecord:
    """A concrete dated meeting (mirrors :class:`~bot.directory.models.Meeting`)."""

    id: str
    service_id: str
    starts_at: datetime
    ends_at: datetime
    place: str | None = None
    online_url: str | None = None
    language: str | None = None
    note: str | None = None
    cancelled: bool = False
    series_id: str | None = None


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in an import file, with where it is."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True)
class RecordCounts:
    """How many records of one kind were created, updated or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one import. ``created/updated/unchanged`` count services.

    When ``ok`` is False nothing was written and ``problems`` lists every problem found.
    """

    ok: bool
    problems: tuple[ImportProblem, ...] = ()
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations: RecordCounts = field(default_factory=RecordCounts)
    meetings: RecordCounts = field(default_factory=RecordCounts)
    source: str = ""

    @property
    def services(self) -> RecordCounts:
        """The service counts as a :class:`RecordCounts`."""
        return RecordCounts(self.created, self.updated, self.unchanged)

    def summary(self) -> str:
        """One line for the command line, e.g. ``demo: services 0 created, …``."""
        prefix = f"{self.source}: " if self.source else ""
        if not self.ok:
            count = len(self.problems)
            noun = "problem" if count == 1 else "problems"
            return f"{prefix}not imported, {count} {noun}; the database was not changed"
        text = f"{prefix}services {self.services}; organisations {self.organisations}"
        if self.meetings != RecordCounts():
            text += f"; meetings {self.meetings}"
        return text

    def problem_lines(self) -> list[str]:
        """Every problem as ``location: message``, one per line, in file order."""
        return [str(p) for p in self.problems]

    def __str__(self) -> str:
        return "\n".join([self.summary(), *self.problem_lines()])


class ImportFormatError(ValueError):
    """The file's format cannot be determined from its extension."""


# --------------------------------------------------------------------------- checking


class PlaceResolver(Protocol):
    """Turns a municipality name, CBS code or alias into a CBS code (None when unknown)."""

    def municipality_code(self, text: str) -> str | None:
        """The CBS code for ``text``, or None."""
        ...

    def suggest(self, text: str) -> str | None:
        """A municipality name ``text`` is probably a typo of, or None."""
        ...


class GazetteerPlaces:
    """Resolves municipalities for imports: CBS codes, official names and aliases, exactly.

    Unlike a citizen's answer, an import file is edited at a desk, so typos are reported (with
    a suggestion) instead of being silently fuzzy-matched, and a postcode is not a municipality.
    """

    def __init__(self, session: Session) -> None:
        self._gazetteer = Gazetteer.load(session)
        self._codes = {code.upper(): code for code in self._gazetteer.names}

    def municipality_code(self, text: str) -> str | None:
        """The CBS code for a code (``GM0363``), a name or an alias, or None."""
        text = text.strip()
        if _MUNICIPALITY_CODE.match(text):
            return self._codes.get(text.upper())
        match = self._gazetteer.resolve(text)
        if match is None or match.method not in ("name", "alias"):
            return None
        return match.code

    def suggest(self, text: str) -> str | None:
        """The official name of a near match (typo), or None."""
        match = self._gazetteer.resolve(text)
        return match.name if match is not None and match.method == "fuzzy" else None


class Checker:
    """Normalises values of one import and collects every problem with its location.

    One Checker per import; it is never shared, so collecting into a list is safe.
    """

    def __init__(self, places: PlaceResolver | None) -> None:
        self.places = places
        self.problems: list[ImportProblem] = []
        self._seen: set[tuple[str, str]] = set()

    def add(self, location: str, message: str) -> None:
        """Record a problem (the same location and message only once)."""
        key = (location, message)
        if key not in self._seen:
            self._seen.add(key)
            self.problems.append(ImportProblem(location, message))

    # -- text

    def required(self, value: object, location: str, what: str) -> str:
        """A non-empty text; reports ``missing <what>`` otherwise (and returns "")."""
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            self.add(location, f"missing {what}")
        return text

    @staticmethod
    def optional(value: object) -> str | None:
        """Stripped text, or None for empty/absent values (our canonical 'not given')."""
        if value is None:
            return None
        text = str(value).strip()
        return text or None

    def choice(self, value: object, location: str, allowed: Iterable[str], what: str) -> str | None:
        """A value from ``allowed`` (case-insensitive); reports ``unknown <what>``."""
        text = self.optional(value)
        if text is None:
            return None
        options = {a.lower(): a for a in allowed}
        found = options.get(text.lower())
        if found is None:
            self.add(location, f"unknown {what} {text!r} (expected one of: {', '.join(allowed)})")
        return found

    def topic(self, value: object, location: str) -> str | None:
        """A topic id of taxonomy.md."""
        return self.choice(value, location, [t.value for t in Topic], "topic")

    def kind(self, value: object, location: str) -> str | None:
        """A service kind; missing is a problem too."""
        if self.optional(value) is None:
            self.add(location, "missing kind")
            return None
        return self.choice(value, location, [k.value for k in ServiceKind], "kind")

    def led_by(self, value: object, location: str) -> str | None:
        """Who leads a group, or None."""
        return self.choice(value, location, [x.value for x in LedBy], "led_by")

    def join_mode(self, value: object, location: str) -> str:
        """How to join; defaults to ``just_come``."""
        found = self.choice(value, location, [x.value for x in JoinMode], "join_mode")
        return found or JoinMode.JUST_COME.value

    def status(self, value: object, location: str) -> str:
        """An HSDS service status; defaults to ``active``."""
        return self.choice(value, location, STATUSES, "status") or "active"

    def language(self, value: object, location: str) -> str | None:
        """An ISO 639 language code, lower-case."""
        text = self.optional(value)
        if text is None:
            self.add(location, "missing language code")
            return None
        code = text.lower()
        if not _LANGUAGE.match(code):
            self.add(location, f"bad language code {text!r} (use ISO 639-1, e.g. nl, tr, fa, ar)")
            return None
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            self.add(location, f"unknown language code {text!r}")
            return None
        return code

    def text_language(self, value: object, location: str) -> str | None:
        """The language of a text given besides the Dutch one: one of :data:`TEXT_LANGUAGES`."""
        code = self.language(value, location)
        if code is None:
            return None
        if code == DEFAULT_TEXT_LANGUAGE:
            self.add(location, f"{code!r} is the main language: its text goes in the main field")
            return None
        if code not in TEXT_LANGUAGES:
            self.add(location, f"texts can be given in {', '.join(TEXT_LANGUAGES)} besides Dutch, "
                               f"not in {code!r}")
            return None
        return code

    def email(self, value: object, location: str) -> str | None:
        """An e-mail address of plausible shape, or None."""
        text = self.optional(value)
        if text is not None and not _EMAIL.match(text):
            self.add(location, f"bad e-mail address {text!r}")
        return text

    def url(self, value: object, location: str) -> str | None:
        """An absolute http(s) URL, or None."""
        text = self.optional(value)
        if text is None:
            return None
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
            self.add(location, f"bad url {text!r} (expected http:// or https://…)")
        return text

    def phone(self, value: object, location: str) -> str | None:
        """A phone number of plausible shape (digits, spaces, dashes, parentheses, +)."""
        text = self.optional(value)
        if text is not None and not _PHONE.match(text):
            self.add(location, f"bad phone number {text!r}")
        return text

    def flag(self, value: object, location: str, default: bool) -> bool:
        """A boolean from true/false, yes/no, ja/nee, 1/0 (or a JSON boolean)."""
        if isinstance(value, bool):
            return value
        text = self.optional(value)
        if text is None:
            return default
        lowered = text.lower()
        if lowered in ("true", "yes", "ja", "1", "y", "j"):
            return True
        if lowered in ("false", "no", "nee", "0", "n"):
            return False
        self.add(location, f"expected true or false, got {text!r}")
        return default

    def number(self, value: object, location: str) -> float | None:
        """A float (latitude/longitude), or None."""
        text = self.optional(value)
        if text is None:
            return None
        try:
            return float(text)
        except ValueError:
            self.add(location, f"expected a number, got {text!r}")
            return None

    def identifier(self, value: object, location: str) -> str | None:
        """An id from the file: must be a UUID (HSDS requires it); returned as given."""
        text = self.optional(value)
        if text is None:
            return None
        try:
            uuid.UUID(text)
        except ValueError:
            self.add(location, f"bad id {text!r} (expected a UUID)")
        return text

    def municipality(self, value: object, location: str) -> str | None:
        """A CBS code from a municipality name, code or alias."""
        text = self.optional(value)
        if text is None:
            return None
        if self.places is None:
            self.add(location, "cannot resolve municipalities without the gazetteer")
            return None
        code = self.places.municipality_code(text)
        if code is None:
            suggestion = self.places.suggest(text)
            hint = f" (did you mean {suggestion}?)" if suggestion else ""
            self.add(location, f"unknown municipality {text!r}{hint}")
        return code

    # -- schedules

    def dtstart(self, value: object, location: str) -> str | None:
        """A canonical local wall-clock start (ISO, Europe/Amsterdam)."""
        text = self.optional(value)
        if text is None:
            self.add(location, "missing dtstart")
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.add(location, f"bad dtstart {text!r} (expected e.g. 2025-01-07T19:30)")
            return None
        return canonical_dtstart(moment)

    def rrule(self, value: object, location: str, dtstart: str | None) -> str | None:
        """A canonical RRULE, checked with :func:`dateutil.rrule.rrulestr`."""
        text = self.optional(value)
        if text is None:
            self.add(location, "missing RRULE")
            return None
        rule = text.upper()
        rule = rule.removeprefix("RRULE:")
        if "\n" in rule or "DTSTART" in rule:
            self.add(location, f"invalid RRULE {text!r}: give one rule; dtstart goes separately")
            return None
        start = datetime.fromisoformat(dtstart) if dtstart else datetime(2025, 1, 6, 19, 0)
        try:
            parsed = rrulestr(rule, dtstart=start)
        except (ValueError, TypeError) as exc:
            self.add(location, f"invalid RRULE {text!r}: {exc}")
            return None
        if not isinstance(parsed, rrule) or parsed.after(start, inc=True) is None:
            self.add(location, f"invalid RRULE {text!r}: it has no occurrences")
            return None
        return rule

    def duration(self, value: object, location: str) -> int:
        """Meeting length in minutes (1…1440); defaults to 120."""
        if isinstance(value, int) and not isinstance(value, bool):
            minutes = value
        else:
            text = self.optional(value)
            if text is None:
                return 120
            try:
                minutes = int(text)
            except ValueError:
                self.add(location, f"expected whole minutes, got {text!r}")
                return 120
        if not 1 <= minutes <= MAX_DURATION_MINUTES:
            self.add(location, f"duration must be 1…{MAX_DURATION_MINUTES} minutes")
        return minutes


def canonical_dtstart(moment: datetime) -> str:
    """ISO text of a local wall-clock time; aware values are converted to Europe/Amsterdam."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")


# --------------------------------------------------------------------------- database side


def organisation_record(org: Organisation) -> OrganisationRecord:
    """The record of an organisation row."""
    return OrganisationRecord(
        id=org.id,
        name=org.name,
        description=org.description or "",
        url=org.url,
        email=org.email,
        phone=org.phone,
    )


def service_record(service: Service) -> ServiceRecord:
    """The canonical record of a service row and its children."""
    return ServiceRecord(
        id=service.id,
        organisation=organisation_record(service.organisation),
        **{name: getattr(service, name) for name in SERVICE_SCALARS},
        topics=tuple(t.topic for t in service.topics),
        languages=tuple(lang.language for lang in service.languages),
        areas=tuple(a.municipality_code for a in service.areas),
        locations=tuple(
            LocationRecord(
                id=loc.id,
                name=loc.name,
                address=loc.address,
                postcode=loc.postcode,
                city=loc.city,
                municipality_code=loc.municipality_code,
                latitude=loc.latitude,
                longitude=loc.longitude,
            )
            for loc in service.locations
        ),
        schedules=tuple(
            ScheduleRecord(
                id=s.id,
                rrule=s.rrule,
                dtstart=s.dtstart,
                duration_minutes=s.duration_minutes,
                description=s.description,
            )
            for s in service.schedules
        ),
        texts=tuple(TextRecord(t.field, t.language, t.text) for t in service.texts),
    ).canonical()


def load_records(session: Session,
                 where: ColumnElement[bool] | None = None) -> list[ServiceRecord]:
    """Every service in the database (or those matching ``where``, a condition on
    :class:`Service`) as a record, sorted by name then id (export order)."""
    query = select(Service).options(selectinload(Service.organisation))
    if where is not None:
        query = query.where(where)
    services = session.scalars(query)
    return sorted((service_record(s) for s in services), key=lambda r: (r.name, r.id))


def municipality_info(session: Session) -> dict[str, tuple[str, str | None]]:
    """CBS code → (name, province) for every municipality (used by the exports)."""
    rows = session.execute(select(Municipality.code, Municipality.name, Municipality.province))
    return {code: (name, province) for code, name, province in rows}


def meeting_record(meeting: Meeting) -> MeetingRecord:
    """The record of a meeting row."""
    return MeetingRecord(
        id=meeting.id,
        service_id=meeting.service_id,
        starts_at=meeting.starts_at.astimezone(UTC),
        ends_at=meeting.ends_at.astimezone(UTC),
        place=meeting.place,
        online_url=meeting.online_url,
        language=meeting.language,
        note=meeting.note,
        cancelled=meeting.cancelled,
        series_id=meeting.series_id,
    )


def _check_against_database(
    session: Session, services: Sequence[ServiceRecord], where: Mapping[str, str], checker: Checker
) -> None:
    """Problems only the database can reveal: unknown municipality codes, foreign child ids."""
    known = set(session.scalars(select(Municipality.code)))
    for record in services:
        used = {*record.areas, *(loc.municipality_code for loc in record.locations)}
        for code in sorted(c for c in used - known if c is not None):
            checker.add(where.get(record.id, "?"), f"unknown municipality code {code!r}")
    location_ids = {loc.id: s.id for s in services for loc in s.locations}
    schedule_ids = {sch.id: s.id for s in services for sch in s.schedules}
    for model, wanted, what in (
        (Location, location_ids, "location"),
        (Schedule, schedule_ids, "schedule"),
    ):
        if not wanted:
            continue
        rows = session.execute(select(model.id, model.service_id).where(model.id.in_(list(wanted))))
        for child_id, owner in rows:
            if owner != wanted[child_id]:
                checker.add(
                    where.get(wanted[child_id], "?"),
                    f"{what} id {child_id} already belongs to another service ({owner})",
                )


def _apply_scalars(target: object, record: object, names: Iterable[str]) -> None:
    for name in names:
        setattr(target, name, getattr(record, name))


def _sync_service(service: Service, record: ServiceRecord) -> None:
    """Make a (new or existing) service row equal to ``record``, keeping unchanged children."""
    service.organisation_id = record.organisation.id
    _apply_scalars(service, record, SERVICE_SCALARS)

    # Children are diffed by key instead of replaced wholesale: deleting and re-inserting a row
    # with the same primary key in one flush is fragile across engines.
    wanted_topics = set(record.topics)
    service.topics = [t for t in service.topics if t.topic in wanted_topics] + [
        ServiceTopic(topic=t) for t in sorted(wanted_topics - {t.topic for t in service.topics})
    ]
    wanted_languages = set(record.languages)
    service.languages = [
        lang for lang in service.languages if lang.language in wanted_languages
    ] + [
        ServiceLanguage(language=code)
        for code in sorted(wanted_languages - {lang.language for lang in service.languages})
    ]
    wanted_areas = set(record.areas)
    service.areas = [a for a in service.areas if a.municipality_code in wanted_areas] + [
        ServiceArea(municipality_code=code)
        for code in sorted(wanted_areas - {a.municipality_code for a in service.areas})
    ]

    existing_locations = {loc.id: loc for loc in service.locations}
    locations = []
    for loc in record.locations:
        row = existing_locations.get(loc.id) or Location(id=loc.id)
        _apply_scalars(row, loc, [f.name for f in fields(LocationRecord) if f.name != "id"])
        locations.append(row)
    service.locations = locations

    existing_schedules = {s.id: s for s in service.schedules}
    schedules = []
    for sch in record.schedules:
        row = existing_schedules.get(sch.id) or Schedule(id=sch.id)
        _apply_scalars(row, sch, [f.name for f in fields(ScheduleRecord) if f.name != "id"])
        schedules.append(row)
    service.schedules = schedules

    existing_texts = {(t.field, t.language): t for t in service.texts}
    texts = []
    for text in record.texts:
        row = existing_texts.get((text.field, text.language)) or ServiceText(
            field=text.field, language=text.language
        )
        row.text = text.text
        texts.append(row)
    service.texts = texts


def _upsert(
    session: Session, services: Sequence[ServiceRecord], meetings: Sequence[MeetingRecord]
) -> tuple[RecordCounts, RecordCounts, RecordCounts]:
    """Write the records; returns counts for services, organisations, meetings."""
    organisations = {s.organisation.id: s.organisation for s in services}
    existing_orgs = {
        o.id: o
        for o in session.scalars(
            select(Organisation).where(Organisation.id.in_(list(organisations)))
        )
    }
    org_counts = [0, 0, 0]
    org_fields = [f.name for f in fields(OrganisationRecord) if f.name != "id"]
    for org_id, record in organisations.items():
        row = existing_orgs.get(org_id)
        if row is None:
            row = Organisation(id=org_id)
            _apply_scalars(row, record, org_fields)
            session.add(row)
            org_counts[0] += 1
        elif organisation_record(row) != record:
            _apply_scalars(row, record, org_fields)
            org_counts[1] += 1
        else:
            org_counts[2] += 1
    session.flush()

    existing = {
        s.id: s
        for s in session.scalars(
            select(Service)
            .where(Service.id.in_([s.id for s in services]))
            .options(selectinload(Service.organisation))
        )
    }
    counts = [0, 0, 0]
    for record in services:
        row = existing.get(record.id)
        if row is None:
            row = Service(id=record.id)
            _sync_service(row, record)
            session.add(row)
            counts[0] += 1
        elif service_record(row) != record:
            _sync_service(row, record)
            counts[1] += 1
        else:
            counts[2] += 1
    session.flush()

    meeting_counts = [0, 0, 0]
    meeting_fields = [f.name for f in fields(MeetingRecord) if f.name != "id"]
    existing_meetings = (
        {
            m.id: m
            for m in session.scalars(
                select(Meeting).where(Meeting.id.in_([m.id for m in meetings]))
            )
        }
        if meetings
        else {}
    )
    for record in meetings:
        row = existing_meetings.get(record.id)
        if row is None:
            row = Meeting(id=record.id)
            _apply_scalars(row, record, meeting_fields)
            session.add(row)
            meeting_counts[0] += 1
        elif meeting_record(row) != record:
            _apply_scalars(row, record, meeting_fields)
            meeting_counts[1] += 1
        else:
            meeting_counts[2] += 1
    session.flush()
    return RecordCounts(*counts), RecordCounts(*org_counts), RecordCounts(*meeting_counts)


# --------------------------------------------------------------------------- entry points


def import_records(
    session: Session,
    services: Sequence[tuple[ServiceRecord, str]],
    *,
    checker: Checker,
    meetings: Sequence[MeetingRecord] = (),
    source: str = "",
) -> ImportReport:
    """Check ``services`` as a whole and, only when nothing is wrong, upsert them.

    ``services`` pairs each record with its location in the file (``row 7``, ``$[2]``) for
    problems found here; ``checker`` already holds the problems found while parsing.
    """
    located = [(record.canonical(), here) for record, here in services]
    first_seen: dict[str, str] = {}
    org_seen: dict[str, tuple[OrganisationRecord, str]] = {}
    child_owner: dict[tuple[str, str], tuple[str, str]] = {}
    for record, here in located:
        if record.id in first_seen:
            checker.add(here, f"duplicate service id {record.id} (also at {first_seen[record.id]})")
            continue
        first_seen[record.id] = here
        previous = org_seen.get(record.organisation.id)
        if previous is None:
            org_seen[record.organisation.id] = (record.organisation, here)
        elif previous[0] != record.organisation:
            checker.add(
                here,
                f"organisation {record.organisation.id} is described differently at {previous[1]}",
            )
        text_keys = [(t.field, t.language) for t in record.texts]
        for field_name, language in sorted({k for k in text_keys if text_keys.count(k) > 1}):
            checker.add(here, f"more than one {field_name} text in {language!r}")
        children = [("location", x.id) for x in record.locations]
        children += [("schedule", x.id) for x in record.schedules]
        for key in children:
            owner = child_owner.setdefault(key, (record.id, here))
            if owner[0] != record.id:
                checker.add(here, f"duplicate {key[0]} id {key[1]} (also at {owner[1]})")
    records = [record for record, _here in located]
    where = {record.id: here for record, here in reversed(located)}
    if not checker.problems:
        _check_against_database(session, records, where, checker)
    if checker.problems:
        return ImportReport(ok=False, problems=tuple(checker.problems), source=source)
    service_counts, org_counts, meeting_counts = _upsert(session, records, meetings)
    return ImportReport(
        ok=True,
        created=service_counts.created,
        updated=service_counts.updated,
        unchanged=service_counts.unchanged,
        organisations=org_counts,
        meetings=meeting_counts,
        source=source,
    )


def import_file(session: Session, path: Path) -> ImportReport:
    """Import an HSDS 3.0 JSON (``.json``) or CSV (``.csv``) file, all or nothing.

    Raises :class:`ImportFormatError` for any other extension and :class:`OSError` when the file
    cannot be read; every problem *inside* the file is reported in the returned report.
    """
    # The format modules import this one for the record types, so they are imported here.
    from bot.directory import csv_format, hsds

    path = Path(path)
    suffix = path.suffix.lower()
    checker = Checker(GazetteerPlaces(session))
    if suffix == ".json":
        services = hsds.parse_hsds_text(path.read_text(encoding="utf-8-sig"), checker)
    elif suffix == ".csv":
        services = csv_format.parse_csv_text(path.read_text(encoding="utf-8-sig"), checker)
    else:
        raise ImportFormatError(f"{path.name}: expected a .json (HSDS 3.0) or .csv file")
    return import_records(session, services, checker=checker, source=path.name)


def national_line_services(
    lines: Sequence[NationalLine] | None = None,
) -> tuple[ServiceRecord, ...]:
    """The national lines as ``helpline`` services, one organisation per line."""
    records = []
    for line in lines if lines is not None else load_national_lines():
        organisation = OrganisationRecord(
            id=stable_id("national-line-organisation", line.id),
            name=line.organisation,
            description="",
            url=line.url,
        )
        ways = [f"Bel {line.phone}"] if line.phone else []
        ways += [f"bel {'gratis ' if p.free else ''}{p.phone}" for p in line.other_phones]
        if line.chat_url:
            ways.append(f"chat via {line.chat_url}")
        records.append(
            ServiceRecord(
                id=stable_id("national-line", line.id),
                organisation=organisation,
                name=line.name,
                kind=ServiceKind.HELPLINE.value,
                description=line.description.nl,
                url=line.url,
                phone=line.phone,
                national=True,
                online=line.chat_url is not None,
                in_person=False,
                online_url=line.chat_url,
                anonymity="anoniem" if line.anonymous else None,
                how_to_join=", of ".join(ways) or None,
                wait_time=None,
                topics=tuple(t.value for t in line.topics),
                languages=("nl",),
                join_mode=JoinMode.CONTACT_FIRST.value,
            ).canonical()
        )
    return tuple(records)


def sync_national_lines(session: Session) -> ImportReport:
    """Upsert the national lines of the YAML file as helpline services (idempotent)."""
    services = [(s, f"national_lines.yml ({s.name})") for s in national_line_services()]
    return import_records(session, services, checker=Checker(None), source="national lines")


def import_demo(session: Session, now: datetime | None = None) -> ImportReport:
    """Load the fictional demo directory (plus the national lines) through the upsert path.

    ``now`` (aware; default: the current time) anchors the 8 weeks of generated meetings.
    """
    from bot.directory.demo import build_demo

    demo = build_demo(now)
    return import_records(
        session,
        [(s, f"demo ({s.name})") for s in demo.services],
        checker=Checker(None),
        meetings=demo.meetings,
        source="demo",
    )
