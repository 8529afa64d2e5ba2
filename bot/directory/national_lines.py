"""The national lines of safety.md, read from ``data/national_lines.yml``.

The crisis answer depends on this module, and safety.md rule 3 says it must work when the
database or the NLU service is down. So this module reads the YAML file only: it never
imports the database layer, and the result is cached in-process after the first read.

The directory also carries each line as a ``helpline`` service (see
:func:`bot.directory.helplines.national_line_services`); the YAML stays the source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.taxonomy import Topic

#: The file shipped with the bot.
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "national_lines.yml"

#: Crisis categories a line can serve. Checked on load so a typo in the YAML fails loudly
#: instead of silently dropping a line from the crisis answer.
CATEGORIES = frozenset(
    {
        "emergency",
        "suicide",
        "violence_home",
        "child_abuse",
        "children",
        "honour_violence",
        "someone_to_talk_to",
        "psychological",
        "victims",
        "carers",
        "medical",
    }
)


class NationalLinesError(ValueError):
    """The national lines file is malformed; the message names the line and field."""


@dataclass(frozen=True)
class Text:
    """A short text in Dutch and English; other languages come from the bot's catalogs."""

    nl: str
    en: str


@dataclass(frozen=True)
class Phone:
    """A further number of a line (e.g. 113's free 0800 number)."""

    phone: str
    dial: str
    free: bool
    note: Text | None


@dataclass(frozen=True)
class NationalLine:
    """One national line: how to reach it and what it is for."""

    id: str
    name: str
    organisation: str
    phone: str | None
    dial: str | None
    other_phones: tuple[Phone, ...]
    free: bool
    url: str
    chat_url: str | None
    always_open: bool
    hours: Text | None
    anonymous: bool
    topics: tuple[Topic, ...]
    categories: frozenset[str]
    description: Text

    @property
    def tel_uri(self) -> str | None:
        """A ``tel:`` link for the main number, or None when the line has no number."""
        return f"tel:{self.dial}" if self.dial else None

    def serves(self, category: str) -> bool:
        """Whether this line is meant for ``category`` (one of :data:`CATEGORIES`)."""
        return category in self.categories


def _text(raw: Any, where: str) -> Text:
    if not isinstance(raw, dict) or not raw.get("nl") or not raw.get("en"):
        raise NationalLinesError(f"{where}: needs 'nl' and 'en' texts")
    return Text(nl=str(raw["nl"]).strip(), en=str(raw["en"]).strip())


def _optional_text(raw: Any, where: str) -> Text | None:
    return None if raw is None else _text(raw, where)


def _optional_str(raw: Any) -> str | None:
    return None if raw is None or str(raw).strip() == "" else str(raw).strip()


def _line(raw: Any, index: int) -> NationalLine:
    if not isinstance(raw, dict):
        raise NationalLinesError(f"lines[{index}]: expected a mapping")
    where = f"lines[{index}] ({raw.get('id', '?')})"
    for key in ("id", "name", "organisation", "url", "description"):
        if not raw.get(key):
            raise NationalLinesError(f"{where}: missing {key!r}")
    try:
        topics = tuple(Topic(t) for t in raw.get("topics") or ())
    except ValueError as exc:
        raise NationalLinesError(f"{where}.topics: {exc}") from None
    categories = frozenset(str(c) for c in raw.get("categories") or ())
    unknown = categories - CATEGORIES
    if unknown:
        raise NationalLinesError(f"{where}.categories: unknown {sorted(unknown)}")
    if not categories:
        raise NationalLinesError(f"{where}.categories: at least one category is needed")
    phones = tuple(
        Phone(
            phone=str(p["phone"]),
            dial=str(p["dial"]),
            free=bool(p.get("free", False)),
            note=_optional_text(p.get("note"), f"{where}.other_phones[{i}].note"),
        )
        for i, p in enumerate(raw.get("other_phones") or ())
    )
    return NationalLine(
        id=str(raw["id"]),
        name=str(raw["name"]),
        organisation=str(raw["organisation"]),
        phone=_optional_str(raw.get("phone")),
        dial=_optional_str(raw.get("dial")),
        other_phones=phones,
        free=bool(raw.get("free", False)),
        url=str(raw["url"]),
        chat_url=_optional_str(raw.get("chat_url")),
        always_open=bool(raw.get("always_open", False)),
        hours=_optional_text(raw.get("hours"), f"{where}.hours"),
        anonymous=bool(raw.get("anonymous", False)),
        topics=topics,
        categories=categories,
        description=_text(raw["description"], f"{where}.description"),
    )


def parse_national_lines(text: str) -> tuple[NationalLine, ...]:
    """Parse the YAML text of a national lines file; raises :class:`NationalLinesError`."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        raise NationalLinesError("expected a mapping with a 'lines' list")
    lines = tuple(_line(raw, i) for i, raw in enumerate(data["lines"]))
    ids = [line.id for line in lines]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise NationalLinesError(f"duplicate line ids: {duplicates}")
    return lines


@lru_cache(maxsize=4)
def load_national_lines(path: Path = DEFAULT_PATH) -> tuple[NationalLine, ...]:
    """The national lines, in file order. Reads YAML only, never the database; cached."""
    return parse_national_lines(Path(path).read_text(encoding="utf-8"))


def national_line(line_id: str, path: Path = DEFAULT_PATH) -> NationalLine:
    """The line with ``line_id``; raises KeyError for an unknown id."""
    for line in load_national_lines(path):
        if line.id == line_id:
            return line
    raise KeyError(line_id)


def lines_for(category: str, path: Path = DEFAULT_PATH) -> tuple[NationalLine, ...]:
    """The lines serving a crisis ``category``, in file order."""
    if category not in CATEGORIES:
        raise KeyError(category)
    return tuple(line for line in load_national_lines(path) if line.serves(category))
