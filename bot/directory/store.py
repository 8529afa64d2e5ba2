"""Records and database rows: reading the directory as records, and writing records as rows.

Writing compares the record built from a file with the record built from the database row;
equal records are left alone entirely (not even ``updated_at`` moves), which is what makes a
re-import report ``0 created, 0 updated``. Nothing here checks a record: that happened when it
was built (:mod:`bot.directory.records`) and in :func:`bot.directory.importer.import_records`,
the only caller of :func:`write_records`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from bot.directory.models import (
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
from bot.directory.records import (
    SERVICE_SCALARS,
    LocationRecord,
    MeetingRecord,
    OrganisationRecord,
    Record,
    ScheduleRecord,
    ServiceRecord,
    TextRecord,
    fields_of,
)

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class RecordCounts:
    """How many records of one kind were created, updated or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


# --------------------------------------------------------------------------- rows → records


def _trusted(record: type[Record], row: object) -> Any:
    return record.model_construct(**{name: getattr(row, name) for name in record.model_fields})


def organisation_record(org: Organisation) -> OrganisationRecord:
    """The record of an organisation row."""
    return OrganisationRecord.model_construct(
        id=org.id,
        name=org.name,
        description=org.description or "",
        url=org.url,
        email=org.email,
        phone=org.phone,
    )


def service_record(service: Service) -> ServiceRecord:
    """The canonical record of a service row and its children."""
    return ServiceRecord.trusted(
        id=service.id,
        organisation=organisation_record(service.organisation),
        **{name: getattr(service, name) for name in SERVICE_SCALARS},
        topics=[t.topic for t in service.topics],
        languages=[lang.language for lang in service.languages],
        areas=[a.municipality_code for a in service.areas],
        locations=[_trusted(LocationRecord, loc) for loc in service.locations],
        schedules=[_trusted(ScheduleRecord, s) for s in service.schedules],
        texts=[_trusted(TextRecord, t) for t in service.texts],
    )


def meeting_record(meeting: Meeting) -> MeetingRecord:
    """The record of a meeting row (times in UTC)."""
    values = {name: getattr(meeting, name) for name in MeetingRecord.model_fields}
    values.update(starts_at=meeting.starts_at.astimezone(UTC),
                  ends_at=meeting.ends_at.astimezone(UTC))  # fmt: skip
    return MeetingRecord.model_construct(**values)


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


# --------------------------------------------------------------------------- records → rows


def _apply(target: object, record: Record, names: Iterable[str]) -> None:
    for name in names:
        setattr(target, name, getattr(record, name))


def _children(existing: Iterable[Any], wanted: Iterable[Any], key: str, make: Any) -> list[Any]:
    """Rows for the ``wanted`` keys: kept where they exist, new ones made with ``make(key)``."""
    rows = {getattr(row, key): row for row in existing}
    return [rows.get(value) or make(value) for value in sorted(set(wanted))]


def _synced(existing: Iterable[Any], records: Iterable[Record], model: type[Any]) -> list[Any]:
    """Rows equal to ``records`` (locations, schedules): existing rows kept and updated."""
    rows = {row.id: row for row in existing}
    synced = []
    for record in records:
        row = rows.get(record.id) or model(id=record.id)
        _apply(row, record, fields_of(type(record)))
        synced.append(row)
    return synced


def _sync_service(service: Service, record: ServiceRecord) -> None:
    """Make a (new or existing) service row equal to ``record``, keeping unchanged children."""
    service.organisation_id = record.organisation.id
    _apply(service, record, SERVICE_SCALARS)

    # Children are diffed by key instead of replaced wholesale: deleting and re-inserting a row
    # with the same primary key in one flush is fragile across engines.
    service.topics = _children(service.topics, record.topics, "topic",
                               lambda code: ServiceTopic(topic=code))
    service.languages = _children(service.languages, record.languages, "language",
                                  lambda code: ServiceLanguage(language=code))
    service.areas = _children(service.areas, record.areas, "municipality_code",
                              lambda code: ServiceArea(municipality_code=code))  # fmt: skip
    service.locations = _synced(service.locations, record.locations, Location)
    service.schedules = _synced(service.schedules, record.schedules, Schedule)
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
    session: Session, model: type[Any], records: Mapping[str, R], read: Callable[[Any], R],
    write: Callable[[Any, R], None], *options: Any,
) -> RecordCounts:  # fmt: skip
    """Insert the new ``records`` (id → record), update the changed ones, leave equal ones be."""
    query = select(model).where(model.id.in_(list(records))).options(*options)
    existing = {row.id: row for row in session.scalars(query)} if records else {}
    counts = [0, 0, 0]
    for key, record in records.items():
        row = existing.get(key)
        if row is None:
            row = model(id=key)
            write(row, record)
            session.add(row)
            counts[0] += 1
        elif read(row) != record:
            write(row, record)
            counts[1] += 1
        else:
            counts[2] += 1
    session.flush()
    return RecordCounts(*counts)


def _copy(row: Any, record: Record) -> None:
    _apply(row, record, fields_of(type(record)))


def write_records(
    session: Session, services: Sequence[ServiceRecord], meetings: Sequence[MeetingRecord]
) -> tuple[RecordCounts, RecordCounts, RecordCounts]:
    """Upsert checked records; returns counts for services, organisations, meetings.

    Never deletes: a file is a set of upserts, not a full replacement (removing groups is a
    coordinator decision, not a side effect of a partial file).
    """
    organisations = _upsert(session, Organisation, {s.organisation.id: s.organisation
                                                    for s in services},
                            organisation_record, _copy)  # fmt: skip
    service_counts = _upsert(session, Service, {s.id: s for s in services}, service_record,
                             _sync_service, selectinload(Service.organisation))
    meeting_counts = _upsert(session, Meeting, {m.id: m for m in meetings}, meeting_record, _copy)
    return service_counts, organisations, meeting_counts
