"""Directory management for the dashboard: organisations, services, meetings, import.

Edits go through the importer's own validation and upsert path: a form is turned into a
one-row CSV in the export format and imported, so a field that would be refused in a file is
refused in the form too, with the same located message. Coordinators manage only their own
organisation's services (:class:`~bot.staff.scope.Scope`); every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.audit import service as audit
from bot.directory import csv_format, hsds
from bot.directory.csv_import import parse_csv_text
from bot.directory.formats import GazetteerPlaces, ImportFormatError, reader_for
from bot.directory.importer import ImportReport, import_records
from bot.directory.models import Meeting, Organisation, Service
from bot.directory.records import (
    ImportProblem,
    OrganisationRecord,
    Problems,
    ServiceRecord,
    build_record,
)
from bot.directory.store import service_record
from bot.errors import NotAllowed, NotFound
from bot.i18n.catalogs import _
from bot.staff.scope import Scope

#: Service fields the form edits (CSV column names, the texts per language ``description_tr``…
#: included); locations and schedules keep their values (they are edited through import, or
#: by facilitators for meetings).
EDITABLE = (
    "name", "kind", "status", "description", "topics", "languages", "municipalities",
    "national", "online", "in_person", "women_only", "online_url", "url", "email", "phone",
    "community_focus", "led_by", "join_mode", "how_to_join", "anonymity", "cost",
    "accessibility", "wait_time", *csv_format.TEXT_COLUMNS,
)
ORGANISATION_FIELDS = ("organisation", "organisation_description", "organisation_url",
                       "organisation_email", "organisation_phone")


class OutOfScope(NotFound):
    """No such organisation or service among those the staff member manages (nonexistent
    and another organisation's look the same, so ids cannot be probed)."""


def organisations(session: Session, scope: Scope) -> Sequence[Organisation]:
    """Organisations this person manages, by name."""
    query = select(Organisation).order_by(Organisation.name)
    if not scope.is_admin:
        query = query.where(Organisation.id == (scope.organisation_id or ""))
    return session.scalars(query).all()


def services(session: Session, scope: Scope) -> Sequence[Service]:
    """Services this person manages, by organisation and name."""
    return session.scalars(
        select(Service).options(selectinload(Service.organisation))
        .where(scope.service_clause()).join(Organisation)
        .order_by(Organisation.name, Service.name)
    ).all()


def service_form(session: Session, scope: Scope, service_id: str) -> dict[str, str]:
    """The CSV row of a service, for the edit form."""
    service = session.get(Service, service_id)
    if service is None or not scope.manages_organisation(service.organisation_id):
        raise OutOfScope()
    return csv_format.record_to_row(service_record(service))


def new_service_form(session: Session, scope: Scope, organisation_id: str) -> dict[str, str]:
    """An empty row for a new service of ``organisation_id``."""
    org = session.get(Organisation, organisation_id)
    if org is None or not scope.manages_organisation(org.id):
        raise OutOfScope()
    row = dict.fromkeys(csv_format.COLUMNS, "")
    row.update(organisation_id=org.id, organisation=org.name,
               organisation_description=org.description or "",
               organisation_url=org.url or "", organisation_email=org.email or "",
               organisation_phone=org.phone or "", kind="peer_group", status="active",
               in_person="true", cost="free", join_mode="just_come")
    return row


def _id_location(where: str) -> str:
    """Where a record's service id is in its file: ``row 7, column id`` or ``$[2].id``."""
    return f"{where}.id" if where.startswith("$") else f"{where}, column id"


def check_ownership(session: Session, scope: Scope,
                    parsed: Sequence[tuple[ServiceRecord, str]], problems: Problems) -> None:
    """Refuse, with its location, every record a coordinator may not write.

    A coordinator may only write services of their own organisation: the organisation named
    in the file must be theirs, and a service id that already exists must belong to it too
    (otherwise a file naming their own organisation could take over another organisation's
    service by its id). Admins may write anything.
    """
    if scope.is_admin:
        return
    for record, where in parsed:
        if record.organisation.id != scope.organisation_id:
            problems.add(where, _("This service belongs to another organisation."))
    wanted = {record.id: where for record, where in parsed}
    if not wanted:
        return
    owners = session.execute(select(Service.id, Service.organisation_id)
                             .where(Service.id.in_(list(wanted))))
    for service_id, owner in owners:
        if owner != scope.organisation_id:
            problems.add(_id_location(wanted[service_id]),
                        _("This service belongs to another organisation."))


def _import_rows(session: Session, scope: Scope, rows: Sequence[Mapping[str, str]],
                 source: str) -> ImportReport:
    problems = Problems()
    parsed = parse_csv_text(csv_format.rows_to_csv(rows), problems, GazetteerPlaces(session))
    check_ownership(session, scope, parsed, problems)
    return import_records(session, parsed, problems=problems, source=source)


def save_service(session: Session, scope: Scope, *, service_id: str | None,
                 organisation_id: str, values: Mapping[str, str]) -> ImportReport:
    """Create or update one service from form ``values``; all or nothing, audited."""
    base = (service_form(session, scope, service_id) if service_id
            else new_service_form(session, scope, organisation_id))
    if base["organisation_id"] != organisation_id:
        raise NotAllowed()  # a service cannot be moved to another organisation
    row = dict(base)
    for name in EDITABLE:
        if name in values:
            row[name] = values[name].strip()
    report = _import_rows(session, scope, [row], source="dashboard")
    if report.ok:
        audit.record(session, actor_kind=scope.role, actor=scope.username,
                     action="service.update" if service_id else "service.create",
                     target=f"service:{service_id or row['name']}", detail=report.summary())
    return report


def save_organisation(session: Session, scope: Scope, *, organisation_id: str | None,
                      values: Mapping[str, str]) -> tuple[Organisation | None, list[ImportProblem]]:
    """Create (admins) or update an organisation's name, description and contact."""
    if organisation_id is None and not scope.is_admin:
        raise NotAllowed()  # only admins add organisations
    if organisation_id is not None and not scope.manages_organisation(organisation_id):
        raise OutOfScope()
    # The form is checked as an organisation record, with the rules of an import. Its id is
    # derived from the name, which is the id a new organisation gets.
    problems = Problems()
    record = build_record(
        OrganisationRecord,
        {name: values.get(name, "") for name in ("name", "description", "url", "email", "phone")},
        locate=lambda loc: str(loc[0]) if loc else "name", problems=problems,
    )
    if record is None:
        return None, list(problems)
    if organisation_id is None:
        org = Organisation(id=record.id, name=record.name)
        if session.get(Organisation, org.id) is not None:
            return None, [ImportProblem("name", _("An organisation with this name exists."))]
        session.add(org)
    else:
        org = session.get(Organisation, organisation_id)
        if org is None:
            raise OutOfScope()
    org.name, org.description = record.name, record.description
    org.url, org.email, org.phone = record.url, record.email, record.phone
    session.flush()
    audit.record(session, actor_kind=scope.role, actor=scope.username,
                 action="organisation.create" if organisation_id is None else "organisation.update",
                 target=f"organisation:{org.id}")
    return org, []


@dataclass(frozen=True)
class MeetingRow:
    """A meeting in the overview."""

    starts_at: datetime
    ends_at: datetime
    service_id: str
    service_name: str
    place: str | None
    cancelled: bool


def meetings_overview(session: Session, scope: Scope, *, now: datetime,
                      days: int = 28) -> list[MeetingRow]:
    """Meetings of the services in scope in the coming ``days``."""
    rows = session.execute(
        select(Meeting, Service.name).join(Service, Service.id == Meeting.service_id)
        .where(scope.service_clause(), Meeting.starts_at >= now,
               Meeting.starts_at < now + timedelta(days=days))
        .order_by(Meeting.starts_at, Service.name)
    ).all()
    return [MeetingRow(m.starts_at, m.ends_at, m.service_id, name, m.place, m.cancelled)
            for m, name in rows]


def import_upload(session: Session, scope: Scope, filename: str, content: bytes) -> ImportReport:
    """Import an uploaded HSDS JSON or CSV file, all or nothing, with located problems.

    Coordinators may only import services of their own organisation
    (:func:`check_ownership`).
    """
    try:
        reader = reader_for(filename)
    except ImportFormatError:
        return ImportReport(ok=False, problems=(ImportProblem(
            filename, _("Expected a .json (HSDS 3.0) or .csv file.")),), source=filename)
    problems = Problems()
    text = content.decode("utf-8-sig", errors="replace")
    parsed = reader(text, problems, GazetteerPlaces(session))
    check_ownership(session, scope, parsed, problems)
    report = import_records(session, parsed, problems=problems, source=filename)
    audit.record(session, actor_kind=scope.role, actor=scope.username,
                 action="directory.import" if report.ok else "directory.import_refused",
                 target=f"file:{filename[:150]}", detail=report.summary())
    return report


def export(session: Session, scope: Scope, fmt: str) -> str:
    """The services this person manages (admins: the whole directory) as CSV or HSDS JSON.

    Scoped like the overview: the export carries contact details and texts that an
    organisation maintains for itself, and the file is what an import would write back.
    """
    if fmt == "csv":
        return csv_format.export_csv(session, scope.service_clause())
    return hsds.dumps(hsds.export_hsds(session, scope.service_clause()))
