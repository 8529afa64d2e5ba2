"""Anonymous citizens talking to the bot through the fake Telegram Bot API.

Each of ``conversations`` slots plays one citizen after another: a fresh Telegram user (so a
fresh pseudonym) in nl, tr, fa or ar, following one of the journeys below. Steps are commands,
free text (disclosures, places that make the action server search the database, thanks) and
button presses on the buttons the bot actually showed; some journeys contain a crisis message.

Timing is taken inside the fake Telegram, in the load generator's own event loop: from the
update being queued (``push_update``) to the bot's ``sendMessage`` arriving at the fake. The
first message is the latency; the turn ends when the bot has been quiet for ``QUIET`` seconds.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from fakes.telegram_api import FakeTelegram, FakeUser, SentMessage

from bot.i18n.catalogs import Translator

LANGUAGES = ("nl", "tr", "fa", "ar")
#: A turn is complete when the bot has sent nothing more for this long.
QUIET = 0.1
DEGRADED_NOTICE = "I understand less than usual right now. The buttons still work."


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
# field, or a literal), "button" (callback data or a prefix ending in ":"), "crisis".
# "?button" presses only when the bot shows such a button (the model may skip that question).
JOURNEYS: dict[str, list[tuple[str, str]]] = {
    "peer_group": [("command", "/start"), ("text", "disclosure"), ("button", "o:peer_group"),
                   ("?button", "t:loneliness"), ("text", "place"), ("command", "/privacy"),
                   ("text", "thanks")],
    "practical": [("command", "/start"), ("text", "practical"), ("?button", "t:loneliness"),
                  ("text", "place"), ("text", "thanks")],
    "volunteer": [("command", "/start"), ("text", "volunteer"), ("text", "place"),
                  ("text", "thanks")],
    "crisis": [("command", "/start"), ("text", "disclosure"), ("crisis", "crisis"),
               ("crisis", "crisis"), ("crisis", "crisis"), ("button", "o:peer_group"),
               ("text", "thanks")],
    "home_violence": [("command", "/start"), ("crisis", "home_violence"), ("crisis", "crisis"),
                      ("crisis", "crisis"), ("text", "thanks")],
    "forget": [("command", "/start"), ("text", "disclosure"), ("command", "/privacy"),
               ("command", "/forget"), ("button", "f")],
}
#: How often each journey is played. Crisis journeys (several crisis messages each: suicidal,
#: a child hurt, forced marriage, a burden said in the second sentence) are weighted so that
#: a paced or capacity phase holds at least 200 crisis messages (about one turn in five).
WEIGHTS = {"peer_group": 5, "practical": 3, "volunteer": 2, "crisis": 6, "home_violence": 3,
           "forget": 1}


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

    @property
    def latency(self) -> float | None:
        return None if self.first is None else self.first - self.queued


class BenchTelegram(FakeTelegram):
    """The project's fake Telegram, noting when each bot message arrives (per chat)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inbox: dict[int, list[tuple[float, SentMessage]]] = {}
        self._events: dict[int, asyncio.Event] = {}

    def event(self, chat_id: int) -> asyncio.Event:
        return self._events.setdefault(chat_id, asyncio.Event())

    def _store_sent(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        message = super()._store_sent(*args, **kwargs)
        sent = self._sent[-1]
        self.inbox.setdefault(sent.chat_id, []).append((time.perf_counter(), sent))
        self.event(sent.chat_id).set()
        return message

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
class Load:
    """Drives citizens against one bot; collects :class:`TurnRecord` s."""

    tg: BenchTelegram
    seed: int = 7
    turn_timeout: float = 15.0
    records: list[TurnRecord] = field(default_factory=list)
    deviations: int = 0  # required buttons the bot did not show (pressed anyway)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(8_000_001))
    _notice_texts: set[str] = field(default_factory=_notices)

    async def run(self, phase: str, conversations: int, duration: float, rate: float) -> float:
        """Play for ``duration`` seconds; ``rate`` = offered messages/s in total (0: each
        citizen answers as soon as the bot is done). Returns the wall time actually used."""
        rng = random.Random(f"{self.seed}-{phase}")
        started = time.perf_counter()
        stop_at = started + duration
        interval = conversations / rate if rate > 0 else 0.0
        names = list(WEIGHTS)
        weights = [WEIGHTS[n] for n in names]

        async def slot(index: int) -> None:
            # Stagger the start so the citizens do not all write in the same millisecond.
            next_send = started + (rng.uniform(0, interval) if interval else index * 0.01)
            n = index
            while True:
                language = LANGUAGES[n % len(LANGUAGES)]
                n += conversations
                journey = rng.choices(names, weights)[0]
                next_send = await self._conversation(phase, language, journey, rng, next_send,
                                                     stop_at, interval)
                if next_send is None:
                    return

        await asyncio.gather(*(slot(i) for i in range(conversations)))
        return time.perf_counter() - started

    async def _conversation(self, phase: str, language: str, journey: str, rng: random.Random,
                            next_send: float, stop_at: float, interval: float) -> float | None:
        tg = self.tg
        user = tg.user(next(self._ids), language_code=language, first_name="Anon")
        phrases = PHRASES[language]
        last_with_buttons: SentMessage | None = None
        last_message: SentMessage | None = None
        try:
            for kind, what in JOURNEYS[journey]:
                now = time.perf_counter()
                if next_send > now:
                    await asyncio.sleep(next_send - now)
                # A slow bot may still be sending the previous answer: let it finish first, so
                # no late message is counted as the answer to this one.
                await self._settle(user.id)
                if time.perf_counter() >= stop_at:
                    return None
                optional = kind == "?button"
                synthetic = False
                if kind in ("button", "?button"):
                    target = _with_button(last_with_buttons, what)
                    if target is None:
                        if optional:
                            continue
                        # The bot went another way (or is the starter bot, which shows no
                        # buttons): press it on the last message anyway, like a stale button.
                        if last_message is None:
                            continue
                        self.deviations += 1
                        synthetic = True
                        target = (last_message, what.rstrip(":"))
                    message, data = target
                    turn = TurnRecord(phase, "button", language, 0.0, synthetic_button=synthetic)
                    count_before = len(tg.inbox.get(user.id, []))
                    turn.queued = time.perf_counter()
                    await tg.press(user, message, data)
                elif kind == "command":
                    turn = TurnRecord(phase, "command", language, 0.0)
                    count_before = len(tg.inbox.get(user.id, []))
                    turn.queued = time.perf_counter()
                    await tg.send_command(user, what)
                else:
                    if what in ("place", "disclosure", "thanks", "crisis"):
                        options = getattr(phrases, "places" if what == "place" else what)
                        text = rng.choice(options)
                    else:
                        text = getattr(phrases, what)
                    turn = TurnRecord(phase, "crisis" if kind == "crisis" else "text", language,
                                      0.0)
                    count_before = len(tg.inbox.get(user.id, []))
                    turn.queued = time.perf_counter()
                    await tg.send_text(user, text)
                self.records.append(turn)
                got = await self._collect(user.id, count_before, turn)
                if got:
                    last_message = got[-1]
                    with_buttons = [m for m in got if m.buttons]
                    if with_buttons:
                        last_with_buttons = with_buttons[-1]
                    turn.first_text = got[0].plain_text[:80]
                    if turn.kind == "text":
                        turn.degraded = any(m.plain_text.strip() in self._notice_texts
                                            for m in got)
                # Think time: the next message about ``interval`` after this one was sent.
                next_send = max(time.perf_counter(),
                                turn.queued + interval * rng.uniform(0.5, 1.5))
        finally:
            tg.forget_chat(user.id)
        return next_send

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

    async def _collect(self, chat_id: int, before: int, turn: TurnRecord) -> list[SentMessage]:
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
            timeout = QUIET if turn.first is not None else deadline - time.perf_counter()
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


def _with_button(message: SentMessage | None, what: str) -> tuple[SentMessage, str] | None:
    if message is None:
        return None
    shown = [data for row in message.buttons for _, data in row if data]
    if what in shown:
        return message, what
    if what.endswith(":"):
        match = next((d for d in shown if d.startswith(what)), None)
        return (message, match) if match else None
    return None
