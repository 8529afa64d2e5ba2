"""Where a citizen's dialogue state is read and written between turns.

The facts go to the state store in the app database (one home, the same whether the NLU
service is up or down, surviving a restart). The one exception is the scrubbed question a
citizen has not confirmed yet: privacy.md stores it only after they confirm, so until then it
waits in this process's memory, briefly (a restart in between asks them to write it again).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from bot.context import AppContext
from bot.conversation import state_store
from bot.conversation.state_store import Flow
from bot.dialogue.model import DialogueState, MessageFacts
from bot.dialogue.remember import remember_with_topic

log = logging.getLogger(__name__)

#: How long an unconfirmed question draft is kept in memory (seconds).
DRAFT_TTL = 30 * 60
#: Fields of :class:`DialogueState` that never go to the database.
NOT_STORED = frozenset({"draft"})


@dataclass
class ConversationMemory:
    """Loads and saves :class:`DialogueState` per pseudonym (synchronous; call in a thread)."""

    context: AppContext
    _drafts: dict[str, tuple[str, float]] = field(default_factory=dict)
    _facts: dict[str, tuple[MessageFacts, float]] = field(default_factory=dict)

    def load(self, pseudonym: str, language: str) -> DialogueState:
        """The stored state, or a fresh one (also when the database is down: the dialogue
        then starts over, the person still gets an answer), with the facts kept for this
        turn merged in (they are taken: the turn stores them with the state)."""
        return self._load(pseudonym, language, take_kept=True)

    def peek(self, pseudonym: str, language: str) -> DialogueState:
        """The state the person's next turn would start from, leaving the kept facts for
        that turn (for measuring and tests: looking must not change what the bot knows)."""
        return self._load(pseudonym, language, take_kept=False)

    def _load(self, pseudonym: str, language: str, *, take_kept: bool) -> DialogueState:
        try:
            with self.context.database.session() as session:
                state = state_store.load(
                    session,
                    pseudonym,
                    Flow.CITIZEN,
                    DialogueState,
                    now=self.context.clock(),
                    expiry=self.context.settings.conversation_expiry,
                )
        except SQLAlchemyError:
            log.warning("conversation state not loaded (database unavailable)")
            state = None
        state = state or DialogueState(language=language)
        draft = self._drafts.get(pseudonym)
        if draft is not None and time.monotonic() - draft[1] < DRAFT_TTL:
            state = state.with_(draft=draft[0])
        kept = self._facts.pop(pseudonym, None) if take_kept else self._facts.get(pseudonym)
        if kept is not None and time.monotonic() - kept[1] < DRAFT_TTL:
            state = remember_with_topic(state, kept[0])
        return state

    def keep_facts(self, pseudonym: str, facts: MessageFacts) -> None:
        """Facts of a message answered without a dialogue turn (the crisis answer waits for
        nothing): merged into the state at the person's next turn, then stored with it. In
        this process's memory only, briefly (a restart in between forgets them)."""
        self._facts[pseudonym] = (facts, time.monotonic())
        now = time.monotonic()
        for key in [k for k, (_, at) in self._facts.items() if now - at >= DRAFT_TTL]:
            del self._facts[key]

    def save(self, pseudonym: str, state: DialogueState) -> None:
        """Store ``state``; its unconfirmed draft stays in memory only."""
        if state.draft:
            self._drafts[pseudonym] = (state.draft, time.monotonic())
        else:
            self._drafts.pop(pseudonym, None)
        self._expire_drafts()
        try:
            with self.context.database.session() as session:
                state_store.save(
                    session,
                    pseudonym,
                    Flow.CITIZEN,
                    state,
                    now=self.context.clock(),
                    leave_out=NOT_STORED,
                )
        except SQLAlchemyError:
            log.warning("conversation state not saved (database unavailable)")

    def forget(self, pseudonym: str) -> None:
        """Drop what this process holds for ``pseudonym`` (the database rows go with
        /forget's service call)."""
        self._drafts.pop(pseudonym, None)
        self._facts.pop(pseudonym, None)

    def _expire_drafts(self) -> None:
        now = time.monotonic()
        for key in [k for k, (_, at) in self._drafts.items() if now - at >= DRAFT_TTL]:
            del self._drafts[key]
