"""The public iCalendar feed of a group, for anyone to subscribe to in a calendar app.

The dashboard mounts :data:`router` under ``/feeds`` (so a feed lives at
``/feeds/groups/<id>.ics``) and keeps the :class:`~bot.context.AppContext` in
``app.state.context``. The feed holds only what the group publishes; nothing about who
subscribes is recorded.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from bot.context import AppContext
from bot.facilitators.links import group_link
from bot.reminders.ics import group_calendar
from bot.vocabulary import ALL_LANGUAGES

router = APIRouter()


@router.get("/groups/{group_id}.ics", response_class=Response)
def group_feed(group_id: str, request: Request, lang: str = "nl") -> Response:
    """The group's meetings: the series with RRULE and EXDATE, one-off meetings as events."""
    context: AppContext = request.app.state.context
    with context.database.session() as session:
        try:
            link = group_link(context.settings, group_id)
        except ValueError:
            link = None
        result = group_calendar(session, context.settings, group_id, context.clock(), link,
                                language=lang if lang in ALL_LANGUAGES else "nl")
    if result is None:
        raise HTTPException(status_code=404, detail="unknown group")
    body, _count = result
    return Response(content=body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=900"})
