"""The conversation core for citizens: one turn in (text, button or command), replies out.

Order of every turn (architecture.md, safety.md): the crisis lexicon first, before any wait;
the crisis model on each sentence of a long message; the flood limit; then, one turn at a time
per person, the dialogue state from the state store, the meaning from the NLU service (text
only: buttons and commands carry their meaning) or, when no replica answers, from the bot's
own keywords, the dialogue engine, and the new state back to the store.

Telegram, the terminal chat and ``steunwijzer classify`` all go through this class, so what a
person sees in the terminal is what they would see on Telegram.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.exc import SQLAlchemyError

from bot.citizens import preferences
from bot.context import AppContext
from bot.conversation import local_nlu
from bot.conversation.facts import main_meaning, read_facts
from bot.conversation.flood import Limiter
from bot.conversation.memory import ConversationMemory
from bot.conversation.nlu_client import NluClient, NluUnavailable
from bot.conversation.ordering import PersonLocks
from bot.dialogue import render
from bot.dialogue.engine import Engine
from bot.dialogue.routing import Decision, decide
from bot.language.detect import detect_language
from bot.runtime.metrics import CRISIS_SHOWN
from bot.safety.answer import crisis_replies
from bot.safety.net import (
    CRISIS_THRESHOLD,
    SENTENCE_THRESHOLD,
    CrisisSignal,
    Parse,
    crisis_signalled,
    lexicon_signal,
    model_crisis,
    model_signal,
    near_miss_only,
    topics_read,
    without_crisis,
)
from bot.stats.counters import Event, count
from bot.taxonomy import Route
from bot.text.sentences import split_sentences
from bot.vocabulary import (
    ALL_LANGUAGES,
    BUTTON_ENTITY,
    DEFAULT_LANGUAGE,
    ButtonIntent,
    MessageFacts,
    NluResult,
    Outcome,
    Reply,
    Turn,
    language_from_hint,
)

log = logging.getLogger(__name__)

#: The whole message's reading when there is none (the crisis answer does not wait for one).
NOTHING_SURE = NluResult("nlu_fallback", 0.0)

#: Longest text we pass on; Telegram itself stops at 4096 characters.
MAX_TEXT = 2000

#: A /start payload made by the bot (a group id, an invitation), not words a person typed.
_DEEP_LINK = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|inv_[A-Za-z0-9_-]{8,64}")

#: Commands and the intent each one stands for (no NLU needed).
COMMAND_INTENTS = {
    "start": ButtonIntent.START.value,
    "help": "bot_help",
    "privacy": "ask_privacy",
    "forget": "delete_data",
    "language": "change_language",
    "reminders": ButtonIntent.STOP_REMINDER.value,
}


def button_meaning(intent: str, value: str | None, language: str) -> NluResult:
    """What a button (or a command) means: exactly its intent and value, confidence 1."""
    entity = BUTTON_ENTITY.get(intent)
    entities = ((entity, value),) if entity and value else ()
    return NluResult(
        intent=intent,
        confidence=1.0,
        entities=entities,
        topic=value if entity == "topic" else None,
        language=language,
    )


@dataclass(frozen=True)
class Citizen:
    """Who is writing, as far as the bot may know: a pseudonym and a sealed chat id."""

    pseudonym: str
    chat_token: str | None = None
    telegram_language: str | None = None


@dataclass(frozen=True)
class PipelineResult:
    """What to send back, in which language, and how it was decided."""

    replies: tuple[Reply, ...]
    language: str
    route: str | None
    degraded: bool = False
    crisis: bool = False
    truncated: bool = False
    searched: bool = False  # a directory search ran (its results, or "nothing found")


@dataclass
class Pipeline:
    """The bot's conversation pipeline; one per process."""

    context: AppContext
    nlu: NluClient | None
    flood: Limiter | None = None
    # Button presses and commands have their own, larger limit (people tap faster than they
    # type); held back the same way.
    press_flood: Limiter | None = None
    engine: Engine = field(init=False)
    memory: ConversationMemory = field(init=False)
    # Per-person turns, across workers too on PostgreSQL (advisory locks; ordering.py).
    _locks: PersonLocks = field(init=False)
    _languages: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.engine = Engine(self.context)
        self.memory = ConversationMemory(self.context)
        self._locks = PersonLocks.for_database(self.context.database)

    # ------------------------------------------------------------------ public
    async def handle_text(
        self, citizen: Citizen, text: str, *, lexicon_clear: bool = False
    ) -> PipelineResult:
        """Answer a free-text message. ``lexicon_clear``: the caller has just run the crisis
        lexicon on this very text and it found nothing (the router does, before it looks for a
        facilitator step), so it is not run twice; the model still is."""
        truncated = len(text) > MAX_TEXT
        text = text[:MAX_TEXT]
        # Safety first: before the NLU service, the database, the flood limit or anything else.
        # Only the in-memory language cache is consulted, so a slow database cannot delay it.
        signal = None if lexicon_clear else lexicon_signal(text)
        if signal is not None:
            language = self._quick_language(citizen, text)
            return await self._crisis(citizen, language, signal, text)
        # From here on one turn at a time per person, in the order the turns arrived (the
        # lock is queued for before the first wait).
        async with self._locks.turn(citizen.pseudonym):
            return await self._text(citizen, text, truncated)

    async def _text(self, citizen: Citizen, text: str, truncated: bool) -> PipelineResult:
        current = await self._remembered_language(citizen)
        language = detect_language(text, current=current, telegram_hint=citizen.telegram_language)
        # The model on every sentence of a long message, so one sentence's signal is not
        # drowned by the rest; the whole message is judged by the dialogue turn below, which
        # also uses these readings to hear every sentence (a place, a problem, a wish).
        alarm, sentences = await self._sentences_and_alarm(text)
        if alarm:
            signal = self._model_signal(text, sentences)
            return await self._crisis(citizen, language, signal, text, sentences)
        if self.flood is not None and not self.flood.allow(citizen.pseudonym, time.time()):
            # Held back, but never unread: a crisis only the model sees still gets its answer.
            if await self._model_crisis(text):
                signal = self._model_signal(text, sentences)
                return await self._crisis(citizen, language, signal, text)
            warn = self.flood.should_warn(citizen.pseudonym)
            notice = (Reply(render.flood(language)),) if warn else ()
            return PipelineResult(notice, language, None)
        if language != current:
            await self._remember_language(citizen, language)
        result = await self._converse(citizen, language, text=text, sentences=sentences)
        if truncated:
            notice = Reply(render.too_long(language))
            result = PipelineResult(
                (notice, *result.replies),
                result.language,
                result.route,
                result.degraded,
                result.crisis,
                truncated=True,
            )
        return result

    async def handle_button(
        self, citizen: Citizen, intent: str, value: str | None
    ) -> PipelineResult:
        """Answer a button press (an exact intent, no understanding needed)."""
        held = self.held_back(citizen)
        if held is not None:
            return held
        async with self._locks.turn(citizen.pseudonym):
            language = await self._remembered_language(citizen) or self._hint(citizen)
            return await self._converse(citizen, language, button=(intent, value))

    async def handle_command(
        self, citizen: Citizen, command: str, argument: str = ""
    ) -> PipelineResult:
        """Answer /start, /help, /privacy, /forget, /language or /reminders.

        Text after a command is citizen text like any other ("/help ik wil dood"): the crisis
        net (lexicon and model) judges it first. An unknown command is read as free text.
        """
        if command not in COMMAND_INTENTS:
            return await self.handle_text(citizen, f"{command} {argument}".strip())
        signal = lexicon_signal(argument[:MAX_TEXT])
        if signal is not None:
            return await self.crisis_answer(citizen, argument, signal)
        async with self._locks.turn(citizen.pseudonym):
            crisis = await self.crisis_check(citizen, argument, deep_link=command == "start")
            if crisis is not None:
                return crisis
            held = self.held_back(citizen)
            if held is not None:
                return held
            intent = COMMAND_INTENTS[command]
            stored = await self._remembered_language(citizen)
            language = stored or self._hint(citizen)
            if command == "start" and not stored:
                await self._remember_language(citizen, language)
            value = argument.strip() or None if intent == ButtonIntent.START else None
            return await self._converse(citizen, language, button=(intent, value))

    def held_back(self, citizen: Citizen) -> PipelineResult | None:
        """Count one button press or command against the press flood limit: ``None`` when
        it may go on, else what to send instead (one notice per flood, then nothing), as for
        messages; so mashing a button or /start is held back too. The caller has run the
        crisis net first, so a crisis is never held back. Asks neither the database nor the
        NLU service."""
        limiter = self.press_flood
        if limiter is None or limiter.allow(citizen.pseudonym, time.time()):
            return None
        language = self._languages.get(citizen.pseudonym) or self._hint(citizen)
        warn = limiter.should_warn(citizen.pseudonym)
        return PipelineResult((Reply(render.flood(language)),) if warn else (), language, None)

    async def language_of(self, citizen: Citizen) -> str:
        """The language to answer this citizen in when there is no text to detect from."""
        return await self._remembered_language(citizen, turn=False) or self._hint(citizen)

    async def classify(self, text: str, language: str | None = None) -> Decision:
        """The same decision the bot makes for ``text`` (safety net included), without a reply."""
        language = language or detect_language(text)
        alarm, sentences = await self._sentences_and_alarm(text)
        crisis = alarm or lexicon_signal(text) is not None
        whole, _degraded = await self._understand(text, language)
        whole = await self._without_near_miss_alarm(text, whole)
        crisis = crisis or crisis_signalled(whole)
        meaning, facts = self._meaning(text, whole, sentences)
        decision = decide(meaning, language, crisis, text)
        return replace(decision, place=facts.place_name or decision.place)

    async def crisis_check(
        self, citizen: Citizen, text: str, *, deep_link: bool = False
    ) -> PipelineResult | None:
        """The crisis answer when ``text`` signals a crisis (lexicon, then the model on the
        whole text and each sentence), else ``None``. For text that does not take the free-text
        path: after a command, in an edited message, typed into a facilitator's flow.
        ``deep_link``: a /start payload the bot made (a group id, an invitation) is not words,
        so the model is not asked about it (the lexicon still is)."""
        text = text.strip()[:MAX_TEXT]
        if not text:
            return None
        signal = lexicon_signal(text)
        words = not (deep_link and _DEEP_LINK.fullmatch(text))
        if signal is None and words and await self._model_crisis(text):
            signal = self._model_signal(text)
        if signal is None:
            return None
        return await self.crisis_answer(citizen, text, signal)

    async def crisis_answer(
        self, citizen: Citizen, text: str, signal: CrisisSignal
    ) -> PipelineResult:
        """The crisis answer for ``signal``, in the language of ``text``; never waits for the
        database or the NLU service."""
        return await self._crisis(citizen, self._quick_language(citizen, text), signal, text)

    @staticmethod
    def _model_signal(text: str, readings: Sequence[NluResult] = ()) -> CrisisSignal:
        """The signal when only the model fired, with every topic the message was read to
        name (everyday words, and the model's readings of its sentences)."""
        return model_signal(text, (*local_nlu.keyword_topics(text), *topics_read(readings)))

    # ------------------------------------------------------------------ steps
    def _quick_language(self, citizen: Citizen, text: str) -> str:
        """The language of a crisis answer: from the text and the in-memory cache only, so
        neither the database nor the NLU service can delay it."""
        return detect_language(
            text,
            current=self._languages.get(citizen.pseudonym),
            telegram_hint=citizen.telegram_language,
        )

    async def _read_sentences(self, text: str) -> tuple[NluResult, ...]:
        """The NLU service's reading of each sentence of a message of several sentences (in
        parallel); nothing for one sentence or when the service is down (the lexicon has
        spoken, the keywords will do)."""
        if self.nlu is None or not self.nlu.available():
            return ()
        sentences = split_sentences(text)
        if len(sentences) < 2:
            return ()
        try:
            return tuple(await asyncio.gather(*(self.nlu.parse(s) for s in sentences)))
        except NluUnavailable:
            return ()
        except (KeyError, TypeError, ValueError) as exc:
            # A malformed answer: only the exception's type is logged (its message could
            # carry the person's words).
            log.warning("unreadable NLU answer for a sentence (%s)", type(exc).__name__)
            return ()

    def _meaning(
        self, text: str, whole: NluResult, sentences: Sequence[NluResult]
    ) -> tuple[NluResult, MessageFacts]:
        """What the dialogue acts on, and every fact the message gives."""
        facts = read_facts(text, whole, sentences, self._gazetteer())
        return main_meaning(whole, sentences, facts), facts

    async def _sentences_and_alarm(self, text: str) -> tuple[bool, tuple[NluResult, ...]]:
        """Whether the model signals a crisis in a sentence of ``text`` (not resting on a near
        miss), and every sentence's reading (a crisis taken back is left out of it)."""
        readings = await self._read_sentences(text)
        heard: list[NluResult] = []
        for sentence, reading in zip(split_sentences(text), readings, strict=False):
            if crisis_signalled(reading, SENTENCE_THRESHOLD):
                if not await self._near_miss_only(sentence, SENTENCE_THRESHOLD):
                    return True, readings
                reading = without_crisis(reading)
            heard.append(reading)
        return False, tuple(heard)

    async def _near_miss_only(self, text: str, threshold: float) -> bool:
        """Whether the model's alarm on ``text`` (a message or a sentence) rests on a near miss
        the lexicons know (bot/safety/net.py); False when the NLU service cannot say."""
        return await self._model_says(
            lambda parse: near_miss_only(text, parse, threshold), "near-miss check"
        )

    async def _without_near_miss_alarm(self, text: str, whole: NluResult) -> NluResult:
        """The whole message's reading, without its crisis alarm when that rests on a near
        miss (the lexicon has already found nothing by the time this runs)."""
        if crisis_signalled(whole) and await self._near_miss_only(text, CRISIS_THRESHOLD):
            return without_crisis(whole)
        return whole

    async def _model_crisis(self, text: str) -> bool:
        """The model's crisis verdict on ``text`` and each of its sentences. With the NLU
        service down the lexicon alone has spoken: False."""
        return await self._model_says(lambda parse: model_crisis(text, parse), "crisis check")

    async def _model_says(self, check: Callable[[Parse], Awaitable[bool]], what: str) -> bool:
        """``check`` asked with the NLU service; False when no replica can say (the lexicon
        has spoken already)."""
        if self.nlu is None or not self.nlu.available():
            return False
        try:
            return await check(self.nlu.parse)
        except NluUnavailable:
            return False
        except (KeyError, TypeError, ValueError) as exc:
            # A malformed answer: only the exception's type is logged (its message could
            # carry the person's words).
            log.warning("unreadable NLU answer in the %s (%s)", what, type(exc).__name__)
            return False

    async def _crisis(
        self,
        citizen: Citizen,
        language: str,
        signal: CrisisSignal,
        text: str = "",
        sentences: Sequence[NluResult] = (),
    ) -> PipelineResult:
        replies = tuple(crisis_replies(language, signal.kinds, minor=signal.minor))
        CRISIS_SHOWN.labels(kind=signal.kind.value).inc()
        # Count anonymously in the background; the answer never waits for the database.
        asyncio.get_running_loop().run_in_executor(
            None, self._count_crisis, language, signal.kind.value
        )
        if text:
            # What else the message said (a place, a problem) is not lost: the person's next
            # turn starts from it, so nothing they said is asked again. Words and the
            # gazetteer only (no wait for the NLU service or the database).
            facts = read_facts(text, NOTHING_SURE, sentences, self.context.gazetteer_if_loaded())
            self.memory.keep_facts(citizen.pseudonym, facts)
        return PipelineResult(replies, language, Route.CRISIS_LINE, crisis=True)

    def _count_crisis(self, language: str, kind: str) -> None:
        try:
            with self.context.database.session() as session:
                count(
                    session,
                    Event.CRISIS_SHOWN,
                    language=language,
                    kind=kind,
                    now=self.context.clock(),
                )
        except SQLAlchemyError:
            log.warning("crisis answer shown; counter not saved (database unavailable)")

    async def _converse(
        self,
        citizen: Citizen,
        language: str,
        *,
        text: str = "",
        sentences: Sequence[NluResult] = (),
        button: tuple[str, str | None] | None = None,
    ) -> PipelineResult:
        """One dialogue turn (the caller holds the person's turn lock)."""
        degraded = False
        facts: MessageFacts | None = None
        if button is not None:
            nlu = button_meaning(*button, language)
        else:
            whole, degraded = await self._understand(text, language)
            whole = await self._without_near_miss_alarm(text, whole)
            nlu, facts = self._meaning(text, whole, sentences)
        turn = Turn(
            language=language,
            nlu=nlu,
            text=text,
            chat_token=citizen.chat_token,
            pseudonym=citizen.pseudonym,
            facts=facts,
        )
        outcome = await self.context.database.run_sync(self._respond, turn)
        await self._apply_facts(citizen, outcome.facts)
        replies = outcome.replies
        if degraded:
            replies = (Reply(render.understands_less(outcome.state.language)), *replies)
        return PipelineResult(
            replies,
            outcome.state.language,
            outcome.route,
            degraded=degraded,
            searched="results" in outcome.facts,
        )

    async def _understand(self, text: str, language: str) -> tuple[NluResult, bool]:
        """The NLU service's reading of ``text``; the bot's keywords when no replica answers
        (then ``degraded`` is True)."""
        if self.nlu is not None:
            try:
                return await self.nlu.parse(text), False
            except NluUnavailable:
                pass  # logged by the client, once per replica and outage
        nlu = await asyncio.to_thread(local_nlu.understand, text, language, self._gazetteer())
        return nlu, True

    def _respond(self, turn: Turn) -> Outcome:
        """State from the store, the engine's answer, the new state back (in a worker thread:
        the services are synchronous)."""
        pseudonym = turn.pseudonym or ""
        state = self.memory.load(pseudonym, turn.language)
        outcome = self.engine.respond(turn, state)
        if outcome.facts.get("forgotten"):
            # /forget deleted the stored state with everything else; keep it that way.
            self.memory.forget(pseudonym)
        else:
            self.memory.save(pseudonym, outcome.state)
        return outcome

    async def _apply_facts(self, citizen: Citizen, facts: dict[str, object]) -> None:
        language = facts.get("language")
        if isinstance(language, str) and language in ALL_LANGUAGES:
            await self._remember_language(citizen, language)
        if facts.get("forgotten"):
            self._languages.pop(citizen.pseudonym, None)

    # ------------------------------------------------------------------ memory
    def _hint(self, citizen: Citizen) -> str:
        return language_from_hint(citizen.telegram_language) or DEFAULT_LANGUAGE

    async def _remembered_language(self, citizen: Citizen, *, turn: bool = True) -> str | None:
        """The person's language from the database, the source of truth: a /language or a
        switch of language on another worker is followed at once. With the database down,
        the last one this worker knew. ``turn``: at the start of a turn, under the person's
        lock; the state the turn loads is read in the same statement (no extra query)."""
        try:
            language = await self.context.database.run_sync(
                self.memory.language, citizen.pseudonym, turn=turn)
        except SQLAlchemyError:
            return self._languages.get(citizen.pseudonym)
        # The cache only serves where waiting for the database is wrong (the crisis answer,
        # a flood notice) or impossible (the database is down).
        if language:
            self._languages[citizen.pseudonym] = language
        else:
            self._languages.pop(citizen.pseudonym, None)
        return language

    async def _remember_language(self, citizen: Citizen, language: str) -> None:
        self._languages[citizen.pseudonym] = language
        try:
            await self.context.database.run(preferences.set_language, citizen.pseudonym,
                                            language)
        except SQLAlchemyError:
            log.warning("language not saved (database unavailable)")

    def _gazetteer(self):
        try:
            return self.context.gazetteer
        except SQLAlchemyError:
            return None
