"""Start-up: ``steunwijzer run`` in a fresh data folder → the first answer the NLU service
understood.

The model is trained before the clock starts (``steunwijzer run`` trains only when needed, and
training is not start-up). A text message is queued at the moment of the command; when its
answer carries the degraded-mode notice (the bot answered before the NLU service could), the
citizen writes again, and so on: the time is the arrival of the first answer *without* that
notice. A command such as /start would not do: commands skip the NLU service.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bench.load.citizens import BenchTelegram, Load
from bench.load.stack import ProcessSampler, Stack, base_env, stop_child

#: What the person writes (no crisis words; needs the NLU service to be understood well).
FIRST_TEXT = "Hallo, ik zoek een praatgroep voor mantelzorgers."
TIMEOUT = 240.0


def log(*parts: object) -> None:
    print("[bench]", *parts, file=sys.stderr, flush=True)


async def measure_startup(sampler: ProcessSampler, errors: list[str]) -> dict[str, float]:
    """Seconds from ``steunwijzer run`` to the first understood answer, and peak memory."""
    root = Path(tempfile.mkdtemp(prefix="steunwijzer-bench-run-"))
    env = base_env(root / "data")
    del env["STEUNWIJZER_DATABASE_URL"]  # the default: SQLite in the fresh data folder
    stack = Stack("startup", root, env)
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, float] = {}
    async with BenchTelegram() as tg:
        load = Load(tg, turn_timeout=TIMEOUT)
        chat = load.new_chat("nl")
        started = time.perf_counter()
        run = stack.start_run(tg.subprocess_env())
        sampler.track("run", run.pid)
        try:
            attempts = 0
            while time.perf_counter() - started < TIMEOUT:
                attempts += 1
                turn, _ = await load.say(chat, "startup", "text", FIRST_TEXT)
                if turn.first is None:
                    break
                if not turn.degraded:
                    out["first_answer_s"] = turn.first - started
                    out["attempts"] = attempts
                    log(f"start-up: `steunwijzer run` → first understood answer in "
                        f"{out['first_answer_s']:.1f} s ({attempts} message(s))")
                    break
            if "first_answer_s" not in out:
                errors.append(f"start-up: no understood answer within {TIMEOUT:.0f} s "
                              f"(log {run.log_path})")
        finally:
            out["memory_mb"] = sampler.peak.get("run", 0) / (1024 * 1024)
            await asyncio.to_thread(stop_child, run)  # the fake must answer its last poll
            sampler.reset()
    text = "\n".join(p.read_text(errors="replace") for p in sorted(root.rglob("*.log")))
    if "Traceback (most recent call last)" in text:
        errors.append(f"start-up: traceback in the logs under {root}")
    else:
        stack.remove()
    return out
