"""Where a facilitator is in a guided conversation, kept in the conversation state store.

One :class:`FlowState` per person (``Flow.FACILITATOR`` in ``bot/conversation/state_store``),
so a conversation survives a restart of the bot and expires like a citizen's. It holds the
step, the group and meeting ids offered or chosen, and the draft of a new meeting (which the
facilitator is about to publish). Display names and other typed text are never kept in it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.conversation import state_store
from bot.conversation.state_store import Flow
from bot.facilitators.recurrence import Repeat


class Task(StrEnum):
    """What a guided conversation is for; the command that started it."""

    NAME = "start"  # choose a display name after accepting an invitation
    NEW_MEETING = "newmeeting"
    EDIT_MEETING = "editmeeting"
    CANCEL_MEETING = "cancelmeeting"
    LEAVE = "leave"


class Step(StrEnum):
    """The question a facilitator is answering."""

    NAME = "name"
    GROUP = "group"
    DATE = "date"
    START = "start"
    END = "end"
    REPEAT = "repeat"
    PLACE = "place"
    LINK = "link"
    LANGUAGES = "languages"
    NOTE = "note"
    CONFIRM = "confirm"
    MEETING = "meeting"
    SCOPE = "scope"
    FIELD = "field"
    CANCEL_CONFIRM = "cancel_confirm"
    LEAVE_CONFIRM = "leave_confirm"


@dataclass(frozen=True)
class FlowState:
    """The facts of one guided conversation (plain values, so they store as JSON)."""

    # Stored as their values ("newmeeting", "date"): the JSON a state is kept as is the same
    # as when these were plain strings, so a conversation saved by an older bot continues.
    task: Task
    step: Step
    group: str | None = None  # the group id
    choices: tuple[str, ...] = ()  # ids behind the numbered buttons of a group/meeting question
    meeting: str | None = None  # the meeting id being edited or cancelled
    meeting_day: str | None = None  # its local date, ISO
    series: bool = False  # the whole series rather than one meeting
    day: str | None = None  # local ISO date of a new meeting or a moved one
    start: str | None = None  # "19:30"
    end: str | None = None
    repeat: Repeat | None = None
    place: str | None = None
    online_url: str | None = None
    languages: tuple[str, ...] = ()
    note: str | None = None

    def __post_init__(self) -> None:
        # JSON gives strings and lists back; keep the fields as declared (and the dataclass
        # hashable). An unknown task, step or repeat raises ValueError (see :func:`load`).
        object.__setattr__(self, "task", Task(self.task))
        object.__setattr__(self, "step", Step(self.step))
        if self.repeat is not None:
            object.__setattr__(self, "repeat", Repeat(self.repeat))
        object.__setattr__(self, "choices", tuple(self.choices))
        object.__setattr__(self, "languages", tuple(self.languages))

    def at(self, step: Step, **changes: object) -> FlowState:
        """A copy at ``step`` with ``changes`` applied."""
        return replace(self, step=step, **changes)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> FlowState:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def editing(self) -> bool:
        """Whether the answers change an existing meeting rather than build a new one."""
        return self.task is Task.EDIT_MEETING


def _expiry(context: AppContext) -> timedelta:
    return timedelta(seconds=context.settings.conversation_expiry_seconds)


def load(session: Session, context: AppContext, pseudonym: str) -> FlowState | None:
    """The guided conversation ``pseudonym`` is in, or ``None`` (none, or it expired)."""
    try:
        return state_store.load(session, pseudonym, Flow.FACILITATOR, FlowState,
                                now=context.clock(), expiry=_expiry(context))
    except (TypeError, ValueError):
        # A state an incompatible version of the bot left behind (no task or step, or one
        # this version does not know): the conversation is over, as if it had expired.
        return None


def store(session: Session, context: AppContext, pseudonym: str,
          state: FlowState | None) -> None:
    """Keep ``state`` for the next turn, or end the conversation (``None``)."""
    if state is None:
        state_store.forget(session, pseudonym, Flow.FACILITATOR)
    else:
        state_store.save(session, pseudonym, Flow.FACILITATOR, state, now=context.clock())
