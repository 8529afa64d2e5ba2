"""CSV export and import of the directory: one row per service, for spreadsheets.

The file is UTF-8 (a BOM is accepted), comma-separated, with this header (the order of
:data:`COLUMNS`; on import the order is free, unknown columns are an error, and only
``organisation``, ``name`` and ``kind`` are required):

=========================  ====================================================================
column                     content
=========================  ====================================================================
id                         service UUID; empty → uuid5 of (organisation, name)
organisation_id            organisation UUID; empty → uuid5 of the organisation name
organisation               organisation name (required)
organisation_description   text
organisation_url/_email/   contact of the organisation
_phone
name                       service name (required)
kind                       peer_group, volunteer_centre, volunteer_service, carer_support,
                           community_centre, professional, helpline (required)
status                     active (default), inactive, defunct, temporarily closed
description                the group's own text, in Dutch (the default text)
description_tr, _fa,       the same text in Turkish, Farsi, Arabic, English (optional; empty
_ar, _en                   means not written: a reader of that language then sees the Dutch)
topics                     topic ids of taxonomy.md, ``;``-separated (``grief;loneliness``)
languages                  ISO 639-1 codes, ``;``-separated (``nl;tr``)
municipalities             service area: CBS codes, names or aliases, ``;``-separated
national, online,          ``true``/``false`` (also yes/no, ja/nee, 1/0); empty → default
in_person, women_only      (in_person defaults to true, the others to false)
online_url, url, email,    text; empty means none
phone, community_focus,
led_by, join_mode,
how_to_join, anonymity,
accessibility, wait_time
how_to_join_tr, _fa, _ar,  how to join in Turkish, Farsi, Arabic, English (optional, like
_en                        ``description_tr``…; ``how_to_join`` is the Dutch text)
cost                       text; empty → ``free``
location_*                 locations: ``ids``, ``names``, ``addresses``, ``postcodes``,
                           ``cities``, ``municipalities``, ``latitudes``, ``longitudes``
schedule_*                 schedules: ``ids``, ``rrules`` (e.g. ``FREQ=WEEKLY;BYDAY=TU``),
                           ``dtstarts`` (local time, ``2025-01-07T19:30``), ``durations``
                           (minutes, default 120), ``descriptions``
=========================  ====================================================================

Locations and schedules are small tables inside a row: their entries are separated by ``|``
(not ``;``, which an RRULE itself contains), and every non-empty ``location_*`` column must have
as many entries as ``location_names`` (``schedule_*`` as ``schedule_rrules``). An empty entry
means "none". Problems are reported as ``row N, column C: …`` where row 1 is the header, as
a spreadsheet numbers them.

Texts per language: a column ``description_<code>`` or ``how_to_join_<code>`` holds that text
in the language with ISO 639-1 code ``<code>`` (case-insensitive on import). Only the languages
the bot speaks besides Dutch are accepted (tr, fa, ar, en); a malformed or other code in such a
column name is reported at ``row 1, column description_xx``. Export always writes all eight
columns, right after ``description`` and ``how_to_join``.

Spreadsheet formulas: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be run as a formula by a spreadsheet that opens the export (a service text such
as ``=HYPERLINK(...)`` typed by another organisation). Export writes such a cell with a leading
apostrophe (``'=HYPERLINK(...)``, ``'+31 13 123 45 67``), which spreadsheets show as text;
a cell that itself starts with an apostrophe gets a second one, so the rule can be undone
exactly. Import removes that one apostrophe again, so export → import restores every value.
(A hand-written cell starting with ``'=`` or ``''`` therefore loses its first apostrophe.)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from bot.directory.importer import (
    Checker,
    LocationRecord,
    OrganisationRecord,
    ScheduleRecord,
    ServiceRecord,
    TextRecord,
    load_records,
    organisation_id_for,
    service_id_for,
    stable_id,
)
from bot.directory.models import TEXT_LANGUAGES, TRANSLATABLE_FIELDS

LIST_SEPARATOR = ";"
ENTRY_SEPARATOR = "|"

LOCATION_COLUMNS = (
    "location_ids",
    "location_names",
    "location_addresses",
    "location_postcodes",
    "location_cities",
    "location_municipalities",
    "location_latitudes",
    "location_longitudes",
)
SCHEDULE_COLUMNS = (
    "schedule_ids",
    "schedule_rrules",
    "schedule_dtstarts",
    "schedule_durations",
    "schedule_descriptions",
)
#: Column → (field, language) of the texts per language, e.g. ``description_tr``.
TEXT_COLUMNS: dict[str, tuple[str, str]] = {
    f"{field}_{language}": (field, language)
    for field in TRANSLATABLE_FIELDS
    for language in TEXT_LANGUAGES
}
#: What a text column looks like, whatever its language code (checked on import).
_TEXT_COLUMN = re.compile(rf"^({'|'.join(TRANSLATABLE_FIELDS)})_(.*)$")


def _text_columns(field: str) -> tuple[str, ...]:
    return tuple(column for column, (name, _lang) in TEXT_COLUMNS.items() if name == field)


COLUMNS = (
    "id",
    "organisation_id",
    "organisation",
    "organisation_description",
    "organisation_url",
    "organisation_email",
    "organisation_phone",
    "name",
    "kind",
    "status",
    "description",
    *_text_columns("description"),
    "topics",
    "languages",
    "municipalities",
    "national",
    "online",
    "in_person",
    "online_url",
    "url",
    "email",
    "phone",
    "women_only",
    "community_focus",
    "led_by",
    "join_mode",
    "how_to_join",
    *_text_columns("how_to_join"),
    "anonymity",
    "cost",
    "accessibility",
    "wait_time",
    *LOCATION_COLUMNS,
    *SCHEDULE_COLUMNS,
)
REQUIRED_COLUMNS = ("organisation", "name", "kind")

_BOOL_COLUMNS = {"national": False, "online": False, "in_person": True, "women_only": False}


# --------------------------------------------------------------------------- formulas

#: How a spreadsheet recognises a formula (OWASP "CSV injection"): the first character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What export puts before such a cell so that a spreadsheet shows it as text.
FORMULA_ESCAPE = "'"
_ESCAPED_STARTS = (*FORMULA_STARTS, FORMULA_ESCAPE)


def neutralise(value: str) -> str:
    """``value`` as a spreadsheet-safe cell: formula starts (and apostrophes) get an apostrophe."""
    return FORMULA_ESCAPE + value if value.startswith(_ESCAPED_STARTS) else value


def restore(value: str) -> str:
    """The value behind a cell written by :func:`neutralise` (other cells are unchanged)."""
    if value.startswith(FORMULA_ESCAPE) and value[1:].startswith(_ESCAPED_STARTS):
        return value[1:]
    return value


def rows_to_csv(rows: Sequence[Mapping[str, str]]) -> str:
    """Rows (column → text) as CSV text with the :data:`COLUMNS` header, every cell
    neutralised against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: neutralise(row.get(c) or "") for c in COLUMNS})
    return buffer.getvalue()


