"""``make bench``: speed under load through the real processes (issue 6).

    .venv/bin/python -m bench.load                 # full run (about 6 minutes), writes nothing
    .venv/bin/python -m bench.load --write-doc docs/performance.md
    .venv/bin/python -m bench.load --short         # CI: a few seconds of load, < 90 s in all

What runs, all on 127.0.0.1 and all stopped at the end:

1. start-up: ``steunwijzer run`` (fresh data folder, trained model) → first reply to /start
   through the fake Telegram;
2. tuned: the action server and Rasa (``scripts/run_rasa.sh``) as ``steunwijzer run`` starts
   them, and ``steunwijzer bot`` pointed at the fake Telegram, on a temporary SQLite database with
   the demo directory. Phases: ``paced`` (``--conversations`` citizens offering ``--rate``
   messages/s), ``capacity`` (the same citizens without think time) and ``fault`` (Rasa is
   stopped in the middle of paced load, then started again);
3. starter: the same bot and the same load against ``rasa init --no-prompt``, served with
   ``rasa run`` (the baseline), phases ``paced`` and ``capacity``.

Exit status: non-zero only for errors (a process crashed, invalid Bot API calls, tracebacks in
the logs, unanswered messages against the tuned stack). Missed speed targets are reported,
never failed on: they are measurements, not timed tests.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import re
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.load.citizens import BenchTelegram, Load, TurnRecord
from bench.load.stack import (
    Child,
    ProcessSampler,
    Stack,
    cpu_seconds,
    ensure_starter,
    ensure_trained_model,
    kill_child,
    rasa_ready,
    stop_child,
    wait_http,
)

MB = 1024 * 1024
TARGETS = {
    "rate": 30.0,  # messages/s sustained
    "p95_ms": 300.0,
    "crisis_p99_ms": 50.0,
    "memory_mb": 1536.0,
    "startup_s": 60.0,
}
ERROR_RE = re.compile(r"Traceback \(most recent call last\)|\bCRITICAL\b")


def log(*parts: object) -> None:
    print("[bench]", *parts, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- statistics


def pct(values: list[float], q: float) -> float | None:
    """The ``q`` percentile (nearest rank) of ``values``, or None."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class PhaseResult:
    """Numbers of one phase against one target."""

    target: str
    phase: str
    conversations: int
    offered_rate: float
    wall: float
    records: list[TurnRecord]
    memory: dict[str, int] = field(default_factory=dict)
    memory_total: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    rejected: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def answered(self) -> list[TurnRecord]:
        return [r for r in self.records if r.first is not None]

    @property
    def unanswered(self) -> int:
        return sum(r.first is None for r in self.records)

    @property
    def rate(self) -> float:
        return len(self.answered) / self.wall if self.wall else 0.0

    def latencies(self, kinds: tuple[str, ...] | None = None) -> list[float]:
        return [r.latency * 1000 for r in self.answered  # type: ignore[operator]
                if kinds is None or r.kind in kinds]

    def turn_ms(self) -> list[float]:
        return [(r.last - r.queued) * 1000 for r in self.answered if r.last is not None]

    def summary(self) -> dict[str, object]:
        lat = self.latencies()
        crisis = self.latencies(("crisis",))
        return {
            "target": self.target, "phase": self.phase, "conversations": self.conversations,
            "offered": self.offered_rate, "sent": len(self.records),
            "answered": len(self.answered), "unanswered": self.unanswered,
            "rate": self.rate, "p50": pct(lat, 50), "p95": pct(lat, 95), "p99": pct(lat, 99),
            "turn_p95": pct(self.turn_ms(), 95), "crisis_n": len(crisis),
            "crisis_p50": pct(crisis, 50), "crisis_p99": pct(crisis, 99),
            "degraded": sum(r.degraded for r in self.records),
            "rejected": self.rejected,
        }


def fmt_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


# --------------------------------------------------------------------------- the run


@dataclass
class Options:
    conversations: int
    rate: float
    duration: float
    capacity_duration: float
    fault: bool
    fault_before: float
    fault_outage: float
    baseline: bool
    startup: bool
    warmup: float


