"""One bench run: start the targets, load them in alternating slices, fault the core, stop.

Both targets (core and previous) run at the same time, each with its own fake Telegram, and
get the paced and then the capacity load in alternating slices (core, previous, previous,
core, core, previous, …). On a shared machine the load from elsewhere changes by the minute;
measuring one target after the other lets that drift decide the ratio between them (three
full runs gave the previous architecture 47–76 msg/s at capacity). Alternating short slices
gives both the same conditions on average. Only the target whose slice it is gets load; the
other one idles (its processes are sampled separately).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import time
from dataclasses import dataclass, field

from bench.load.citizens import BenchTelegram, Load
from bench.load.fault import FaultRun
from bench.load.previous import lexicon_hits
from bench.load.results import PhaseResult, fmt_ms, merge
from bench.load.scaleout import ScaleOutStack, server_cpu
from bench.load.stack import Child, ProcessSampler, Stack, cpu_seconds, stop_child

ERROR_RE = re.compile(r"Traceback \(most recent call last\)|\bCRITICAL\b")
#: Logged at CRITICAL by python-telegram-bot when a SIGTERM comes while a long poll is bringing
#: updates: it drops them unconfirmed, so Telegram hands them to the next bot. Not an error here
#: because the fault phase checks exactly that (re-delivered and answered); counted as a note.
BENIGN = "Updater stopped unexpectedly. Pulled updates will be ignored and pulled again"


def log(*parts: object) -> None:
    print("[bench]", *parts, file=sys.stderr, flush=True)


@dataclass
class Options:
    conversations: int
    rate: float
    duration: float  # seconds of paced load per target (over all its slices)
    capacity_duration: float
    slices: int  # slices per phase and target
    fault: bool
    fault_before: float
    fault_outage: float
    fault_after: float
    probes: int
    warmup: float
    min_crisis: int  # crisis messages each paced/capacity phase must hold


@dataclass
class Running:
    """A started target: its processes, its fake Telegram and citizens, its sampler."""

    stack: Stack | ScaleOutStack
    children: dict[str, Child]
    sampler: ProcessSampler
    exits: contextlib.AsyncExitStack
    tg: BenchTelegram | None = None
    load: Load | None = None
    results: list[PhaseResult] = field(default_factory=list)
    errors_before: int = 0

    @property
    def name(self) -> str:
        return self.stack.name


class Bench:
    """Holds the results, errors and notes of the whole run."""

    def __init__(self, options: Options) -> None:
        self.o = options
        self.results: list[PhaseResult] = []
        self.errors: list[str] = []
        self.notes: list[str] = []
        self.ready: dict[str, float] = {}

    # ------------------------------------------------------------------ start and stop
    async def start(self, stack: Stack | ScaleOutStack) -> Running:
        """Servers (ready), then the bot against a new fake Telegram, then a short warm-up."""
        t = Running(stack, {}, ProcessSampler().start(), contextlib.AsyncExitStack(),
                    errors_before=len(self.errors))
        log(f"{t.name}: starting processes in {stack.root}")
        try:
            t0 = time.perf_counter()
            for child in stack.start_servers():
                t.children[child.name] = child
                t.sampler.track(child.name, child.pid)
            await asyncio.to_thread(stack.servers_ready, list(t.children.values()))
            self.ready[t.name] = time.perf_counter() - t0
            log(f"{t.name}: conversation servers ready after {self.ready[t.name]:.1f} s")
            t.tg = await t.exits.enter_async_context(stack.telegram())
            bots = stack.start_bots(t.tg.subprocess_env())
            for bot in bots:
                t.children[bot.name] = bot
                t.sampler.track(bot.name, bot.pid)
            await stack.bots_ready(t.tg, bots)
            t.load = Load(t.tg)
            if self.o.warmup:
                await t.load.run("warmup", min(10, self.o.conversations), self.o.warmup, 10)
                t.load.records.clear()
        except BaseException:
            await self.finish(t)
            raise
        return t

    async def finish(self, t: Running) -> None:
        """Checks, then every process stopped (by pid), logs scanned, the folder removed
        unless something went wrong."""
        try:
            self._check_alive(t)
            if t.tg is not None and t.tg.rejected:
                self.errors.append(f"{t.name}: {len(t.tg.rejected)} invalid Bot API calls, e.g. "
                                   f"{t.tg.rejected[0]}")
            if t.load is not None and t.load.deviations:
                top = ", ".join(f"{b} ×{n}" for b, n in t.load.deviations.most_common(4))
                self.notes.append(f"{t.name}: {t.load.deviations.total()} required button(s) "
                                  f"not shown by the bot were pressed on its last message ({top})")
            for name in [n for n in t.children if n.startswith("bot")]:
                # Before the fake Telegram goes away, and off the loop that serves it (the bot's
                # last getUpdates must be answered, a worker's last answers sent, for a clean
                # shutdown).
                await asyncio.to_thread(stop_child, t.children[name])
        finally:
            for child in reversed(t.children.values()):
                stop_child(child)
            await t.exits.aclose()
            t.sampler.stop()
            self._scan_logs(t.stack)
        self._mark_lexicon(t)
        for r in t.results:
            if r.phase in ("paced", "capacity", "scale-out") and r.unanswered:
                self.errors.append(f"{t.name}/{r.phase}: {r.unanswered} message(s) never "
                                   "answered")
        if len(self.errors) == t.errors_before:
            t.stack.remove()
        else:
            if isinstance(t.stack, ScaleOutStack):
                t.stack.drop_shared()  # the logs stay; the database and Redis keys go
            log(f"{t.name}: logs kept in {t.stack.log_dir}")

    # ------------------------------------------------------------------ load
    async def alternate(self, targets: list[Running], phase: str, duration: float,
                        rate: float) -> None:
        """``phase`` for every target, in alternating slices (ABBA order, so a steady drift
        of the machine's load favours neither); the last slice of each runs on until the
        phase holds ``min_crisis`` crisis messages."""
        o = self.o
        slices = max(1, o.slices)
        parts: dict[str, list[PhaseResult]] = {t.name: [] for t in targets}
        for i in range(slices):
            last = i == slices - 1
            for t in targets if i % 2 == 0 else list(reversed(targets)):
                crisis = sum(r.kind == "crisis" for p in parts[t.name] for r in p.records)
                missing = max(0, o.min_crisis - crisis) if last else 0
                parts[t.name].append(await self._slice(t, phase, duration / slices, rate,
                                                       missing))
        for t in targets:
            result = merge(parts[t.name])
            s = result.summary()
            log(f"{t.name}/{phase}: {s['answered']}/{s['sent']} answered, {result.rate:.1f} "
                f"msg/s, p50 {fmt_ms(s['p50'])} ms, p95 {fmt_ms(s['p95'])} ms, crisis n "
                f"{s['crisis_n']}, crisis p99 {fmt_ms(s['crisis_all_p99'])} ms, degraded "
                f"{s['degraded']}, CPU {result.cpu_ms_per_message() or 0:.1f} ms/msg")
            if o.min_crisis and s["crisis_n"] < o.min_crisis:  # type: ignore[operator]
                self.notes.append(f"{t.name}/{phase}: only {s['crisis_n']} crisis messages "
                                  f"(wanted ≥ {o.min_crisis}; the phase hit its time limit)")
            t.results.append(result)
            self.results.append(result)

    async def _slice(self, t: Running, phase: str, duration: float, rate: float,
                     min_crisis: int) -> PhaseResult:
        """One slice of load on one target, with the CPU its processes used meanwhile."""
        assert t.tg is not None and t.load is not None
        first = len(t.load.records)
        rejected_before = len(t.tg.rejected)
        t.sampler.reset_peaks()
        cpu_before = self._cpu(t)
        wall = await t.load.run(phase, self.o.conversations, duration, rate,
                                min_crisis=min_crisis)
        cpu_after = self._cpu(t)
        t.sampler.sample()
        return PhaseResult(
            t.name, phase, self.o.conversations, rate, wall, t.load.records[first:],
            memory=dict(t.sampler.peak), memory_total=t.sampler.peak_total,
            cpu={k: cpu_after.get(k, 0) - cpu_before.get(k, 0) for k in cpu_after},
            rejected=len(t.tg.rejected) - rejected_before,
        )

    @staticmethod
    def _cpu(t: Running) -> dict[str, float]:
        """CPU seconds so far of the target's processes, of the shared servers it uses
        (scale-out: PostgreSQL, Redis) and of the load generator (with the fake)."""
        cpu = t.sampler.cpu()
        for name, pid in getattr(t.stack, "servers", {}).items():
            cpu[name] = server_cpu(pid)
        cpu["loadgen"] = cpu_seconds(os.getpid())
        return cpu

    async def scale_out(self, t: Running) -> None:
        """The scale-out phase: the paced load on two workers, then what the fake Telegram
        received checked for duplicates and order violations (both must be 0)."""
        stack = t.stack
        assert t.tg is not None and t.load is not None and isinstance(stack, ScaleOutStack)
        # The paced phase's load: its duration (in one slice), rate and crisis minimum.
        result = await self._slice(t, "scale-out", self.o.duration, self.o.rate,
                                   self.o.min_crisis)
        assert stack.delivery is not None
        try:
            await stack.delivery.idle(timeout=60)
        except TimeoutError:
            self.errors.append(f"{t.name}: {stack.delivery.pending()} update(s) still not "
                               "taken by a worker 60 s after the load")
        result.extra.update(stack.audit())
        x = result.extra
        s = result.summary()
        log(f"{t.name}: {s['answered']}/{s['sent']} answered, {result.rate:.1f} msg/s, p95 "
            f"{fmt_ms(s['p95'])} ms, crisis p99 {fmt_ms(s['crisis_all_p99'])} ms, duplicates "
            f"{x['duplicates']}, order violations {x['order_violations']}, updates per worker "
            f"{x['per_worker']}")
        for what in ("duplicates", "order_violations", "dropped"):
            if x[what]:
                self.errors.append(f"{t.name}: {x[what]} {what.replace('_', ' ')} in what the "
                                   "fake Telegram received")
        t.results.append(result)
        self.results.append(result)

    async def fault(self, t: Running) -> None:
        """The fault phase (:mod:`bench.load.fault`) on a running core target."""
        assert t.tg is not None and t.load is not None
        o = self.o
        t.sampler.reset_peaks()
        run = FaultRun(t.tg, t.load, t.stack, t.sampler, t.children, o.conversations, o.rate,
                       o.fault_before, o.fault_outage, o.fault_after, o.probes)
        try:
            await run.run_all()
        finally:
            t.results += run.results
            self.results += run.results
            self.errors += run.errors

    # ------------------------------------------------------------------ checks
    def _check_alive(self, t: Running) -> None:
        for child in t.children.values():
            if not child.alive():
                self.errors.append(f"{t.name}: {child.name} exited with "
                                   f"{child.process.returncode} (log {child.log_path})")

    def _scan_logs(self, stack: Stack) -> None:
        for path in sorted(stack.log_dir.rglob("*.log")):
            lines = path.read_text(errors="replace").splitlines()
            benign = sum(BENIGN in line for line in lines)
            hits = sum(bool(ERROR_RE.search(line)) for line in lines if BENIGN not in line)
            if hits:
                self.errors.append(f"{stack.name}: {hits} traceback(s) or CRITICAL line(s) in "
                                   f"{path}")
            if benign:
                self.notes.append(f"{stack.name}: python-telegram-bot logged “{BENIGN}…” "
                                  f"{benign}× while stopping (those updates were unconfirmed: "
                                  "re-delivered to the restarted bot, see the SIGTERM line)")

    def _mark_lexicon(self, t: Running) -> None:
        """Which crisis texts the target's own lexicon catches (asked from its own code)."""
        texts = sorted({r.text for res in t.results for r in res.records if r.kind == "crisis"})
        if not texts:
            return
        hits = lexicon_hits(t.stack.python, t.stack.code, texts, t.stack.child_env())
        for res in t.results:
            res.lexicon = hits
