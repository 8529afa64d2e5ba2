"""The request queue and the answering page."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.directory.search import find_services
from bot.errors import Conflict, Refused
from bot.requests import service as requests
from bot.requests.answers import Template
from bot.requests.models import Status
from bot.web.deps import DbSession, LoggedIn, Posted, Staff, app_context, render
from bot.web.labels import Labels

router = APIRouter()


@router.get("/")
def home() -> Response:
    """The queue is the start page."""
    return RedirectResponse("/requests", status_code=303)


@router.get("/requests")
def queue(request: Request, member: LoggedIn, session: DbSession,
          status: str = "open") -> Response:
    """Requests in the coordinator's region, waiting ones first."""
    context = app_context(request)
    statuses = (tuple(s.value for s in Status) if status == "all"
                else (status,) if status in set(Status)
                else requests.QueueFilter().statuses)
    rows = requests.queue(session, member.scope, requests.QueueFilter(statuses))
    counts = requests.status_counts(session, member.scope)
    return render(request, "queue.html", ui=member.ui, member=member, rows=rows, counts=counts,
                  selected=status, statuses=[s.value for s in Status], now=context.clock(),
                  labels=Labels(member.ui, context))


@router.get("/requests/{code}")
def request_page(code: str, request: Request, member: LoggedIn, session: DbSession,
                 topic: str | None = None, place: str | None = None,
                 language: str | None = None) -> Response:
    """One request, its thread, and the answer form with a directory search."""
    return _request_page(request, member, session, code, topic=topic, place=place,
                         language=language)


def _request_page(request: Request, member: Staff, session: Session, code: str, *,
                  topic: str | None = None, place: str | None = None,
                  language: str | None = None, error: str | None = None) -> Response:
    context = app_context(request)
    item = requests.get_for_staff(session, member.scope, code)  # NotFound: the 404 page
    messages = list(item.messages)
    requests.viewed(session, member.scope, item)
    search_topic = topic if topic is not None else (item.topic or "")
    search_language = language if language is not None else item.language
    outcome = find_services(
        session, topic=search_topic or None,
        place=place or None, municipality_code=None if place else item.municipality_code,
        language=search_language or None, now=context.clock(), limit=12,
        gazetteer=context.gazetteer,
    )
    return render(request, "request.html", ui=member.ui, member=member, item=item,
                  messages=messages, results=outcome.results, templates=[t.value for t in Template],
                  search_topic=search_topic, search_place=place or "",
                  search_language=search_language, error=error, now=context.clock(),
                  labels=Labels(member.ui, context),
                  open_statuses={"new", "in_progress", "answered"})


@router.post("/requests/{code}/answer")
def answer(code: str, request: Request, member: Posted, session: DbSession,
           template: str = Form(""), service_id: str = Form(""),
           own_words: str = Form("")) -> Response:
    """Send an answer: rendered in the citizen's language, queued for the bot to deliver.

    An incomplete form or a request that ended meanwhile shows the request page again with
    the reason above the form; an unknown code is the 404 page."""
    try:
        requests.answer(session, app_context(request), member.scope, code, template=template,
                        service_id=service_id or None, own_words=own_words)
    except (Refused, Conflict) as refusal:
        session.rollback()  # nothing of the refused answer may be committed with the page
        reason = member.ui.gettext(refusal.message, **refusal.values)
        return _request_page(request, member, session, code, error=reason)
    return RedirectResponse(f"/requests/{code}?sent=1", status_code=303)


@router.post("/requests/{code}/close")
def close(code: str, request: Request, member: Posted, session: DbSession) -> Response:
    """Close a request (deletes the sealed chat id); unknown: 404, ended already: 409."""
    requests.close(session, app_context(request), member.scope, code)
    return RedirectResponse("/requests", status_code=303)
