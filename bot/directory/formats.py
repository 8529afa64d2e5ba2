"""From a file, the demo or the national lines to an import: which reader, then the importer.

The one place that knows every source of records: :func:`reader_for` picks the reader of a
file by its extension (HSDS 3.0 JSON or CSV), :func:`import_file`, :func:`import_demo` and
:func:`sync_national_lines` hand the records to :func:`bot.directory.importer.import_records`.
The readers and the importer never import this module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bot.directory.csv_import import parse_csv_text
from bot.directory.demo import build_demo
from bot.directory.gazetteer import Gazetteer
from bot.directory.helplines import national_line_services
from bot.directory.hsds_import import parse_hsds_text
from bot.directory.importer import ImportReport, import_records
from bot.directory.records import Problems, ServiceRecord
from bot.directory.values import MUNICIPALITY_CODE, PlaceResolver

#: Reads a file's text into records, each with its location; problems go to ``Problems``.
Reader = Callable[[str, Problems, PlaceResolver | None], list[tuple[ServiceRecord, str]]]

READERS: dict[str, Reader] = {".json": parse_hsds_text, ".csv": parse_csv_text}


class ImportFormatError(ValueError):
    """The file's format cannot be determined from its extension."""


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
        if MUNICIPALITY_CODE.match(text):
            return self._codes.get(text.upper())
        match = self._gazetteer.resolve(text)
        if match is None or match.method not in ("name", "alias"):
            return None
        return match.code

    def suggest(self, text: str) -> str | None:
        """The official name of a near match (typo), or None."""
        match = self._gazetteer.resolve(text)
        return match.name if match is not None and match.method == "fuzzy" else None


def reader_for(name: str) -> Reader:
    """The reader of a file called ``name``; :class:`ImportFormatError` for other extensions."""
    reader = READERS.get(Path(name).suffix.lower())
    if reader is None:
        raise ImportFormatError(f"{Path(name).name}: expected a .json (HSDS 3.0) or .csv file")
    return reader


def import_file(session: Session, path: Path) -> ImportReport:
    """Import an HSDS 3.0 JSON (``.json``) or CSV (``.csv``) file, all or nothing.

    Raises :class:`ImportFormatError` for any other extension and :class:`OSError` when the file
    cannot be read; every problem *inside* the file is reported in the returned report.
    """
    path = Path(path)
    reader = reader_for(path.name)
    problems = Problems()
    services = reader(path.read_text(encoding="utf-8-sig"), problems, GazetteerPlaces(session))
    return import_records(session, services, problems=problems, source=path.name)


def sync_national_lines(session: Session) -> ImportReport:
    """Upsert the national lines of the YAML file as helpline services (idempotent)."""
    services = [(s, f"national_lines.yml ({s.name})") for s in national_line_services()]
    return import_records(session, services, problems=Problems(), source="national lines")


def import_demo(session: Session, now: datetime | None = None) -> ImportReport:
    """Load the fictional demo directory (plus the national lines) through the upsert path.

    ``now`` (aware; default: the current time) anchors the 8 weeks of generated meetings.
    """
    demo = build_demo(now)
    return import_records(
        session,
        [(s, f"demo ({s.name})") for s in demo.services],
        problems=Problems(),
        meetings=demo.meetings,
        source="demo",
    )