class Bench:
    """Holds the fake Telegram, the sampler and the results of the whole run."""

    def __init__(self, options: Options) -> None:
        self.o = options
        self.results: list[PhaseResult] = []
        self.errors: list[str] = []
        self.notes: list[str] = []
        self.startup: dict[str, float] = {}
        self.sampler = ProcessSampler().start()
        self.keep = False

    # ------------------------------------------------------------------ helpers
    async def _phase(self, tg: BenchTelegram, load: Load, target: str, phase: str,
                     conversations: int, duration: float, rate: float) -> PhaseResult:
        first = len(load.records)
        rejected_before = len(tg.rejected)
        cpu_before = self.sampler.cpu()
        cpu_before["loadgen"] = cpu_seconds(os.getpid())
        self.sampler.sample()
        wall = await load.run(phase, conversations, duration, rate)
        cpu_after = self.sampler.cpu()
        cpu_after["loadgen"] = cpu_seconds(os.getpid())
        result = PhaseResult(
            target, phase, conversations, rate, wall, load.records[first:],
            memory=dict(self.sampler.peak), memory_total=self.sampler.peak_total,
            cpu={k: cpu_after.get(k, 0) - cpu_before.get(k, 0) for k in cpu_after},
            rejected=len(tg.rejected) - rejected_before,
        )
        s = result.summary()
        log(f"{target}/{phase}: {s['answered']}/{s['sent']} answered, {result.rate:.1f} msg/s, "
            f"p50 {fmt_ms(s['p50'])} ms, p95 {fmt_ms(s['p95'])} ms, p99 {fmt_ms(s['p99'])} ms, "
            f"crisis p99 {fmt_ms(s['crisis_p99'])} ms, degraded {s['degraded']}")
        self.results.append(result)
        return result

    def _check_alive(self, children: list[Child], where: str) -> None:
        for child in children:
            if not child.alive():
                self.errors.append(f"{where}: {child.name} exited with {child.process.returncode}"
                                   f" (log {child.log_path})")

    def _scan_logs(self, stack: Stack, where: str) -> None:
        for path in sorted(stack.log_dir.glob("*.log")):
            text = path.read_text(errors="replace")
            hits = ERROR_RE.findall(text)
            if hits:
                self.errors.append(f"{where}: {len(hits)} traceback(s) in {path}")

    # ------------------------------------------------------------------ start-up
    async def measure_startup(self) -> None:
        """``steunwijzer run`` → the first answer to /start, with a fresh data folder."""
        import tempfile

        from bench.load.stack import free_port
        from bot.privacy.sealed import generate_key

        root = Path(tempfile.mkdtemp(prefix="steunwijzer-bench-run-"))
        stack = Stack(root, {
            "STEUNWIJZER_DATA_DIR": str(root / "data"),
            "STEUNWIJZER_PSEUDONYM_SECRET": "bench-secret-not-for-production",
            "STEUNWIJZER_ENCRYPTION_KEY": generate_key(),
            "STEUNWIJZER_RASA_TOKEN": "bench-token",
            "STEUNWIJZER_RASA_URL": f"http://127.0.0.1:{free_port()}",
            "STEUNWIJZER_ACTION_SERVER_PORT": str(free_port()),
            "STEUNWIJZER_WEB_PORT": str(free_port()),
        })
        stack.log_dir.mkdir(parents=True, exist_ok=True)
        async with BenchTelegram() as tg:
            user = tg.user(7_999_001, language_code="nl")
            started = time.perf_counter()
            run = stack.start_run(tg.subprocess_env())
            self.sampler.track("run", run.pid)
            await tg.send_command(user, "/start")
            try:
                await tg.wait_for_messages(user, 1, timeout=240)
                self.startup["first_answer_s"] = time.perf_counter() - started
                log(f"start-up: `steunwijzer run` → first answer in "
                    f"{self.startup['first_answer_s']:.1f} s")
            except AssertionError:
                self.errors.append(f"start-up: no answer within 240 s (log {run.log_path})")
            finally:
                self.startup["memory_mb"] = self.sampler.peak.get("run", 0) / MB
                await asyncio.to_thread(stop_child, run)  # the fake must answer its last poll
                self.sampler.reset()
                self._scan_logs(stack, "start-up")
        stack.remove()

    # ------------------------------------------------------------------ one target
    async def target(self, name: str, starter: Path | None) -> None:
        o = self.o
        stack = Stack.create()
        children: list[Child] = []
        errors_before = len(self.errors)
        self.sampler.reset()
        log(f"{name}: starting processes in {stack.root}")
        try:
            t0 = time.perf_counter()
            rasa: Child
            if starter is None:
                actions = stack.start_actions()
                children.append(actions)
                self.sampler.track("actions", actions.pid)
                rasa = stack.start_rasa()
            else:
                rasa = stack.start_starter_rasa(starter)
            children.append(rasa)
            self.sampler.track("rasa", rasa.pid)
            ready = await asyncio.to_thread(rasa_ready, stack, rasa)
            if starter is None:
                await asyncio.to_thread(
                    wait_http, f"http://127.0.0.1:{stack.env['STEUNWIJZER_ACTION_SERVER_PORT']}"
                    "/health", children[0], 60)
            log(f"{name}: Rasa ready after {ready:.1f} s")
            self.startup[f"{name}_rasa_ready_s"] = time.perf_counter() - t0
            async with BenchTelegram() as tg:
                bot = stack.start_bot(tg.subprocess_env())
                children.append(bot)
                self.sampler.track("bot", bot.pid)
                await tg.wait_for_call("getUpdates", timeout=90)
                load = Load(tg)
                if o.warmup:
                    await load.run("warmup", min(10, o.conversations), o.warmup, 10)
                    load.records.clear()
                self.sampler.reset()
                for c in children:
                    self.sampler.track(c.name, c.pid)
                await self._phase(tg, load, name, "paced", o.conversations, o.duration, o.rate)
                if o.capacity_duration:
                    await self._phase(tg, load, name, "capacity", o.conversations,
                                      o.capacity_duration, 0)
                self._check_alive(children, name)
                if o.fault and starter is None:
                    rasa = await self._fault(tg, load, stack, rasa, children)
                self._check_alive(children, name)
                if tg.rejected:
                    self.errors.append(f"{name}: {len(tg.rejected)} invalid Bot API calls, e.g. "
                                       f"{tg.rejected[0]}")
                if load.deviations:
                    self.notes.append(f"{name}: {load.deviations} required button(s) not shown "
                                      "by the bot were pressed on its last message")
                # Before the fake Telegram goes away, and off the loop that serves it (the bot's
                # last getUpdates must be answered for a clean shutdown).
                await asyncio.to_thread(stop_child, bot)
        finally:
            for child in reversed(children):
                stop_child(child)
            self._scan_logs(stack, name)
            self.sampler.reset()
        if len(self.errors) == errors_before and not self.keep:
            stack.remove()
        else:
            log(f"{name}: logs kept in {stack.log_dir}")

    async def _fault(self, tg: BenchTelegram, load: Load, stack: Stack, rasa: Child,
                     children: list[Child]) -> Child:
        """Paced load; Rasa stopped after ``fault_before`` s, started again after
        ``fault_outage`` s; the load goes on until answers come from Rasa again."""
        o = self.o
        info: dict[str, float] = {}
        state: dict[str, Child] = {"rasa": rasa}

        async def chaos() -> None:
            await asyncio.sleep(o.fault_before)
            info["stopped"] = time.perf_counter()
            # SIGKILL, as a crash or the OOM killer would: in-flight requests fail at once.
            # (SIGTERM lets Sanic finish keep-alive requests for up to 15 s first.)
            await asyncio.to_thread(kill_child, state["rasa"])
            info["stop_took"] = time.perf_counter() - info["stopped"]
            await asyncio.sleep(max(0.0, o.fault_outage - info["stop_took"]))
            info["restarted"] = time.perf_counter()
            new = stack.start_rasa()
            state["rasa"] = new
            self.sampler.track("rasa", new.pid)
            try:
                await asyncio.to_thread(rasa_ready, stack, new)
                info["ready"] = time.perf_counter()
            except (RuntimeError, TimeoutError) as exc:
                self.errors.append(f"fault: Rasa did not come back: {exc}")

        duration = o.fault_before + o.fault_outage + 90
        first = len(load.records)
        task = asyncio.create_task(chaos())
        run = asyncio.create_task(load.run("fault", o.conversations, duration, o.rate))

        def recovered_at() -> float | None:
            after = info.get("restarted")
            if after is None:
                return None
            # Answers from Rasa again: a text turn sent after the restart, answered without the
            # degraded-mode notice (button turns look the same either way).
            ready = info.get("ready")
            ok = [r for r in load.records[first:] if r.kind == "text" and r.queued > after
                  and r.first is not None and not r.degraded
                  and ready is not None and r.first >= ready]
            return min((r.first for r in ok), default=None)  # type: ignore[type-var]

        while not run.done():
            await asyncio.sleep(0.5)
            done_at = recovered_at()
            if done_at is not None and time.perf_counter() - done_at > 3:
                break
            if task.done() and "ready" not in info and time.perf_counter() - info.get(
                    "restarted", time.perf_counter()) > 5:
                break
        load_stop = time.perf_counter()
        # Stop the citizens: cancel the run (their in-flight turns were answered or counted).
        run.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await run
        await task
        children[children.index(rasa)] = state["rasa"]
        records = [r for r in load.records[first:] if r.first is not None or
                   r.queued < load_stop - load.turn_timeout]
        result = PhaseResult("tuned", "fault", o.conversations, o.rate,
                             load_stop - info.get("stopped", load_stop) + o.fault_before, records,
                             memory=dict(self.sampler.peak), memory_total=self.sampler.peak_total)
        outage = [r for r in records if info.get("stopped", 0) <= r.queued
                  and r.queued <= info.get("ready", load_stop)]
        rec = recovered_at()
        result.extra = {
            "outage_sent": len(outage),
            "outage_unanswered": sum(r.first is None for r in outage),
            "outage_degraded": sum(r.degraded for r in outage),
            "outage_p95": pct([r.latency * 1000 for r in outage if r.latency is not None], 95),
            "restart_to_ready_s": (info["ready"] - info["restarted"]) if "ready" in info else None,
            "restart_to_rasa_answer_s": (rec - info["restarted"]) if rec else None,
            "ready_to_rasa_answer_s": (rec - info["ready"]) if rec and "ready" in info else None,
        }
        if rec is None:
            self.errors.append("fault: no answer from Rasa after the restart")
        if os.environ.get("BENCH_DEBUG"):
            for r in records:
                log(f"debug {r.kind} q={r.queued - info.get('stopped', 0):.2f} "
                    f"lat={r.latency} deg={r.degraded} {r.first_text!r}")
        x = result.extra
        log(f"fault: {x['outage_sent']} sent while Rasa was down, {x['outage_unanswered']} "
            f"unanswered, {x['outage_degraded']} with the degraded notice; restart → ready "
            f"{x['restart_to_ready_s'] and round(x['restart_to_ready_s'], 1)} s, → first Rasa "
            f"answer {x['restart_to_rasa_answer_s'] and round(x['restart_to_rasa_answer_s'], 1)} s")
        self.results.append(result)
        return state["rasa"]


