"""Reading the CSV format of :mod:`bot.directory.csv_format` into service records.

Each row becomes the raw values of a :class:`~bot.directory.records.ServiceRecord` under the
record's own field names; the record checks them, and a problem is reported at its row and
column (``row 7, column location_names``), row 1 being the header, as a spreadsheet numbers
them. Cells are read through :func:`~bot.directory.csv_format.restore`, so a cell that export
protected against spreadsheet formulas comes back exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from bot.directory import values
from bot.directory.csv_format import (
    COLUMNS,
    ENTRY_SEPARATOR,
    LIST_SEPARATOR,
    LOCATION_COLUMNS,
    REQUIRED_COLUMNS,
    SCHEDULE_COLUMNS,
    TEXT_COLUMN_PATTERN,
    restore,
)
from bot.directory.records import (
    SERVICE_SCALARS,
    Loc,
    Locator,
    Problems,
    ServiceRecord,
    build_record,
)
from bot.directory.values import PlaceResolver

#: Record field → column, for the fields of a location or schedule entry.
_LOCATION_FIELDS = dict(zip(
    ("id", "name", "address", "postcode", "city", "municipality_code", "latitude", "longitude"),
    LOCATION_COLUMNS, strict=True,
))
_SCHEDULE_FIELDS = dict(zip(
    ("id", "rrule", "dtstart", "duration_minutes", "description"), SCHEDULE_COLUMNS, strict=True
))  # fmt: skip
#: Record field → column where the two differ (other fields have the column's name).
_COLUMN_OF = {"areas": "municipalities", "locations": "location_names",
              "schedules": "schedule_rrules"}  # fmt: skip


def _split(value: str | None, separator: str) -> list[str]:
    if value is None or not value.strip():
        return []
    return [part.strip() for part in value.split(separator)]


def _table(
    row: Mapping[str, str | None], columns: Sequence[str], lead: str, where: str,
    problems: Problems,
) -> list[dict[str, str | None]]:  # fmt: skip
    """The ``|``-separated entries of a group of columns as one dict per entry."""
    count = len(_split(row.get(lead), ENTRY_SEPARATOR))
    entries: list[dict[str, str | None]] = [{} for _ in range(count)]
    for column in columns:
        parts = _split(row.get(column), ENTRY_SEPARATOR)
        if parts and len(parts) != count:
            problems.add(
                f"{where}, column {column}",
                f"{len(parts)} entries separated by '|', but {lead} has {count}",
            )
            parts = []
        for index, entry in enumerate(entries):
            entry[column] = parts[index] if parts and parts[index] else None
    return entries


def _header_text_columns(header: Sequence[str], problems: Problems) -> dict[str, tuple[str, str]]:
    """Column → (field, language) of the header's text columns; bad ones are reported at row 1."""
    found: dict[str, tuple[str, str]] = {}
    first_of: dict[tuple[str, str], str] = {}
    for column in header:
        match = TEXT_COLUMN_PATTERN.match(column)
        if match is None:
            continue
        where = f"row 1, column {column}"
        language = problems.check(values.text_language, match.group(2), where)
        if language is None:
            continue
        key = (match.group(1), language)
        if key in first_of:
            problems.add(where, f"the same text as column {first_of[key]}")
            continue
        first_of[key] = column
        found[column] = key
    return found


def _row_values(
    row: Mapping[str, str | None], where: str, problems: Problems,
    text_columns: Mapping[str, tuple[str, str]],
) -> tuple[dict[str, object], list[str]]:  # fmt: skip
    """The raw values of a row under the record's field names, and the column of each text."""
    # The service's own columns are named after its fields.
    data: dict[str, object] = {name: row.get(name) for name in ("id", *SERVICE_SCALARS)}
    data["organisation"] = {
        "id": row.get("organisation_id"),
        "name": row.get("organisation"),
        **{name: row.get(f"organisation_{name}") for name in ("description", "url", "email",
                                                               "phone")},
    }  # fmt: skip
    data["topics"] = _split(row.get("topics"), LIST_SEPARATOR)
    data["languages"] = _split(row.get("languages"), LIST_SEPARATOR)
    data["areas"] = _split(row.get("municipalities"), LIST_SEPARATOR)
    data["locations"] = [
        {name: entry[column] for name, column in _LOCATION_FIELDS.items()}
        for entry in _table(row, LOCATION_COLUMNS, "location_names", where, problems)
    ]
    data["schedules"] = [
        {name: entry[column] for name, column in _SCHEDULE_FIELDS.items()}
        for entry in _table(row, SCHEDULE_COLUMNS, "schedule_rrules", where, problems)
    ]
    # An empty text cell means "not written in that language": no text, not an empty one.
    written = [column for column in text_columns if values.optional(row.get(column))]
    data["texts"] = [
        {"field": text_columns[column][0], "language": text_columns[column][1],
         "text": row.get(column)}
        for column in written
    ]  # fmt: skip
    return data, written


def _row_locator(where: str, text_columns: Sequence[str]) -> Locator:
    """``("locations", 1, "name")`` → ``row 7, column location_names``, and so on."""

    def locate(loc: Loc) -> str:
        if not loc:
            return where
        head, rest = str(loc[0]), loc[1:]
        column = _COLUMN_OF.get(head, head)
        if head == "organisation" and rest:
            column = "organisation" if rest[0] == "name" else f"organisation_{rest[0]}"
        elif head == "locations" and len(rest) > 1:
            column = _LOCATION_FIELDS.get(str(rest[1]), column)
        elif head == "schedules" and len(rest) > 1:
            column = _SCHEDULE_FIELDS.get(str(rest[1]), column)
        elif head == "texts" and rest and isinstance(rest[0], int):
            column = text_columns[rest[0]]
        return f"{where}, column {column}"

    return locate


def parse_csv_text(
    text: str, problems: Problems, places: PlaceResolver | None = None
) -> list[tuple[ServiceRecord, str]]:
    """Parse CSV text into service records; every problem goes to ``problems``.

    ``places`` resolves municipality names (without it only CBS codes are accepted). Returns
    the records, each with its row (``row 7``) for problems found later.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if not header:
        problems.add("row 1", "empty file: expected a header row")
        return []
    reader.fieldnames = header
    text_columns = _header_text_columns(header, problems)
    for column in header:
        if column not in COLUMNS and not TEXT_COLUMN_PATTERN.match(column):
            problems.add(f"row 1, column {column}", "unknown column")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        problems.add("row 1", f"missing column {column!r}")
    if missing:
        return []
    records: list[tuple[ServiceRecord, str]] = []
    for number, cells in enumerate(reader, start=2):
        row = {k: restore(v) if isinstance(v, str) else v for k, v in cells.items()}
        where = f"row {number}"
        if None in row:  # more cells than header columns
            problems.add(where, "more cells than columns in the header")
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue  # blank line, e.g. at the end of a spreadsheet export
        data, written = _row_values(row, where, problems, text_columns)
        record = build_record(ServiceRecord, data, locate=_row_locator(where, written),
                              problems=problems, places=places)
        if record is not None:
            records.append((record, where))
    return records
