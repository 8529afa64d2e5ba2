"""Classification metrics without scikit-learn (accuracy, per-class and macro F1, confusion)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ClassScore:
    """Precision, recall and F1 of one label, and how often it occurs in the gold labels."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


def accuracy(gold: Sequence[object], predicted: Sequence[object]) -> float:
    """Fraction of positions where ``predicted`` equals ``gold`` (0.0 for no items)."""
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def per_class(gold: Sequence[str], predicted: Sequence[str]) -> list[ClassScore]:
    """Scores of every label seen in ``gold`` or ``predicted`` (as scikit-learn does)."""
    labels = sorted(set(gold) | set(predicted))
    pairs = list(zip(gold, predicted, strict=True))
    scores: list[ClassScore] = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(ClassScore(label, precision, recall, f1, tp + fn))
    return scores


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean F1 over the labels of :func:`per_class`."""
    scores = per_class(gold, predicted)
    return sum(s.f1 for s in scores) / len(scores) if scores else 0.0


@dataclass(frozen=True)
class Binary:
    """Counts for a yes/no decision (here: "this message is a crisis")."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def recall(self) -> float:
        """Found positives / all positives (1.0 when there are none)."""
        return _ratio(self.tp, self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        """Correct alarms / all alarms (1.0 when there were no alarms)."""
        return _ratio(self.tp, self.tp + self.fp) if self.tp + self.fp else 1.0


def binary(gold: Sequence[bool], predicted: Sequence[bool]) -> Binary:
    """Confusion counts of a binary decision."""
    pairs = list(zip(gold, predicted, strict=True))
    return Binary(
        tp=sum(1 for g, p in pairs if g and p),
        fp=sum(1 for g, p in pairs if not g and p),
        fn=sum(1 for g, p in pairs if g and not p),
        tn=sum(1 for g, p in pairs if not g and not p),
    )


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> Counter[tuple[str, str]]:
    """``(gold, predicted) -> count`` for every pair that occurred."""
    return Counter(zip(gold, predicted, strict=True))


def confusion_table(gold: Sequence[str], predicted: Sequence[str], width: int = 4) -> str:
    """A text confusion matrix (rows: gold, columns: predicted), labels cut to ``width``."""
    labels = sorted(set(gold) | set(predicted))
    counts = confusion(gold, predicted)
    name_width = max(len(label) for label in labels) if labels else 4
    header = " " * name_width + " " + " ".join(label[:width].rjust(width) for label in labels)
    rows = [header]
    for g in labels:
        cells = []
        for p in labels:
            n = counts.get((g, p), 0)
            cells.append((str(n) if n else ".").rjust(width))
        rows.append(g.ljust(name_width) + " " + " ".join(cells))
    return "\n".join(rows)
