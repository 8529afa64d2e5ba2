"""What every guided step works with, and what it gives back.

A step runs inside the caller's database session, synchronously; its :class:`Outcome` is the
replies of the turn and the state for the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.facilitators import meetings
from bot.facilitators.meetings import GroupInfo
from bot.facilitators.models import Facilitator
from bot.facilitators.state import FlowState
from bot.facilitators.timeparse import local
from bot.vocabulary import Reply


@dataclass(frozen=True)
class Outcome:
    """The replies of one turn and the state for the next (``None``: the conversation is over)."""

    replies: tuple[Reply, ...]
    state: FlowState | None = None


@dataclass
class Work:
    """What every step works with: the open session, the app context, the facilitator."""

    session: Session
    context: AppContext
    facilitator: Facilitator

    @property
    def language(self) -> str:
        """The facilitator's language."""
        return self.facilitator.language

    @property
    def zone(self) -> tzinfo:
        """The configured time zone, in which facilitators type and read meeting times."""
        return self.context.settings.zone

    def today(self) -> date:
        """Today, local date."""
        return local(self.context.clock(), self.zone).date()

    def info(self, state: FlowState) -> GroupInfo:
        """The state's group, if the facilitator runs it (else refused)."""
        return meetings.group_info(self.session, self.facilitator, state.group or "", self.zone)


def over(*messages: str) -> Outcome:
    """The conversation ends with these messages."""
    return Outcome(tuple(Reply(text) for text in messages))
