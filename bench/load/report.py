"""The Markdown summary of a run: phases, resources, core against previous, targets, faults.

Missed targets are reported with by how much, never failed on. A run with degraded answers in
the paced or capacity phase does not count (the degraded answer skips the NLU service, so it
flatters every figure); the summary says so first.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

from bench.load.results import MB, PhaseResult, fmt_ms, pct

#: The issue's targets (2 cores). ``≤``/``≥`` as stated there.
TARGETS = {
    "cpu_ms": 15.0,  # CPU ms per answered message, all product processes together, ≤
    "capacity_rate": 90.0,  # msg/s without think time, 50 conversations, ≥
    "capacity_vs_previous": 2.0,  # × the previous architecture in the same run, ≥
    "paced_p95_ms": 100.0,  # at 35 msg/s offered, ≤
    "crisis_p99_ms": 25.0,  # lexicon hits, every phase, ≤
    "memory_mb": 800.0,  # peak of all product processes at once, ≤
    "startup_s": 12.0,  # `steunwijzer run` → first answer understood by the NLU service, ≤
}
#: Phases whose degraded answers make the run not count.
MEASURED = ("paced", "capacity")
#: The scale-out target's phase (its own tables; its degraded answers count as well).
SCALE_OUT = "scale-out"


@dataclass
class RunData:
    """Everything a report needs."""

    command: str
    started: dt.datetime
    wall: float
    load_before: str
    results: list[PhaseResult]
    startup: dict[str, float] = field(default_factory=dict)
    ready: dict[str, float] = field(default_factory=dict)  # target -> servers ready (s)
    previous_commit: str | None = None
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    slices: int = 1  # each paced/capacity phase ran in this many alternating slices per target

    def get(self, target: str, phase: str) -> PhaseResult | None:
        return next((r for r in self.results if (r.target, r.phase) == (target, phase)), None)

    def degraded(self) -> dict[str, int]:
        """Degraded answers in the measured phases, per target (only targets with any)."""
        out: dict[str, int] = {}
        for r in self.results:
            if (r.phase in MEASURED or r.phase == SCALE_OUT) and r.degraded:
                out[r.target] = out.get(r.target, 0) + r.degraded
        return out


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


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None or not b else f"{a / b:.2f}×"


def _peak(data: RunData, target: str) -> float | None:
    peaks = [r.memory_total for r in data.results if r.target == target and r.memory_total]
    return max(peaks) / MB if peaks else None


def _cpu(r: PhaseResult | None) -> float | None:
    return r.cpu_ms_per_message() if r else None


def report(data: RunData) -> str:
    m = machine()
    lines: list[str] = []
    add = lines.append
    add(f"Command: `{data.command}`  ")
    add(f"Date: {data.started:%Y-%m-%d %H:%M} UTC, {data.wall:.0f} s wall  ")
    add(f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, "
        f"{m['os']}  ")
    add(f"Load average (1/5/15 min) before the run: {data.load_before}; after: {m['load']}")
    add("")
    degraded = data.degraded()
    if degraded:
        add("**RUN INVALID — it does not count: degraded answers in the paced/capacity phases ("
            + ", ".join(f"{t}: {n}" for t, n in degraded.items())
            + "). A degraded answer skips the NLU service, so every figure below is flattered.**")
    else:
        add("Run valid: 0 degraded answers in the paced and capacity phases of every target.")
    add("")
    targets = ["core"] + (["previous"] if any(r.target == "previous" for r in data.results)
                          else [])
    if "previous" in targets:
        add(f"Targets: **core** = this checkout (the conversation core: NLU service + bot); "
            f"**previous** = commit {data.previous_commit} (Rasa dialogue + action server + bot),"
            " its own code, venv, model and processes, under the same load in the same run. "
            f"Both ran at once; each paced/capacity phase was given in {data.slices} slices per "
            "target, alternating between them (core, previous, previous, core, …), so the "
            "shared machine's changing load fell on both alike.")
        add("")
    _load_line(data, add)
    _phase_table(data, add)
    _resource_table(data, add)
    if "previous" in targets:
        _comparison(data, add)
    _targets(data, add)
    _faults(data, add)
    _scale_out(data, add)
    _startup(data, add)
    for r in data.results:
        alarms = [t.text for t in r.records if t.kind == "text" and t.sentences > 1
                  and t.crisis_line]
        if alarms:
            add(f"- note: {r.target}/{r.phase}: {len(alarms)} ordinary multi-sentence "
                f"message(s) answered with a crisis line, e.g. “{alarms[0]}”")
    for note in data.notes:
        add(f"- note: {note}")
    for error in data.errors:
        add(f"- ERROR: {error}")
    return "\n".join(lines)


def _load_line(data: RunData, add) -> None:
    measured = [r for r in data.results if r.phase in MEASURED]
    if not measured:
        return
    texts = sum(r.summary()["texts"] for r in measured)  # type: ignore[misc]
    distinct = len({t.text for r in measured for t in r.records if t.text})
    crisis = min(r.summary()["crisis_n"] for r in measured)  # type: ignore[type-var]
    add(f"Load: {measured[0].conversations} conversation slots, each playing one new citizen "
        "after another (nl, tr, fa, ar) along weighted journeys with commands, buttons, short "
        "texts, multi-sentence messages (situation, place, wish) and crisis messages; paced = "
        f"{measured[0].offered_rate:.0f} msg/s offered, capacity = no think time. At least "
        f"{crisis} crisis messages per paced/capacity phase. No NLU result may be cached: the "
        "bench caches nothing and the bot must ask the NLU service for every text "
        f"({texts} texts sent, {distinct} distinct).")
    add("")


def _phase_table(data: RunData, add) -> None:
    add("| target | phase | conv. | offered msg/s | sent | answered | unanswered | msg/s | "
        "p50 ms | p95 ms | p99 ms | turn p95 ms | multi-sentence | crisis: sent / lexicon hits / "
        "answered with a line | crisis p99 ms (lexicon) | crisis p99 ms (all) | degraded | "
        "bad API calls |")
    add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in data.results:
        s = r.summary()
        offered = "max" if not r.offered_rate else f"{r.offered_rate:.0f}"
        add(f"| {r.target} | {r.phase} | {r.conversations} | {offered} | {s['sent']} | "
            f"{s['answered']} | {s['unanswered']} | {r.rate:.1f} | {fmt_ms(s['p50'])} | "
            f"{fmt_ms(s['p95'])} | {fmt_ms(s['p99'])} | {fmt_ms(s['turn_p95'])} | "
            f"{s['stories']} | {s['crisis_n']} / {s['crisis_lexicon_n']} / {s['crisis_lines']} | "
            f"{fmt_ms(s['crisis_p99'])} | {fmt_ms(s['crisis_all_p99'])} | {s['degraded']} | "
            f"{s['rejected']} |")
    add("")
    add("Latency = from the update being queued at the fake Telegram to the bot's first message "
        "for it; crisis p99 (lexicon) = crisis messages the target's own lexicon catches; "
        "multi-sentence = messages of 2–4 sentences (situation, place, wish). In the bot-restart "
        "sub-phases latencies include the time the bot was down.")
    add("")


def _resource_table(data: RunData, add) -> None:
    add("Peak memory (RSS of each process tree, sampled every 0.2 s) and CPU ms per answered "
        "message (user + system, from /proc; does not depend on how busy the machine is):")
    add("")
    add("| target | phase | bot MB | Rasa MB | action server MB | total MB (at once) | "
        "CPU ms/msg bot | Rasa | actions | **all product** | load generator + fake |")
    add("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in data.results:
        if r.phase not in MEASURED:
            continue
        mem = r.memory
        actions = f"{mem['actions'] / MB:.0f}" if "actions" in mem else "–"
        n = max(1, len(r.answered))
        loadgen = r.cpu.get("loadgen")
        add(f"| {r.target} | {r.phase} | {mem.get('bot', 0) / MB:.0f} | "
            f"{mem.get('rasa', 0) / MB:.0f} | {actions} | {r.memory_total / MB:.0f} | "
            f"{_num(r.cpu_ms_per_message('bot'))} | {_num(r.cpu_ms_per_message('rasa'))} | "
            f"{_num(r.cpu_ms_per_message('actions'))} | **{_num(_cpu(r))}** | "
            f"{_num(loadgen * 1000 / n if loadgen is not None else None)} |")
    add("")


def _comparison(data: RunData, add) -> None:
    add(f"Core against the previous architecture ({data.previous_commit}), same load, same run "
        "(ratios only: the machine is shared, absolute times vary between runs):")
    add("")
    add("| measure | core | previous | core ÷ previous |")
    add("|---|---|---|---|")
    rows: list[tuple[str, float | None, float | None, int]] = []
    for phase in MEASURED:
        c, p = data.get("core", phase), data.get("previous", phase)
        if not (c and p):
            continue
        rows += [
            (f"{phase}: answered msg/s", c.rate, p.rate, 1),
            (f"{phase}: CPU ms per message, all product processes", _cpu(c), _cpu(p), 1),
            (f"{phase}: p95 latency ms", pct(c.latencies(), 95), pct(p.latencies(), 95), 0),
            (f"{phase}: crisis p99 ms (lexicon hits)", pct(c.crisis_lexicon_ms(), 99),
             pct(p.crisis_lexicon_ms(), 99), 0),
        ]
    rows.append(("peak memory MB, all processes at once", _peak(data, "core"),
                 _peak(data, "previous"), 0))
    rows.append(("servers start → ready s", data.ready.get("core"), data.ready.get("previous"),
                 1))
    for label, c_value, p_value, digits in rows:
        add(f"| {label} | {_num(c_value, digits)} | {_num(p_value, digits)} | "
            f"{_ratio(c_value, p_value)} |")
    add("")


def _verdict(value: float | None, limit: float, at_most: bool, unit: str) -> str:
    if value is None:
        return "not measured"
    ok = value <= limit if at_most else value >= limit
    if ok:
        return "met"
    gap = value - limit if at_most else limit - value
    return f"**MISSED by {gap:.1f} {unit}** ({gap / limit * 100:.0f} %)"


def target_rows(data: RunData) -> list[tuple[str, str, str, str]]:
    """(target, measured, against previous, verdict) for each of the issue's targets."""
    rows: list[tuple[str, str, str, str]] = []
    paced, capacity = data.get("core", "paced"), data.get("core", "capacity")
    prev_paced, prev_capacity = data.get("previous", "paced"), data.get("previous", "capacity")
    for label, r, prev in (("paced", paced, prev_paced), ("capacity", capacity, prev_capacity)):
        if r is None:
            continue
        value = _cpu(r)
        rows.append((f"CPU per answered message, all product processes ({label}) ≤ "
                     f"{TARGETS['cpu_ms']:.0f} ms", f"{_num(value)} ms",
                     f"{_ratio(value, _cpu(prev))} of previous ({_num(_cpu(prev))} ms)"
                     if prev else "–", _verdict(value, TARGETS["cpu_ms"], True, "ms")))
    if capacity is not None:
        rows.append((f"capacity (no think time, {capacity.conversations} conversations) ≥ "
                     f"{TARGETS['capacity_rate']:.0f} msg/s", f"{capacity.rate:.1f} msg/s",
                     f"{_ratio(capacity.rate, prev_capacity.rate)} of previous "
                     f"({prev_capacity.rate:.1f} msg/s)" if prev_capacity else "–",
                     _verdict(capacity.rate, TARGETS["capacity_rate"], False, "msg/s")))
        if prev_capacity is not None and prev_capacity.rate:
            ratio = capacity.rate / prev_capacity.rate
            rows.append((f"capacity ≥ {TARGETS['capacity_vs_previous']:.0f}× the previous "
                         "architecture, same run", f"{ratio:.2f}×", "–",
                         _verdict(ratio, TARGETS["capacity_vs_previous"], False, "×")))
        else:
            rows.append((f"capacity ≥ {TARGETS['capacity_vs_previous']:.0f}× the previous "
                         "architecture, same run", "–", "–",
                         "not measured (no baseline in this run)"))
    if paced is not None:
        p95 = pct(paced.latencies(), 95)
        prev_p95 = pct(prev_paced.latencies(), 95) if prev_paced else None
        rows.append((f"paced {paced.offered_rate:.0f} msg/s: p95 ≤ "
                     f"{TARGETS['paced_p95_ms']:.0f} ms", f"{fmt_ms(p95)} ms",
                     f"{_ratio(p95, prev_p95)} of previous ({fmt_ms(prev_p95)} ms)"
                     if prev_paced else "–", _verdict(p95, TARGETS["paced_p95_ms"], True, "ms")))
    for r in data.results:
        if r.target != "core" or r.phase in ("fault-sigterm", "fault-sigkill"):
            continue  # a stopped bot answers nothing, crisis or not: not a crisis-path figure
        p99 = pct(r.crisis_lexicon_ms(), 99)
        prev = data.get("previous", r.phase)
        prev_p99 = pct(prev.crisis_lexicon_ms(), 99) if prev else None
        rows.append((f"crisis (lexicon hits) p99 ≤ {TARGETS['crisis_p99_ms']:.0f} ms, {r.phase}",
                     f"{fmt_ms(p99)} ms (n = {len(r.crisis_lexicon_ms())})",
                     f"{_ratio(p99, prev_p99)} of previous ({fmt_ms(prev_p99)} ms)"
                     if prev else "–", _verdict(p99, TARGETS["crisis_p99_ms"], True, "ms")))
    peak, prev_peak = _peak(data, "core"), _peak(data, "previous")
    if peak is not None:
        rows.append((f"peak memory of all processes ≤ {TARGETS['memory_mb']:.0f} MB",
                     f"{peak:.0f} MB", f"{_ratio(peak, prev_peak)} of previous "
                     f"({prev_peak:.0f} MB)" if prev_peak else "–",
                     _verdict(peak, TARGETS["memory_mb"], True, "MB")))
    if "first_answer_s" in data.startup:
        s = data.startup["first_answer_s"]
        rows.append((f"`steunwijzer run` → first answer understood by the NLU service ≤ "
                     f"{TARGETS['startup_s']:.0f} s", f"{s:.1f} s", "–",
                     _verdict(s, TARGETS["startup_s"], True, "s")))
    return rows


