"""Create and look up anonymous requests to a coordinator."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.requests.models import HelpRequest

# No 0/O/1/I: codes are read aloud and typed by people.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DEFAULT_EXPIRY = timedelta(days=30)


def new_code() -> str:
    """A short request code like ``K7-3QX``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5))
    return f"{raw[:2]}-{raw[2:]}"


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
        status="new",
        chat_token=sealed,
        created_at=now,
        expires_at=now + DEFAULT_EXPIRY,
    )
    session.add(request)
    session.flush()
    return request
