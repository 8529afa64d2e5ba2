"""Write and read audit events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEvent


def record(
    session: Session,
    *,
    actor_kind: str,
    actor: str,
    action: str,
    target: str = "",
    detail: str = "",
    at: datetime | None = None,
) -> AuditEvent:
    """Append one audit event (in the caller's transaction, so it commits with the change)."""
    event = AuditEvent(
        actor_kind=actor_kind, actor=actor, action=action, target=target, detail=detail
    )
    if at is not None:
        event.at = at
    session.add(event)
    session.flush()
    return event


def recent(session: Session, limit: int = 200, action_prefix: str = "") -> Sequence[AuditEvent]:
    """The newest events first, optionally only actions starting with ``action_prefix``."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix))
    return session.scalars(query).all()
