"""E-mail addresses, also when written out.

"fatima [at] gmail [dot] com", "fatima at gmail punt com", "fatima(at)gmail.com", and a known
mail provider without its ending ("fatima@gmail").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.scrub.spans import regex_finder

_TLDS = (
    r"com|nl|net|org|be|de|tr|ir|eu|info|co|uk|fr|ma|io|edu|me|af|sy|iq|ae|sa|eg|dz|tn|ly|jo"
    r"|lb|ps|er|so|ru|us|biz|online|کام|كوم|کوم|كام"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_AT = r"(?:\s*@\s*|\s*[\[({<]\s*(?:at|et|@|ات|آت)\s*[\])}>]\s*|\s+(?:at|et|ات|آت|اَت)\s+)"
_DOT = (
    r"(?:\s*\.\s*|\s*[\[({<]\s*(?:dot|punt|nokta|point|دات|دوت|نقطه|نقطة)\s*[\])}>]\s*"
    r"|\s+(?:dot|punt|nokta|point|دات|دوت|نقطه|نقطة)\s+)"
)
_LOCAL = r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._+-]*"
# "fatima [at] gmail [dot] com", "fatima at gmail punt com", "fatima(at)gmail.com"
_SPELLED_EMAIL = re.compile(
    rf"{_LOCAL}{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*?{_DOT}(?:{_TLDS})(?![\w])",
    re.IGNORECASE,
)
# "fatima@gmail", "fatima at hotmail": a known mail provider without the ending.
_PROVIDER_EMAIL = re.compile(
    rf"{_LOCAL}{_AT}(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|ziggo|kpnmail|xs4all"
    r"|protonmail|msn|yandex|gmx)(?![\w])",
    re.IGNORECASE,
)


def find_emails(view: str) -> Iterator[tuple[int, int]]:
    """E-mail addresses in ``view``: as written, spelled out, then a provider without its ending."""
    for pattern in (_EMAIL, _SPELLED_EMAIL, _PROVIDER_EMAIL):
        yield from regex_finder(pattern)(view)
