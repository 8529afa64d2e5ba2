"""The facilitator dialogue, channel-neutral: one turn in, replies out.

A turn is a command with its argument (``/start inv_<token>``, /mygroups, /newmeeting,
/editmeeting, /cancelmeeting, /leave), a button (intent and value) or typed text, from a
person known by their pseudonym and, where the channel has one, their sealed chat id. The
replies are :class:`~bot.vocabulary.Reply` objects that every channel renders its own way.
Where a facilitator is in a guided conversation lives in the conversation state store
(``Flow.FACILITATOR``), so any bot process, before or after a restart, continues it.

Nothing here knows a Telegram id or logs what anyone typed. Each turn is one transaction:
the services' changes and the new state are saved together, and a refused answer rolls back
whatever the step had begun.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.conversation.ordering import PersonLocks
from bot.directory.models import Service
from bot.facilitators import errors, meetings, membership, questions, state, steps, texts
from bot.facilitators.errors import Refused
from bot.facilitators.links import INVITATION_PREFIX, invitation_token
from bot.facilitators.models import Facilitator
from bot.facilitators.state import FlowState, Step, Task
from bot.facilitators.work import Outcome, Work, over
from bot.vocabulary import (
    ALL_LANGUAGES,
    DEFAULT_LANGUAGE,
    ButtonIntent,
    Reply,
    language_from_hint,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Every button intent this dialogue answers.
BUTTONS = frozenset({*questions.ANSWERS.values(), ButtonIntent.FACILITATOR_LANGUAGE})
#: How many of a group's next meetings /mygroups shows.
OVERVIEW_MEETINGS = 5


class Person(Protocol):
    """Who is writing, as the channel knows them (``bot.conversation.pipeline.Citizen`` fits)."""

    @property
    def pseudonym(self) -> str:
        """The person's pseudonym in the channel (a keyed hash, never a plain id)."""
        ...

    @property
    def chat_token(self) -> str | None:
        """Their chat id sealed for purpose ``chat``, or ``None`` (the terminal)."""
        ...

    @property
    def telegram_language(self) -> str | None:
        """The language their app reports, as a hint before they are known."""
        ...


@dataclass(frozen=True)
class Answer:
    """What to send back, and in which language it is written."""

    replies: tuple[Reply, ...]
    language: str


def takes_command(command: str, argument: str = "") -> bool:
    """Whether this dialogue answers ``/command argument`` (an invitation or a facilitator
    command); any other command belongs to the citizen dialogue."""
    if command == "start":
        return argument.strip().startswith(INVITATION_PREFIX)
    return command in texts.COMMANDS


def takes_button(intent: str) -> bool:
    """Whether a button with ``intent`` belongs to this dialogue."""
    return intent in BUTTONS


def hint(person: Person) -> str:
    """The language to use for someone who is not (yet) a facilitator."""
    return language_from_hint(person.telegram_language) or DEFAULT_LANGUAGE


