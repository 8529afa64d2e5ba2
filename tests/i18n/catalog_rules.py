"""Rules every catalog keeps, as functions that say which entry breaks which rule and why.

Used by test_catalog_rules.py. Each check returns a list of problems ("msgid: why"); an empty
list means the catalog keeps the rule. The register detectors are deliberately conservative:
they flag only forms that are second person singular whatever the context, so a polite text
is never flagged (their own tests show what they catch and what they leave alone).
"""

from __future__ import annotations

import gettext
import re
import string
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n.catalogs import LOCALES_DIR
from bot.i18n.formatting import FSI, PDI

LANGUAGES = ("nl", "en", "tr", "fa", "ar")
RTL = ("fa", "ar")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
#: Placeholders that carry the count itself; a plural form that stands for a single number
#: ("one", "two", "zero") may say it in words instead.
COUNT_PLACEHOLDERS = {"{n}", "{hours}"}
#: Up to here every plural category of every language has shown up (Arabic "many" from 11).
SAMPLE_NUMBERS = range(0, 1001)


@dataclass(frozen=True)
class Entry:
    """One translated catalog entry."""

    language: str
    msgid: str
    plural_id: str | None
    strings: tuple[str, ...]
    context: str | None = None

    @property
    def text(self) -> str:
        """All forms, for checks that do not care about plural forms."""
        return "\n".join(self.strings)


@cache
def catalog(language: str) -> Catalog:
    """The parsed .po file of ``language``."""
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def entries(language: str) -> list[Entry]:
    """Every entry with at least one translated form (untranslated ones are for other tests)."""
    found = []
    for message in catalog(language):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            strings = tuple(message.string)
            if any(strings):
                found.append(Entry(language, message.id[0], message.id[1], strings,
                                   message.context))
        elif message.string:
            found.append(Entry(language, message.id, None, (message.string,), message.context))
    return found


# ------------------------------------------------------------------------------- plurals
def plural_categories(language: str) -> list[str]:
    """Babel's (CLDR) plural categories of ``language``, "other" last."""
    return [*sorted(Locale.parse(language).plural_form.tags), "other"]


def form_of(language: str):
    """n → index of the msgstr form, by the catalog's own Plural-Forms expression."""
    return gettext.c2py(catalog(language).plural_expr)


@cache
def numbers_per_form(language: str) -> dict[int, frozenset[int]]:
    """Form index → the sample numbers that take it."""
    choose = form_of(language)
    result: dict[int, set[int]] = {}
    for n in SAMPLE_NUMBERS:
        result.setdefault(choose(n), set()).add(n)
    return {index: frozenset(numbers) for index, numbers in result.items()}


def plural_header_problems(language: str) -> list[str]:
    """The catalog's Plural-Forms agrees with Babel: one form per category, the same numbers."""
    rule = Locale.parse(language).plural_form
    categories = plural_categories(language)
    problems = []
    if catalog(language).num_plurals != len(categories):
        problems.append(f"Plural-Forms has nplurals={catalog(language).num_plurals}, but "
                        f"{language} has {len(categories)} plural categories {categories}")
    choose = form_of(language)
    by_category: dict[str, set[int]] = {}
    for n in SAMPLE_NUMBERS:
        by_category.setdefault(rule(n), set()).add(choose(n))
    for category, forms in sorted(by_category.items()):
        if len(forms) != 1:
            problems.append(f"category {category!r} falls into several forms {sorted(forms)}")
    used = [next(iter(forms)) for forms in by_category.values() if len(forms) == 1]
    if len(used) != len(set(used)):
        problems.append("two plural categories share one form in the Plural-Forms expression")
    return problems


def sample_per_category(language: str) -> dict[str, int]:
    """The smallest number of each plural category: zero 0, one 1, two 2, few 3, many 11…"""
    rule = Locale.parse(language).plural_form
    samples: dict[str, int] = {}
    for n in SAMPLE_NUMBERS:
        samples.setdefault(rule(n), n)
    return samples


def plural_problems(entry: Entry, identical_allowed: frozenset[tuple[str, str]]) -> list[str]:
    """A plural entry has one form per category, none empty, and different forms where the
    language's grammar needs them: in a language with more than two categories the forms for
    one, two, few and many all differ (Arabic: واحد، اثنان، 3–10 جمع، 11–99 مفرد منصوب); in a
    two-category language identical forms are fine only where a noun does not change after a
    number (Turkish, Farsi; listed exceptions elsewhere)."""
    if entry.plural_id is None:
        return []
    language = entry.language
    expected = catalog(language).num_plurals
    if len(entry.strings) != expected:
        return [f"{entry.msgid!r}: {len(entry.strings)} forms, the catalog has {expected}"]
    if not all(entry.strings):
        return [f"{entry.msgid!r}: a plural form is empty"]
    choose = form_of(language)
    samples = sample_per_category(language)
    problems = []
    if len(samples) > 2:
        distinct = {c: samples[c] for c in ("one", "two", "few", "many") if c in samples}
        texts = {c: entry.strings[choose(n)] for c, n in distinct.items()}
        for a in texts:
            for b in texts:
                if a < b and texts[a] == texts[b]:
                    problems.append(f"{entry.msgid!r}: the forms for {a} (n={distinct[a]}) and "
                                    f"{b} (n={distinct[b]}) are the same: {texts[a]!r}")
    elif len(set(entry.strings)) == 1 and language not in NO_NUMBER_AFTER_NUMERALS and (
            language, entry.msgid) not in identical_allowed:
        problems.append(f"{entry.msgid!r}: every plural form is the same in {language}, which "
                        f"inflects a noun after a number: {entry.strings[0]!r}")
    return problems


