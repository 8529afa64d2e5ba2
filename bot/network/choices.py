"""The codes of "help me ask": who is asked, what for, when, and how the draft sounds.

Only these codes are ever kept (in the conversation state until the draft is shown, and in
the callback data of the draft's buttons): never a name, never words the person typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Who(StrEnum):
    """The person asked: someone the citizen knows."""

    FAMILY = "family"
    NEIGHBOUR = "neighbour"
    FRIEND = "friend"
    COLLEAGUE = "colleague"
    COMMUNITY = "community"  # someone from the mosque, church or association


class What(StrEnum):
    """What they are asked for."""

    SHOPPING = "shopping"
    RIDE = "ride"  # to the hospital or the GP
    COMPANY = "company"  # a coffee or a walk
    LETTERS = "letters"  # letters and forms
    CHILDREN = "children"  # looking after the children
    PHONE = "phone"  # a phone call


class When(StrEnum):
    """Roughly when; the other person can always suggest another moment."""

    WEEK = "week"
    WEEKEND = "weekend"
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    REGULARLY = "regularly"  # now and then


class Style(StrEnum):
    """How the draft sounds."""

    PLAIN = "plain"
    SHORTER = "short"
    WARMER = "warm"


#: The three questions, in the order they are asked, and the code type of each answer.
SLOTS: dict[str, type[StrEnum]] = {"who": Who, "what": What, "when": When}


def parse(slot: str, code: str | None) -> str | None:
    """``code`` when it is a valid answer to ``slot`` ("who", "what" or "when"), else None."""
    kind = SLOTS.get(slot)
    if kind is None or code is None:
        return None
    return code if code in {member.value for member in kind} else None


@dataclass(frozen=True)
class DraftSpec:
    """Everything a draft is built from; small enough to ride in a button's callback data."""

    who: Who
    what: What
    when: When
    style: Style = Style.PLAIN
    dutch: bool = False  # a second message with the same request in Dutch

    def with_style(self, style: Style) -> DraftSpec:
        """The same request in another style."""
        return DraftSpec(self.who, self.what, self.when, style, self.dutch)

    def with_dutch(self) -> DraftSpec:
        """The same request, also in Dutch."""
        return DraftSpec(self.who, self.what, self.when, self.style, True)

    def encode(self) -> str:
        """``neighbour.shopping.week.plain.0``: at most 36 characters, so with the button's
        code it stays far below Telegram's 64 bytes."""
        return ".".join((self.who, self.what, self.when, self.style, "1" if self.dutch else "0"))

    @classmethod
    def decode(cls, value: str | None) -> DraftSpec | None:
        """Inverse of :meth:`encode`; ``None`` for anything else (an old or forged button)."""
        parts = (value or "").split(".")
        if len(parts) != 5 or parts[4] not in {"0", "1"}:
            return None
        who, what, when, style, dutch = parts
        try:
            return cls(Who(who), What(what), When(when), Style(style), dutch == "1")
        except ValueError:
            return None
