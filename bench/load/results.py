"""The numbers of one phase against one target, computed from the recorded turns."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.load.citizens import TurnRecord

MB = 1024 * 1024
#: The processes that make up the product (the load generator and the fake are not part of it).
PRODUCT = ("bot", "rasa", "actions", "bot-a", "bot-b", "rasa-a", "rasa-b", "postgres", "redis")


def pct(values: list[float], q: float) -> float | None:
    """The ``q`` percentile (nearest rank) of ``values``, or None."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def fmt_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


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
    #: Crisis texts the target's own lexicon catches (the rest need its model, if any).
    lexicon: set[str] = field(default_factory=set)

    @property
    def answered(self) -> list[TurnRecord]:
        return [r for r in self.records if r.first is not None]

    @property
    def unanswered(self) -> int:
        return sum(r.first is None for r in self.records)

    @property
    def rate(self) -> float:
        return len(self.answered) / self.wall if self.wall else 0.0

    @property
    def degraded(self) -> int:
        return sum(r.degraded for r in self.records)

    def latencies(self, kinds: tuple[str, ...] | None = None) -> list[float]:
        return [r.latency * 1000 for r in self.answered  # type: ignore[operator]
                if kinds is None or r.kind in kinds]

    def crisis_lexicon_ms(self) -> list[float]:
        """Latencies of the crisis messages the target's lexicon catches."""
        return [r.latency * 1000 for r in self.answered  # type: ignore[operator]
                if r.kind == "crisis" and r.text in self.lexicon]

    def turn_ms(self) -> list[float]:
        return [(r.last - r.queued) * 1000 for r in self.answered if r.last is not None]

    def cpu_ms_per_message(self, name: str | None = None) -> float | None:
        """CPU ms per answered message of one process, or (None) of all product processes."""
        if not self.cpu or not self.answered:
            return None
        names = [name] if name else [n for n in PRODUCT if n in self.cpu]
        if name and name not in self.cpu:
            return None
        return sum(self.cpu[n] for n in names) * 1000 / len(self.answered)

    def summary(self) -> dict[str, object]:
        lat = self.latencies()
        crisis = [r for r in self.records if r.kind == "crisis"]
        lexicon_ms = self.crisis_lexicon_ms()
        return {
            "target": self.target, "phase": self.phase, "conversations": self.conversations,
            "offered": self.offered_rate, "sent": len(self.records),
            "answered": len(self.answered), "unanswered": self.unanswered,
            "rate": self.rate, "p50": pct(lat, 50), "p95": pct(lat, 95), "p99": pct(lat, 99),
            "turn_p95": pct(self.turn_ms(), 95),
            "stories": sum(r.sentences > 1 for r in self.records),
            "crisis_n": len(crisis),
            "crisis_lexicon_n": len(lexicon_ms),
            "crisis_lines": sum(r.crisis_line for r in crisis),
            "crisis_p99": pct(lexicon_ms, 99),
            "crisis_all_p99": pct(self.latencies(("crisis",)), 99),
            "degraded": self.degraded,
            "rejected": self.rejected,
            "texts": sum(bool(r.text) for r in self.records),
        }


def merge(parts: list[PhaseResult]) -> PhaseResult:
    """One phase from its slices: turns, wall time and CPU added up, memory peaks the highest."""
    first = parts[0]
    cpu: dict[str, float] = {}
    memory: dict[str, int] = {}
    for part in parts:
        for name, seconds in part.cpu.items():
            cpu[name] = cpu.get(name, 0.0) + seconds
        for name, peak in part.memory.items():
            memory[name] = max(memory.get(name, 0), peak)
    return PhaseResult(
        first.target, first.phase, first.conversations, first.offered_rate,
        sum(p.wall for p in parts), [r for p in parts for r in p.records],
        memory=memory, memory_total=max(p.memory_total for p in parts), cpu=cpu,
        rejected=sum(p.rejected for p in parts), extra={"slices": len(parts)},
        lexicon=set().union(*(p.lexicon for p in parts)),
    )
