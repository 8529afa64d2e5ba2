"""``make bench``: speed under load through the real processes.

    .venv/bin/python -m bench.load                 # full run (about 6 minutes), writes nothing
    .venv/bin/python -m bench.load --write-doc docs/performance.md
    .venv/bin/python -m bench.load --short         # CI: a few seconds of load, 2-3 min in all

What runs, all on 127.0.0.1 and all stopped at the end:

1. start-up: ``steunwijzer run`` (fresh data folder, trained model) → the first answer the NLU
   service understood, through the fake Telegram (:mod:`bench.load.startup`);
2. core (this checkout): the NLU service (Rasa, ``scripts/run_rasa.sh``) as ``steunwijzer run``
   starts it and ``steunwijzer bot`` pointed at the fake Telegram, on a temporary SQLite database
   with the demo directory. Phases: ``paced`` (``--conversations`` citizens offering ``--rate``
   messages/s), ``capacity`` (the same citizens without think time) and ``fault``
   (:mod:`bench.load.fault`: the NLU service killed, the bot stopped with SIGTERM, the bot
   killed with SIGKILL, each under load);
3. previous: the previous architecture (commit e99dea7: Rasa dialogue + action server), its
   own code, venv, model and processes (:mod:`bench.load.previous`), phases ``paced`` and
   ``capacity`` under the same load. Both targets run at the same time and get each phase in
   ``--slices`` alternating slices (:mod:`bench.load.run`), so a shared machine's changing load
   hits both alike; the previous one is stopped before the core's fault phase;
4. scale-out (after the others): two ``steunwijzer bot`` workers in webhook mode behind
   Telegram's webhook sender and a proxy (the bench plays both), the real Rasa as NLU replicas
   (two; ``--short``: one, see docs/performance.md), a fresh database on the shared PostgreSQL
   server and Redis; the paced load, plus duplicates and order violations counted from what
   the fake Telegram received (:mod:`bench.load.scaleout`).

Each paced and capacity phase holds at least 200 crisis messages in the full run (its last
slice runs on until it does). Nothing caches NLU results: every text goes to the bot, and the
multi-sentence messages are put together at random.

Exit status: non-zero only for errors (a process crashed, invalid Bot API calls, tracebacks in
the logs, unanswered messages, conversation state lost in the fault phase, duplicates or order
violations in the scale-out phase). Missed speed
targets and degraded answers are reported, never failed on: they are measurements.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from bench.load.previous import PREVIOUS_COMMIT, Previous, ensure_previous
from bench.load.report import RunData, report, write_doc
from bench.load.run import Bench, Options, Running
from bench.load.scaleout import ScaleOutStack
from bench.load.stack import ProcessSampler, Stack, ensure_trained_model
from bench.load.startup import measure_startup

#: Crisis messages each paced and capacity phase must hold in the full run.
MIN_CRISIS = 200


def log(*parts: object) -> None:
    print("[bench]", *parts, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--short", action="store_true",
                   help="CI: core only (implies --no-baseline --no-startup), a few seconds of "
                        "load, short fault run")
    p.add_argument("--conversations", type=int, default=50)
    p.add_argument("--rate", type=float, default=35.0,
                   help="offered messages/s of the paced phase (all citizens together)")
    p.add_argument("--duration", type=float, default=45.0, help="seconds of paced load")
    p.add_argument("--capacity-duration", type=float, default=20.0,
                   help="seconds of unpaced load (0: skip)")
    p.add_argument("--slices", type=int, default=4,
                   help="each phase is run in this many slices per target, alternating "
                        "between the targets")
    p.add_argument("--no-baseline", action="store_true",
                   help=f"skip the previous architecture (commit {PREVIOUS_COMMIT})")
    p.add_argument("--baseline-commit", default=PREVIOUS_COMMIT,
                   help="the commit run as the previous architecture")
    p.add_argument("--no-fault", action="store_true",
                   help="skip the fault phase (NLU service killed, bot stopped and killed)")
    p.add_argument("--no-scale-out", action="store_true",
                   help="skip the scale-out phase (2 bot workers behind a webhook, NLU "
                        "replicas, PostgreSQL, Redis)")
    p.add_argument("--nlu-replicas", type=int, default=None,
                   help="NLU replicas (real Rasa) of the scale-out phase (default: 2, "
                        "--short: 1)")
    p.add_argument("--no-startup", action="store_true",
                   help="skip timing `steunwijzer run` to the first understood answer")
    p.add_argument("--write-doc", type=Path, help="write the summary into this Markdown file")
    return p.parse_args(argv)


async def amain(args: argparse.Namespace, command: str) -> int:
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    short = args.short
    options = Options(
        conversations=args.conversations, rate=args.rate,
        duration=8 if short else args.duration,
        capacity_duration=0 if short else args.capacity_duration,
        slices=1 if short else args.slices,
        fault=not args.no_fault,
        fault_before=4 if short else 8, fault_outage=3 if short else 8,
        fault_after=2 if short else 5, probes=4 if short else 12,
        warmup=2 if short else 5, min_crisis=0 if short else MIN_CRISIS,
    )
    baseline = not (short or args.no_baseline)
    log("preparing the Rasa environment and model (scripts/train_rasa.sh)")
    await asyncio.to_thread(ensure_trained_model)
    bench = Bench(options)
    previous: Previous | None = None
    if baseline:
        log(f"preparing the previous architecture ({args.baseline_commit})")
        try:
            previous = await asyncio.to_thread(ensure_previous, args.baseline_commit)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            bench.errors.append(f"previous architecture not prepared, no baseline: {exc}")
    startup: dict[str, float] = {}
    if not (short or args.no_startup):
        sampler = ProcessSampler().start()
        try:
            startup = await measure_startup(sampler, bench.errors)
        finally:
            sampler.stop()
    targets: list[Running] = []
    try:
        targets.append(await bench.start(Stack.create()))
        if previous is not None:
            stack = await asyncio.to_thread(Stack.create_previous, previous)
            targets.append(await bench.start(stack))
        await bench.alternate(targets, "paced", options.duration, options.rate)
        if options.capacity_duration:
            await bench.alternate(targets, "capacity", options.capacity_duration, 0)
        # The previous target is done: stopped before the fault phase, so it takes no CPU.
        while len(targets) > 1:
            await bench.finish(targets.pop())
        if options.fault:
            await bench.fault(targets[0])
        if not args.no_scale_out:
            # The single-worker target is stopped first: the two workers get the machine.
            while targets:
                await bench.finish(targets.pop())
            replicas = args.nlu_replicas or (1 if short else 2)
            stack_so = await asyncio.to_thread(ScaleOutStack.create, replicas)
            targets.append(await bench.start(stack_so))
            await bench.scale_out(targets[-1])
    finally:
        while targets:
            await bench.finish(targets.pop())
    data = RunData(command, started, time.perf_counter() - t0, load_before, bench.results,
                   startup, bench.ready, args.baseline_commit if previous else None,
                   bench.notes, bench.errors, options.slices)
    text = report(data)
    print(text)
    if data.degraded():
        log("RUN INVALID: degraded answers in the paced/capacity phases "
            f"({data.degraded()}); the figures do not count")
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
