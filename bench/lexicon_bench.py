"""Crisis lexicon benchmark: CPU time of :func:`bot.safety.net.lexicon_signal` per message.

Not a test (standing rule: speed is measured in a benchmark). The crisis answer waits for
nothing but this check, so its cost per message is the floor of the crisis answer's latency.
Runs every text of the lexicon's regression sets (``tests/safety/signals_<lang>.yml``:
signals and near misses, one and several sentences) ``--rounds`` times, measures CPU time
(``time.process_time``: it does not depend on how busy the shared machine is), and prints, or
writes with ``--write-doc``, p50/p99/max per language and all together.

    .venv/bin/python -m bench.lexicon_bench --write-doc docs/benchmarks/lexicon.md
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.safety.crisis import load_lexicons
from bot.safety.net import lexicon_signal
from bot.settings import PROJECT_ROOT

LANGUAGES = ("nl", "tr", "fa", "ar")


def texts_of(language: str) -> list[str]:
    """The regression texts of ``language``: signals and near misses."""
    path = PROJECT_ROOT / "tests" / "safety" / f"signals_{language}.yml"
    data = yaml.safe_load(path.read_text())
    items = [*(data.get("triggers") or []), *(data.get("near_misses") or [])]
    return [item["text"] if isinstance(item, dict) else item for item in items]


def measure(texts: list[str], rounds: int) -> list[float]:
    """CPU milliseconds of one check, for every text and round."""
    timings = []
    for _ in range(rounds):
        for text in texts:
            started = time.process_time()
            lexicon_signal(text)
            timings.append((time.process_time() - started) * 1000)
    return timings


def _row(name: str, timings: list[float], n: int) -> str:
    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"| {name} | {n} | {statistics.median(ordered):.3f} | {p99:.3f} | "
            f"{ordered[-1]:.3f} |")


def report(rounds: int) -> str:
    """The Markdown report of one run."""
    load_lexicons()
    lines = [
        "# Crisis lexicon: CPU time per message",
        "",
        f"`python -m bench.lexicon_bench --rounds {rounds}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.machine()}. CPU time (`process_time`) of `lexicon_signal` (all five "
        "lexicons, as the crisis net runs them) on every text of `tests/safety/signals_*.yml`; "
        "the process clock's resolution makes single timings coarse, the median and p99 over "
        "many runs are what to compare.",
        "",
        "| language | texts | p50 ms | p99 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    everything: list[float] = []
    total = 0
    for language in LANGUAGES:
        texts = texts_of(language)
        timings = measure(texts, rounds)
        everything += timings
        total += len(texts)
        lines.append(_row(language, timings, len(texts)))
    lines.append(_row("all", everything, total))
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark; print the report or write it to a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write-doc", type=Path, help="Write the report to this file.")
    args = parser.parse_args()
    text = report(args.rounds)
    if args.write_doc:
        args.write_doc.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
