"""Every citizen-facing string is translated in all four languages, with the same placeholders
and markup; dashboard strings at least in Dutch (the dashboard is Dutch first, English second)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.settings import PROJECT_ROOT

LOCALES = PROJECT_ROOT / "locales"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
TAG = re.compile(r"</?[a-z]+")


def _msgids(folder: Path, method_map: list[tuple[str, str]]) -> set[str]:
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        folder, method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


#: Modules whose strings only coordinators see (errors shown on dashboard pages).
DASHBOARD_MODULES = [("web/**", "ignore"), ("staff/**", "ignore"),
                     ("directory/manage.py", "ignore"), ("requests/service.py", "ignore")]


def citizen_msgids() -> set[str]:
    """Strings a citizen or facilitator can see: everything in bot/ outside the dashboard."""
    python = [*DASHBOARD_MODULES, ("**.py", "python")]
    return _msgids(PROJECT_ROOT / "bot", python) | _msgids(PROJECT_ROOT / "actions", python)


def catalog(language: str) -> dict[str, str]:
    """msgid → translation; for plurals, every form joined (each must be non-empty)."""
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        po = read_po(handle)
    result: dict[str, str] = {}
    for m in po:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            forms = [f for f in m.string if f]
            complete = len(forms) == len(m.string)
            result[m.id[0]] = " ".join(forms) if complete else ""
        else:
            result[m.id] = m.string
    return result


def plural_of(language: str) -> dict[str, str]:
    """singular msgid → plural msgid, to know which placeholders a plural may use."""
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id[0]: m.id[1] for m in read_po(handle) if isinstance(m.id, tuple)}


@pytest.mark.parametrize("language", ["nl", "tr", "fa", "ar"])
def test_every_citizen_string_is_translated_with_the_same_placeholders(language: str) -> None:
    translations = catalog(language)
    missing = sorted(m for m in citizen_msgids() if not translations.get(m))
    assert missing == [], f"{len(missing)} untranslated in {language}: {missing[:5]}"
    plurals = plural_of(language)
    for msgid in citizen_msgids():
        text = translations[msgid]
        if msgid in plurals:
            allowed = set(PLACEHOLDER.findall(msgid + plurals[msgid])) | {"{n}"}
            assert set(PLACEHOLDER.findall(text)) <= allowed, msgid
            continue
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid
        assert sorted(TAG.findall(text)) == sorted(TAG.findall(msgid)), msgid


def test_dashboard_strings_are_translated_into_dutch() -> None:
    dashboard = _msgids(PROJECT_ROOT / "bot", [("web/**.py", "python"), ("web/**.html", "jinja2"),
                                               ("staff/**.py", "python"),
                                               ("directory/manage.py", "python"),
                                               ("requests/service.py", "python")])
    translations = catalog("nl")
    missing = sorted(m for m in dashboard if not translations.get(m))
    assert missing == [], f"{len(missing)} dashboard strings without Dutch: {missing[:5]}"
