"""Names after a phrase that introduces one.

After "ik heet", "mijn naam is", "adım", "ismim", "اسم من", "اسمم", "نامم", "اسمي"; after the
weaker "ik ben" / "ben ik" only a capitalised word that is not a nationality or the like ("ik ben
moe" and "ik ben Marokkaans" stay), and after Turkish "ben", Persian "من" or Arabic "انا" only a
known given name. Sign-offs ("groetjes, Fatima") count when nothing follows on the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from bot.privacy.scrub.lexicon import Lexicon, bare
from bot.privacy.scrub.tokens import Token, match_phrase, tokenize
from bot.text.normalize import fold


def name_spans(text: str, lexicon: Lexicon) -> Iterator[tuple[int, int]]:
    """Names after a phrase that introduces one, as spans of ``text``."""
    tokens = tokenize(text)
    i = 0
    while i < len(tokens):
        for mode, phrases, gap_pattern in (
            ("explicit", lexicon.explicit, _EXPLICIT_GAP),
            ("explicit", lexicon.labelled, _LABEL_GAP),
            ("signoff", lexicon.signoff, _SIGNOFF_GAP),
            ("capitalised", lexicon.capitalised, _SPACE_GAP),
            ("listed", lexicon.listed, _SPACE_GAP),
        ):
            n = match_phrase(tokens, i, phrases, text)
            j = i + n
            if not n or j >= len(tokens):
                continue
            if not gap_pattern.fullmatch(text[tokens[j - 1].end : tokens[j].start]):
                continue
            if (
                mode == "explicit"
                and not tokens[i].latin
                and not _clause_start(tokens, i, text, lexicon)
            ):
                continue
            if mode == "explicit" and tokens[j].key in lexicon.copulas and j + 1 < len(tokens):
                j += 1
            persian = any(t.key in _PERSIAN_NAME_WORDS for t in tokens[i : i + n])
            end = _name_end(tokens, j, mode, persian, text, lexicon)
            if (
                end > j
                and mode == "signoff"
                and _LETTER_OR_DIGIT.search(text[tokens[end - 1].end :].split("\n", 1)[0])
            ):
                continue  # "bedankt Fatima voor alles": not a sign-off
            if end > j:
                yield tokens[j].start, tokens[end - 1].end
                i = end
                break
        else:
            i += 1


_EXPLICIT_GAP = re.compile(r"[\s:=,\-–]*")
_LABEL_GAP = re.compile(r"\s*:\s*")
_SIGNOFF_GAP = re.compile(r"[\s,،:\-–!.]+")
_SPACE_GAP = re.compile(r"\s+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# Phrase words that say the text is Persian, where surnames end in ی, زاده, پور…
_PERSIAN_NAME_WORDS = frozenset(fold(w) for w in ("من", "نامم", "اسمم", "نام", "بنده"))


def _clause_start(tokens: Sequence[Token], i: int, text: str, lexicon: Lexicon) -> bool:
    """True when ``tokens[i]`` starts a clause: "اسمي …" introduces, "سجل اسمي" does not."""
    if i == 0:
        return True
    gap = text[tokens[i - 1].end : tokens[i].start]
    return bool(re.search(r"[.,!?؟،؛:\n]", gap)) or tokens[i - 1].key in lexicon.openers


def _boundary_after(tokens: Sequence[Token], k: int, text: str, lexicon: Lexicon) -> bool:
    """True when no name part can follow ``tokens[k]``: punctuation, the end, a function word."""
    if k + 1 >= len(tokens):
        return not re.search(r"\d", text[tokens[k].end :])
    gap = text[tokens[k].end : tokens[k + 1].start]
    if gap.strip():
        return True
    following = tokens[k + 1].key
    return following in lexicon.not_a_name or (
        following.startswith("\u0648") and following not in lexicon.given_names
    )


def latin_name_end(tokens: Sequence[Token], j: int, text: str, lexicon: Lexicon) -> int:
    """Index after a Latin-script name starting at ``tokens[j]``: further capitalised words,
    with particles between them ("Jan van der Berg", "Fatima El Amrani"), up to five words."""
    end = k = j + 1
    while k < len(tokens) and k - j < 5:
        if text[tokens[k - 1].end : tokens[k].start] != " ":
            break
        token = tokens[k]
        if token.latin and token.capitalised and token.key not in lexicon.not_a_name:
            end = k = k + 1
        elif token.key in lexicon.particles:
            k += 1
        else:
            break
    return end


def _not_a_name(token: Token, lexicon: Lexicon) -> bool:
    return token.key in lexicon.not_a_name or bare(token.raw) in lexicon.written_not_a_name


def _name_end(
    tokens: Sequence[Token],
    j: int,
    mode: str,
    persian: bool,
    text: str,
    lexicon: Lexicon,
) -> int:
    """Index after the last token of the name starting at ``tokens[j]`` (``j`` when none)."""
    first = tokens[j]
    if _not_a_name(first, lexicon) or len(first.key) < 2:
        return j
    if mode == "listed" or (mode == "signoff" and not first.latin):
        # Only a known given name: "ben yorgunum", "من تنها هستم", "شكرا كتير" stay.
        if first.key not in lexicon.given_names:
            return j
    elif first.latin:
        if not (first.capitalised or (mode != "capitalised" and first.key in lexicon.given_names)):
            return j
    elif mode == "capitalised":
        return j
    if first.latin:
        return latin_name_end(tokens, j, text, lexicon)
    end = j + 1
    # Arabic script: up to three words, each a given name, a name part ("عبد", "بن", "ال…",
    # a Persian surname ending) or the last word before the sentence goes on.
    k = j + 1
    if first.key in lexicon.joiners:
        end = k = j + 2 if j + 1 < len(tokens) else j + 1
    while k < len(tokens) and k - j < 3:
        if text[tokens[k - 1].end : tokens[k].start].strip():
            break
        token = tokens[k]
        key = token.key
        if _not_a_name(token, lexicon) or token.latin:
            break
        name_like = (
            key in lexicon.given_names
            or key in lexicon.joiners
            or (key.startswith("ال") and len(key) >= 4)
            or (persian and len(key) >= 4 and key.endswith(lexicon.surname_endings))
            or _boundary_after(tokens, k, text, lexicon)
        )
        if not name_like:
            break
        end = k = k + 1
    return end
