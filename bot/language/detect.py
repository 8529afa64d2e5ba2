"""Detect which supported language a citizen writes in.

Order of evidence:

1. Script. Arabic-script letters (majority of the letters) mean Farsi or Arabic; Latin letters
   mean Dutch, Turkish or English, or Persian/Arabic typed in Latin letters (step 3). No letters
   at all (digits, emoji) is ambiguous.
2. Whole-message markers: a greeting such as "merhaba", "hoi", "مرحبا" decides by itself.
3. Latin-script Persian ("Finglish": "man khaste shodam", "mer30") and Arabic ("Arabizi":
   "ana ta3bana", "7abibi") are scored with ``_ROMANIZED_MARKERS``: frequent function words,
   each counted once, weighted 2 (unmistakable on its own: "mamnoon", "chetori", "shukran"),
   1 (clearly Persian/Arabic: "hastim", "mikham", "bdi") or 0.5 (also a Dutch, English or
   Turkish word: "man", "az", "ana", "salam", "hastam"). Arabizi words with a digit for a letter
   ("ta3bana", "7abibi", not "3uur", "5inci", "mp3") weigh 2, Persian verb forms ("mitunam",
   "nemidunam", "besham") 1. A message is Persian or Arabic at a score of 1.5 (two markers, one
   of them clearly Persian/Arabic, or one unmistakable word; 1 when the conversation already is
   in that language), and only if the other of the two scores lower. Hence "man" alone,
   "ik ben een man" or Turkish "annem hasta" never become Farsi: one or two shared words fall
   short, and Turkish "hasta" is no marker at all. In a message of fewer than three words, a
   single word of weight 1 or more ("komak", "bdi") counts as an answer word (step 4).
4. Short answers. A message whose words are all short-answer words (``_ANSWER_WORDS``), or any
   message of fewer than three words, is decided by the answer words it contains, ignoring
   unknown words. Each answer word has a language and the languages in which it is *also* said:

   * "ok", "hi", "salam", "سلام" are not answer words: they keep the conversation's language.
   * "ja", "nee", "bedankt", "thanks", "yes", "sorry" are said by everyone in the Netherlands,
     so they fit every language and are no evidence on their own (like "ok": ``current``, else
     the Telegram hint, else the default); next to a one-language word they are compatible
     ("ja graag" → nl, "okay tamam" → tr).
   * "evet", "hayır", "lütfen", "graag", "alsjeblieft", "بله", "آره", "نه", "ممنونم", "نعم", "لا",
     "شكرا", "ايوه" exist in one candidate language only, so they switch even when ``current``
     is another language (current nl, "evet" → tr; current fa, "نعم" → ar). So do words with
     the Turkish letters ı ş ğ and Turkish verb endings ("istemiyorum", "yapabiliyorsun").
   * "tamam", "تمام", "ممكن", "ممنون", "مرسی" belong to one language but are common in another
     one too: they keep ``current`` if it is one of those, else they switch to their own
     language. "تشكر" is in no list (Dari and Levantine "thanks" alike): the keyboard decides.

   The words of a message must agree (their languages intersect), else it is ambiguous. In
   Arabic script the keyboard letters (below) decide first unless the words exclude that
   language: "مرسی" with a Persian ی is Farsi in an Arabic conversation, "نعم" stays Arabic.
   "اي" (Arabic "yes", Persian "O …") and the Persian "نه" inside a longer Arabic message are no
   evidence: only a short message or one made of answer words uses the list at all.
5. Longer messages go to lingua, restricted to the candidates of their script. For Farsi versus
   Arabic, lingua's log-odds are combined with letter evidence (پ چ ژ گ ی ک versus ة ى ي ك) and
   with Persian/Dari function words (هستم, استم, میخوام, را, …) versus Arabic ones (في, هذا,
   اللي, …), which also carries Dari typed on an Arabic keyboard ("مه تنها استم و کسی ره ندارم").
   Well-known Dutch institutional words (mantelzorg, gemeente, …) are removed first, since
   Turkish, Farsi and Arabic speakers in the Netherlands mix them in. A long message decides by
   itself, so a change of language mid-conversation is followed.
6. When ambiguous: keep ``current`` if it fits the script, else Telegram's ``language_code``
   if it fits, else the best guess of the script (Latin: "nl", the default).

All word lists are data at the top of the module, written as people type them and folded with
``bot.text.normalize.fold`` at import.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from bot.text.normalize import fold
from bot.vocabulary import ALL_LANGUAGES, DEFAULT_LANGUAGE, language_from_hint

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

# Short answers (step 4 of the module docstring): (language, also said in, words as typed).
# "*" means every supported language: the word alone keeps the conversation's language.
_ANSWER_WORDS_SPEC: tuple[tuple[str, str, str], ...] = (
    (
        "tr",
        "",
        "evet hayır hayir lütfen teşekkür teşekkürler tesekkurederim ederim ederiz sağol "
        "sağolun sağolasın eyvallah istemiyorum istiyorum neler nedir nasıl nerede neden niye "
        "peki tabi tabii tabiki aynen anladım anlamadım olur olmaz yok yardım bilmiyorum "
        "biliyorum hocam abla kardeşim çok iyiyim tamamdır annem babam eşim hastayım bir bu var",
    ),
    ("tr", "fa ar", "tamam"),
    (
        "nl",
        "",
        "graag alsjeblieft alstublieft dankjewel dankuwel dank doei klopt natuurlijk tuurlijk "
        "hoor misschien akkoord prima niet geen",
    ),
    ("nl", "*", "ja nee bedankt oké"),
    ("en", "*", "yes no please thanks thank thx okay sure sorry"),
    (
        "fa",
        "",
        "بله آره نه نخیر ممنونم خیلی باشه چطوری چطور خوبم خسته خستم استم استی هستم هستی "
        "نیستم میخوام میخواهم نمیخوام نمیدونم نمیدانم میشه چی چرا کجا سپاس چیکار چکار خدا "
        "خداحافظ خدافظ درسته موافقم قربونت تنهام",
    ),
    # Also said in Levantine/Egyptian Arabic ("ممنون منك", "مرسي كتير"); "تشكر" is in neither
    # list: Dari and Levantine thanks alike, so only the keyboard (ک or ك) can tell.
    ("fa", "ar", "ممنون مرسی لطفا بلی"),
    (
        "ar",
        "",
        "نعم لا شكرا أيوه ايوا أجل مشكور مشكورة يسلمو يسلموا طيب ماشي بدي ابغى عايز عايزة أريد "
        "شو ليش ليه كيفك وين هلا حبيبي سمحت فضلك أنا تعبان تعبانة كتير كثير منك لك الك "
        "متشكر أكيد زين واخا ازيك ايه",
    ),
    ("ar", "fa", "تمام ممكن مساعدة حاضر كيف والله الحمد الحمدلله يلا"),
)

# Latin-script Persian and Arabic (step 3): (language, weight, words as typed).
_ROMANIZED_SPEC: tuple[tuple[str, float, str], ...] = (
    (
        "fa",
        2.0,
        "mer30 mamnoon mamnun mamnoonam mamnunam chetori chetorin chetorid khoobam khubam "
        "khoobi khubi khodafez khodahafez khodanegahdar tashakor tashakkor tashakur",
    ),
    (
        "fa",
        1.0,
        "hasti hastid hastim hastin nistam nisti nist mikham mikhay mikhad mikhaim mikhastam "
        "nemikham mikonam mikoni mikone mikonid mikonim mishe nemishe mitoonam mitunam "
        "nemitoonam nemitunam midoonam midunam nemidoonam nemidunam nemidonam mifahmam "
        "nemifahmam shodam shode shodeh shodim kardam kardi karde daram nadaram nadari kheili "
        "kheyli khaili khayli kheli khili chetor khoob khub khaste khasteh khastam khasta komak "
        "lotfan chera chikar koja kojast kojai baraye barayeh tanha tanhaei tanhai zendegi "
        "doostam madaram pedaram hamsaram bacham shoma inja injast oonja unja khanom khanum "
        "azizam dokhtaram pesaram bokonam begam begid emrooz emruz dirooz diruz astum astom "
        "astam mekhaham mekhayom mano mara kasi chizi hichi hichkas boodam budam bokon begoo "
        "begu dige dorost doroste vaghti vaght faghat hamishe hanooz hanuz ghabl akhe albate "
        "vaghei vaghean felan tanham bale baleh areh aare bekheir bekhair bekheyr dard dastet "
        "dastetun nakon nakone nakoni nakonid nashod nashode "
        "khune khoone khuneye madar pedar bache bacheha shab rooz ruz hafte khodam khodet khoda",
    ),
    (
        "fa",
        0.5,
        "salam man az hastam hast ke va ham agha joon khob mersi merci dari dare chi ye yek "
        "ro bood bud chon baad saal farsi lazem",
    ),
    (
        "ar",
        2.0,
        "shukran shokran choukran shoukran chokran marhaba marhaban ahlan kifak kifik keefak "
        "keefik shlonak shlonik aywa aiwa aywah aiwah eywa la2 na3am",
    ),
    (
        "ar",
        1.0,
        "enta enti inta inti ento bdi biddi baddi bidi ayez ayza wallahi habibti keef shu "
        "shou mish msh laa tayeb tayyeb tayyib tayib kteer ktir kter kteir kaman akhi ukhti "
        "okhti hatha hada heda mumkin mumken momken mushkila mushkile moshkila badna bidna "
        "shway shwai hek hayk akid sa7 ma3 3an 3al",
    ),
    (
        "ar",
        0.5,
        "salam ana kif lazem wallah walla inshallah inshalla mashallah alhamdulillah "
        "hamdulillah habibi yalla yallah ahla sho lesh leish leh mesh bas fi shi shay salamu "
        "alaikum alaykum aleikum alikum alikom",
    ),
)

# Arabizi: a digit for a letter (3 ع, 7 ح, 2 ء, 5 خ, 9 ق/ص). Inside a word with a vowel
# ("ta3bana", "so2al"), or at the start of a word before a, e, o ("7abibi", "3ala"; not the
# Turkish "5inci", "3uncu", "5ten" nor the Dutch "3uur").
_ARABIZI_INSIDE = re.compile(r"^[a-z]+[23579][a-z]+$")
_ARABIZI_START = re.compile(r"^[3579][aeo][a-z]{2,}$")
_ARABIZI_NOT = ("h2o", "mp3", "euro")
_ARABIZI_WEIGHT = 2.0
# Persian verbs in Latin letters: mi-/nemi- + a frequent stem ("mikham", "mitunam", "nemibare"),
# be-/bo- + stem + person ending ("besham", "bokonam"; not Dutch "bedoelde", Turkish "beri").
_FINGLISH_VERB = re.compile(
    r"^(?:nemi[a-z]{3,}|mi(?:kh|kon|tun|toon|dun|doon|mun|moon|fahm|gir|zan|pors|nevis|khor"
    r"|bin|shav)[a-z]*|b[eo](?:sh|kon|zan|bar|bin|khor|pors)(?:am|i|e|im|id|an))$"
)
_FINGLISH_VERB_WEIGHT = 1.0
# Score a Latin message needs to be Farsi/Arabic: two markers, one of them clearly Persian or
# Arabic, or one unmistakable word (less when the conversation already is in that language;
# in a message of fewer than three words a single word of weight 1 is an answer word).
_ROMANIZED_THRESHOLD = 1.5
_ROMANIZED_THRESHOLD_CURRENT = 1.0

# A doubled letter ("نهه", "tamaam" after folding) is tried single if the word is not listed.
_DOUBLED = re.compile(r"(\w)\1+")

# Turkish letters and verb endings: a word with one of them is a Turkish answer word.
_TR_LETTERS = frozenset("ışğİŞĞ")
_TR_ENDINGS_RAW = (
    "iyorum iyorsun iyoruz iyorlar uyorum uyorsun uyoruz yorum yorsun yoruz iyor uyor "
    "abilir ebilir abiliyor ebiliyor mısın misin musun müsün mısınız misiniz musunuz"
)

# Persian/Dari versus Arabic function words in longer Arabic-script messages (folded):
# each distinct one adds (or subtracts) this much to the letter evidence.
_FA_FUNCTION_WORDS_RAW = (
    "هستم هستی هست هستیم نیست نیستم است استم استی اس را رو ره میخواهم میخوام میکنم نمیدانم "
    "نمیدونم برای برام از که با خیلی چی چرا کجا شد شدم شده کردم دارم داری داره ندارم بود "
    "بودم مه میشه نمیشه میشم کنم کنه کنی بکنم بکنی چطور چیکار چکار کسی هیچ هیچکس باید خوبه "
    "شما"
)
_AR_FUNCTION_WORDS_RAW = (
    "في إلى الى عن هذا هذه هاي التي الذي اللي انا أنا نحن هو لا مع عند كان ليس لم لن بدي شو "
    "ليش كيف وين ايش عشان"
)
_FUNCTION_WORD_WEIGHT = 0.75


def _fold_words(raw: str) -> frozenset[str]:
    return frozenset(w for w in fold(raw).split() if w)


_EVERY_LANGUAGE = frozenset(ALL_LANGUAGES)


def _build_answer_words() -> dict[str, tuple[str, frozenset[str]]]:
    table: dict[str, tuple[str, frozenset[str]]] = {}
    for language, also, words in _ANSWER_WORDS_SPEC:
        fits = _EVERY_LANGUAGE if also == "*" else frozenset({language, *also.split()})
        for word in _fold_words(words):
            table[word] = (language, fits)
    return table


def _build_romanized() -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {"fa": {}, "ar": {}}
    for language, weight, words in _ROMANIZED_SPEC:
        for word in _fold_words(words):
            table[language][word] = max(weight, table[language].get(word, 0.0))
    return table


_ANSWER_WORDS = _build_answer_words()
_ROMANIZED_MARKERS = _build_romanized()
_TR_ENDINGS: tuple[str, ...] = tuple(sorted(_fold_words(_TR_ENDINGS_RAW)))
_FA_FUNCTION_WORDS = _fold_words(_FA_FUNCTION_WORDS_RAW)
_AR_FUNCTION_WORDS = _fold_words(_AR_FUNCTION_WORDS_RAW)

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
    if current is not None and current in ALL_LANGUAGES and candidates == _LATIN_CANDIDATES:
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


def _turkish_letter_words(raw: str) -> frozenset[str]:
    """Folded words of ``raw`` that were typed with ı, ş or ğ."""
    return frozenset(
        word
        for token in raw.split()
        if any(ch in _TR_LETTERS for ch in token)
        for word in fold(token).split()
    )


def _answer_entry(
    word: str, turkish_letter_words: frozenset[str]
) -> tuple[str, frozenset[str]] | None:
    """The (language, fits) of a short-answer word, or None when it is no evidence."""
    entry = _ANSWER_WORDS.get(word) or _ANSWER_WORDS.get(_DOUBLED.sub(r"\1", word))
    if entry is not None:
        return entry  # "نههه" and "evettt" fold to "نهه", "evett": tried as "نه", "evet"
    if word in turkish_letter_words or (
        len(word) > 5 and word.isalpha() and word.endswith(_TR_ENDINGS)
    ):
        return ("tr", frozenset({"tr"}))
    weights = _romanized_word_weights(word)
    for language, other in (("fa", "ar"), ("ar", "fa")):
        if weights[language] >= 1.0 and weights[other] < weights[language]:
            return (language, frozenset({language}))
    return None


def _answer_entries(
    folded_words: list[str], turkish_letter_words: frozenset[str]
) -> list[tuple[str, frozenset[str]] | None]:
    return [
        _answer_entry(w, turkish_letter_words)
        for w in folded_words
        if any(ch.isalpha() for ch in w)
    ]


def _answer_fits(entries: list[tuple[str, frozenset[str]] | None]) -> frozenset[str] | None:
    """Languages all answer words of a message fit (None: there are none)."""
    known = [entry for entry in entries if entry is not None]
    if not known:
        return None
    fits = _EVERY_LANGUAGE
    for _, word_fits in known:
        fits &= word_fits
    return fits


def _answer_vote(
    entries: list[tuple[str, frozenset[str]] | None], current: str | None, hint: str | None
) -> str | None:
    """Decide a message by its short-answer words (step 4 of the module docstring)."""
    fits = _answer_fits(entries)
    if not fits:
        return None  # no answer words, or they disagree ("evet nee")
    if current in fits:
        return current
    if current is None and hint in fits:
        return hint
    # Words said in every language ("ja", "thanks") never pick a language themselves.
    own = {
        entry[0]
        for entry in entries
        if entry is not None and entry[0] in fits and entry[1] != _EVERY_LANGUAGE
    }
    return own.pop() if len(own) == 1 else None


def _arabizi_word(word: str) -> bool:
    """A Latin word with a digit for an Arabic letter ("ta3bana", "7abibi")."""
    if any(part in word for part in _ARABIZI_NOT):
        return False
    return bool(_ARABIZI_INSIDE.match(word) and re.search(r"[aeiou]", word)) or bool(
        _ARABIZI_START.match(word)
    )


def _romanized_word_weights(word: str) -> dict[str, float]:
    """Finglish and Arabizi weight of one folded Latin word (step 3)."""
    weights = {language: _ROMANIZED_MARKERS[language].get(word, 0.0) for language in ("fa", "ar")}
    if not weights["fa"] and not weights["ar"]:
        if _FINGLISH_VERB.match(word):
            weights["fa"] = _FINGLISH_VERB_WEIGHT
        elif _arabizi_word(word):
            weights["ar"] = _ARABIZI_WEIGHT
    return weights


def _decide_romanized(folded_words: list[str], current: str | None) -> str | None:
    weights = [_romanized_word_weights(word) for word in set(folded_words)]
    for language, other in (("fa", "ar"), ("ar", "fa")):
        score = sum(w[language] for w in weights)
        if score <= sum(w[other] for w in weights):
            continue
        if score >= _ROMANIZED_THRESHOLD:
            return language
        # Same language as before: one clear word is enough ("ok mikham"), shared ones are not.
        clear = any(w[language] >= 1.0 for w in weights)
        if current == language and clear and score >= _ROMANIZED_THRESHOLD_CURRENT:
            return language
    return None


def _function_word_evidence(folded_words: list[str]) -> float:
    """Persian/Dari versus Arabic function words, in the units of ``_fa_ar_evidence``."""
    distinct = set(folded_words)
    fa = len(distinct & _FA_FUNCTION_WORDS)
    ar = len(distinct & _AR_FUNCTION_WORDS)
    return _FUNCTION_WORD_WEIGHT * (fa - ar)


def _decide_fa_ar(raw: str, folded_words: list[str], current: str | None, hint: str | None) -> str:
    arabic_words = [w for w in raw.split() if _script_counts(w)[0] > 0]
    evidence = _fa_ar_evidence(raw)
    folded_text = " ".join(folded_words)
    marker = _MARKER_LOOKUP.get(folded_text)
    if marker in _ARABIC_CANDIDATES:
        return marker  # type: ignore[return-value]
    entries = _answer_entries(folded_words, frozenset())
    if len(arabic_words) < _MIN_WORDS or (entries and None not in entries):
        # The keyboard (پ ژ ی ک, or ة ى) decides unless the answer words exclude its language:
        # "مرسی" with a Persian ی is Farsi even in an Arabic conversation, "نعم" stays Arabic.
        fits = _answer_fits(entries)
        keyboard = "fa" if evidence >= 1.5 else "ar" if evidence <= -1.5 else None
        if keyboard is not None and (fits is None or keyboard in fits):
            return keyboard
        vote = _answer_vote(entries, current, hint)
        if vote is not None:
            return vote
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
    evidence = max(-6.0, min(6.0, evidence + _function_word_evidence(folded_words)))
    return "fa" if logit + evidence >= 0 else "ar"


def _decide_latin(raw: str, folded_words: list[str], current: str | None, hint: str | None) -> str:
    folded_text = " ".join(folded_words)
    marker = _MARKER_LOOKUP.get(folded_text)
    if marker in _LATIN_CANDIDATES:
        return marker  # type: ignore[return-value]
    romanized = _decide_romanized(folded_words, current)
    if romanized is not None:
        return romanized
    letter_words = [w for w in folded_words if any(ch.isalpha() for ch in w)]
    entries = _answer_entries(folded_words, _turkish_letter_words(raw))
    if len(letter_words) < _MIN_WORDS or (entries and None not in entries):
        vote = _answer_vote(entries, current, hint)
        if vote is not None:
            return vote
    if len(letter_words) < _MIN_WORDS:
        return _ambiguous(_LATIN_CANDIDATES, current, hint, DEFAULT_LANGUAGE)
    content = [w for w in folded_words if w not in _DUTCH_LOANWORDS and not w.isdigit()]
    # Loanwords are only removed when enough of the sentence is left to judge.
    sample = " ".join(content if len(content) >= 2 else folded_words)
    conf = _confidences(sample, _LATIN_CANDIDATES)
    ranked = sorted(conf.items(), key=lambda kv: kv[1], reverse=True)
    (best, best_value), (_, second_value) = ranked[0], ranked[1]
    if best_value - second_value < _MIN_MARGIN:
        return _ambiguous(_LATIN_CANDIDATES, current, hint, best)
    return best


def detect_language(text: str, current: str | None = None, telegram_hint: str | None = None) -> str:
    """Return the language code (one of ``ALL_LANGUAGES``) to answer ``text`` in.

    ``current`` is the conversation's language so far (kept when the message is too short or
    ambiguous to decide); ``telegram_hint`` is Telegram's ``language_code`` ("tr-TR", "fa"),
    used as a prior when there is no ``current``. The default is Dutch.
    """
    current = current if current in ALL_LANGUAGES else None
    hint = language_from_hint(telegram_hint)
    arabic, latin = _script_counts(text)
    folded_words = fold(text).split()
    if arabic == 0 and latin == 0:
        return current or hint or DEFAULT_LANGUAGE
    if arabic > latin:
        return _decide_fa_ar(text, folded_words, current, hint)
    return _decide_latin(text, folded_words, current, hint)
