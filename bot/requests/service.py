"""Anonymous requests to a coordinator: create, list, answer, reply, withdraw, close, expire.

The bot (citizen side), the dashboard (coordinator side) and the CLI call these functions;
none of them touches the tables directly. A coordinator's answer is rendered in the
citizen's language and handed to the outbox, which the bot process delivers.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from bot.audit import service as audit
from bot.context import AppContext
from bot.directory.search import get_service_card
from bot.errors import Conflict, DomainError, NotFound, Refused
from bot.i18n.catalogs import _
from bot.outbox import service as outbox
from bot.requests.answers import ANSWERING, NEEDS_SERVICE, NEEDS_TEXT, Template, render_answer
from bot.requests.models import (
    ENDED_STATUSES,
    OPEN_STATUSES,
    HelpRequest,
    RequestMessage,
    Status,
)
from bot.staff.scope import Scope

# No 0/O/1/I: codes are read aloud and typed by people.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_OWN_WORDS = 2000


class RequestError(DomainError):
    """An action on a request that cannot be done: one of the three kinds below.

    The message is an English msgid (marked for extraction) that the dashboard translates.
    """


class RequestNotFound(RequestError, NotFound):
    """No such request in the coordinator's scope: out of scope and nonexistent look the
    same, so codes of other regions cannot be probed."""


class RequestClosed(RequestError, Conflict):
    """The request ended (or its citizen can no longer be reached) meanwhile."""


class AnswerRefused(RequestError, Refused):
    """The answer form is incomplete (no template, no directory entry, no own words)."""


def new_code() -> str:
    """A short request code like ``K7-3QX``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5))
    return f"{raw[:2]}-{raw[2:]}"


def _expiry(context: AppContext) -> timedelta:
    return timedelta(days=context.settings.request_expiry_days)


def create_request(
    session: Session,
    context: AppContext,
    *,
    pseudonym: str,
    text: str,
    topic: str | None,
    language: str,
    municipality_code: str | None,
    chat_token: str | None,
) -> HelpRequest:
    """Store a confirmed, already scrubbed question under a fresh code."""
    code = new_code()
    while session.scalar(select(HelpRequest.id).where(HelpRequest.code == code)) is not None:
        code = new_code()
    sealed = None
    if chat_token and context.sealer is not None:
        # Re-seal the chat id for this request only, so the token is useless elsewhere.
        chat_id = context.sealer.open(chat_token, "chat")
        sealed = context.sealer.seal(chat_id, f"request:{code}")
    now = context.clock()
    request = HelpRequest(
        code=code,
        pseudonym=pseudonym,
        text=text,
        topic=topic,
        language=language,
        municipality_code=municipality_code,
        status=Status.NEW.value,
        chat_token=sealed,
        created_at=now,
        updated_at=now,
        expires_at=now + _expiry(context),
    )
    session.add(request)
    session.flush()
    return request