# --------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo
                if line.startswith("model name")), platform.processor() or "?")
    mem = next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0")
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{int(mem) / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def report(bench: Bench, command: str, started: dt.datetime, wall: float,
           load_before: str) -> str:
    m = machine()
    lines: list[str] = []
    add = lines.append
    add(f"Command: `{command}`  ")
    add(f"Date: {started:%Y-%m-%d %H:%M} UTC, {wall:.0f} s wall  ")
    add(f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, "
        f"{m['os']}  ")
    add(f"Load average (1/5/15 min) before the run: {load_before}; after: {m['load']}")
    add("")
    add("| target | phase | conv. | offered msg/s | sent | answered | unanswered | msg/s | "
        "p50 ms | p95 ms | p99 ms | turn p95 ms | crisis n | crisis p99 ms | degraded | "
        "bad API calls |")
    add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in bench.results:
        s = r.summary()
        offered = "max" if not r.offered_rate else f"{r.offered_rate:.0f}"
        add(f"| {r.target} | {r.phase} | {r.conversations} | {offered} | {s['sent']} | "
            f"{s['answered']} | {s['unanswered']} | {r.rate:.1f} | {fmt_ms(s['p50'])} | "
            f"{fmt_ms(s['p95'])} | {fmt_ms(s['p99'])} | {fmt_ms(s['turn_p95'])} | "
            f"{s['crisis_n']} | {fmt_ms(s['crisis_p99'])} | {s['degraded']} | {s['rejected']} |")
    add("")
    add("Peak memory (RSS of each process and its children, sampled every 0.2 s from /proc) and "
        "CPU seconds used per 100 answered messages:")
    add("")
    add("| target | phase | bot MB | Rasa MB | action server MB | total MB (at once) | "
        "CPU s/100 msgs: bot / Rasa / actions / load generator + fake Telegram |")
    add("|---|---|---|---|---|---|---|")
    for r in bench.results:
        if r.phase == "fault":
            continue
        mem = r.memory
        actions_mb = f"{mem['actions'] / MB:.0f}" if "actions" in mem else "–"
        per = 100 / max(1, len(r.answered))
        cpu = " / ".join(f"{r.cpu.get(k, 0) * per:.2f}" if k in r.cpu else "–"
                         for k in ("bot", "rasa", "actions", "loadgen"))
        add(f"| {r.target} | {r.phase} | {mem.get('bot', 0) / MB:.0f} | "
            f"{mem.get('rasa', 0) / MB:.0f} | "
            f"{actions_mb} | "
            f"{r.memory_total / MB:.0f} | {cpu} |")
    add("")
    by = {(r.target, r.phase): r for r in bench.results}
    for phase in ("paced", "capacity"):
        t, b = by.get(("tuned", phase)), by.get(("starter", phase))
        if t and b and b.rate and t.answered and b.answered:
            tp, bp = pct(t.latencies(), 95), pct(b.latencies(), 95)
            add(f"- {phase}: tuned / starter throughput **{t.rate / b.rate:.2f}×** "
                f"({t.rate:.1f} vs {b.rate:.1f} msg/s); p95 latency starter / tuned "
                f"**{(bp or 0) / max(tp or 1, 1e-9):.2f}×** ({fmt_ms(bp)} vs {fmt_ms(tp)} ms); "
                f"peak memory total {t.memory_total / MB:.0f} vs {b.memory_total / MB:.0f} MB")
    fault = by.get(("tuned", "fault"))
    if fault:
        x = fault.extra

        def sec(v: object) -> str:
            return "–" if v is None else f"{v:.1f} s"

        add(f"- fault: Rasa stopped under load; {x['outage_sent']} messages sent while it was "
            f"down or starting, **{x['outage_unanswered']} unanswered** "
            f"({x['outage_degraded']} text answers carried the degraded-mode notice, p95 "
            f"{fmt_ms(x['outage_p95'])} ms); restart → Rasa ready {sec(x['restart_to_ready_s'])}"
            f", restart → first answer from Rasa again **{sec(x['restart_to_rasa_answer_s'])}** "
            f"(ready → answer {sec(x['ready_to_rasa_answer_s'])})")
    if "first_answer_s" in bench.startup:
        add(f"- start-up: `steunwijzer run` (fresh data folder, trained model) → first answer "
            f"to /start via the fake Telegram **{bench.startup['first_answer_s']:.1f} s** "
            f"(peak memory of the whole tree {bench.startup.get('memory_mb', 0):.0f} MB)")
    for key in ("tuned_rasa_ready_s", "starter_rasa_ready_s"):
        if key in bench.startup:
            add(f"- {key.split('_')[0]} Rasa server: start → /status ready "
                f"{bench.startup[key]:.1f} s")
    add("")
    add("Targets (2 cores): " + "; ".join(check_targets(bench)))
    for note in bench.notes:
        add(f"- note: {note}")
    for error in bench.errors:
        add(f"- ERROR: {error}")
    return "\n".join(lines)


def check_targets(bench: Bench) -> list[str]:
    by = {(r.target, r.phase): r for r in bench.results}
    out: list[str] = []
    paced = by.get(("tuned", "paced"))
    if paced and paced.answered:
        p95 = pct(paced.latencies(), 95) or 0
        crisis = pct(paced.latencies(("crisis",)), 99)
        out.append(f"rate {paced.rate:.1f} msg/s ≥ {TARGETS['rate']:.0f}: "
                   f"{'met' if paced.rate >= TARGETS['rate'] else 'MISSED'}")
        out.append(f"p95 {p95:.0f} ms < {TARGETS['p95_ms']:.0f}: "
                   f"{'met' if p95 < TARGETS['p95_ms'] else 'MISSED'}")
        if crisis is not None:
            out.append(f"crisis p99 {crisis:.0f} ms < {TARGETS['crisis_p99_ms']:.0f}: "
                       f"{'met' if crisis < TARGETS['crisis_p99_ms'] else 'MISSED'}")
        total = max(r.memory_total for r in bench.results if r.target == "tuned") / MB
        out.append(f"memory {total:.0f} MB < {TARGETS['memory_mb']:.0f}: "
                   f"{'met' if total < TARGETS['memory_mb'] else 'MISSED'}")
    if "first_answer_s" in bench.startup:
        s = bench.startup["first_answer_s"]
        out.append(f"start-up {s:.1f} s < {TARGETS['startup_s']:.0f}: "
                   f"{'met' if s < TARGETS['startup_s'] else 'MISSED'}")
    return out


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def write_doc(path: Path, text: str) -> None:
    """Replace the generated block of ``path`` (between the markers) with ``text``."""
    block = f"{BEGIN}\n{text}\n{END}"
    if path.exists() and BEGIN in (old := path.read_text()) and END in old:
        head, rest = old.split(BEGIN, 1)
        new = head + block + rest.split(END, 1)[1]
    else:
        new = f"# Performance\n\n## Latest `make bench` output\n\n{block}\n"
    path.write_text(new)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--short", action="store_true",
                   help="CI: tuned stack only, a few seconds of load, short fault run")
    p.add_argument("--conversations", type=int, default=50)
    p.add_argument("--rate", type=float, default=35.0,
                   help="offered messages/s of the paced phase (all citizens together)")
    p.add_argument("--duration", type=float, default=45.0, help="seconds of paced load")
    p.add_argument("--capacity-duration", type=float, default=20.0,
                   help="seconds of unpaced load (0: skip)")
    p.add_argument("--no-baseline", action="store_true", help="skip the rasa init starter bot")
    p.add_argument("--no-fault", action="store_true", help="skip stopping Rasa under load")
    p.add_argument("--no-startup", action="store_true",
                   help="skip timing `steunwijzer run` to the first answer")
    p.add_argument("--write-doc", type=Path, help="write the summary into this Markdown file")
    return p.parse_args(argv)


