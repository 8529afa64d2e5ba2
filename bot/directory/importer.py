"""Importing directory data: check the records as a whole, then write them in one transaction.

Pipeline (the same for HSDS JSON, CSV, the demo directory and the national lines):

1. A format module (:mod:`bot.directory.hsds`, :mod:`bot.directory.csv_format`, chosen by
   :mod:`bot.directory.formats`) turns a file into records with
   :func:`bot.directory.records.build_record`; every value is checked there and every problem
   is collected with its exact location (``row 7, column topics`` or ``$[2].schedules[0]…``).
2. :func:`import_records` adds the checks that need the whole file or the database (duplicate
   ids, one organisation described two ways, a location id owned by another service, an
   unknown municipality code).
3. Only when there is not a single problem are the records written
   (:func:`bot.directory.store.write_records`). The caller's session owns the transaction
   (``with db.session() as s: import_file(s, path)`` commits once at the end); nothing is
   written when there are problems, so a broken file leaves the database as it was.

This module knows no file format: it takes records, and the format modules never import it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory.models import Location, Municipality, Schedule
from bot.directory.records import (
    ImportProblem,
    MeetingRecord,
    OrganisationRecord,
    Problems,
    ServiceRecord,
)
from bot.directory.store import RecordCounts, write_records


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


def _check_file(located: Sequence[tuple[ServiceRecord, str]], problems: Problems) -> None:
    """Problems only the whole file reveals: duplicate ids, an organisation described twice."""
    first_seen: dict[str, str] = {}
    org_seen: dict[str, tuple[OrganisationRecord, str]] = {}
    child_owner: dict[tuple[str, str], tuple[str, str]] = {}
    for record, here in located:
        if record.id in first_seen:
            problems.add(
                here, f"duplicate service id {record.id} (also at {first_seen[record.id]})"
            )
            continue
        first_seen[record.id] = here
        previous = org_seen.get(record.organisation.id)
        if previous is None:
            org_seen[record.organisation.id] = (record.organisation, here)
        elif previous[0] != record.organisation:
            problems.add(
                here,
                f"organisation {record.organisation.id} is described differently at {previous[1]}",
            )
        children = [("location", x.id) for x in record.locations]
        children += [("schedule", x.id) for x in record.schedules]
        for key in children:
            owner = child_owner.setdefault(key, (record.id, here))
            if owner[0] != record.id:
                problems.add(here, f"duplicate {key[0]} id {key[1]} (also at {owner[1]})")


def _check_database(
    session: Session, services: Sequence[ServiceRecord], where: Mapping[str, str],
    problems: Problems,
) -> None:  # fmt: skip
    """Problems only the database can reveal: unknown municipality codes, foreign child ids."""
    known = set(session.scalars(select(Municipality.code)))
    for record in services:
        used = {*record.areas, *(loc.municipality_code for loc in record.locations)}
        for code in sorted(c for c in used - known if c is not None):
            problems.add(where.get(record.id, "?"), f"unknown municipality code {code!r}")
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
                problems.add(
                    where.get(wanted[child_id], "?"),
                    f"{what} id {child_id} already belongs to another service ({owner})",
                )


def import_records(
    session: Session,
    services: Sequence[tuple[ServiceRecord, str]],
    *,
    problems: Problems,
    meetings: Sequence[MeetingRecord] = (),
    source: str = "",
) -> ImportReport:
    """Check ``services`` as a whole and, only when nothing is wrong, upsert them.

    ``services`` pairs each record with its location in the file (``row 7``, ``$[2]``) for
    problems found here; ``problems`` already holds the problems found while reading the file.
    """
    _check_file(services, problems)
    records = [record for record, _here in services]
    where = {record.id: here for record, here in reversed(services)}
    if not problems:
        _check_database(session, records, where, problems)
    if problems:
        return ImportReport(ok=False, problems=tuple(problems), source=source)
    service_counts, org_counts, meeting_counts = write_records(session, records, meetings)
    return ImportReport(
        ok=True,
        created=service_counts.created,
        updated=service_counts.updated,
        unchanged=service_counts.unchanged,
        organisations=org_counts,
        meetings=meeting_counts,
        source=source,
    )
