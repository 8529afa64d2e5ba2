"""Arabic-script text for PDF: contextual shaping and right-to-left order.

reportlab draws code points one by one and left to right. Farsi and Arabic letters change
form by position in the word (isolated, initial, medial, final) and run right to left, so
text is first reshaped into Unicode presentation forms (arabic-reshaper) and then put in
visual order (python-bidi) one line at a time, after wrapping in logical order.
"""

from __future__ import annotations

from collections.abc import Callable

import arabic_reshaper
from bidi import get_display

from bot.vocabulary import RTL_LANGUAGES

ZWNJ = "\u200c"
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={
    "delete_harakat": False,
    "support_ligatures": True,
})


def shape(text: str) -> str:
    """Presentation forms for one logical line (no reordering)."""
    # The zero-width non-joiner has already done its job (it stops joining) once shaped;
    # fonts often lack a glyph for it and would draw a box.
    return _RESHAPER.reshape(text).replace(ZWNJ, "")


def visual_line(text: str, language: str) -> str:
    """A logical line as it must be drawn left to right."""
    if language not in RTL_LANGUAGES:
        return text
    return get_display(shape(text), base_dir="R")


def wrap(text: str, language: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (measured shaped), in visual order."""
    lines: list[str] = []
    current: list[str] = []
    for word in text.split():
        candidate = " ".join([*current, word])
        shaped = shape(candidate) if language in RTL_LANGUAGES else candidate
        if current and measure(shaped) > width:
            lines.append(" ".join(current))
            current = [word]
        else:
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return [visual_line(line, language) for line in lines]


def has_presentation_forms(text: str) -> bool:
    """Whether ``text`` uses Arabic presentation forms (i.e. was shaped)."""
    return any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text)