async def amain(args: argparse.Namespace, command: str) -> int:
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    if args.short:
        options = Options(args.conversations, args.rate, 8, 0, not args.no_fault, 5, 3,
                          False, False, 2)
    else:
        options = Options(args.conversations, args.rate, args.duration, args.capacity_duration,
                          not args.no_fault, 10, 8, not args.no_baseline, not args.no_startup, 5)
    log("preparing the Rasa environment and model (scripts/train_rasa.sh)")
    await asyncio.to_thread(ensure_trained_model)
    starter = await asyncio.to_thread(ensure_starter) if options.baseline else None
    bench = Bench(options)
    try:
        if options.startup:
            await bench.measure_startup()
        await bench.target("tuned", None)
        if starter is not None:
            await bench.target("starter", starter)
    finally:
        bench.sampler.stop()
    tuned_unanswered = sum(r.unanswered for r in bench.results
                           if r.target == "tuned" and r.phase != "fault")
    fault_unanswered = sum(int(r.extra.get("outage_unanswered", 0) or 0)  # type: ignore[arg-type]
                           for r in bench.results if r.phase == "fault")
    if tuned_unanswered:
        bench.errors.append(f"tuned: {tuned_unanswered} message(s) never answered")
    if fault_unanswered:
        bench.errors.append(f"fault: {fault_unanswered} message(s) unanswered while Rasa was down")
    text = report(bench, command, started, time.perf_counter() - t0, load_before)
    print(text)
    if args.write_doc:
        write_doc(args.write_doc, text)
        log(f"wrote {args.write_doc}")
    return 1 if bench.errors else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = "make bench-short" if args.short else "make bench"
    if argv is None and len(sys.argv) > 1 and not args.write_doc and not args.short:
        command = "python -m bench.load " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    try:
        return asyncio.run(amain(args, command))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
