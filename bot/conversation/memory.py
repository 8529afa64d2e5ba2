"""Where a citizen's dialogue state is read and written between turns.

The facts go to the state store in the app database (one home, the same whether the NLU
service is up or down, surviving a restart, shared by every bot worker). Two things wait
outside it, briefly, in the short-lived store (bot/conversation/ephemeral.py: this process's
memory for one worker, sealed in Redis for several): the scrubbed question a citizen has not
confirmed yet (privacy.md stores it only after they confirm; a restart in between asks them to
write it again), and the facts of a message the crisis net answered, for their next turn.

The person's language is read from the database at the start of every turn (another worker
may have changed it), in the same statement as the dialogue state that turn loads next.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.citizens import preferences
from bot.citizens.models import CitizenProfile
from bot.context import AppContext
from bot.conversation import state_store
from bot.conversation.ephemeral import Ephemeral, ephemeral_store
from bot.conversation.models import ConversationState
from bot.conversation.state_store import Flow
from bot.dialogue.remember import remember_with_topic
from bot.vocabulary import About, DialogueState, MessageFacts, Wish

log = logging.getLogger(__name__)

#: How long an unconfirmed question draft (and facts kept after a crisis answer) wait (seconds).
DRAFT_TTL = 30 * 60
#: Fields of :class:`DialogueState` that never go to the database.
NOT_STORED = frozenset({"draft"})
#: Kinds of value in the short-lived store.
DRAFT, KEPT_FACTS = "draft", "facts"

_UNREAD = object()


@dataclass
class ConversationMemory:
    """Loads and saves :class:`DialogueState` per pseudonym (synchronous; call in a thread)."""

    context: AppContext
    #: Drafts and kept facts; from the settings when not given (Redis with ``redis_url``).
    store: Ephemeral | None = None
    # The stored state read with the language at the start of a turn, for that turn's load.
    _read: dict[str, DialogueState | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.store is None:
            self.store = ephemeral_store(self.context.settings, DRAFT_TTL)

    @property
    def _store(self) -> Ephemeral:
        assert self.store is not None  # set in __post_init__
        return self.store

    # ------------------------------------------------------------------ language
    def language(self, pseudonym: str, *, turn: bool = False) -> str | None:
        """The language stored for ``pseudonym`` (the source of truth: another worker may
        have changed it), or ``None``. Raises ``SQLAlchemyError`` with the database down.

        ``turn``: called at the start of the person's turn, under their turn lock, before the
        turn loads its state: the state is read in the same statement and kept for that load,
        so reading the language costs no query of its own."""
        self._read.pop(pseudonym, None)  # a failure below must not leave an older read
        with self.context.database.session() as session:
            if not turn:
                return preferences.get_language(session, pseudonym)
            stored_language = (select(CitizenProfile.language)
                               .where(CitizenProfile.pseudonym == pseudonym).scalar_subquery())
            row = session.execute(
                select(ConversationState, stored_language).where(
                    ConversationState.pseudonym == pseudonym,
                    ConversationState.flow == Flow.CITIZEN.value,
                )
            ).first()
            if row is None:
                language, state = preferences.get_language(session, pseudonym), None
            else:
                language = row[1]
                # The row is in the session now: this finds it without another query.
                state = self._stored(session, pseudonym)
        self._read[pseudonym] = state
        return language

    # ------------------------------------------------------------------ state
    def load(self, pseudonym: str, language: str) -> DialogueState:
        """The stored state, or a fresh one (also when the database is down: the dialogue
        then starts over, the person still gets an answer), with the unconfirmed draft and the
        facts kept for this turn merged in (those are taken: the turn stores them with the
        state)."""
        return self._load(pseudonym, language, take_kept=True)

    def peek(self, pseudonym: str, language: str) -> DialogueState:
        """The state the person's next turn would start from, leaving the kept facts for
        that turn (for measuring and tests: looking must not change what the bot knows)."""
        return self._load(pseudonym, language, take_kept=False)

    def _load(self, pseudonym: str, language: str, *, take_kept: bool) -> DialogueState:
        read = self._read.pop(pseudonym, _UNREAD) if take_kept else _UNREAD
        if read is _UNREAD:
            try:
                with self.context.database.session() as session:
                    state = self._stored(session, pseudonym)
            except SQLAlchemyError:
                log.warning("conversation state not loaded (database unavailable)")
                state = None
        else:
            state = read  # type: ignore[assignment]
        state = state or DialogueState(language=language)
        draft = self._store.get(DRAFT, pseudonym)
        if draft is not None:
            state = state.with_(draft=draft)
        kept = (self._store.take if take_kept else self._store.get)(KEPT_FACTS, pseudonym)
        facts = _facts_from_json(kept) if kept is not None else None
        if facts is not None:
            state = remember_with_topic(state, facts)
        return state

    def _stored(self, session, pseudonym: str) -> DialogueState | None:
        return state_store.load(
            session,
            pseudonym,
            Flow.CITIZEN,
            DialogueState,
            now=self.context.clock(),
            expiry=self.context.settings.conversation_expiry,
        )

    def keep_facts(self, pseudonym: str, facts: MessageFacts) -> None:
        """Facts of a message answered without a dialogue turn (the crisis answer waits for
        nothing, so neither does this: this worker has them at once, the others a moment
        later): merged into the state at the person's next turn, then stored with it. Kept
        for ``DRAFT_TTL`` at most."""
        self._store.put(KEPT_FACTS, pseudonym, _facts_to_json(facts), wait=False)

    def save(self, pseudonym: str, state: DialogueState) -> None:
        """Store ``state``; its unconfirmed draft goes to the short-lived store only."""
        self._read.pop(pseudonym, None)
        if state.draft:
            self._store.put(DRAFT, pseudonym, state.draft)
        else:
            self._store.drop(DRAFT, pseudonym)
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
        """Drop the draft and kept facts of ``pseudonym`` (in Redis too: every worker forgets
        them; the database rows go with /forget's service call)."""
        self._read.pop(pseudonym, None)
        self._store.drop(DRAFT, pseudonym)
        self._store.drop(KEPT_FACTS, pseudonym)


def _facts_to_json(facts: MessageFacts) -> str:
    return json.dumps(asdict(facts), ensure_ascii=False)


def _facts_from_json(encoded: str) -> MessageFacts | None:
    """The facts again; ``None`` for a value this version cannot read (a rolling upgrade)."""
    try:
        data = json.loads(encoded)
        known = {f.name for f in fields(MessageFacts)}
        data = {k: v for k, v in data.items() if k in known}
        data["topics"] = tuple(data.get("topics") or ())
        if data.get("about") is not None:
            data["about"] = About(data["about"])
        if data.get("wish") is not None:
            data["wish"] = Wish(data["wish"])
        return MessageFacts(**data)
    except (ValueError, TypeError, AttributeError) as exc:
        log.warning("kept facts not readable (%s)", type(exc).__name__)
        return None
