"""What was found where, and the text with every find replaced by its placeholder."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

PLACEHOLDERS = {
    "phone": "[phone]",
    "email": "[e-mail]",
    "iban": "[IBAN]",
    "bsn": "[BSN]",
    "address": "[address]",
    "url": "[link]",
    "handle": "[@name]",
    "name": "[name]",
}


@dataclass(frozen=True)
class Scrubbed:
    """The cleaned text and what kinds of data were removed."""

    text: str
    removed: tuple[str, ...]


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    order: int  # when it was found: earlier finders are more specific


class Spans:
    """Found spans of the original text.

    Finders run most specific first (an e-mail address before the link inside it); a later find
    that overlaps earlier ones merges with them into one span that keeps the earliest kind, so
    no part of either is left behind.
    """

    def __init__(self) -> None:
        self._spans: list[_Span] = []
        self._found = 0

    def add(self, start: int, end: int, kind: str) -> None:
        if end <= start:
            return
        merged = _Span(start, end, kind, self._found)
        self._found += 1
        while overlapping := [
            s for s in self._spans if s.start < merged.end and merged.start < s.end
        ]:
            earliest = min(overlapping, key=lambda span: span.order)
            merged.kind, merged.order = earliest.kind, earliest.order
            merged.start = min(merged.start, *(s.start for s in overlapping))
            merged.end = max(merged.end, *(s.end for s in overlapping))
            self._spans = [s for s in self._spans if s not in overlapping]
        self._spans.append(merged)

    def apply(self, text: str) -> Scrubbed:
        out: list[str] = []
        kinds: list[str] = []
        pos = 0
        for span in sorted(self._spans, key=lambda span: span.start):
            out += [text[pos : span.start], PLACEHOLDERS[span.kind]]
            kinds.append(span.kind)
            pos = span.end
        out.append(text[pos:])
        return Scrubbed(text="".join(out), removed=tuple(kinds))


Finder = Callable[[str], Iterator[tuple[int, int]]]


def regex_finder(
    pattern: re.Pattern[str],
    check: Callable[[re.Match[str]], bool] | None = None,
    group: int | str = 0,
) -> Finder:
    """A finder for the matches of ``pattern`` that pass ``check`` (the span of ``group``)."""

    def find(view: str) -> Iterator[tuple[int, int]]:
        for match in pattern.finditer(view):
            if check is None or check(match):
                yield match.span(group)

    return find