# --------------------------------------------------------------------------- export


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _entries(values: Sequence[object]) -> str:
    # An all-empty list collapses to "" (which import reads as "all none"): nicer to read.
    texts = [_text(v) for v in values]
    return ENTRY_SEPARATOR.join(texts) if any(texts) else ""


def record_to_row(record: ServiceRecord) -> dict[str, str]:
    """One service record as a CSV row (column → text)."""
    org = record.organisation
    row = {
        "id": record.id,
        "organisation_id": org.id,
        "organisation": org.name,
        "organisation_description": org.description,
        "organisation_url": _text(org.url),
        "organisation_email": _text(org.email),
        "organisation_phone": _text(org.phone),
        "topics": LIST_SEPARATOR.join(record.topics),
        "languages": LIST_SEPARATOR.join(record.languages),
        "municipalities": LIST_SEPARATOR.join(record.areas),
    }
    for column, (field, language) in TEXT_COLUMNS.items():
        row[column] = _text(record.text(field, language))
    for column in COLUMNS:
        if column not in row and hasattr(record, column):
            row[column] = _text(getattr(record, column))
    locations = record.locations
    row.update(
        location_ids=_entries([x.id for x in locations]),
        location_names=_entries([x.name for x in locations]),
        location_addresses=_entries([x.address for x in locations]),
        location_postcodes=_entries([x.postcode for x in locations]),
        location_cities=_entries([x.city for x in locations]),
        location_municipalities=_entries([x.municipality_code for x in locations]),
        # repr() of a float is the shortest text that reads back as the same float.
        location_latitudes=_entries([None if x.latitude is None else repr(x.latitude)
                                     for x in locations]),
        location_longitudes=_entries([None if x.longitude is None else repr(x.longitude)
                                      for x in locations]),
    )  # fmt: skip
    schedules = record.schedules
    row.update(
        schedule_ids=_entries([s.id for s in schedules]),
        schedule_rrules=_entries([s.rrule for s in schedules]),
        schedule_dtstarts=_entries([s.dtstart for s in schedules]),
        schedule_durations=_entries([s.duration_minutes for s in schedules]),
        schedule_descriptions=_entries([s.description for s in schedules]),
    )
    return row


