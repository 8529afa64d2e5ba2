"""Load, save, expire and forget the dialogue state of a pseudonym (architecture.md).

One row per pseudonym and flow holds the facts a dialogue keeps between turns as JSON: the
typed state of that flow (a frozen dataclass of plain values), never message text. A state
idle for longer than the expiry is gone on read (and deleted by the purge job), so it is the
same whether the NLU service is up or down and survives a restart of the bot.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields, is_dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.conversation.models import ConversationState

S = TypeVar("S")


class Flow(StrEnum):
    """Which dialogue a state belongs to; one person may be in both."""

    CITIZEN = "citizen"
    FACILITATOR = "facilitator"


def load(
    session: Session,
    pseudonym: str,
    flow: Flow,
    kind: type[S],
    *,
    now: datetime,
    expiry: timedelta,
) -> S | None:
    """The state of ``pseudonym`` in ``flow``, or ``None`` when there is none or it expired.

    Keys a newer or older version wrote that ``kind`` does not know are ignored, so a state
    survives an upgrade of the bot.
    """
    row = session.get(ConversationState, (pseudonym, flow.value))
    if row is None:
        return None
    if now - row.updated_at > expiry:
        session.delete(row)
        return None
    data: dict[str, Any] = json.loads(row.facts)
    known = {f.name for f in fields(kind)}  # type: ignore[arg-type]
    return kind(**{key: value for key, value in data.items() if key in known})


def save(
    session: Session,
    pseudonym: str,
    flow: Flow,
    state: object,
    *,
    now: datetime,
    leave_out: frozenset[str] = frozenset(),
) -> None:
    """Store ``state`` (a dataclass) for ``pseudonym`` in ``flow``, without ``leave_out``."""
    if not is_dataclass(state) or isinstance(state, type):
        raise TypeError("state must be a dataclass instance")
    facts = {k: v for k, v in asdict(state).items() if k not in leave_out}
    encoded = json.dumps(facts, ensure_ascii=False, sort_keys=True)
    row = session.get(ConversationState, (pseudonym, flow.value))
    if row is None:
        session.add(
            ConversationState(pseudonym=pseudonym, flow=flow.value, facts=encoded, updated_at=now)
        )
    else:
        row.facts = encoded
        row.updated_at = now


def forget(session: Session, pseudonym: str, flow: Flow | None = None) -> int:
    """Delete the state of ``pseudonym`` (in one flow, or all); returns rows removed."""
    query = delete(ConversationState).where(ConversationState.pseudonym == pseudonym)
    if flow is not None:
        query = query.where(ConversationState.flow == flow.value)
    return session.execute(query).rowcount or 0  # type: ignore[attr-defined]


def purge(session: Session, *, now: datetime, expiry: timedelta) -> int:
    """Delete every state idle for longer than ``expiry``; returns rows removed."""
    result = session.execute(
        delete(ConversationState).where(ConversationState.updated_at < now - expiry)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
