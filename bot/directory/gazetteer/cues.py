"""The words around a place name that say whether it is one.

Cue words before a place ("in", "در", "في"), words that make four digits a postcode or an
amount, names that are also ordinary words, and everyday words never read as a place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Words before a place that make "this is a place" likely (folded). Needed for fuzzy matches and
# for names that are also ordinary words, which otherwise stay unmatched inside a sentence.
CUES = frozenset(
    {
        # nl / en
        "in", "uit", "bij", "naar", "rond", "rondom", "omgeving", "regio", "gemeente", "buurt",
        "te", "van", "near", "from", "around",
        # fa (folded: ی→ي, ک→ك); تو/توی is colloquial "in" ("تو زاندام زندگی می‌کنم")
        "در", "از", "به", "نزديك", "شهر", "حوالي", "تو", "توي",
        # ar
        "في", "من", "قرب", "بمدينه", "مدينه", "بلديه", "منطقه",
    }
)  # fmt: skip
# Words just before four digits that say "postcode" (folded), and words after four digits that
# make them an amount. A bare number is otherwise a year, an amount or an age as often.
_POSTCODE_WORDS = frozenset(
    {
        "postcode", "pc", "zip", "kodu", "kodum", "kod", "kodumuz", "postakodu", "پستي", "پستيم",
        "پستيمون", "پستيه", "كدپستي", "البريدي", "بريدي", "الرمز", "الكود", "البوستكود",
        "بوستكود", "البوسطكود", "بوسطكود",
    }
)  # fmt: skip
_AMOUNTS = frozenset(
    {
        "euro", "euros", "eur", "lira", "tl", "dollar", "jaar", "yil", "yasinda", "km", "meter",
        "يورو", "اورو", "ليره", "درهم", "دينار", "تومان", "تومن", "سال", "سنه",
    }
)  # fmt: skip
_PC_LETTERS = re.compile(r"^[a-z]{2}$")

# Names (official or alias) that are also words: "een groep leiden" (to lead a group), Turkish
# "yardım ede...", "lente"/"I lent" (Lent, Nijmegen), "hoogland" (highlands), English "grouse"
# (Grou, cut to "grou"), Arabic بردا ("cold", also Persian for Breda) and بريدا ("mail", as in
# "بريدا إلكترونيا", also Arabic for Breda). They only match inside a sentence after a cue
# ("in Leiden") or alone. Municipalities and towns that are Dutch or English words: "mijn
# beste vriend", "de buren", "houten"/"huizen"/"dieren"/"duiven"/"putten" (wooden, houses,
# animals, pigeons, wells), "de hoorn", "het leek me", "kampen met" (Kampen), "doorn", "rijen",
# "sluis", "beek", "horst", "voorste" (cut to Voorst), "goor", "it goes", "grave", "mill",
# "Stein", "Axel" (a first name).
NEEDS_CUE = frozenset(
    {
        "leiden", "ede", "lent", "hoogland", "grou", "بردا", "بريدا",
        "best", "buren", "houten", "huizen", "dieren", "duiven", "putten", "hoorn", "leek",
        "kampen", "doorn", "rijen", "sluis", "beek", "horst", "voorst", "goor", "goes", "grave",
        "mill", "stein", "axel",
    }
)  # fmt: skip
# Keys that count only when the text holds the place's own spelling. Persian آلمره (Almere)
# folds to Arabic المرة, "the time"; and Dutch words too common even after a cue, which count
# only capitalised as a name: "te kampen hebben met" ("te" is a cue), a lone "best" (fine, OK),
# "buren" and "dieren" alone as a topic. Not in capitals: "IK HEB TE KAMPEN MET SCHULDEN".
_OWN_SPELLING = {
    "المره": ("آلمره",),
    "kampen": ("Kampen",),
    "best": ("Best",),
    "buren": ("Buren",),
    "dieren": ("Dieren",),
}
# Everyday words one edit away from a municipality or town name: never fuzzy-matched
# ("dingen"→Dongen, "regelen"→Tegelen, "van vijfduizend euro"→Vijfhuizen, Persian اندام "body"
# →زاندام, the Afghan province هلمند→Helmond, the name أميرة→Almere).
NOT_PLACES = frozenset(
    {
        "dingen", "emmer", "brede", "houden", "lijden", "goud", "delen", "regelen", "penis",
        "vijfduizend", "اندام", "هلمند", "اميره",
        # nl (→ Woerden, Assen, Beilen, Schoorl, Meteren, Meppel, Gemert, Heumen, Vorden, Rijen,
        # Schagen, Nieuwenhagen, Halsteren, Dieren, Rheden, Limmen, Kampen, Drunen, Huizen,
        # Dronten, Delden, Raalte, Deurne, Duiven, Hierden, Oude-Tonge, Hapert, Boekel, Putten,
        # Muiden, Overveen, Huissen, Zelhem, Wilnis, Naarden, Kamerik, De Wolden, Linne, Bergum)
        "worden", "woorden", "werden", "passen", "wassen", "kassen", "bellen", "zeilen",
        "school", "meteen", "meppen", "gemept", "heupen", "borden", "vonden", "voeden", "rijden",
        "schaken", "schamen", "halen", "nieuwe halen", "hamsteren", "eieren", "tieren",
        "dieten", "reden", "klimmen", "lampen", "kappen", "dreunen", "huilen", "dronken",
        "deden", "melden", "raakte", "deuren", "durven", "hielden", "oude jongen", "hamert",
        "boeken", "pitten", "meiden", "overheen", "over een", "huis en", "hier en", "ze hem",
        "wil is", "naar en", "naar den", "kamer ik", "de golden", "linnen", "bergen",
        "moerwijk", "vennep", "voorste", "kamlen",
        # the words of _OWN_SPELLING: in lower case they are words, not a typo of the place
        "kampen", "buren", "dieren",
        # en (→ Neede, Wormer, Schoorl, Buren, Bladel, Putten, Losser, Duiven, Borger, Reusel,
        # Sneek)
        "needed", "needle", "warmer", "worker", "burden", "blade", "blades", "cutten", "looser",
        "driven", "forger", "border", "reuse", "reused", "reuses", "sneak",
        # tr (→ Heumen, Gorkum, Neede, Altena, Kollum, Asten, Beilen, Gemert, Burgum)
        "hemen", "gordum", "gorum", "nerede", "altina", "kolum", "kollu", "kasten", "bilen",
        "gebert", "burnum",
    }
)  # fmt: skip
# Arabic nouns carry the article ال, and with it a great many are one letter away from Almere
# (الميره) or Alkmaar (الكمار): المرأة "the woman", المرة "the time", الكبار, الحمار. Arabic-script
# keys that start with it are never fuzzy-matched (exact aliases still are).
ARTICLE = "ال"


@dataclass(frozen=True, slots=True)
class Token:
    """A folded word of the input; ``suffixed`` when it carried a Turkish 'suffix."""

    text: str
    suffixed: bool = False