def records_to_csv(records: Sequence[ServiceRecord]) -> str:
    """Records as CSV text with the :data:`COLUMNS` header (formulas neutralised)."""
    return rows_to_csv([record_to_row(record) for record in records])


def export_csv(session: Session, where: ColumnElement[bool] | None = None) -> str:
    """The directory (or the services matching ``where``, a condition on
    :class:`~bot.directory.models.Service`) as CSV text, one row per service (sorted by name,
    id)."""
    return records_to_csv(load_records(session, where))


# --------------------------------------------------------------------------- import


def _split(value: str | None, separator: str) -> list[str]:
    if value is None or not value.strip():
        return []
    return [part.strip() for part in value.split(separator)]


def _table(
    row: dict[str, str | None], columns: Sequence[str], lead: str, where: str, checker: Checker
) -> list[dict[str, str | None]]:
    """The ``|``-separated entries of a group of columns as one dict per entry."""
    count = len(_split(row.get(lead), ENTRY_SEPARATOR))
    entries: list[dict[str, str | None]] = [{} for _ in range(count)]
    for column in columns:
        parts = _split(row.get(column), ENTRY_SEPARATOR)
        if parts and len(parts) != count:
            checker.add(
                f"{where}, column {column}",
                f"{len(parts)} entries separated by '|', but {lead} has {count}",
            )
            parts = []
        for index, entry in enumerate(entries):
            entry[column] = parts[index] if parts and parts[index] else None
    return entries


def _header_text_columns(header: Sequence[str], checker: Checker) -> dict[str, tuple[str, str]]:
    """Column → (field, language) of the header's text columns; bad ones are reported at row 1."""
    found: dict[str, tuple[str, str]] = {}
    first_of: dict[tuple[str, str], str] = {}
    for column in header:
        match = _TEXT_COLUMN.match(column)
        if match is None:
            continue
        where = f"row 1, column {column}"
        language = checker.text_language(match.group(2), where)
        if language is None:
            continue
        key = (match.group(1), language)
        if key in first_of:
            checker.add(where, f"the same text as column {first_of[key]}")
            continue
        first_of[key] = column
        found[column] = key
    return found


