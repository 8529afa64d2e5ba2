"""Statistics: counts per topic × language × municipality × week ("<5" for small cells),
"where is help missing", feedback grades, charts and CSV."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bot.audit import service as audit
from bot.errors import NotFound
from bot.feedback.render import REASONS
from bot.stats import charts, report
from bot.web.deps import DbSession, LoggedIn, Staff, app_context, render
from bot.web.labels import Labels

router = APIRouter(prefix="/statistics")
MAX_WEEKS = 104


def _weeks(request: Request, count: int) -> tuple[str, ...]:
    count = max(1, min(MAX_WEEKS, count))
    return report.recent_weeks(app_context(request).clock(), count)


def _dimensions(group: list[str]) -> tuple[str, ...]:
    chosen = tuple(d for d in report.DIMENSIONS if d in group)
    return chosen or report.DIMENSIONS


@router.get("")
def statistics(request: Request, member: LoggedIn, session: DbSession, weeks: int = 12,
               group: list[str] = Query(default=[])) -> Response:
    """The statistics table, charts and feedback."""
    context = app_context(request)
    period = _weeks(request, weeks)
    dimensions = _dimensions(group)
    table = report.build_report(session, member.scope, weeks=period, dimensions=dimensions)
    feedback = report.feedback_summary(session, member.scope, weeks=period, reasons=REASONS)
    return render(request, "statistics.html", ui=member.ui, member=member, table=table,
                  events=report.EVENTS, feedback=feedback, weeks=len(period),
                  all_dimensions=report.DIMENSIONS, dimensions=dimensions,
                  chart_events=("search", "search_empty", "request", "crisis_shown"),
                  labels=Labels(member.ui, context), query=request.url.query)


@router.get("/missing")
def missing(request: Request, member: LoggedIn, session: DbSession,
            weeks: int = 12) -> Response:
    """Where is help missing: searches that found nothing, most first."""
    context = app_context(request)
    period = _weeks(request, weeks)
    gaps = report.missing_help(session, member.scope, weeks=period)
    return render(request, "missing.html", ui=member.ui, member=member, gaps=gaps,
                  weeks=len(period), labels=Labels(member.ui, context))


def _headers(member: Staff, context) -> dict[str, str]:
    labels = Labels(member.ui, context)
    names = (*report.DIMENSIONS, *report.EVENTS, "mean_grade")
    return {name: labels.event(name) for name in names}


def _csv(member: Staff, session: Session, text: str, name: str) -> Response:
    audit.record(session, actor_kind=member.scope.role, actor=member.username,
                 action="statistics.export", target=name)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get(".csv", include_in_schema=False)
@router.get("/export.csv")
def statistics_csv(request: Request, member: LoggedIn, session: DbSession, weeks: int = 12,
                   group: list[str] = Query(default=[])) -> Response:
    """The statistics table as CSV, with "<5" exactly as on the page."""
    context = app_context(request)
    table = report.build_report(session, member.scope, weeks=_weeks(request, weeks),
                                dimensions=_dimensions(group))
    return _csv(member, session, report.report_csv(table, _headers(member, context)),
                "steunwijzer-statistics.csv")


@router.get("/missing.csv")
def missing_csv(request: Request, member: LoggedIn, session: DbSession,
                weeks: int = 12) -> Response:
    """The "where is help missing" ranking as CSV."""
    context = app_context(request)
    gaps = report.missing_help(session, member.scope, weeks=_weeks(request, weeks))
    return _csv(member, session, report.gaps_csv(gaps, _headers(member, context)),
                "steunwijzer-missing-help.csv")


@router.get("/chart/{event}.{fmt}")
def chart(event: str, fmt: str, request: Request, member: LoggedIn, session: DbSession,
          weeks: int = 12) -> Response:
    """One event per week as a PNG or SVG chart (suppressed weeks drawn as "<5")."""
    if event not in report.EVENTS or fmt not in ("png", "svg"):
        raise NotFound()
    labels = Labels(member.ui, app_context(request))
    series = report.weekly_series(session, member.scope, weeks=_weeks(request, weeks),
                                  event=event)
    figure = charts.weekly_figure(series, labels.event(event),
                                  member.ui.gettext("<5: fewer than five, not shown"))
    body = charts.to_png(figure) if fmt == "png" else charts.to_svg(figure)
    return Response(body, media_type="image/png" if fmt == "png" else "image/svg+xml",
                    headers={"Cache-Control": "no-store"})