class FacilitatorDialogue:
    """Answers facilitators' turns; one per process, shared by every channel."""

    def __init__(self, context: AppContext) -> None:
        self.context = context
        # One turn at a time per person: a quick second button press sees the first's state.
        self._locks = PersonLocks.for_database(context.database, namespace="facilitator")

    # ------------------------------------------------------------------ turns
    async def command(self, person: Person, command: str, argument: str = "") -> Answer:
        """``/start inv_<token>`` or a facilitator command (see :func:`takes_command`)."""
        return await self._turn(person, lambda s: self._command(s, person, command, argument))

    async def button(self, person: Person, intent: str, value: str | None) -> Answer:
        """A button of this dialogue (see :func:`takes_button`)."""
        return await self._turn(person, lambda s: self._button(s, person, intent, value))

    async def text(self, person: Person, text: str) -> Answer | None:
        """Typed text: the answer to the current step, or ``None`` when the person is in no
        guided conversation (the text is then the citizen dialogue's)."""
        try:
            return await self._turn(person, lambda s: self._text(s, person, text))
        except SQLAlchemyError:
            # Without the database nobody's step is known; the citizen dialogue answers
            # (it copes with a database outage, and the crisis net has already run).
            log.warning("facilitator state not loaded (database unavailable)")
            return None

    async def interrupt(self, person: Person) -> None:
        """Another command ends a guided conversation (it is answered as usual)."""
        try:
            await self._turn(person, lambda s: state.store(s, self.context, person.pseudonym,
                                                           None))
        except SQLAlchemyError:
            log.warning("facilitator state not cleared (database unavailable)")

    async def _turn(self, person: Person, work: Callable[[Session], T]) -> T:
        async with self._locks.turn(person.pseudonym):
            return await self.context.database.run(work)

    # ------------------------------------------------------------------ in a session
    def _command(self, session: Session, person: Person, command: str,
                 argument: str) -> Answer:
        if command == "start":
            return self._accept(session, person, argument)
        facilitator = membership.find_facilitator(session, self.context, person.pseudonym)
        groups = membership.groups_of(session, facilitator) if facilitator else []
        if facilitator is None or not groups:
            return self._not_a_facilitator(session, person)
        work = Work(session, self.context, facilitator)
        if command == "mygroups":
            return self._finish(work, person, Outcome((self._overview(work, groups),)))
        try:
            outcome = steps.begin(work, Task(command), groups, argument.strip() or None)
        except Refused as refusal:
            session.rollback()
            outcome = over(refusal.render(work.language))
        return self._finish(work, person, outcome)

    def _accept(self, session: Session, person: Person, argument: str) -> Answer:
        """Accept an invitation, then ask for the name coordinators will see."""
        language = hint(person)
        token = invitation_token(argument.strip()) or ""
        try:
            facilitator, group = membership.accept_invitation(
                session, self.context, token, person.pseudonym, person.chat_token, language)
        except Refused as refusal:
            state.store(session, self.context, person.pseudonym, None)
            return Answer((Reply(refusal.render(language)),), language)
        work = Work(session, self.context, facilitator)
        begun = FlowState(task=Task.NAME, step=Step.NAME, group=group.id)
        return self._finish(work, person, Outcome((Reply(texts.welcome(work.language,
                                                                       group.name)),), begun))

    def _button(self, session: Session, person: Person, intent: str,
                value: str | None) -> Answer:
        facilitator = membership.find_facilitator(session, self.context, person.pseudonym)
        if facilitator is None:
            return self._not_a_facilitator(session, person)
        work = Work(session, self.context, facilitator)
        if intent == ButtonIntent.FACILITATOR_LANGUAGE:
            # Not a step: a guided conversation the person is in stays where it is.
            return Answer((self._language(work, value),), work.language)
        current = state.load(session, self.context, person.pseudonym)
        if current is None:  # a button of a conversation that is over
            return Answer((Reply(texts.commands_line(work.language)),), work.language)
        # A button of another question (an older message) asks the current one again.
        answers = questions.ANSWERS.get(current.step)
        choice = value if answers == intent else None
        return self._finish(work, person, self._answer(work, current, choice, None))

    def _text(self, session: Session, person: Person, text: str) -> Answer | None:
        current = state.load(session, self.context, person.pseudonym)
        if current is None:
            return None
        facilitator = membership.find_facilitator(session, self.context, person.pseudonym)
        if facilitator is None:  # revoked meanwhile: the text is an ordinary message
            state.store(session, self.context, person.pseudonym, None)
            return None
        work = Work(session, self.context, facilitator)
        return self._finish(work, person, self._answer(work, current, None, text))

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _answer(work: Work, current: FlowState, choice: str | None,
                typed: str | None) -> Outcome:
        try:
            return steps.answer(work, current, choice, typed)
        except Refused as refusal:
            work.session.rollback()  # nothing half-done is kept
            return steps.refused(work, current, refusal)

    def _finish(self, work: Work, person: Person, outcome: Outcome) -> Answer:
        state.store(work.session, self.context, person.pseudonym, outcome.state)
        return Answer(outcome.replies, work.language)

    def _not_a_facilitator(self, session: Session, person: Person) -> Answer:
        state.store(session, self.context, person.pseudonym, None)
        language = hint(person)
        return Answer((Reply(Refused(errors.NOT_A_FACILITATOR).render(language)),), language)

    def _overview(self, work: Work, groups: Sequence[Service]) -> Reply:
        """/mygroups: each group with its next meetings, and the language button."""
        overview = [
            (group.name, [texts.MeetingLine(m.starts_at, m.ends_at, m.place, m.cancelled,
                                            bool(m.series_id))
                          for m in meetings.upcoming(work.session, self.context,
                                                     work.facilitator, group.id,
                                                     limit=OVERVIEW_MEETINGS)])
            for group in groups
        ]
        return questions.my_groups(work.language, overview, work.zone)

    @staticmethod
    def _language(work: Work, value: str | None) -> Reply:
        """The language menu, or the language chosen from it."""
        facilitator: Facilitator = work.facilitator
        if value in ALL_LANGUAGES:
            membership.set_language(work.session, facilitator, value or "")
            return Reply(texts.language_set(facilitator.language) + "\n"
                         + texts.commands_line(facilitator.language))
        return questions.choose_language(facilitator.language)
