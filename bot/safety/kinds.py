"""What kind of crisis a message signals, and which line comes first (safety.md rule 2).

This is the safety net's small vocabulary: the lexicon (``crisis.py``), the answer
(``answer.py``), the dialogue engine and ``make eval`` all speak it. It imports nothing of the
bot, so it can sit at the bottom of the import graph.
"""

from __future__ import annotations

from enum import StrEnum


class CrisisKind(StrEnum):
    """A kind of crisis, most urgent first in :data:`URGENCY`."""

    DANGER_NOW = "danger_now"  # a weapon, an overdose taken, standing on a bridge now
    SUICIDE = "suicide"  # suicidal thoughts, farewells, feeling a burden, asking about means
    SELF_HARM = "self_harm"
    ACUTE = "acute"  # acute psychiatric crisis (voices, panic, losing control)
    CHILD = "child"  # a child hurt or neglected by a parent or relative
    FORCED_MARRIAGE = "forced_marriage"  # also honour-related threats
    VIOLENCE_HOME = "violence_home"  # a partner or relative hurting, threatening, locking in


class FirstLine(StrEnum):
    """The line an answer offers first (ids of ``bot/directory/data/national_lines.yml``)."""

    EMERGENCY = "emergency_112"
    SUICIDE_PREVENTION = "suicide_prevention_113"
    VEILIG_THUIS = "veilig_thuis"


#: Several signals: the most urgent first (safety.md rule 2).
URGENCY: tuple[CrisisKind, ...] = (
    CrisisKind.DANGER_NOW,
    CrisisKind.SUICIDE,
    CrisisKind.SELF_HARM,
    CrisisKind.ACUTE,
    CrisisKind.CHILD,
    CrisisKind.FORCED_MARRIAGE,
    CrisisKind.VIOLENCE_HOME,
)

FIRST_LINE: dict[CrisisKind, FirstLine] = {
    CrisisKind.DANGER_NOW: FirstLine.EMERGENCY,
    CrisisKind.SUICIDE: FirstLine.SUICIDE_PREVENTION,
    CrisisKind.SELF_HARM: FirstLine.SUICIDE_PREVENTION,
    CrisisKind.ACUTE: FirstLine.SUICIDE_PREVENTION,
    CrisisKind.CHILD: FirstLine.VEILIG_THUIS,
    CrisisKind.FORCED_MARRIAGE: FirstLine.VEILIG_THUIS,
    CrisisKind.VIOLENCE_HOME: FirstLine.VEILIG_THUIS,
}

#: Kinds where someone else may read the phone: the answer explains how to delete the chat.
AT_HOME: frozenset[CrisisKind] = frozenset(
    {CrisisKind.CHILD, CrisisKind.FORCED_MARRIAGE, CrisisKind.VIOLENCE_HOME}
)


def by_urgency(kinds: set[CrisisKind] | frozenset[CrisisKind]) -> tuple[CrisisKind, ...]:
    """``kinds`` in the order the answer names them."""
    return tuple(k for k in URGENCY if k in kinds)


def first_line(kinds: tuple[CrisisKind, ...]) -> FirstLine:
    """The line for the most urgent of ``kinds`` (113 when the kind is unknown)."""
    for kind in by_urgency(set(kinds)):
        return FIRST_LINE[kind]
    return FirstLine.SUICIDE_PREVENTION