# ---------------------------------------------------------------------------- dashboard side
@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: some statuses (default: the open ones)."""

    statuses: tuple[str, ...] = (Status.NEW, Status.IN_PROGRESS, Status.ANSWERED)


def queue(session: Session, scope: Scope, flt: QueueFilter | None = None,
          limit: int = 200) -> Sequence[HelpRequest]:
    """Requests in ``scope``, those waiting for a coordinator first, oldest first."""
    flt = flt or QueueFilter()
    waiting_first = case((HelpRequest.status == Status.NEW.value, 0), else_=1)
    return session.scalars(
        select(HelpRequest)
        .where(scope.request_clause(), HelpRequest.status.in_(flt.statuses))
        .order_by(waiting_first, HelpRequest.created_at)
        .limit(limit)
    ).all()


def status_counts(session: Session, scope: Scope) -> dict[str, int]:
    """How many requests in scope have each status."""
    rows = session.execute(
        select(HelpRequest.status, func.count()).where(scope.request_clause())
        .group_by(HelpRequest.status)
    ).all()
    return {status: n for status, n in rows}


def get_for_staff(session: Session, scope: Scope, code: str) -> HelpRequest:
    """The request ``code`` if it is in ``scope``; otherwise as if it did not exist."""
    request = session.scalar(
        select(HelpRequest).where(HelpRequest.code == code.strip().upper(), scope.request_clause())
    )
    if request is None:
        raise RequestNotFound()
    return request


def answer(
    session: Session,
    context: AppContext,
    scope: Scope,
    code: str,
    *,
    template: str,
    service_id: str | None = None,
    own_words: str = "",
) -> RequestMessage:
    """Answer request ``code`` with ``template`` (+ a directory entry, + own words).

    The answer is rendered in the citizen's language and queued in the outbox under the
    request's purpose; the bot delivers it. Audited.
    """
    request = get_for_staff(session, scope, code)
    if request.status not in OPEN_STATUSES:
        raise RequestClosed(_("This request is no longer open."))
    if request.chat_token is None:
        raise RequestClosed(_("The citizen can no longer be reached."))
    try:
        chosen = Template(template)
    except ValueError:
        raise AnswerRefused(_("Choose an answer template.")) from None
    own_words = own_words.strip()[:MAX_OWN_WORDS]
    card = None
    if chosen in NEEDS_SERVICE:
        if not service_id:
            raise AnswerRefused(_("Choose a directory entry for this template."))
        card = get_service_card(session, service_id, now=context.clock())
        if card is None:
            raise AnswerRefused(_("That directory entry does not exist."))
    if chosen in NEEDS_TEXT and not own_words:
        raise AnswerRefused(_("Write your answer in your own words."))
    purpose = f"request:{request.code}"
    reply = render_answer(request.language, request.code, chosen, card, own_words,
                          context.settings.zone)
    # The request's chat id is sealed for exactly this purpose: the queued answer carries it
    # as it is, so the dashboard never needs the key that opens it (docs/security.md).
    outbox.enqueue_sealed(session, context, chat_token=request.chat_token, purpose=purpose,
                          reply=reply)
    now = context.clock()
    message = RequestMessage(request_id=request.id, author="coordinator", text=own_words,
                             template=chosen.value, service_id=card.id if card else None,
                             staff_username=scope.username, at=now)
    session.add(message)
    request.status = (Status.ANSWERED if chosen in ANSWERING else Status.IN_PROGRESS).value
    request.updated_at = now
    request.expires_at = max(request.expires_at, now + _expiry(context))
    session.flush()
    audit.record(session, actor_kind=scope.role, actor=scope.username, action="request.answer",
                 target=purpose, detail=f"template={chosen.value}"
                 + (f" service={card.id}" if card else "") + (" own_words" if own_words else ""),
                 at=now)
    return message


def close(session: Session, context: AppContext, scope: Scope, code: str) -> HelpRequest:
    """Close a request: no more messages either way; the sealed chat id is deleted."""
    request = get_for_staff(session, scope, code)
    if request.status not in OPEN_STATUSES:
        raise RequestClosed(_("This request is no longer open."))
    request.status = Status.CLOSED.value
    request.chat_token = None
    request.updated_at = context.clock()
    audit.record(session, actor_kind=scope.role, actor=scope.username, action="request.close",
                 target=f"request:{request.code}", at=request.updated_at)
    return request


def viewed(session: Session, scope: Scope, request: HelpRequest) -> None:
    """Audit that a coordinator opened a request."""
    audit.record(session, actor_kind=scope.role, actor=scope.username, action="request.view",
                 target=f"request:{request.code}")


# ---------------------------------------------------------------------------- citizen side
def open_request_of(session: Session, pseudonym: str, code: str) -> HelpRequest | None:
    """The citizen's own open request ``code``, or ``None``."""
    request = session.scalar(select(HelpRequest).where(HelpRequest.code == code,
                                                       HelpRequest.pseudonym == pseudonym))
    if request is None or request.status not in OPEN_STATUSES:
        return None
    return request


def citizen_reply(session: Session, context: AppContext, *, pseudonym: str, code: str,
                  text: str) -> HelpRequest | None:
    """Append an already scrubbed citizen message to their request; it waits again."""
    request = open_request_of(session, pseudonym, code)
    if request is None:
        return None
    now = context.clock()
    session.add(RequestMessage(request_id=request.id, author="citizen", text=text, at=now))
    request.status = Status.NEW.value
    request.updated_at = now
    request.expires_at = max(request.expires_at, now + _expiry(context))
    session.flush()
    return request


def withdraw(session: Session, context: AppContext, *, pseudonym: str,
             code: str) -> HelpRequest | None:
    """The citizen withdraws a request: the chat id and any queued answer are deleted."""
    request = open_request_of(session, pseudonym, code)
    if request is None:
        return None
    request.status = Status.WITHDRAWN.value
    request.chat_token = None
    request.updated_at = context.clock()
    outbox.discard(session, f"request:{request.code}")
    return request


def expire_due(session: Session, context: AppContext) -> int:
    """Expire open requests past their time: status ``expired``, chat id and queue deleted."""
    now = context.clock()
    due = session.scalars(
        select(HelpRequest).where(HelpRequest.status.in_([s.value for s in OPEN_STATUSES]),
                                  HelpRequest.expires_at <= now)
    ).all()
    for request in due:
        request.status = Status.EXPIRED.value
        request.chat_token = None
        request.updated_at = now
        outbox.discard(session, f"request:{request.code}")
    if due:
        audit.record(session, actor_kind="system", actor="expiry", action="request.expire",
                     detail=f"{len(due)} request(s)", at=now)
    return len(due)


def purge_ended(session: Session, context: AppContext) -> int:
    """Delete requests that ended ``request_retention_days`` ago or more: text, pseudonym and
    thread (the messages cascade), and anything still queued for them. Returns how many."""
    cutoff = context.clock() - timedelta(days=context.settings.request_retention_days)
    codes = session.scalars(select(HelpRequest.code).where(
        HelpRequest.status.in_([s.value for s in ENDED_STATUSES]),
        HelpRequest.updated_at <= cutoff)).all()
    if not codes:
        return 0
    for code in codes:
        outbox.discard(session, f"request:{code}")
    session.execute(delete(HelpRequest).where(HelpRequest.code.in_(codes)))
    audit.record(session, actor_kind="system", actor="retention", action="request.delete",
                 detail=f"{len(codes)} request(s)", at=context.clock())
    return len(codes)
