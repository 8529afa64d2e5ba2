"""Detect which supported language a citizen writes in.

Order of evidence:

1. Script. Arabic-script letters (majority of the letters) mean Farsi or Arabic; Latin letters
   mean Dutch, Turkish or English. No letters at all (digits, emoji) is ambiguous.
2. Short messages (fewer than three words) are ambiguous unless they contain a distinctive
   marker (a greeting such as "merhaba" or "hoi", or Persian-only letters). Yes/no/ok/thanks are
   deliberately *not* markers: people answer "ok" or "bedankt" in any conversation.
3. Longer messages go to lingua, restricted to the candidates of their script. For Farsi versus
   Arabic, lingua's log-odds are combined with letter evidence (پ چ ژ گ ی ک versus ة ى ي ك).
   Well-known Dutch institutional words (mantelzorg, gemeente, …) are removed first, since
   Turkish, Farsi and Arabic speakers in the Netherlands mix them in.
4. When ambiguous: keep ``current`` if it fits the script, else Telegram's ``language_code``
   if it fits, else the best guess of the script (Latin: "nl", the default).
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from bot.text.normalize import fold

SUPPORTED: tuple[str, ...] = ("nl", "tr", "fa", "ar", "en")
DEFAULT_LANGUAGE = "nl"

LANGUAGE_NAMES: dict[str, str] = {
    "nl": "Nederlands",
    "tr": "Türkçe",
    "fa": "فارسی",
    "ar": "العربية",
    "en": "English",
}

_LINGUA: dict[str, Language] = {
    "nl": Language.DUTCH,
    "tr": Language.TURKISH,
    "fa": Language.PERSIAN,
    "ar": Language.ARABIC,
    "en": Language.ENGLISH,
}
_ISO_TO_CODE: dict[IsoCode639_1, str] = {
    lang.iso_code_639_1: code for code, lang in _LINGUA.items()
}

_LATIN_CANDIDATES = ("nl", "tr", "en")
_ARABIC_CANDIDATES = ("fa", "ar")

_MIN_WORDS = 3
# Lingua must beat the runner-up by this much on a latin-script message, else it is ambiguous.
_MIN_MARGIN = 0.2

# Distinctive short messages (folded). Only greetings and phrases that name a language choice:
# a one-word "ok", "hi", "thanks", "ja", "evet" keeps the conversation's language.
_SHORT_MARKERS: dict[str, frozenset[str]] = {
    "nl": frozenset(
        {
            "hoi",
            "hallo",
            "hallo daar",
            "goedemorgen",
            "goedemiddag",
            "goedenavond",
            "goedendag",
            "hoi hoi",
            "hoe gaat het",
            "goede morgen",
            "dag allemaal",
        }
    ),
    "tr": frozenset(
        {
            "merhaba",
            "merhabalar",
            "selam",
            "selamlar",
            "selamun aleykum",
            "selamunaleykum",
            "gunaydin",
            "iyi aksamlar",
            "iyi gunler",
            "nasilsin",
            "nasilsiniz",
            "iyi geceler",
            "turkce",
            "kolay gelsin",
            "merhaba hocam",
        }
    ),
    "en": frozenset(
        {"good morning", "good evening", "good afternoon", "hello there", "english please"}
    ),
    "ar": frozenset({"مرحبا", "مرحبا بك", "اهلا", "اهلا وسهلا", "اهلين", "مرحبتين", "شكرا جزيلا"}),
    "fa": frozenset({"مرسي", "درود", "سلام خوبي", "چطوري", "خوبي", "ممنونم", "سلام وقت بخير"}),
}
_MARKER_LOOKUP: dict[str, str] = {
    phrase: code for code, phrases in _SHORT_MARKERS.items() for phrase in phrases
}

# Dutch words that other-language speakers in the Netherlands keep in Dutch (folded).
_DUTCH_LOANWORDS = frozenset(
    {
        "mantelzorg",
        "mantelzorger",
        "mantelzorgers",
        "gemeente",
        "huisarts",
        "wijkteam",
        "buurthuis",
        "vrijwilliger",
        "vrijwilligers",
        "maatje",
        "schuldhulp",
        "wmo",
        "loket",
        "zorgverzekering",
        "toeslag",
        "toeslagen",
        "belastingdienst",
        "inburgering",
        "ggz",
        "thuiszorg",
        "taalmaatje",
        "buurtteam",
        "jeugdzorg",
        "uwv",
        "bijstand",
        "coa",
        "ind",
        "veilig",
        "thuis",
        "praatgroep",
        "lotgenoten",
        "mantelzorgsteunpunt",
        "sociaal",
        "wijkcentrum",
        "huisartsenpost",
        "schuldhulpmaatje",
        "formulier",
        "afspraak",
    }
)

# Letter evidence for Farsi versus Arabic (raw, unfolded text).
_FA_STRONG = frozenset("پژیک")  # ی U+06CC and ک U+06A9 come from a Persian keyboard
_FA_WEAK = frozenset("گچ")  # also written in Iraqi/Gulf colloquial Arabic
_AR_STRONG = frozenset("ةى")
_AR_WEAK = frozenset("يك")  # an Arabic keyboard; Persians sometimes use one too


def normalize_hint(code: str | None) -> str | None:
    """Map a Telegram ``language_code`` ("tr-TR", "fa", "nl_BE") to a supported code or None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", 1)[0].strip().lower()
    if base == "pes" or base == "prs":  # Persian/Dari ISO 639-3 codes some clients send
        base = "fa"
    return base if base in SUPPORTED else None


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """Build the lingua detector once.

    Preloading the five models costs about 0.9 s and ~190 MB at first use (measured on the
    2-core dev machine); lazy loading costs the same, but on the first citizen message of each
    script instead, so preload.
    """
    return (
        LanguageDetectorBuilder.from_languages(*_LINGUA.values())
        .with_preloaded_language_models()
        .build()
    )


