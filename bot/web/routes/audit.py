"""The audit log, for admins."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.audit import service as audit
from bot.web.deps import Staff, app_context, render, require_admin

router = APIRouter()


@router.get("/audit")
def audit_log(request: Request, action: str = "",
              member: Staff = Depends(require_admin)) -> Response:
    """The newest audit events, optionally filtered by action prefix."""
    context = app_context(request)
    with context.database.session() as session:
        events = audit.recent(session, limit=300, action_prefix=action)
    return render(request, "audit.html", ui=member.ui, member=member, events=events,
                  action=action)
