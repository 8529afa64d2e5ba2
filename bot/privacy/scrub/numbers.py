"""Numbers however written: the *digit view* every number pattern runs on.

Persian and Arabic-Indic digits become ASCII digits, and runs of number words in Dutch,
English, Turkish, Persian and Arabic ("nul zes twaalf…", "sıfır beş yüz otuz iki…", "صفر شش…",
"صفر ستة…") become the digits they spell; what a pattern finds in the view is mapped back to the
citizen's own words. Dates and times can be blanked so that no number pattern reads them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.privacy.scrub.lexicon import Lexicon
from bot.privacy.scrub.tokens import LETTERS, Token, tokenize


@dataclass(frozen=True)
class NumberRun:
    start: int
    end: int
    digits: str
    groups: int


def _split_compound(key: str, lexicon: Lexicon) -> list[str] | None:
    """Split a word written as one ("vierendertig", "yirmibeş", "ثلاثمائة") into number words.

    All pieces come from one language, and a connector neither starts nor ends the word
    ("achten", to respect, is not acht + en).
    """
    for pieces in lexicon.compound_pieces:
        best: list[str] | None = None

        def walk(rest: str, acc: list[str], pieces: tuple[str, ...] = pieces) -> None:
            nonlocal best
            if len(acc) > 6 or (best is not None and len(acc) >= len(best)):
                return
            if not rest:
                if acc[0] not in lexicon.connector and acc[-1] not in lexicon.connector:
                    best = list(acc)
                return
            for piece in pieces:
                if rest.startswith(piece):
                    walk(rest[len(piece) :], [*acc, piece])

        walk(key, [])
        if best:
            return best
    return None


def _number_items(key: str, lexicon: Lexicon) -> list[tuple[str, int]] | None:
    """A word as number items: ("n", value), ("m", multiplier), ("t", 10), ("c", 0) for "and"."""

    def item(word: str) -> tuple[str, int]:
        if word in lexicon.connector:
            return ("c", 0)
        if word in lexicon.teen_after:
            return ("t", 10)
        if word in lexicon.multiplier:
            return ("m", lexicon.multiplier[word])
        return ("n", lexicon.additive[word])

    known = set(lexicon.additive) | set(lexicon.multiplier) | lexicon.teen_after
    if key in known or key in lexicon.connector:
        return [item(key)]
    # Arabic "و" written onto the next number ("وعشرون", "وخمسة").
    if key.startswith("\u0648") and key[1:] in known:
        return [("c", 0), item(key[1:])]
    parts = _split_compound(key, lexicon)
    return [item(part) for part in parts] if parts else None


def _read_groups(items: Sequence[tuple[str, int]]) -> list[int]:
    """Read number items as spoken number groups: "nul zes twaalf" → [0, 6, 12].

    A new group starts when a word cannot continue the current number ("twaalf vierendertig",
    "beş yüz otuz iki yüz…"), so a phone number read in pairs or triples keeps its digits while
    an amount or a year stays one number ("iki bin yirmi beş" → [2025]).
    """
    groups: list[int] = []
    cur: int | None = None
    last = 0
    joined = False
    for kind, value in items:
        if kind == "c":
            joined = True
            continue
        if kind == "t" and cur is not None and 1 <= last <= 9 and cur % 100 == last:
            cur += 10  # Arabic teen: ثلاثة عشر
            last = cur % 100
        elif kind == "m":
            if cur is None:
                cur = value
            elif value == 100 and 0 < cur % 1000 < 100:
                low = cur % 1000
                cur = cur - low + low * 100
            elif value == 100 and cur % 1000 == 0:
                cur += 100
            elif value == 1000 and cur < 1000:
                cur *= 1000
            else:
                groups.append(cur)
                cur = value
            last = value
        else:
            if kind == "t":
                value = 10
            if value == 0:
                if cur is not None:
                    groups.append(cur)
                groups.append(0)
                cur, last = None, 0
            elif cur is None:
                cur, last = value, value
            elif _continues(cur, last, value, joined):
                cur, last = cur + value, value
            else:
                groups.append(cur)
                cur, last = value, value
        joined = False
    if cur is not None:
        groups.append(cur)
    return groups


def _continues(cur: int, last: int, value: int, joined: bool) -> bool:
    if cur >= 1000 and cur % 1000 == 0 and value < 1000:
        return True
    if cur >= 100 and cur % 100 == 0 and value < 100:
        return True
    if cur % 10 == 0 and 10 <= last < 100 and cur % 100 == last and value < 10:
        return True  # tens then a unit: "yirmi beş", "بیست و پنج"
    # A unit, "and", then tens: Dutch "vier en dertig", Arabic "أربعة وثلاثون".
    return joined and 1 <= last <= 9 and cur % 100 == last and value % 10 == 0 and 20 <= value <= 90


_RUN_GAP = re.compile(r"\s*[,.\-–—/]?\s*")


def number_runs(text: str, lexicon: Lexicon) -> list[NumberRun]:
    """Runs of number words in ``text`` with the digits they spell."""
    runs: list[NumberRun] = []
    current: list[tuple[Token, list[tuple[str, int]]]] = []

    def close() -> None:
        # A run neither starts nor ends with "and".
        while current and all(kind == "c" for kind, _ in current[-1][1]):
            current.pop()
        while current and all(kind == "c" for kind, _ in current[0][1]):
            current.pop(0)
        if current:
            items = [item for _, token_items in current for item in token_items]
            words = sum(1 for kind, _ in items if kind != "c")
            alone = len(current) == 1 and current[0][0].key in lexicon.not_alone
            if words and not alone:
                groups = _read_groups(items)
                runs.append(
                    NumberRun(
                        start=current[0][0].start,
                        end=current[-1][0].end,
                        digits="".join(str(g) for g in groups),
                        groups=len(groups),
                    )
                )
        current.clear()

    for token in tokenize(text, LETTERS):
        items = _number_items(token.key, lexicon)
        if (
            items is not None
            and current
            and not _RUN_GAP.fullmatch(text[current[-1][0].end : token.start])
        ):
            close()
        if items is None:
            close()
        else:
            current.append((token, items))
    close()
    return runs


# --------------------------------------------------------------------------- digit view
class DigitView:
    """The text with every number written in ASCII digits, and a map back to the original."""

    def __init__(self, text: str, runs: Sequence[NumberRun]) -> None:
        chars: list[str] = []
        origin: list[tuple[int, int]] = []
        pos = 0
        for run in runs:
            self._copy(text, pos, run.start, chars, origin)
            for digit in run.digits:
                chars.append(digit)
                origin.append((run.start, run.end))
            pos = run.end
        self._copy(text, pos, len(text), chars, origin)
        self.text = "".join(chars)
        self._origin = origin

    @staticmethod
    def _copy(
        text: str, start: int, end: int, chars: list[str], origin: list[tuple[int, int]]
    ) -> None:
        for i in range(start, end):
            ch = text[i]
            value = unicodedata.decimal(ch, None)
            chars.append(str(value) if value is not None else ch)
            origin.append((i, i + 1))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that view characters ``start:end`` came from."""
        pieces = self._origin[start:end]
        return min(p[0] for p in pieces), max(p[1] for p in pieces)


# Dates and times are blanked before phone numbers are looked for: a date and a time written
# together ("12-03-2025, 19:30") is not one.
_DATE = re.compile(
    r"(?<!\d)(?<!\d[-/.])(\d{1,2})([-/.])(\d{1,2})\2((?:19|20)?\d{2})(?![-/.]?\d)"
    r"|(?<!\d)(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?![-/.]?\d)"
)
_TIME = re.compile(r"(?<![\d.:])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![.:]?\d)")


def blank_dates(view: str) -> str:
    """The view with dates and times replaced by as many non-digits (positions stay)."""

    def blank(match: re.Match[str]) -> str:
        return "#" * len(match.group(0))

    def blank_date(match: re.Match[str]) -> str:
        if match.group(1):
            day, month = int(match.group(1)), int(match.group(3))
            if not (min(day, month) >= 1 and max(day, month) <= 31 and min(day, month) <= 12):
                return match.group(0)
        return blank(match)

    return _TIME.sub(blank, _DATE.sub(blank_date, view))
