"""Links and account names: URLs, Telegram links, @handles, and handles after a network's name.

"insta: fatma.yilmaz_90", "mijn snap is fatma90", "آیدی اینستاگرامم …".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from bot.privacy.scrub.lexicon import Lexicon
from bot.privacy.scrub.names import latin_name_end
from bot.privacy.scrub.spans import Finder, regex_finder
from bot.privacy.scrub.tokens import Token, tokenize

_TELEGRAM = re.compile(r"(?:https?://)?(?:t\.me|telegram\.me|telegram\.dog)/\S+", re.IGNORECASE)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\bwa\.me/\S+"
    r"|\b[\w-]+\.(?:nl|com|org|net|be|de|tr|ir|eu|info|io|co|uk|fr|ma)(?:/\S*)?\b",
    re.IGNORECASE,
)
# "@fatma_90", "@fatma.yilmaz_90"; at least one letter, so "@19:30" stays.
_HANDLE = re.compile(r"(?<![\w@\[.])@(?=[\w.]*[A-Za-z])[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
# Account names on their own: an underscore ("fatma_yilmaz", "x_90"), or "name.surname90".
_BARE_HANDLE = re.compile(
    r"(?<![\w@.])(?:[A-Za-z][A-Za-z0-9.]*_[A-Za-z0-9_.]*[A-Za-z0-9]|[a-z]{2,}\.[a-z]{2,}\d+)(?![\w@])"
)
_HANDLE_WORD = re.compile(r"@?[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")

#: Telegram links ("t.me/fatma_90"): an account, so they are replaced as a handle.
find_telegram_links: Finder = regex_finder(_TELEGRAM)
find_urls: Finder = regex_finder(_URL)


def find_handles(view: str) -> Iterator[tuple[int, int]]:
    """Handles with an "@" ("@fatma_90"), then account names alone ("fatma_yilmaz")."""
    yield from regex_finder(_HANDLE)(view)
    yield from regex_finder(_BARE_HANDLE)(view)


_GAP = re.compile(r"[\s:=\-–]*")
_POSSESSIVE = frozenset({"mijn", "mn", "my", "benim", "onze"})
# Turkish, Persian and Arabic endings on a platform's name: instagramım, insta'dan, اینستاگرامم
_PLATFORM_SUFFIX = re.compile(
    r"(?:[iu]?m|[iu]mi?z|n?[dt][ae]n?|n?[dt][ae]ki|y?[aeiu]|n?[iu]n|م|ام|ی|ي|ت|مان)?"
)
# ... of which these say "my": instagramım, اینستاگرامم, حسابي
_MY_SUFFIX = re.compile(r"(?:[iu]?m|[iu]mi?z|م|ام|ي)$")


def _platform_at(
    tokens: Sequence[Token],
    i: int,
    phrases: Sequence[tuple[str, ...]],
    text: str,
    *,
    suffixes: bool,
) -> tuple[int, str]:
    """Words and case ending of the platform name starting at ``tokens[i]`` ((0, "") if none)."""
    for phrase in phrases:
        n = len(phrase)
        if i + n > len(tokens):
            continue
        if any(tokens[i + k].key != phrase[k] for k in range(n - 1)):
            continue
        if any(text[tokens[i + k].end : tokens[i + k + 1].start].strip() for k in range(n - 1)):
            continue
        last = tokens[i + n - 1].key
        if last == phrase[-1]:
            return n, ""
        ending = last[len(phrase[-1]) :]
        if suffixes and last.startswith(phrase[-1]) and _PLATFORM_SUFFIX.fullmatch(ending):
            return n, ending
    return 0, ""


def _looks_like_handle(word: str) -> bool:
    return word.startswith("@") or bool(re.search(r"[._0-9]", word))


def handle_spans(text: str, lexicon: Lexicon) -> Iterator[tuple[int, int]]:
    """Account names after a social network's name ("insta: fatma.yilmaz_90").

    The word after the platform (and up to three words like "is", "hesabım", "آیدی") is the
    handle when it looks like one (a digit, dot, underscore or "@"), after a colon, after a word
    for "account" or "user name", or after "my … is"; "ik zit niet op insta" and "insta is
    handig" stay.
    """
    tokens = tokenize(text)
    for i in range(len(tokens)):
        n, ending = _platform_at(tokens, i, lexicon.platforms, text, suffixes=True)
        weak = False
        if not n:
            n, ending = _platform_at(tokens, i, lexicon.with_colon, text, suffixes=False)
            weak = bool(n)
        if not n:
            continue
        mine = (i > 0 and tokens[i - 1].key in _POSSESSIVE) or bool(_MY_SUFFIX.search(ending))
        colon = naming = said_is = False
        pos, k = tokens[i + n - 1].end, i + n
        while True:
            gap = _GAP.match(text, pos)
            assert gap is not None
            colon = colon or bool(set(gap.group(0)) & {":", "="})
            start = gap.end()
            word = _HANDLE_WORD.match(text, start)
            filler = (
                k < len(tokens)
                and k - (i + n) < 3
                and tokens[k].start == start
                and tokens[k].key in lexicon.fillers
                and not (word and _looks_like_handle(word.group(0)))
            )
            if not filler:
                break
            naming = naming or tokens[k].key in lexicon.naming
            said_is = said_is or tokens[k].key == "is"
            pos, k = tokens[k].end, k + 1
        if weak and not colon:
            continue
        profile = k < len(tokens) and tokens[k].start == start and tokens[k].capitalised
        if (
            profile
            and tokens[k].latin
            and (colon or naming)
            and not _looks_like_handle(tokens[k].raw)
        ):
            # A profile name rather than a handle ("Facebook: Fatima El Amrani", "Şule Öztürk").
            yield start, tokens[latin_name_end(tokens, k, text, lexicon) - 1].end
            continue
        if word is None:
            continue
        handle = word.group(0)
        # A handle is Latin letters, digits, dots and underscores, and ends there ("fatmayılmaz"
        # is a Turkish word, not a handle).
        if not re.search(r"[A-Za-z]", handle) or re.match(r"[^\W\d_]", text[word.end() :]):
            continue
        if _looks_like_handle(handle) or colon or naming or (said_is and mine):
            yield start, word.end()
