"""What an operator watches (docs/operations.md), as Prometheus metrics of this process.

Counters and histograms only, never a label that could single out a person: no pseudonym,
chat id, text or municipality. Each worker exposes its own at ``/metrics`` on its webhook
server; Prometheus adds them up across workers.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

#: One registry for the product's metrics (not the library's global one, so tests that build
#: several applications in one process count into the same metrics without re-registering).
REGISTRY = CollectorRegistry(auto_describe=True)

ANSWERS = Counter(
    "steunwijzer_answers", "Turns answered, by channel and kind (text, button, command, crisis)",
    ["channel", "kind"], registry=REGISTRY)
DEGRADED = Counter(
    "steunwijzer_degraded_answers", "Turns answered without the NLU service (degraded mode)",
    registry=REGISTRY)
CRISIS_SHOWN = Counter(
    "steunwijzer_crisis_answers", "Crisis answers shown, by kind of signal", ["kind"],
    registry=REGISTRY)
NLU_SECONDS = Histogram(
    "steunwijzer_nlu_seconds", "Time of one NLU parse (successful calls)",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4), registry=REGISTRY)
NLU_FAILURES = Counter(
    "steunwijzer_nlu_failures", "NLU calls that failed (a replica down or too slow)",
    registry=REGISTRY)
OUTBOX_LAG = Gauge(
    "steunwijzer_outbox_lag_seconds",
    "How long the oldest due outbox message has waited, at the last delivery run",
    registry=REGISTRY)
OUTBOX_SENT = Counter(
    "steunwijzer_outbox_sent", "Outbox messages handed to Telegram", registry=REGISTRY)
OUTBOX_POSSIBLE_DUPLICATES = Counter(
    "steunwijzer_outbox_possible_duplicates",
    "Outbox messages sent again because a sender died between Telegram's answer and the "
    "commit (they may have reached the person twice)", registry=REGISTRY)
UPDATES_REPEATED = Counter(
    "steunwijzer_updates_repeated",
    "Telegram updates delivered again after they were answered (skipped, not answered twice)",
    registry=REGISTRY)


def exposition() -> bytes:
    """The metrics in Prometheus' text format, for the ``/metrics`` endpoint."""
    return generate_latest(REGISTRY)
