"""Anonymous citizens talking to the bot through the fake Telegram Bot API.

Each of ``conversations`` slots plays one citizen after another: a fresh Telegram user (so a
fresh pseudonym) in nl, tr, fa or ar, following one of the journeys below. Steps are commands,
free text (disclosures, places that make the bot search the directory, thanks, and
multi-sentence messages naming a situation, a place and a wish: :mod:`bench.load.stories`) and
button presses on the buttons the bot actually showed; about one turn in five is a crisis
message.

Timing is taken inside the fake Telegram, in the load generator's own event loop: from the
update being queued (``push_update``) to the bot's ``sendMessage`` arriving at the fake. The
first message is the latency; the turn ends when the bot has been quiet for ``QUIET`` seconds.
The fake also notes when ``getUpdates`` handed each update to the bot (``delivered``) and when
the bot confirmed it (``confirmed_at``), so a stopped bot can be held to "every accepted message
answered".
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from fakes.telegram_api import FakeTelegram, FakeUser, SentMessage

from bench.load.stories import crisis_story, story
from bot.i18n.catalogs import Translator
from bot.text.sentences import split_sentences

LANGUAGES = ("nl", "tr", "fa", "ar")
#: A turn is complete when the bot has sent nothing more for this long.
QUIET = 0.1
DEGRADED_NOTICE = "I understand less than usual right now. The buttons still work."
#: A crisis answer offers a line: 112, 113 (or its 0800 number), Veilig Thuis (0800).
CRISIS_LINE = re.compile(r"(?<!\d)(112|113|0800)")


@dataclass(frozen=True)
class Phrases:
    """How a person writing in one language might say things (as in tests/e2e)."""

    disclosure: tuple[str, ...]
    practical: str
    volunteer: str
    places: tuple[str, ...]
    thanks: tuple[str, ...]
    crisis: tuple[str, ...]
    home_violence: str


PHRASES: dict[str, Phrases] = {
    "nl": Phrases(
        ("sinds mijn man overleden is voel ik me heel eenzaam",
         "ik zorg al jaren voor mijn moeder en ik kan het niet meer aan",
         "ik zoek mensen die ook iemand verloren hebben"),
        "ik zoek iemand die me kan helpen met de boodschappen",
        "ik wil graag vrijwilligerswerk doen",
        ("Tilburg", "Rotterdam", "Utrecht", "Amsterdam"),
        ("dank je wel", "bedankt, dit helpt"),
        ("ik wil er een eind aan maken", "ik wil niet meer leven",
         "de buurman slaat zijn zoontje van zes elke dag",
         "mijn ouders willen me deze zomer uithuwelijken",
         "Ik heb een vraag over de taalcafe. Ik ben alleen maar een last voor iedereen."),
        "mijn man slaat me elke avond",
    ),
    "tr": Phrases(
        ("esimi kaybettim cok yalniz hissediyorum",
         "annemle yillardir ilgileniyorum ve artik cok yoruldum",
         "benim gibi yakinini kaybetmis insanlarla konusmak istiyorum"),
        "alisveriste bana yardim edecek biri var mi",
        "gonullu olarak yardim etmek istiyorum",
        ("Tilburg", "Rotterdam", "Utrecht", "Amsterdam"),
        ("tesekkurler", "çok teşekkür ederim"),
        ("artik yasamak istemiyorum", "kendimi öldürmek istiyorum",
         "komşumuz küçük oğlunu her gün dövüyor",
         "ailem beni zorla evlendirmek istiyor",
         "Dil kursu hakkında bir sorum var. Herkese yük oluyorum artık."),
        "kocam beni dövüyor",
    ),
    "fa": Phrases(
        ("از وقتی همسرم فوت کرده خیلی تنها هستم",
         "سالهاست از مادرم مراقبت میکنم و دیگه خسته شدم",
         "دنبال آدمهایی هستم که مثل من کسی رو از دست دادن"),
        "کسی هست که تو خرید کردن کمکم کنه",
        "میخوام داوطلب بشم و به بقیه کمک کنم",
        ("تیلبورگ", "روتردام", "اوترخت", "آمستردام"),
        ("ممنون", "خیلی ممنونم"),
        ("دیگه نمیخوام زنده باشم", "میخوام خودمو بکشم",
         "همسایه هر روز پسر کوچیکش رو کتک میزنه",
         "خانواده‌ام میخوان منو به زور شوهر بدن",
         "یه سوال درباره کلاس زبان دارم. من فقط سربار همه هستم."),
        "شوهرم منو کتک میزنه",
    ),
    "ar": Phrases(
        ("منذ وفاة زوجي اشعر بالوحدة كثيرا",
         "اعتني بامي منذ سنوات ولم اعد احتمل",
         "ابحث عن اشخاص فقدوا احدا مثلي"),
        "بدي حدا يساعدني بالتسوق",
        "اريد ان اتطوع لمساعدة الناس",
        ("تيلبورخ", "روتردام", "اوترخت", "امستردام"),
        ("شكرا", "شكرا جزيلا"),
        ("ما بدي عيش بعد اليوم", "اريد ان انهي حياتي",
         "جارنا يضرب ابنه الصغير كل يوم",
         "اهلي بدهم يجوزوني غصب عني",
         "عندي سؤال عن دورة اللغة. انا صرت عبء على الكل."),
        "زوجي يضربني كل يوم",
    ),
}

# A journey is a list of steps: (kind, what). Kinds: "command", "text" (what names a Phrases
# field, "story" for a multi-sentence message, or a literal), "button" (callback data or a
# prefix ending in ":"), "crisis" (a crisis phrase, or "story" for one inside a multi-sentence
# message). "?button" presses only when the bot shows such a button (it may skip that question:
# a disclosure that names what the person looks for goes straight on to the place or the
# results, and nobody presses a button they were not shown).
JOURNEYS: dict[str, list[tuple[str, str]]] = {
    "peer_group": [("command", "/start"), ("text", "disclosure"), ("?button", "o:peer_group"),
                   ("?button", "t:loneliness"), ("text", "place"), ("command", "/privacy"),
                   ("text", "thanks")],
    "practical": [("command", "/start"), ("text", "practical"), ("?button", "t:loneliness"),
                  ("text", "place"), ("text", "thanks")],
    "volunteer": [("command", "/start"), ("text", "volunteer"), ("text", "place"),
                  ("text", "thanks")],
    "crisis": [("command", "/start"), ("text", "disclosure"), ("crisis", "crisis"),
               ("crisis", "crisis"), ("crisis", "crisis"), ("?button", "o:peer_group"),
               ("text", "thanks")],
    "home_violence": [("command", "/start"), ("crisis", "home_violence"), ("crisis", "crisis"),
                      ("crisis", "crisis"), ("text", "thanks")],
    "forget": [("command", "/start"), ("text", "disclosure"), ("command", "/privacy"),
               ("command", "/forget"), ("button", "f")],
    # Everything in one message first, then whatever the bot still needs to know.
    "story": [("command", "/start"), ("text", "story"), ("?button", "t:"), ("?button", "g:"),
              ("text", "thanks")],
    "story_direct": [("text", "story"), ("?button", "t:"), ("text", "place"), ("text", "thanks")],
    "story_crisis": [("command", "/start"), ("crisis", "story"), ("text", "thanks")],
}
#: How often each journey is played: about one turn in five is a crisis message (suicidal, a
#: child hurt, forced marriage, violence at home, a burden said in the second sentence, or one
#: of these inside a longer message), and about one in twelve a multi-sentence message.
WEIGHTS = {"peer_group": 4, "practical": 2, "volunteer": 2, "crisis": 5, "home_violence": 3,
           "forget": 1, "story": 4, "story_direct": 3, "story_crisis": 3}


@dataclass
class TurnRecord:
    """One update the citizen sent and what came back."""

    phase: str
    kind: str  # command | text | button | crisis
    language: str
    queued: float
    first: float | None = None
    last: float | None = None
    messages: int = 0
    degraded: bool = False
    synthetic_button: bool = False
    first_text: str = ""
    update_id: int = 0
    chat_id: int = 0
    text: str = ""  # what the citizen wrote (text and crisis turns; synthetic, never real)
    sentences: int = 0  # > 1 for the multi-sentence messages
    crisis_line: bool = False  # the first message of the answer offers a crisis line
    complete: bool = False  # the answer is in (or timed out): ``degraded`` is final

    @property
    def latency(self) -> float | None:
        return None if self.first is None else self.first - self.queued


class BenchTelegram(FakeTelegram):
    """The project's fake Telegram, noting when each bot message arrives (per chat) and when
    each update was handed to the bot."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inbox: dict[int, list[tuple[float, SentMessage]]] = {}
        self._events: dict[int, asyncio.Event] = {}
        #: update_id -> when ``getUpdates`` first handed it out, and how often in all.
        self.delivered: dict[int, float] = {}
        self.deliveries: dict[int, int] = {}
        #: (offset, when): each time the bot confirmed every update below ``offset`` (the
        #: ``offset`` of ``getUpdates``); only then has Telegram handed the update over for good.
        self.confirmations: list[tuple[int, float]] = []

    def event(self, chat_id: int) -> asyncio.Event:
        return self._events.setdefault(chat_id, asyncio.Event())

    def _store_sent(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        message = super()._store_sent(*args, **kwargs)
        sent = self._sent[-1]
        self.inbox.setdefault(sent.chat_id, []).append((time.perf_counter(), sent))
        self.event(sent.chat_id).set()
        return message

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = params.get("offset") or 0
        if offset > (self.confirmations[-1][0] if self.confirmations else 0):
            self.confirmations.append((offset, time.perf_counter()))
        updates = await super()._api_getUpdates(params)
        now = time.perf_counter()
        for update in updates:
            self.delivered.setdefault(update["update_id"], now)
            self.deliveries[update["update_id"]] = self.deliveries.get(update["update_id"], 0) + 1
        return updates

    def confirmed_at(self, update_id: int) -> float | None:
        """When the bot confirmed ``update_id`` (a later ``getUpdates`` offset), or None."""
        i = bisect.bisect_right(self.confirmations, update_id, key=lambda c: c[0])
        return self.confirmations[i][1] if i < len(self.confirmations) else None

    def forget_chat(self, chat_id: int) -> None:
        """Drop a finished conversation from the fake's memory (keeps long runs O(1))."""
        self.inbox.pop(chat_id, None)
        self._events.pop(chat_id, None)
        self._sent = [m for m in self._sent if m.chat_id != chat_id] if len(self._sent) > 5000 \
            else self._sent

    async def press(self, user: FakeUser, message: SentMessage, data: str) -> dict[str, Any]:
        """A button press on ``message`` (like ``press_button``, without its O(n) lookup)."""
        stored = self._messages[(message.chat_id, message.message_id)]
        query_id = f"cbq{next(self._callback_ids)}"
        self._callback_queries[query_id] = {"answered": False, "answer": None, "data": data}
        return await self.push_update({"callback_query": {
            "id": query_id, "from": user.to_api(), "message": stored,
            "chat_instance": f"ci{message.chat_id}", "data": data,
        }})


def _notices() -> set[str]:
    return {Translator(lang).gettext(DEGRADED_NOTICE) for lang in (*LANGUAGES, "en")}


@dataclass
class Chat:
    """One citizen's side of a conversation: who, and what the bot last showed."""

    user: FakeUser
    language: str
    last_message: SentMessage | None = None
    last_with_buttons: SentMessage | None = None


@dataclass
class Load:
    """Drives citizens against one bot; collects :class:`TurnRecord` s."""

    tg: BenchTelegram
    seed: int = 7
    turn_timeout: float = 15.0
    records: list[TurnRecord] = field(default_factory=list)
    #: Required buttons the bot did not show (pressed anyway on its last message), by button.
    deviations: Counter[str] = field(default_factory=Counter)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(8_000_001))
    _notice_texts: set[str] = field(default_factory=_notices)
    _stop_now: bool = False

    def stop(self) -> None:
        """No new turns from now on; turns in flight still wait for their answer."""
        self._stop_now = True

    def new_chat(self, language: str) -> Chat:
        """A fresh Telegram user (a fresh pseudonym) writing in ``language``."""
        return Chat(self.tg.user(next(self._ids), language_code=language, first_name="Anon"),
                    language)

    async def run(self, phase: str, conversations: int, duration: float, rate: float,
                  min_crisis: int = 0, max_duration: float | None = None) -> float:
        """Play for ``duration`` seconds, longer if needed until ``min_crisis`` crisis
        messages were sent (but at most ``max_duration``, default 3 × ``duration``), or until
        :meth:`stop`. ``rate`` = offered messages/s in total (0: each citizen writes as soon
        as the bot is done). Returns the wall time used."""
        rng = random.Random(f"{self.seed}-{phase}")
        started = time.perf_counter()
        stop_at = started + duration
        hard_stop = started + (max_duration or 3 * duration)
        interval = conversations / rate if rate > 0 else 0.0
        names = list(WEIGHTS)
        weights = [WEIGHTS[n] for n in names]
        first = len(self.records)
        self._stop_now = False

        def done() -> bool:
            now = time.perf_counter()
            if self._stop_now or now >= hard_stop:
                return True
            if now < stop_at:
                return False
            crisis = sum(r.kind == "crisis" for r in self.records[first:])
            return crisis >= min_crisis

        async def slot(index: int) -> None:
            # Stagger the start so the citizens do not all write in the same millisecond.
            next_send = started + (rng.uniform(0, interval) if interval else index * 0.01)
            n = index
            while True:
                language = LANGUAGES[n % len(LANGUAGES)]
                n += conversations
                journey = rng.choices(names, weights)[0]
                next_send = await self._conversation(phase, language, journey, rng, next_send,
                                                     done, interval)
                if next_send is None:
                    return

        await asyncio.gather(*(slot(i) for i in range(conversations)))
        return time.perf_counter() - started

    async def _conversation(self, phase: str, language: str, journey: str, rng: random.Random,
                            next_send: float, done, interval: float) -> float | None:
        chat = self.new_chat(language)
        phrases = PHRASES[language]
        try:
            for kind, what in JOURNEYS[journey]:
                now = time.perf_counter()
                if next_send > now:
                    await asyncio.sleep(next_send - now)
                if done():
                    return None
                if kind in ("button", "?button"):
                    target = _with_button(chat.last_with_buttons, what)
                    if target is None and kind == "?button":
                        continue
                    if target is None and chat.last_message is None:
                        continue
                    turn, _ = await self.say(chat, phase, "button", what)
                elif kind == "command":
                    turn, _ = await self.say(chat, phase, "command", what)
                else:
                    text = self._text(phrases, language, kind, what, rng)
                    turn, _ = await self.say(chat, phase, "crisis" if kind == "crisis" else "text",
                                             text)
                # Think time: the next message about ``interval`` after this one was sent.
                next_send = max(time.perf_counter(),
                                turn.queued + interval * rng.uniform(0.5, 1.5))
        finally:
            self.tg.forget_chat(chat.user.id)
        return next_send

    @staticmethod
    def _text(phrases: Phrases, language: str, kind: str, what: str, rng: random.Random) -> str:
        if what == "story":
            if kind == "crisis":
                return crisis_story(language, rng.choice(phrases.crisis), rng)
            return story(language, rng)
        if what in ("place", "disclosure", "thanks", "crisis"):
            return rng.choice(getattr(phrases, "places" if what == "place" else what))
        return getattr(phrases, what)

    async def say(self, chat: Chat, phase: str, kind: str, what: str, quiet: float = QUIET
                  ) -> tuple[TurnRecord, list[SentMessage]]:
        """One turn: a command, a text (kind ``text`` or ``crisis``) or a button press
        (``what`` = callback data, or a prefix ending in ``:``, on the buttons last shown);
        waits for the complete answer (the bot quiet for ``quiet`` s) and records the turn."""
        tg = self.tg
        user = chat.user
        # A slow bot may still be sending the previous answer: let it finish first, so no late
        # message is counted as the answer to this one.
        await self._settle(user.id)
        turn = TurnRecord(phase, kind, chat.language, 0.0, chat_id=user.id)
        count_before = len(tg.inbox.get(user.id, []))
        if kind == "button":
            target = _with_button(chat.last_with_buttons, what)
            if target is None:
                # The bot went another way: press it on the last message anyway, like a stale
                # button (counted as a deviation).
                assert chat.last_message is not None
                self.deviations[what] += 1
                turn.synthetic_button = True
                target = (chat.last_message, what.rstrip(":"))
            message, data = target
            turn.queued = time.perf_counter()
            update = await tg.press(user, message, data)
        elif kind == "command":
            turn.queued = time.perf_counter()
            update = await tg.send_command(user, what)
        else:
            turn.text = what
            turn.sentences = len(split_sentences(what))
            turn.queued = time.perf_counter()
            update = await tg.send_text(user, what)
        turn.update_id = update["update_id"]
        self.records.append(turn)
        got = await self._collect(user.id, count_before, turn, quiet)
        if got:
            chat.last_message = got[-1]
            with_buttons = [m for m in got if m.buttons]
            if with_buttons:
                chat.last_with_buttons = with_buttons[-1]
            turn.first_text = got[0].plain_text[:80]
            turn.crisis_line = CRISIS_LINE.search(got[0].plain_text) is not None
            if turn.kind == "text":
                turn.degraded = any(m.plain_text.strip() in self._notice_texts for m in got)
        turn.complete = True
        return turn, got

    async def _settle(self, chat_id: int, quiet: float = 0.3, limit: float = 2.0) -> None:
        """Wait (at most ``limit`` s) until the chat got no message for ``quiet`` s."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            inbox = self.tg.inbox.get(chat_id)
            if not inbox:
                return
            idle = time.perf_counter() - inbox[-1][0]
            if idle >= quiet:
                return
            await asyncio.sleep(quiet - idle)

    async def _collect(self, chat_id: int, before: int, turn: TurnRecord,
                       quiet: float = QUIET) -> list[SentMessage]:
        """Wait for the first reply (up to ``turn_timeout``), then until the bot is quiet."""
        tg = self.tg
        event = tg.event(chat_id)
        deadline = turn.queued + self.turn_timeout
        seen = before
        while True:
            inbox = tg.inbox.get(chat_id, [])
            if len(inbox) > seen:
                if turn.first is None:
                    turn.first = inbox[before][0]
                seen = len(inbox)
                turn.last = inbox[-1][0]
            event.clear()
            timeout = quiet if turn.first is not None else deadline - time.perf_counter()
            if timeout <= 0:
                break
            try:
                await asyncio.wait_for(event.wait(), timeout)
            except TimeoutError:
                if turn.first is not None or time.perf_counter() >= deadline:
                    break
        got = [m for _, m in tg.inbox.get(chat_id, [])[before:seen]]
        turn.messages = len(got)
        return got


def buttons_of(messages: list[SentMessage]) -> list[str]:
    """The callback data of every button in ``messages``."""
    return [data for m in messages for row in m.buttons for _, data in row if data]


def _with_button(message: SentMessage | None, what: str) -> tuple[SentMessage, str] | None:
    if message is None:
        return None
    shown = buttons_of([message])
    if what in shown:
        return message, what
    if what.endswith(":"):
        match = next((d for d in shown if d.startswith(what)), None)
        return (message, match) if match else None
    return None