def warm_up() -> None:
    """Load the language models now (call at startup so no message waits for them)."""
    _detector()


def _script_counts(text: str) -> tuple[int, int]:
    """Count Arabic-script and Latin-script letters."""
    arabic = latin = 0
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("ARABIC"):
            arabic += 1
        elif name.startswith("LATIN"):
            latin += 1
    return arabic, latin


def _confidences(text: str, candidates: tuple[str, ...]) -> dict[str, float]:
    """Lingua confidence values restricted to ``candidates`` and re-normalised."""
    values = {
        _ISO_TO_CODE[cv.language.iso_code_639_1]: cv.value
        for cv in _detector().compute_language_confidence_values(text)
    }
    picked = {code: values.get(code, 0.0) for code in candidates}
    total = sum(picked.values())
    if total <= 0:
        return dict.fromkeys(candidates, 0.0)
    return {code: value / total for code, value in picked.items()}


def _ambiguous(
    candidates: tuple[str, ...], current: str | None, hint: str | None, guess: str
) -> str:
    """Pick the language for a message that does not decide by itself."""
    if current in candidates:
        return current  # type: ignore[return-value]
    if current is None and hint in candidates:
        return hint  # type: ignore[return-value]
    if current is not None and current in SUPPORTED and candidates == _LATIN_CANDIDATES:
        return current  # e.g. "ok" from a Farsi conversation stays Farsi
    if current is None and hint is not None and candidates == _LATIN_CANDIDATES:
        return hint  # a Farsi Telegram app that sends "ok" first
    return guess


def _fa_ar_evidence(raw: str) -> float:
    """Letter evidence in log-odds units: positive favours Farsi, negative Arabic."""
    score = 0.0
    for ch in raw:
        if ch in _FA_STRONG:
            score += 1.5
        elif ch in _FA_WEAK:
            score += 0.75
        elif ch in _AR_STRONG:
            score -= 1.5
        elif ch in _AR_WEAK:
            score -= 0.25
    return max(-6.0, min(6.0, score))


def _decide_fa_ar(raw: str, folded_words: list[str], current: str | None, hint: str | None) -> str:
    arabic_words = [w for w in raw.split() if _script_counts(w)[0] > 0]
    evidence = _fa_ar_evidence(raw)
    folded_text = " ".join(folded_words)
    marker = _MARKER_LOOKUP.get(folded_text)
    if marker in _ARABIC_CANDIDATES:
        return marker  # type: ignore[return-value]
    if len(arabic_words) < _MIN_WORDS:
        if evidence >= 1.5:
            return "fa"
        if evidence <= -1.5:
            return "ar"
        conf = _confidences(" ".join(arabic_words), _ARABIC_CANDIDATES)
        guess = "fa" if conf["fa"] >= conf["ar"] else "ar"
        return _ambiguous(_ARABIC_CANDIDATES, current, hint, guess)
    conf = _confidences(" ".join(arabic_words), _ARABIC_CANDIDATES)
    eps = 1e-3
    logit = math.log((conf["fa"] + eps) / (conf["ar"] + eps))
    logit = max(-4.0, min(4.0, logit))
    return "fa" if logit + evidence >= 0 else "ar"


def _decide_latin(folded_words: list[str], current: str | None, hint: str | None) -> str:
    folded_text = " ".join(folded_words)
    marker = _MARKER_LOOKUP.get(folded_text)
    if marker in _LATIN_CANDIDATES:
        return marker  # type: ignore[return-value]
    content = [w for w in folded_words if w not in _DUTCH_LOANWORDS and not w.isdigit()]
    letter_words = [w for w in folded_words if any(ch.isalpha() for ch in w)]
    if len(letter_words) < _MIN_WORDS:
        return _ambiguous(_LATIN_CANDIDATES, current, hint, DEFAULT_LANGUAGE)
    # Loanwords are only removed when enough of the sentence is left to judge.
    sample = " ".join(content if len(content) >= 2 else folded_words)
    conf = _confidences(sample, _LATIN_CANDIDATES)
    ranked = sorted(conf.items(), key=lambda kv: kv[1], reverse=True)
    (best, best_value), (_, second_value) = ranked[0], ranked[1]
    if best_value - second_value < _MIN_MARGIN:
        return _ambiguous(_LATIN_CANDIDATES, current, hint, best)
    return best


def detect_language(text: str, current: str | None = None, telegram_hint: str | None = None) -> str:
    """Return the language code (one of ``SUPPORTED``) to answer ``text`` in.

    ``current`` is the conversation's language so far (kept when the message is too short or
    ambiguous to decide); ``telegram_hint`` is Telegram's ``language_code`` ("tr-TR", "fa"),
    used as a prior when there is no ``current``. The default is Dutch.
    """
    current = current if current in SUPPORTED else None
    hint = normalize_hint(telegram_hint)
    arabic, latin = _script_counts(text)
    folded_words = fold(text).split()
    if arabic == 0 and latin == 0:
        return current or hint or DEFAULT_LANGUAGE
    if arabic > latin:
        return _decide_fa_ar(text, folded_words, current, hint)
    return _decide_latin(folded_words, current, hint)