def _targets(data: RunData, add) -> None:
    add("Targets (2 cores; missed targets are reported, never failed on):")
    add("")
    add("| target | measured (core) | against the previous architecture | verdict |")
    add("|---|---|---|---|")
    for row in target_rows(data):
        add("| " + " | ".join(row) + " |")
    add("")


def _scale_out(data: RunData, add) -> None:
    """The scale-out phase: correctness (duplicates, order), then CPU and memory per process
    kind, the inputs of the sizing table in docs/operations.md."""
    for r in data.results:
        if r.phase != SCALE_OUT:
            continue
        x, s = r.extra, r.summary()
        replicas = x.get("replicas", "?")
        add(f"Scale-out: {x.get('workers', 2)} `steunwijzer bot` workers in webhook mode behind "
            f"Telegram's webhook sender and a round-robin proxy (the bench plays both: one "
            f"queue per chat, an update without a 200 sent again), {replicas} NLU replica(s) "
            "(the real Rasa), PostgreSQL (a fresh database on the shared server) and Redis; "
            f"the paced load ({r.offered_rate:.0f} msg/s offered, {r.conversations} "
            "conversations). Duplicates and order violations are counted from what the fake "
            "Telegram received, each message attributed to the update of its chat that was "
            "on its way.")
        add("")
        add("| workers | NLU replicas | sent | answered | unanswered | msg/s | p95 ms | "
            "crisis p99 ms (lexicon) | crisis p99 ms (all) | degraded | updates per worker | "
            "deliveries retried | **duplicates** | **order violations** |")
        add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        per_worker = " / ".join(str(n) for n in x.get("per_worker", []))  # type: ignore[union-attr]
        add(f"| {x.get('workers', 2)} | {replicas} | {s['sent']} | {s['answered']} | "
            f"{s['unanswered']} | {r.rate:.1f} | {fmt_ms(s['p95'])} | "
            f"{fmt_ms(s['crisis_p99'])} | {fmt_ms(s['crisis_all_p99'])} | {s['degraded']} | "
            f"{per_worker} | {x.get('retried', 0)} | **{x.get('duplicates', '–')}** | "
            f"**{x.get('order_violations', '–')}** |")
        add("")
        add("Per process (peak RSS; CPU ms per answered message; PostgreSQL and Redis: the "
            "whole shared server, memory not sampled):")
        add("")
        add("| process | peak MB | CPU ms per answered message | CPU ms per message it took |")
        add("|---|---|---|---|")
        took = dict(zip(("bot-a", "bot-b"), x.get("per_worker", []), strict=False))  # type: ignore[arg-type]
        names = [n for n in r.cpu if n != "loadgen"]
        for name in sorted(names):
            mb = r.memory.get(name)
            own = (f"{r.cpu[name] * 1000 / took[name]:.1f}" if took.get(name) else "–")
            add(f"| {name} | {'–' if mb is None else f'{mb / MB:.0f}'} | "
                f"{_num(r.cpu_ms_per_message(name))} | {own} |")
        for kind, prefix in (("bot workers together", "bot-"), ("NLU replicas together",
                                                                "rasa-")):
            members = [n for n in names if n.startswith(prefix)]
            if members:
                cpu = sum(r.cpu_ms_per_message(n) or 0.0 for n in members)
                mb = sum(r.memory.get(n, 0) for n in members) / MB
                add(f"| {kind} | {mb:.0f} | {cpu:.1f} | – |")
        add(f"| **all product** | {r.memory_total / MB:.0f} (at once) | "
            f"**{_num(_cpu(r))}** | – |")
        loadgen = r.cpu.get("loadgen")
        if loadgen is not None:
            add(f"| load generator + fake Telegram + delivery | – | "
                f"{_num(loadgen * 1000 / max(1, len(r.answered)))} | – |")
        add("")


