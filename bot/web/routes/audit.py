"""The audit log, for admins."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.audit import service as audit
from bot.web.deps import Admin, DbSession, render

router = APIRouter()


@router.get("/audit")
def audit_log(request: Request, member: Admin, session: DbSession,
              action: str = "") -> Response:
    """The newest audit events, optionally filtered by action prefix."""
    events = audit.recent(session, limit=300, action_prefix=action)
    return render(request, "audit.html", ui=member.ui, member=member, events=events,
                  action=action)
