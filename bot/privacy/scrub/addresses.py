"""Addresses: a Dutch postcode, a street with its house number, a number after "huisnummer".

A postcode also as "3512-AB"; a street also with a Turkish case ending ("Kerkstraat'ta 12",
"Kerkstraat 12'de") or a number in words; a house number after "huisnummer", "پلاک",
"رقم المنزل"…; a number followed by a unit ("12 uur", "50 euro") is no address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.scrub.lexicon import Lexicon, load_lexicon
from bot.privacy.scrub.spans import regex_finder
from bot.text.normalize import fold

# A Dutch postcode, "3512 AB", "3512AB", "3512-AB", with an optional house number after it.
_POSTCODE = re.compile(
    r"(?<![\w\-])[1-9]\d{3}(?P<sep>\s?-?\s?)(?P<letters>[A-Za-z]{2})(?![\w])"
    r"(?:[\s,]+\d{1,5}(?:\s?[A-Za-z](?![\w]))?(?![\w:.,]?\d))?"
)
_STREET_TYPES = (
    r"straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|markt|plantsoen|wal"
    r"|haven|boulevard|allee|passage|promenade|park"
)
# Turkish case endings on a street name: Kerkstraat'ta, Kerkstraatta, Kerkstraat'ın
_TR_CASE = r"(?:['’]?(?:n?[dt][ae](?:ki|n)?|y?[aeıiuü]|n?[ıiuü]n))?"
_STREET = re.compile(
    rf"(?<![\w'’.\-])[^\W\d_][\w'’.\-]{{0,40}}?(?:{_STREET_TYPES}){_TR_CASE}"
    r"[\s,]*(?:(?:huis)?(?:nummer|nr\.?|no\.?:?)\s*|numara\s*|numaralı\s*|رقم\s*|پلا[کك]\s*"
    r"|شماره\s*)?"
    r"(?!(?:19|20)\d\d(?!\d))\d{1,5}(?!\d)(?:\s?[A-Za-z](?![\w])|[-/]\d{1,3}|\s?bis\b)?"
    r"(?:['’]?[^\W\d_]{1,5}(?![\w]))?",
    re.IGNORECASE,
)
# "ik woon op de Neude 11", "adres: Vredenburg 12", "adresim Oudegracht 5"
_LIVES_AT = re.compile(
    r"(?i:\b(?:woon|woont|wonen|woonachtig|adres|address|adresim|adresi|adresimiz))\b"
    r"[\s:]*(?:is\s+)?(?:op|aan|in|at|on)?\s*(?:de|het|the)?\s*"
    r"(?P<address>(?:[A-ZÀ-ÞŞĞİÇ][\w'’.\-]*\s+){1,4}?(?:(?i:huisnummer|nummer|nr\.?|no\.?)\s*)?"
    r"\d{1,5}[a-zA-Z]?)\b"
)
# A house number after a word that says so ("huisnummer 12", "kapı no 12", "پلاک ۱۲", "رقم
# المنزل ١٢"), or a street word in Persian or Arabic with its number ("شارع الحرية ١٢").
_HOUSE_NUMBER = re.compile(
    r"(?:(?i:huisnummer|huisnr\.?|kapı\s+no\.?|kapi\s+no\.?|kapı\s+numarası|kapi\s+numarasi"
    r"|daire\s+no\.?)|پلا[کك]|(?:بيت|منزل|شق[ةه])\s+رقم|رقم\s+(?:البيت|المنزل|الشق[ةه]))"
    r"\s*:?\s*\d{1,5}"
    r"|(?:شارع|خیابان|خيابان|[کك]وچه)\s+(?:\S+\s+){0,3}?(?:رقم\s*|پلا[کك]\s*|شماره\s*)?\d{1,5}"
    # A Turkish street word ("Atatürk Caddesi No: 12", "Lale Sokak 5").
    r"|(?i:\b(?:cadde(?:si)?|sokak|sokağı|sokagi|sk\.|cd\.|bulvar[ıi]?))\s*(?i:no\s*[:.]?\s*)?\d{1,5}"
)


def _unit_follows(view: str, end: int, lexicon: Lexicon) -> bool:
    """True when the word after ``end`` says the number was a duration or an amount."""
    match = re.match(r"[\s'’]*([^\W\d_]+)", view[end:])
    return bool(match) and fold(match.group(1)) in lexicon.units


def _postcode_ok(match: re.Match[str]) -> bool:
    letters = match.group("letters")
    if letters.lower() in load_lexicon().not_postcode_letters:
        return False
    # Attached ("3512ab") or capitals ("3512 AB") is a postcode; "2019 ab" with a space only when
    # the two letters are no word.
    return not match.group("sep") or letters.isupper() or letters.islower()


def find_addresses(view: str) -> Iterator[tuple[int, int]]:
    """Postcodes, streets with a number, "ik woon op …" and house numbers in the digit view."""
    lexicon = load_lexicon()

    def unit_check(match: re.Match[str]) -> bool:
        return not _unit_follows(view, match.end(), lexicon)

    finders = (
        regex_finder(_POSTCODE, _postcode_ok),
        regex_finder(_STREET, unit_check),
        # Only the address itself, not "ik woon aan de" before it.
        regex_finder(_LIVES_AT, unit_check, group="address"),
        regex_finder(_HOUSE_NUMBER, unit_check),
    )
    for find in finders:
        yield from find(view)
