"""Everyday phrasings the dialogue recognises by keyword in every language.

"Online is fine" and "I'd rather not say" are answers to the place question; they are
short and formulaic, so a folded keyword list is more reliable than a model here.
"""

from __future__ import annotations

from bot.text.normalize import fold

_ONLINE = (
    "online", "internet", "digitaal", "via de computer", "cevrimici", "interneten",
    "آنلاین", "انلاین", "اینترنتی", "اونلاين", "اونلاين", "اون لاين", "انترنت", "عبر الانترنت",
)
_RATHER_NOT = (
    # nl
    "zeg ik liever niet", "liever niet zeggen", "wil ik niet zeggen", "maakt niet uit",
    "dat zeg ik niet", "zeg ik niet", "liever niet", "houd ik voor mezelf", "hou ik voor mezelf",
    "liever voor mezelf", "voor mezelf houden",
    "wil ik liever niet zeggen", "dat wil ik niet kwijt", "niet zeggen", "gaat je niks aan",
    # tr
    "soylemek istemiyorum", "soylemeyeyim", "soylemesem", "soylemeyecegim", "soylemem",
    "soylemek istemem", "fark etmez", "farketmez", "onemli degil", "gerek yok", "bosver",
    "sormayin", "yer vermek istemiyorum", "nerede oturdugumu soylemek",
    # fa (folded: ی→ي, ک→ك)
    "ترجیح میدم نگم", "نمیخوام بگم", "مهم نیست", "فرقی نمیکنه", "نگم", "نمیگم", "ترجیح میدم نگویم",
    "نمیخواهم بگویم", "ترجيح ميدم نگم", "بهتره نگم", "لازم نیست بگم", "نمي گم",
    # ar
    "ما بدي قول", "لا اريد ان اقول", "ما بغيتش نقول", "مش عايز اقول", "ما يهم", "مو مهم",
    "ما بدي احكي", "ما بدي اقول", "ما بقول", "ما رح قول", "افضل ما اقول", "افضل ان لا اقول",
    "افضل عدم", "لا اذكر", "لا اريد ذكر", "ما بدي اذكر", "مش حابب اقول", "مش حابه اقول",
    "ما نقولش", "ما نبغيش نقول", "ما اريد اكول", "ما اريد اقول", "خليها سر", "بلاش",
    "مش مهم", "ما بتفرق",
    # en
    "rather not say", "prefer not to say", "doesnt matter", "don't want to say",
)
_ONLINE_KEYS = tuple(fold(p) for p in _ONLINE)
_RATHER_KEYS = tuple(fold(p) for p in _RATHER_NOT)


def _contains(text: str, keys: tuple[str, ...]) -> bool:
    folded = f" {fold(text)} "
    return any(f" {key} " in folded or folded.strip() == key for key in keys)


def is_online_fine(text: str) -> bool:
    """Whether ``text`` says an online option is fine."""
    return bool(text) and _contains(text, _ONLINE_KEYS)


def is_rather_not_say(text: str) -> bool:
    """Whether ``text`` declines to give a place."""
    return bool(text) and _contains(text, _RATHER_KEYS)
