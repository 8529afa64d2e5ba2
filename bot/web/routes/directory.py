"""Directory management: organisations, services and groups, meetings, import and export."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from bot.directory import manage
from bot.directory.csv_format import COLUMNS
from bot.directory.models import TEXT_LANGUAGES
from bot.errors import NotAllowed, NotFound, Refused
from bot.i18n.catalogs import _
from bot.taxonomy import JoinMode, LedBy, ServiceKind, Topic
from bot.vocabulary import ALL_LANGUAGES
from bot.web.deps import DbSession, LoggedIn, Posted, PostedForm, Staff, app_context, render
from bot.web.labels import Labels

router = APIRouter(prefix="/directory")
NO_FILE = _("Choose a file to import.")


def _choices() -> dict[str, object]:
    return {"kinds": [k.value for k in ServiceKind], "topics": [t.value for t in Topic],
            "languages": list(ALL_LANGUAGES), "led_by": [v.value for v in LedBy],
            "join_modes": [v.value for v in JoinMode], "text_languages": list(TEXT_LANGUAGES),
            "statuses": ["active", "inactive", "defunct", "temporarily closed"]}


@router.get("")
def overview(request: Request, member: LoggedIn, session: DbSession) -> Response:
    """Organisations and services this person manages."""
    context = app_context(request)
    orgs = manage.organisations(session, member.scope)
    listing = [(s.id, s.name, s.kind, s.status, s.organisation.name, s.organisation_id)
               for s in manage.services(session, member.scope)]
    return render(request, "directory.html", ui=member.ui, member=member, organisations=orgs,
                  services=listing, labels=Labels(member.ui, context))


def _service_page(request: Request, member: Staff, row: dict[str, str], service_id: str | None,
                  problems: list | None = None, status_code: int = 200) -> Response:
    context = app_context(request)
    return render(request, "service_form.html", ui=member.ui, member=member, row=row,
                  service_id=service_id, problems=problems or [], status_code=status_code,
                  labels=Labels(member.ui, context), editable=manage.EDITABLE, **_choices())


@router.get("/services/new")
def new_service(request: Request, organisation: str, member: LoggedIn,
                session: DbSession) -> Response:
    """Form for a new service or group."""
    row = manage.new_service_form(session, member.scope, organisation)
    return _service_page(request, member, row, None)


@router.get("/services/{service_id}")
def edit_service(service_id: str, request: Request, member: LoggedIn,
                 session: DbSession) -> Response:
    """Form to edit a service or group."""
    row = manage.service_form(session, member.scope, service_id)
    return _service_page(request, member, row, service_id)


@router.post("/services")
def save_service(request: Request, member: Posted, form: PostedForm,
                 session: DbSession) -> Response:
    """Create or update a service; problems are shown on the form, nothing is half-saved."""
    values = {name: str(form.get(name, "")) for name in COLUMNS if name in form}
    # Checkboxes send nothing when unticked.
    for flag in ("national", "online", "in_person", "women_only"):
        values[flag] = "true" if form.get(flag) else "false"
    for multi in ("topics", "languages"):
        values[multi] = ";".join(str(v) for v in form.getlist(multi))
    service_id = str(form.get("service_id", "")) or None
    organisation_id = str(form.get("organisation_id", ""))
    report = manage.save_service(session, member.scope, service_id=service_id,
                                 organisation_id=organisation_id, values=values)
    if not report.ok:
        row = {**dict.fromkeys(COLUMNS, ""), **values, "organisation_id": organisation_id}
        return _service_page(request, member, row, service_id, list(report.problems), 422)
    return RedirectResponse("/directory?saved=1", status_code=303)


@router.get("/organisations/{organisation_id}")
def edit_organisation(organisation_id: str, request: Request, member: LoggedIn,
                      session: DbSession) -> Response:
    """Form to edit (or, for admins, create with id ``new``) an organisation."""
    org = None
    if organisation_id != "new":
        found = [o for o in manage.organisations(session, member.scope)
                 if o.id == organisation_id]
        if not found:
            raise manage.OutOfScope()
        org = found[0]
    elif not member.scope.is_admin:
        raise NotAllowed()
    values = {"name": org.name, "description": org.description, "url": org.url or "",
              "email": org.email or "", "phone": org.phone or ""} if org else {}
    return render(request, "organisation_form.html", ui=member.ui, member=member,
                  organisation_id=organisation_id, values=values, problems=[])


@router.post("/organisations/{organisation_id}")
def save_organisation(organisation_id: str, request: Request, member: Posted,
                      form: PostedForm, session: DbSession) -> Response:
    """Save an organisation."""
    values = {k: str(form.get(k, "")) for k in ("name", "description", "url", "email", "phone")}
    _org, problems = manage.save_organisation(
        session, member.scope,
        organisation_id=None if organisation_id == "new" else organisation_id, values=values)
    if problems:
        return render(request, "organisation_form.html", ui=member.ui, member=member,
                      organisation_id=organisation_id, values=values, problems=problems,
                      status_code=422)
    return RedirectResponse("/directory?saved=1", status_code=303)


@router.get("/meetings")
def meetings(request: Request, member: LoggedIn, session: DbSession) -> Response:
    """The coming four weeks of meetings of the services in scope."""
    rows = manage.meetings_overview(session, member.scope, now=app_context(request).clock())
    return render(request, "meetings.html", ui=member.ui, member=member, rows=rows)


@router.get("/import")
def import_form(request: Request, member: LoggedIn) -> Response:
    """The upload form."""
    return render(request, "import.html", ui=member.ui, member=member, report=None)


@router.post("/import")
def import_upload(request: Request, member: Posted, form: PostedForm,
                  session: DbSession) -> Response:
    """Import a file all or nothing; every problem is listed row by row on the page."""
    # No File(...) parameter: FastAPI would parse the whole upload before any dependency ran.
    # Here the login check comes first, then the CSRF check reads the form, which the body
    # limit (bot/web/limits.py) cuts off at web_max_upload_mb with a 413 page.
    file = form.get("file")
    if not isinstance(file, UploadFile):
        raise Refused(NO_FILE)
    content = file.file.read()  # a plain def runs in the thread pool: a blocking read is fine
    # All or nothing: a refused file writes nothing but its audit entry.
    report = manage.import_upload(session, member.scope, file.filename or "upload", content)
    return render(request, "import.html", ui=member.ui, member=member, report=report,
                  status_code=200 if report.ok else 422)


@router.get("/export.{fmt}")
def export(fmt: str, member: LoggedIn, session: DbSession) -> Response:
    """Download the services this person manages (admins: all) as CSV or HSDS JSON."""
    if fmt not in ("csv", "json"):
        raise NotFound()
    text = manage.export(session, member.scope, "csv" if fmt == "csv" else "hsds")
    media = "text/csv" if fmt == "csv" else "application/json"
    return Response(text, media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="steunwijzer-directory.{fmt}"'})