#: Languages where a noun stays singular after a number ("3 buluşma", "۳ جلسه"), so the
#: plural forms of an entry may rightly be the same.
NO_NUMBER_AFTER_NUMERALS = frozenset({"tr", "fa"})


# ---------------------------------------------------------------------------- placeholders
def _format_problem(text: str) -> str | None:
    """Why ``text`` would break str.format (a stray brace), or None."""
    try:
        for _literal, field, spec, conversion in string.Formatter().parse(text):
            if field is not None and (not re.fullmatch(r"[a-z_]+", field) or spec or conversion):
                return f"odd field {{{field}}}"
    except ValueError as error:
        return str(error)
    return None


def placeholder_problems(entry: Entry) -> list[str]:
    """Every {placeholder} of the msgid is in the msgstr and no unknown one: for a plural entry
    in every form (a form that stands for one number may say the count in words)."""
    problems = []
    expected = set(PLACEHOLDER.findall(entry.msgid))
    if entry.plural_id is None:
        found = PLACEHOLDER.findall(entry.strings[0])
        if sorted(found) != sorted(PLACEHOLDER.findall(entry.msgid)):
            missing = sorted(expected - set(found))
            unknown = sorted(set(found) - expected)
            problems.append(f"{entry.msgid!r}: placeholders differ (missing {missing}, "
                            f"unknown {unknown}, or repeated) in {entry.strings[0]!r}")
    else:
        expected |= set(PLACEHOLDER.findall(entry.plural_id))
        allowed = expected | {"{n}"}
        numbers = numbers_per_form(entry.language)
        for index, text in enumerate(entry.strings):
            found = set(PLACEHOLDER.findall(text))
            if found - allowed:
                problems.append(f"{entry.msgid!r} form {index}: unknown "
                                f"{sorted(found - allowed)} in {text!r}")
            many = any(n >= 3 for n in numbers.get(index, ()))
            needed = {p for p in expected if p not in COUNT_PLACEHOLDERS or many}
            if many and "{n}" in PLACEHOLDER.findall(entry.plural_id) and not (
                    found & COUNT_PLACEHOLDERS):
                problems.append(f"{entry.msgid!r} form {index}: stands for several numbers "
                                f"but does not show the count in {text!r}")
            if needed - found - {"{n}"}:
                problems.append(f"{entry.msgid!r} form {index}: missing "
                                f"{sorted(needed - found - {'{n}'})} in {text!r}")
    for text in entry.strings:
        problem = _format_problem(text)
        if problem:
            problems.append(f"{entry.msgid!r}: {problem} in {text!r}")
    return problems


# ------------------------------------------------------------------------------- isolates
#: What must sit inside Unicode isolates in right-to-left text: /commands, links, Dutch dates.
NEEDS_ISOLATE = re.compile(r"(?<![\w/:.<])/[a-z][a-z_]*|https?://[^\s\u2069)»]*"
                           r"|(?<!\d)\d{1,2}-\d{1,2}-\d{4}(?!\d)")


def isolated_spans(text: str) -> tuple[list[tuple[int, int]], str | None]:
    """The FSI…PDI spans of ``text`` and a problem if the isolates are unbalanced."""
    spans, stack = [], []
    for index, char in enumerate(text):
        if char in (FSI, "\u2066", "\u2067"):
            stack.append(index)
        elif char == PDI:
            if not stack:
                return spans, f"a PDI without its isolate at {index}"
            spans.append((stack.pop(), index))
    if stack:
        return spans, "an isolate is not closed (PDI missing)"
    return spans, None


def isolation_problems(msgid: str, text: str) -> list[str]:
    """Every /command, URL and dd-mm-yyyy date in ``text`` is inside an isolate."""
    spans, unbalanced = isolated_spans(text)
    problems = [f"{msgid!r}: {unbalanced} in {text!r}"] if unbalanced else []
    for match in NEEDS_ISOLATE.finditer(text):
        inside = any(start < match.start() and match.end() <= end for start, end in spans)
        if not inside:
            problems.append(f"{msgid!r}: {match.group()!r} is not wrapped in isolates "
                            f"(U+2068 … U+2069) in {text!r}")
    return problems


