"""The CSV format of the directory (one row per service, for spreadsheets) and its export.

:mod:`bot.directory.csv_import` reads the same format back.

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

from bot.directory.models import TEXT_LANGUAGES, TRANSLATABLE_FIELDS
from bot.directory.records import ServiceRecord
from bot.directory.store import load_records

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
TEXT_COLUMN_PATTERN = re.compile(rf"^({'|'.join(TRANSLATABLE_FIELDS)})_(.*)$")


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
