"""Key rotation: re-seal every stored chat id under the current encryption key.

``steunwijzer keys rotate`` calls :func:`rotate_sealed_chat_ids` after the operator made the
new key current (``STEUNWIJZER_ENCRYPTION_KEY``) and listed the old one in
``STEUNWIJZER_RETIRED_ENCRYPTION_KEYS``. Once it reports nothing left to re-seal, the old key
can be removed everywhere. The pseudonym secret is not rotated here: a new one gives every
person a new pseudonym (docs/security.md, "Keys").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.facilitators.models import Facilitator
from bot.outbox.models import OutboundMessage
from bot.privacy.sealed import ChatIdSealer, SealError
from bot.reminders.models import Subscription
from bot.requests.models import HelpRequest


class UnreadableTokens(Exception):
    """Stored chat ids that no configured key opens (usually: the old key was not listed in
    STEUNWIJZER_RETIRED_ENCRYPTION_KEYS). Nothing was changed."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} stored chat id(s) cannot be opened with the configured keys")
        self.count = count


@dataclass(frozen=True)
class RotationReport:
    """What a rotation did."""

    resealed: int  # sealed again under the current key
    current: int  # already under the current key
    dropped: int = 0  # unreadable and removed (only with ``drop_unreadable``)


@dataclass(frozen=True)
class _Stored:
    model: type[Any]
    key: object  # the primary key value
    token: str
    purpose: str


#: Where chat ids are stored, and the purpose each was sealed for.
_PLACES: tuple[tuple[type[Any], Any, Callable[[Any], str]], ...] = (
    (HelpRequest, HelpRequest.id, lambda row: f"request:{row.code}"),
    (Subscription, Subscription.id, lambda row: f"subscription:{row.id}"),
    (Facilitator, Facilitator.id, lambda row: f"facilitator:{row.id}"),
    (OutboundMessage, OutboundMessage.id, lambda row: row.purpose),
)


def _stored_tokens(session: Session) -> Iterator[_Stored]:
    for model, key_column, purpose_of in _PLACES:
        for row in session.scalars(select(model).where(model.chat_token.is_not(None))):
            yield _Stored(model, getattr(row, key_column.key), row.chat_token, purpose_of(row))


def _drop(session: Session, stored: _Stored) -> None:
    """Remove a chat id nobody can open any more, as the end of its request or subscription
    would (a subscription or queued message is useless without it)."""
    key_column = stored.model.__mapper__.primary_key[0]
    if stored.model in (HelpRequest, Facilitator):
        session.execute(update(stored.model).where(key_column == stored.key)
                        .values(chat_token=None))
    else:
        session.execute(delete(stored.model).where(key_column == stored.key))


def rotate_sealed_chat_ids(session: Session, sealer: ChatIdSealer, *,
                           drop_unreadable: bool = False) -> RotationReport:
    """Re-seal every stored chat id that is not under ``sealer``'s current key.

    All or nothing: when a chat id cannot be opened, :class:`UnreadableTokens` is raised
    before anything changes, unless ``drop_unreadable`` (then those are removed). Each update
    only applies if the row still holds the token that was read, so a bot running meanwhile
    is never overwritten.
    """
    resealed: list[tuple[_Stored, str]] = []
    unreadable: list[_Stored] = []
    current = 0
    for stored in list(_stored_tokens(session)):
        if sealer.is_current(stored.token):
            current += 1
            continue
        try:
            chat_id = sealer.open(stored.token, stored.purpose)
        except SealError:
            unreadable.append(stored)
            continue
        resealed.append((stored, sealer.seal(chat_id, stored.purpose)))
    if unreadable and not drop_unreadable:
        raise UnreadableTokens(len(unreadable))
    for stored, token in resealed:
        key_column = stored.model.__mapper__.primary_key[0]
        session.execute(update(stored.model)
                        .where(key_column == stored.key, stored.model.chat_token == stored.token)
                        .values(chat_token=token))
    for stored in unreadable:
        _drop(session, stored)
    return RotationReport(len(resealed), current, len(unreadable))