# ------------------------------------------------------------------------------- register
_TR_WORD = r"[a-zçğıöşü]"
#: Turkish informal second person singular, in forms no polite (siz) or third-person text has.
TR_INFORMAL = [
    ("the pronoun sen", re.compile(
        r"(?<!\w)(?:sen|senin|sana|seni|sende|senden|seninle|sence|kendin|kendinle)(?!\w)")),
    ("a question to sen (misin)", re.compile(r"(?<!\w)(?:misin|mısın|musun|müsün)(?!\w)")),
    ("hoş geldin (siz: hoş geldiniz)", re.compile(r"(?<!\w)hoş geldin(?!\w)")),
    ("a verb in the sen form", re.compile(
        rf"(?<!\w){_TR_WORD}*(?:yorsun|bilirsin|bilirsın|bilirsun|bilirsün|acaksın|eceksin"
        rf"|malısın|melisin|mazsın|mezsin|mışsın|mişsin|muşsun|müşsün|değilsin"
        rf"|ırsan|irsen|ursan|ürsen|arsan|ersen)(?!\w)")),
    ("a title with your (-ların; siz: -larınız)", re.compile(
        rf"(?<!\w){_TR_WORD}+l[ae]r[ıi]n(?=\s*(?:</|$))")),
    ("a participle with your (-dığın)", re.compile(
        rf"(?<!\w){_TR_WORD}+(?:[dt][ıiuü]ğ[ıiuü]n)(?!\w)")),
    ("a bare imperative (siz: -in, -ın)", re.compile(
        r"(?<!\w)(?:gönder|yaz|seç|bas|aç|tara|kullan|tut|ekle|sor|sil|dene|bekle|iste|anlat"
        r"|dokun|ver|bak|gel|git|kaydet|belirt|durdur|düzelt|göster|gir|oku|söyle|paylaş"
        r"|tıkla|değiştir|et|bırak|yanıtla|çek|al|kal|dinle|düşün|yazma|gönderme|unutma"
        r"|korkma|endişelenme)(?=\s*[.;!?:,]|\s+(?:ve|ya da|veya)\s)")),
]

_FA_WORD = r"[\w\u200c]"
_FA_START = rf"(?<!{_FA_WORD})"
_FA_END = rf"(?!{_FA_WORD})"
#: Farsi informal second person singular (تو and its verb and possessive endings). «تو» alone
#: is also colloquial for «در» (in), so it counts only where it can only be the pronoun.
FA_INFORMAL = [
    ("the pronoun تو (with را, after a preposition, or ending a phrase)", re.compile(
        rf"{_FA_START}تو\s*(?:را|رو){_FA_END}"
        rf"|(?:{_FA_START}(?:به|از|با|برای|مال|پیش|مثل|مانند)\s+)تو{_FA_END}"
        rf"|{_FA_START}تو(?=\s*(?:[.،,؛:!؟?»)<\n]|$))")),
    ("a verb in the تو form", re.compile(
        rf"{_FA_START}(?:ن?می\u200c{_FA_WORD}*ی"
        r"|هستی|نیستی|داری|نداری|بودی|باشی|نباشی|بخواهی|بگویی|نگویی|بکنی|کنی|نکنی|دهی|ندهی"
        rf"|بفرستی|بزنی|بنویسی|ببینی|بدانی|بتوانی|بپرسی|بروی|بیایی|بمانی){_FA_END}")),
    ("a تو possessive (-ات, -ت)", re.compile(
        rf"\u200c(?:ات|هایت|ت){_FA_END}"
        rf"|{_FA_START}(?:برایت|برات|بهت|ازت|خودت|اسمت|نامت|تقویمت|گوشیت|سؤالت|سوالت|جوابت"
        rf"|زبانت|حسابت|تلفنت|گروهت){_FA_END}")),
    ("a bare imperative (شما: -ید)", re.compile(
        rf"{_FA_START}(?:کن|بکن|نکن|بزن|نزن|بفرست|نفرست|بنویس|ننویس|بپرس|بخواه|بگو|نگو|ببین"
        r"|بگذار|بده|نده|بیا|برو|بمان|بخوان|بگیر|بردار|باش|نباش|بیاور|ببر|بشو|شو)"
        r"(?=\s*[.،؛:!؟?]|\s+(?:یا|و)\s)")),
]

INFORMAL = {"tr": TR_INFORMAL, "fa": FA_INFORMAL}
#: msgctxts of texts the reader sends to someone close (a "help me ask" request to family or a
#: friend): there the familiar register is the right one, and nobody addresses the reader.
FAMILIAR_CONTEXTS = frozenset({"familiar"})


def informal(language: str, text: str) -> list[str]:
    """Why ``text`` reads as informal second person singular in ``language`` (empty: polite)."""
    lowered = text.lower() if language == "tr" else text
    lowered = lowered.replace("İ".lower(), "i")
    return [f"{why}: {match.group().strip()!r}"
            for why, pattern in INFORMAL.get(language, [])
            for match in pattern.finditer(lowered)]
