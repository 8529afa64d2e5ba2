"""The fault phase (current code only): three failures under paced load.

* ``fault-nlu``: the NLU service (Rasa) is killed (SIGKILL, as a crash or the OOM killer
  would) and started again; every message must still be answered (degraded while it is down)
  and the dialogue state must be intact afterwards;
* ``fault-sigterm``: the bot is stopped with SIGTERM (a deploy, ``systemctl restart``): every
  update it had accepted (handed out by ``getUpdates`` and confirmed) must be answered before
  it exits; then it is started again;
* ``fault-sigkill``: the bot is killed (SIGKILL) and started again: every conversation must go
  on from its stored state. Updates it had accepted but not answered may be lost (Telegram
  re-delivers only those not yet confirmed); they are counted, not failed on.

Both bot signals come right after a burst of citizens wrote at the same moment, so there are
messages in flight to be answered (or lost).

The state check (:class:`StateProbes`): before each failure some citizens get mid-search —
topic chosen and asked for their place, or topic and place chosen and results shown. After it
they type a place: with the state intact they get results for the topic they chose, without
being asked for the topic again; with the state lost the dialogue starts over.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.load.citizens import PHRASES, BenchTelegram, Chat, Load, TurnRecord, buttons_of
from bench.load.results import PhaseResult, pct
from bench.load.stack import Child, ProcessSampler, Stack, kill_child, rasa_ready
from bench.load.stories import story

#: Citizens who write at the same moment just before the bot is stopped (see _burst).
BURST = 12
#: Topics the probes choose (the demo directory has peer groups for each in every city).
PROBE_TOPICS = ("loneliness", "grief", "caregiving", "newcomer")
#: A probe's answer is complete when the bot has been quiet this long (a busy bot, just
#: restarted with a backlog, may pause between the results header and the result cards).
PROBE_QUIET = 1.5
#: How long a turn may wait for its answer in the fault phase: a restarting bot takes a while,
#: and a message that waited is answered, not lost.
FAULT_TURN_TIMEOUT = 30.0


def log(*parts: object) -> None:
    import sys

    print("[bench]", *parts, file=sys.stderr, flush=True)


@dataclass
class Probe:
    """One citizen mid-search: ``stage`` is ``place`` (asked for a place) or ``results``."""

    chat: Chat
    stage: str
    topic: str
    ready: bool = False
    verdict: str = "not run"  # results | asked again | other | unanswered | not set up


@dataclass
class StateProbes:
    """Citizens mid-search when a failure happens, and what they get afterwards."""

    load: Load
    phase: str
    count: int
    probes: list[Probe] = field(default_factory=list)

    async def setup(self) -> None:
        """Get every probe mid-search (buttons only: they work with the NLU service down)."""
        languages = list(PHRASES)
        for i in range(self.count):
            chat = self.load.new_chat(languages[i % len(languages)])
            stage = "place" if i % 2 == 0 else "results"
            self.probes.append(Probe(chat, stage, PROBE_TOPICS[i % len(PROBE_TOPICS)]))
        await asyncio.gather(*(self._setup_one(p) for p in self.probes))

    async def _setup_one(self, probe: Probe) -> None:
        load, chat = self.load, probe.chat
        await load.say(chat, self.phase, "command", "/start", PROBE_QUIET)
        await load.say(chat, self.phase, "button", "o:peer_group", PROBE_QUIET)
        _, got = await load.say(chat, self.phase, "button", f"t:{probe.topic}", PROBE_QUIET)
        if probe.stage == "place":
            probe.ready = _asked_place(got)
            return
        _, got = await load.say(chat, self.phase, "button", "p:online", PROBE_QUIET)
        probe.ready = _has_results(got)

    async def check(self) -> None:
        """Each probe types a place; the answer should be results for its topic."""
        await asyncio.gather(*(self._check_one(p) for p in self.probes))

    async def _check_one(self, probe: Probe) -> None:
        if not probe.ready:
            probe.verdict = "not set up"
            return
        places = PHRASES[probe.chat.language].places
        turn, got = await self.load.say(probe.chat, self.phase, "text", places[1], PROBE_QUIET)
        if turn.first is None:
            probe.verdict = "unanswered"
        elif _asked_topic(got):
            probe.verdict = "asked again"
        elif _has_results(got):
            probe.verdict = "results"
        else:
            probe.verdict = f"other: {turn.first_text[:40]!r}"

    def summary(self) -> dict[str, object]:
        ready = [p for p in self.probes if p.ready]
        return {
            "probes": len(self.probes),
            "probes_ready": len(ready),
            "probes_results": sum(p.verdict == "results" for p in ready),
            "probes_asked_again": sum(p.verdict == "asked again" for p in ready),
            "probes_other": [p.verdict for p in ready
                             if p.verdict not in ("results", "asked again")],
        }


def _asked_place(got: list) -> bool:
    return any(d.startswith("p:") for d in buttons_of(got))


def _asked_topic(got: list) -> bool:
    return any(d.startswith("t:") for d in buttons_of(got))


def _has_results(got: list) -> bool:
    """Results (cards with "details" buttons) or the plain "nothing found" with alternatives:
    either way a search was made with what the conversation knew."""
    data = buttons_of(got)
    return any(d.startswith("g:") for d in data) or "o:fbsearch" in data or (
        bool(got) and not _asked_topic(got) and not _asked_place(got) and any(
            d.startswith("o:human") for d in data))


@dataclass
class FaultRun:
    """Runs the three sub-phases against one running core stack."""

    tg: BenchTelegram
    load: Load
    stack: Stack
    sampler: ProcessSampler
    children: dict[str, Child]  # "rasa", "bot": replaced when restarted
    conversations: int
    rate: float
    before: float  # seconds of load before the failure
    outage: float  # seconds the NLU service stays down
    after: float  # seconds of load after recovery
    probes: int
    errors: list[str] = field(default_factory=list)
    results: list[PhaseResult] = field(default_factory=list)

    async def run_all(self) -> None:
        before, self.load.turn_timeout = self.load.turn_timeout, FAULT_TURN_TIMEOUT
        try:
            await self.nlu_outage()
            await self.bot_stopped(signal.SIGTERM)
            await self.bot_stopped(signal.SIGKILL)
        finally:
            self.load.turn_timeout = before

    # ------------------------------------------------------------------ helpers
    async def _with_load(self, phase: str, scenario: Callable[[StateProbes], Awaitable[None]]
                         ) -> tuple[list[TurnRecord], float, StateProbes]:
        """Paced load in ``phase`` while ``scenario(probes)`` runs; then the citizens stop
        and their last turns are awaited. Returns the phase's records and its wall time."""
        first = len(self.load.records)
        self.sampler.reset_peaks()
        probes = StateProbes(self.load, phase, self.probes)
        started = time.perf_counter()
        run = asyncio.create_task(
            self.load.run(phase, self.conversations, 10_000, self.rate, max_duration=10_000))
        try:
            await scenario(probes)
        finally:
            self.load.stop()
            with contextlib.suppress(asyncio.CancelledError):
                await run
        return self.load.records[first:], time.perf_counter() - started, probes

    def _first_answer_after(self, records: list[TurnRecord], moment: float,
                            text_only: bool = False) -> float | None:
        """When the first answer to a turn sent after ``moment`` arrived (text turns without
        the degraded notice when ``text_only``: those come from the NLU service)."""
        ok = [r.first for r in records if r.queued > moment and r.first is not None
              and (not text_only or (r.kind == "text" and r.complete and not r.degraded))]
        return min(ok, default=None)  # type: ignore[type-var]

    async def _wait_for(self, condition: Callable[[], bool], timeout: float) -> bool:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if condition():
                return True
            await asyncio.sleep(0.2)
        return condition()

    def _result(self, phase: str, records: list[TurnRecord], wall: float,
                extra: dict[str, object], probes: StateProbes) -> PhaseResult:
        result = PhaseResult("core", phase, self.conversations, self.rate, wall, records,
                             memory=dict(self.sampler.peak),
                             memory_total=self.sampler.peak_total)
        result.extra = {**extra, **probes.summary()}
        s = probes.summary()
        if s["probes_ready"] != s["probes"]:
            self.errors.append(f"{phase}: only {s['probes_ready']} of {s['probes']} state "
                               "probes got mid-search before the failure")
        if s["probes_results"] != s["probes_ready"]:
            self.errors.append(
                f"{phase}: state lost: {s['probes_results']} of {s['probes_ready']} "
                f"conversations mid-search got their results after it "
                f"({s['probes_asked_again']} asked again; other: {s['probes_other']})")
        self.results.append(result)
        return result

    # ------------------------------------------------------------------ the NLU service
    async def nlu_outage(self) -> None:
        phase = "fault-nlu"
        info: dict[str, float] = {}

        async def scenario(probes: StateProbes) -> None:
            t0 = time.perf_counter()
            await probes.setup()
            await asyncio.sleep(max(0.0, self.before - (time.perf_counter() - t0)))
            info["stopped"] = time.perf_counter()
            await asyncio.to_thread(kill_child, self.children["rasa"])
            await asyncio.sleep(self.outage)
            info["restarted"] = time.perf_counter()
            rasa = self.stack.start_rasa()
            self.children["rasa"] = rasa
            self.sampler.track("rasa", rasa.pid)
            try:
                await asyncio.to_thread(rasa_ready, self.stack, rasa)
                info["ready"] = time.perf_counter()
            except (RuntimeError, TimeoutError) as exc:
                self.errors.append(f"{phase}: the NLU service did not come back: {exc}")
                return
            records = self.load.records
            if not await self._wait_for(
                    lambda: self._first_answer_after(records, info["ready"], True) is not None,
                    60):
                self.errors.append(f"{phase}: no answer from the NLU service after the restart")
            await probes.check()
            await asyncio.sleep(self.after)

        records, wall, probes = await self._with_load(phase, scenario)
        stopped, ready = info.get("stopped", 0.0), info.get("ready", float("inf"))
        outage = [r for r in records if stopped <= r.queued <= ready]
        recovered = self._first_answer_after(records, info.get("ready", float("inf")), True)
        extra = {
            "outage_sent": len(outage),
            "outage_unanswered": sum(r.first is None for r in outage),
            "outage_degraded": sum(r.degraded for r in outage),
            "outage_p95": pct([r.latency * 1000 for r in outage if r.latency is not None], 95),
            "restart_to_ready_s": ready - info["restarted"] if "ready" in info else None,
            "restart_to_nlu_answer_s": recovered - info["restarted"] if recovered else None,
        }
        result = self._result(phase, records, wall, extra, probes)
        if result.unanswered:
            self.errors.append(f"{phase}: {result.unanswered} message(s) never answered")
        log(f"{phase}: {extra['outage_sent']} sent while the NLU service was down or starting, "
            f"{extra['outage_unanswered']} unanswered, {extra['outage_degraded']} degraded; "
            f"state probes {result.extra['probes_results']}/{result.extra['probes_ready']}")

    # ------------------------------------------------------------------ the bot
    async def _burst(self, phase: str) -> list[asyncio.Task]:
        """:data:`BURST` citizens write a multi-sentence message at the same moment; returns
        (the turns still running) once the bot has fetched and confirmed all of them, so the
        signal that follows finds them in flight. Without it the bot, answering in ~20 ms at
        35 msg/s, is often idle at the signal, and "every accepted message answered before it
        exits" would be tested on nothing."""
        rng = random.Random(f"burst-{phase}")
        languages = list(PHRASES)
        chats = [self.load.new_chat(languages[i % len(languages)]) for i in range(BURST)]
        ids = {c.user.id for c in chats}
        mark = len(self.load.records)
        tasks = [asyncio.create_task(self.load.say(c, phase, "text", story(c.language, rng)))
                 for c in chats]

        def fetched() -> bool:
            mine = [r for r in self.load.records[mark:] if r.chat_id in ids]
            return len(mine) == BURST and all(
                self.tg.confirmed_at(r.update_id) is not None for r in mine)

        end = time.perf_counter() + 5
        while not fetched() and time.perf_counter() < end:
            await asyncio.sleep(0.001)  # the signal must come while they are being answered
        return tasks

    async def bot_stopped(self, sig: signal.Signals) -> None:
        phase = "fault-sigterm" if sig == signal.SIGTERM else "fault-sigkill"
        info: dict[str, float] = {}

        async def scenario(probes: StateProbes) -> None:
            t0 = time.perf_counter()
            await probes.setup()
            await asyncio.sleep(max(0.0, self.before - (time.perf_counter() - t0)))
            burst = await self._burst(phase)
            bot = self.children["bot"]
            info["signal"] = time.perf_counter()
            bot.process.send_signal(sig)
            try:
                await asyncio.to_thread(bot.process.wait, 60)
            except subprocess.TimeoutExpired:
                self.errors.append(f"{phase}: the bot did not exit within 60 s of {sig.name}")
                await asyncio.to_thread(kill_child, bot)
            info["exited"] = time.perf_counter()
            info["exit_code"] = float(bot.process.returncode or 0)
            new = self.stack.start_bot(self.tg.subprocess_env(), name=f"bot-{sig.name.lower()}")
            new.name = "bot"
            self.children["bot"] = new
            self.sampler.track("bot", new.pid)
            info["restarted"] = time.perf_counter()
            records = self.load.records
            if not await self._wait_for(
                    lambda: self._first_answer_after(records, info["exited"]) is not None, 90):
                self.errors.append(f"{phase}: the restarted bot answered nothing within 90 s")
                return
            info["answering"] = self._first_answer_after(records, info["exited"]) or 0.0
            await probes.check()
            await asyncio.sleep(self.after)
            # A burst message lost with a killed bot would wait its whole time-out: by now the
            # new bot has answered everything it will answer; the rest stay unanswered (lost).
            _, pending = await asyncio.wait(burst, timeout=5)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

        records, wall, probes = await self._with_load(phase, scenario)
        exited = info.get("exited", float("inf"))
        tg = self.tg
        handed_out = [r for r in records if tg.delivered.get(r.update_id, float("inf")) < exited]
        # Accepted = confirmed by the old bot (a later getUpdates offset): Telegram would not
        # hand it out again. Handed out but unconfirmed (e.g. fetched by python-telegram-bot's
        # last clean-up poll on the way out) is re-delivered to the next bot instead.
        accepted = [r for r in handed_out if (tg.confirmed_at(r.update_id) or exited) < exited]
        accepted_ids = {r.update_id for r in accepted}
        unconfirmed = [r for r in handed_out if r.update_id not in accepted_ids]
        unanswered_at_exit = [r for r in accepted if r.first is None or r.first > exited]
        at_signal = info.get("signal", float("inf"))
        in_flight = [r for r in accepted if (tg.confirmed_at(r.update_id) or exited) < at_signal
                     and (r.first is None or r.first > at_signal)]
        extra: dict[str, object] = {
            "signal": sig.name,
            "exit_s": exited - info["signal"] if "signal" in info else None,
            "exit_code": int(info.get("exit_code", 0)),
            "handed_out": len(handed_out),
            "burst": BURST,
            "in_flight_at_signal": len(in_flight),
            "accepted": len(accepted),
            "answered_before_exit": len(accepted) - len(unanswered_at_exit),
            "unconfirmed": len(unconfirmed),
            "unconfirmed_answered_later": sum(
                r.first is not None and r.first > exited and tg.deliveries.get(r.update_id, 0) > 1
                for r in unconfirmed),
            "lost": sum(r.first is None for r in unanswered_at_exit),
            "restart_to_answer_s": (info["answering"] - info["restarted"]
                                    if "answering" in info else None),
            "unanswered": sum(r.first is None for r in records),
        }
        result = self._result(phase, records, wall, extra, probes)
        if sig == signal.SIGTERM:
            if unanswered_at_exit:
                self.errors.append(f"{phase}: {len(unanswered_at_exit)} of {len(accepted)} "
                                   "accepted message(s) not answered before the bot exited")
            if result.unanswered:
                self.errors.append(f"{phase}: {result.unanswered} message(s) never answered")
        log(f"{phase}: {extra['in_flight_at_signal']} in flight at the signal, "
            f"{extra['handed_out']} handed out before exit, {extra['accepted']} "
            f"accepted, {extra['answered_before_exit']} answered before it, {extra['lost']} lost, "
            f"exit after {extra['exit_s'] and round(extra['exit_s'], 1)} s; state probes "
            f"{result.extra['probes_results']}/{result.extra['probes_ready']}")
