"""The request queue and the answering page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from bot.directory.search import find_services
from bot.requests import service as requests
from bot.requests.answers import Template
from bot.requests.models import Status
from bot.web.deps import Staff, app_context, csrf_protected, current_staff, render
from bot.web.labels import Labels

router = APIRouter()


@router.get("/")
def home() -> Response:
    """The queue is the start page."""
    return RedirectResponse("/requests", status_code=303)


@router.get("/requests")
def queue(request: Request, status: str = "open",
          member: Staff = Depends(current_staff)) -> Response:
    """Requests in the coordinator's region, waiting ones first."""
    context = app_context(request)
    statuses = (tuple(s.value for s in Status) if status == "all"
                else (status,) if status in set(Status)
                else requests.QueueFilter().statuses)
    with context.database.session() as session:
        rows = requests.queue(session, member.scope, requests.QueueFilter(statuses))
        counts = requests.status_counts(session, member.scope)
    return render(request, "queue.html", ui=member.ui, member=member, rows=rows, counts=counts,
                  selected=status, statuses=[s.value for s in Status], now=context.clock(),
                  labels=Labels(member.ui, context))


@router.get("/requests/{code}")
def request_page(code: str, request: Request, topic: str | None = None,
                 place: str | None = None, language: str | None = None,
                 error: str | None = None, member: Staff = Depends(current_staff)) -> Response:
    """One request, its thread, and the answer form with a directory search."""
    context = app_context(request)
    with context.database.session() as session:
        try:
            item = requests.get_for_staff(session, member.scope, code)
        except requests.RequestError:
            raise HTTPException(status_code=404) from None
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
def answer(code: str, request: Request, template: str = Form(""),
           service_id: str = Form(""), own_words: str = Form(""),
           member: Staff = Depends(csrf_protected)) -> Response:
    """Send an answer: rendered in the citizen's language, queued for the bot to deliver."""
    context = app_context(request)
    try:
        with context.database.session() as session:
            requests.answer(session, context, member.scope, code, template=template,
                            service_id=service_id or None, own_words=own_words)
    except requests.RequestError as exc:
        if str(exc) == requests.NOT_FOUND:
            raise HTTPException(status_code=404) from None
        return request_page(code, request, error=member.ui.gettext(str(exc)), member=member)
    return RedirectResponse(f"/requests/{code}?sent=1", status_code=303)


@router.post("/requests/{code}/close")
def close(code: str, request: Request, member: Staff = Depends(csrf_protected)) -> Response:
    """Close a request (deletes the sealed chat id)."""
    context = app_context(request)
    try:
        with context.database.session() as session:
            requests.close(session, context, member.scope, code)
    except requests.RequestError:
        raise HTTPException(status_code=404) from None
    return RedirectResponse("/requests", status_code=303)