def spelled_as_place(matched: str, text: str) -> bool:
    """False when ``matched`` is a key of :data:`_OWN_SPELLING` and the text lacks its spelling."""
    spellings = _OWN_SPELLING.get(matched)
    if spellings is None:
        return True
    raw = unicodedata.normalize("NFC", text)
    # As a word of its own: "Beste mevrouw, ik doe mijn best" holds "Best" only inside "Beste".
    return any(re.search(rf"(?<!\w){re.escape(s)}(?!\w)", raw) for s in spellings)


def said_as_postcode(tokens: Sequence[Token], index: int, pc: re.Match[str]) -> bool:
    """Whether the four digits at ``index`` are a postcode rather than a year or an amount:
    with its two letters ("3512 AB"), alone, next to a postcode word ("postcode 5038", "5038 is
    mijn postcode"), or after
    a place word ("in de buurt van 5038") when it is no year-like number and no amount
    follows ("in 2023", "1200 euro" are not places)."""
    after = tokens[index + 1].text if index + 1 < len(tokens) else ""
    before = tokens[index - 1].text if index > 0 else ""
    if pc.group(2) or (_PC_LETTERS.match(after) and after not in _AMOUNTS):
        return True
    near = tokens[max(0, index - 2) : index] + tokens[index + 1 : index + 4]
    named = {t.text for t in near} & _POSTCODE_WORDS
    if len(tokens) == 1 or named:  # "postcode 5038", "mijn postcode is 5038"
        return True
    year_like = 1900 <= int(pc.group(1)) <= 2099
    return before in CUES and not year_like and after not in _AMOUNTS