def _sec(value: object) -> str:
    return "–" if value is None else f"{value:.1f} s"


def _faults(data: RunData, add) -> None:
    shown = False
    for r in data.results:
        x = r.extra
        if not r.phase.startswith("fault"):
            continue
        state = (f"state: **{x['probes_results']} of {x['probes_ready']}** conversations "
                 f"mid-search got their results afterwards without being asked again "
                 f"({x['probes_asked_again']} asked again)")
        if r.phase == "fault-nlu":
            add(f"- fault, NLU service killed (SIGKILL) under load and restarted: "
                f"{x['outage_sent']} messages sent while it was down or starting, "
                f"**{x['outage_unanswered']} unanswered** ({x['outage_degraded']} text answers "
                f"in degraded mode, p95 {fmt_ms(x['outage_p95'])} ms); restart → ready "  # type: ignore[arg-type]
                f"{_sec(x['restart_to_ready_s'])}, → first answer from the NLU service "
                f"{_sec(x['restart_to_nlu_answer_s'])}; {state}")
        else:
            how = ("stopped with SIGTERM" if x["signal"] == "SIGTERM"
                   else "killed with SIGKILL")
            add(f"- fault, bot {how} under load (just after {x['burst']} citizens wrote at once: "
                f"{x['in_flight_at_signal']} accepted messages in flight at the signal) and "
                f"restarted: {x['handed_out']} messages handed out by getUpdates before it "
                f"exited, {x['accepted']} of them accepted (confirmed by a later getUpdates "
                f"offset), **{x['answered_before_exit']} of those answered before it exited** "
                f"(exit {_sec(x['exit_s'])} after the signal, "
                f"code {x['exit_code']}), {x['lost']} lost; {x['unconfirmed']} handed out but "
                f"not confirmed, re-delivered to and answered by the new bot: "
                f"{x['unconfirmed_answered_later']}; restart → first answer "
                f"{_sec(x['restart_to_answer_s'])}; {x['unanswered']} never answered in the "
                f"sub-phase; {state}")
        shown = True
    if shown:
        add("")


def _startup(data: RunData, add) -> None:
    if "first_answer_s" in data.startup:
        add(f"- start-up: `steunwijzer run` (fresh data folder, model already trained) → first "
            f"answer understood by the NLU service (not degraded) "
            f"**{data.startup['first_answer_s']:.1f} s** "
            f"({data.startup.get('attempts', 1):.0f} message(s); peak memory of the whole tree "
            f"{data.startup.get('memory_mb', 0):.0f} MB)")
    for target, seconds in data.ready.items():
        add(f"- {target}: conversation servers start → ready {seconds:.1f} s")


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def write_doc(path: Path, text: str) -> None:
    """Replace the generated block of ``path`` (between the markers) with ``text``; the
    hand-written rest of the page stays as it is."""
    block = f"{BEGIN}\n{text}\n{END}"
    if path.exists() and BEGIN in (old := path.read_text()) and END in old:
        head, rest = old.split(BEGIN, 1)
        new = head + block + rest.split(END, 1)[1]
    else:
        new = f"# Performance\n\n## Latest `make bench` output\n\n{block}\n"
    path.write_text(new)