def _row_record(
    row: dict[str, str | None],
    where: str,
    checker: Checker,
    text_columns: Mapping[str, tuple[str, str]] | None = None,
) -> ServiceRecord | None:
    def at(column: str) -> str:
        return f"{where}, column {column}"

    org_name = checker.required(row.get("organisation"), at("organisation"), "organisation")
    name = checker.required(row.get("name"), at("name"), "name")
    kind = checker.kind(row.get("kind"), at("kind"))
    service_id = checker.identifier(row.get("id"), at("id")) or service_id_for(org_name, name)
    organisation = OrganisationRecord(
        id=checker.identifier(row.get("organisation_id"), at("organisation_id"))
        or organisation_id_for(org_name),
        name=org_name,
        description=checker.optional(row.get("organisation_description")) or "",
        url=checker.url(row.get("organisation_url"), at("organisation_url")),
        email=checker.email(row.get("organisation_email"), at("organisation_email")),
        phone=checker.phone(row.get("organisation_phone"), at("organisation_phone")),
    )
    topics = [checker.topic(t, at("topics")) for t in _split(row.get("topics"), LIST_SEPARATOR)]
    languages = [
        checker.language(code, at("languages"))
        for code in _split(row.get("languages"), LIST_SEPARATOR)
    ]
    areas = [
        checker.municipality(place, at("municipalities"))
        for place in _split(row.get("municipalities"), LIST_SEPARATOR)
    ]

    locations = []
    for index, entry in enumerate(_table(row, LOCATION_COLUMNS, "location_names", where, checker)):
        locations.append(
            LocationRecord(
                id=checker.identifier(entry["location_ids"], at("location_ids"))
                or stable_id("location", service_id, str(index)),
                name=checker.required(
                    entry["location_names"], at("location_names"), "location name"
                ),
                address=entry["location_addresses"],
                postcode=entry["location_postcodes"],
                city=entry["location_cities"],
                municipality_code=checker.municipality(
                    entry["location_municipalities"], at("location_municipalities")
                ),
                latitude=checker.number(entry["location_latitudes"], at("location_latitudes")),
                longitude=checker.number(entry["location_longitudes"], at("location_longitudes")),
            )
        )

    schedules = []
    for index, entry in enumerate(_table(row, SCHEDULE_COLUMNS, "schedule_rrules", where, checker)):
        dtstart = checker.dtstart(entry["schedule_dtstarts"], at("schedule_dtstarts"))
        rule = checker.rrule(entry["schedule_rrules"], at("schedule_rrules"), dtstart)
        duration = checker.duration(entry["schedule_durations"], at("schedule_durations"))
        if rule is not None and dtstart is not None:
            schedules.append(
                ScheduleRecord(
                    id=checker.identifier(entry["schedule_ids"], at("schedule_ids"))
                    or stable_id("schedule", service_id, str(index)),
                    rrule=rule,
                    dtstart=dtstart,
                    duration_minutes=duration,
                    description=entry["schedule_descriptions"],
                )
            )

    texts = []
    for column, (field, language) in (text_columns or {}).items():
        text = checker.optional(row.get(column))
        if text is not None:
            texts.append(TextRecord(field, language, text))

    flags = {
        column: checker.flag(row.get(column), at(column), default)
        for column, default in _BOOL_COLUMNS.items()
    }
    if kind is None:
        return None
    return ServiceRecord(
        id=service_id,
        organisation=organisation,
        name=name,
        kind=kind,
        description=checker.optional(row.get("description")) or "",
        status=checker.status(row.get("status"), at("status")),
        url=checker.url(row.get("url"), at("url")),
        email=checker.email(row.get("email"), at("email")),
        phone=checker.phone(row.get("phone"), at("phone")),
        online_url=checker.url(row.get("online_url"), at("online_url")),
        community_focus=checker.optional(row.get("community_focus")),
        led_by=checker.led_by(row.get("led_by"), at("led_by")),
        cost=checker.optional(row.get("cost")) or "free",
        accessibility=checker.optional(row.get("accessibility")),
        join_mode=checker.join_mode(row.get("join_mode"), at("join_mode")),
        how_to_join=checker.optional(row.get("how_to_join")),
        anonymity=checker.optional(row.get("anonymity")),
        wait_time=checker.optional(row.get("wait_time")),
        topics=tuple(t for t in topics if t),
        languages=tuple(code for code in languages if code),
        areas=tuple(code for code in areas if code),
        locations=tuple(locations),
        schedules=tuple(schedules),
        texts=tuple(texts),
        **flags,
    )


def parse_csv_text(text: str, checker: Checker) -> list[tuple[ServiceRecord, str]]:
    """Parse CSV text into service records; every problem goes to ``checker``.

    Returns the records, each with its row (``row 7``) for problems found later.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if not header:
        checker.add("row 1", "empty file: expected a header row")
        return []
    reader.fieldnames = header
    text_columns = _header_text_columns(header, checker)
    for column in header:
        if column not in COLUMNS and not _TEXT_COLUMN.match(column):
            checker.add(f"row 1, column {column}", "unknown column")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        checker.add("row 1", f"missing column {column!r}")
    if missing:
        return []
    records: list[tuple[ServiceRecord, str]] = []
    for number, cells in enumerate(reader, start=2):
        row = {k: restore(v) if isinstance(v, str) else v for k, v in cells.items()}
        if None in row:  # more cells than header columns
            checker.add(f"row {number}", "more cells than columns in the header")
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue  # blank line, e.g. at the end of a spreadsheet export
        record = _row_record(row, f"row {number}", checker, text_columns)
        if record is not None:
            records.append((record, f"row {number}"))
    return records
