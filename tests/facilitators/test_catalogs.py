"""Every facilitator and reminder text is translated, with identical placeholders and tags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from bot.settings import PROJECT_ROOT

SOURCES = [*sorted((PROJECT_ROOT / "bot" / "facilitators").glob("*.py")),
           *sorted((PROJECT_ROOT / "bot" / "reminders").glob("*.py")),
           *sorted((PROJECT_ROOT / "bot" / "posters").glob("*.py"))]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
MARKUP = re.compile(r"\{[a-z_]+\}|</?[a-z]+>")


def _our_msgids() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for path in SOURCES:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_the_sources_mark_their_texts() -> None:
    assert len(_our_msgids()) > 80


@pytest.mark.parametrize("language", ["nl", "tr", "fa", "ar"])
def test_every_text_is_translated_with_the_same_placeholders(language: str) -> None:
    path = Path(PROJECT_ROOT / "locales" / language / "LC_MESSAGES" / "messages.po")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for msgid in _our_msgids():
        message = catalog.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        assert message is not None, f"{msgid!r} is not in the {language} catalog (make messages)"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{msgid!r} is not translated into {language}"
        originals = msgid if isinstance(msgid, tuple) else (msgid,)
        expected = sorted(set(MARKUP.findall(originals[-1])) | set(MARKUP.findall(originals[0])))
        for string in strings:
            assert sorted(set(MARKUP.findall(string))) == expected or (
                # A singular may say "one" instead of showing {n}.
                isinstance(msgid, tuple) and set(MARKUP.findall(string)) <= set(expected)
            ), (language, msgid, string)
