"""What a valid value of an import is: one rule per kind of field, with the message a
coordinator reads when a value breaks it.

Each rule takes the raw value from a file (text from a CSV cell, any JSON value from HSDS, or a
Python value when code builds a record) and returns the canonical value, or raises
:class:`~pydantic_core.PydanticCustomError` with a plain-language message. An empty value of a
field that has a default raises :class:`~pydantic_core.PydanticUseDefault`, so "empty" means
"the default" in every format. The record models (:mod:`bot.directory.records`) attach these
rules to their fields; the format modules also call a few directly for what is not a record
field (a CSV header, an HSDS attribute code).

Rules are idempotent: a canonical value passes unchanged, so a record built from the database or
by the demo validates to itself.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import NoReturn, Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from dateutil.rrule import rrule, rrulestr
from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError, PydanticUseDefault

from bot.directory.models import DEFAULT_TEXT_LANGUAGE, TEXT_LANGUAGES, TRANSLATABLE_FIELDS
from bot.taxonomy import JoinMode, LedBy, ServiceKind, Topic

#: Wall-clock zone of schedules (RRULE dtstart) and demo meetings. A property of the data
#: formats (HSDS exports name it), not of the installation.
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")

STATUSES = ("active", "inactive", "defunct", "temporarily closed")  # HSDS service.status
MAX_DURATION_MINUTES = 24 * 60
DEFAULT_DURATION_MINUTES = 120

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{1,30}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$", re.IGNORECASE)
#: The start an RRULE is checked against when its own dtstart is missing or wrong.
_FALLBACK_START = datetime(2025, 1, 6, 19, 0)
_TRUE = ("true", "yes", "ja", "1", "y", "j")
_FALSE = ("false", "no", "nee", "0", "n")


class PlaceResolver(Protocol):
    """Turns a municipality name, CBS code or alias into a CBS code (None when unknown)."""

    def municipality_code(self, text: str) -> str | None:
        """The CBS code for ``text``, or None."""
        ...

    def suggest(self, text: str) -> str | None:
        """A municipality name ``text`` is probably a typo of, or None."""
        ...


def refuse(message: str) -> NoReturn:
    """Stop validation of one value with ``message`` (shown to the coordinator as written)."""
    # "{message}" as the template: the value is inserted once, so braces in it stay text.
    raise PydanticCustomError("problem", "{message}", {"message": message})


# --------------------------------------------------------------------------- text


def optional(value: object) -> str | None:
    """Stripped text, or None for empty/absent values (our canonical 'not given')."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def text_or_default(value: object) -> str:
    """Stripped text; empty means the field's default."""
    text = optional(value)
    if text is None:
        raise PydanticUseDefault()
    return text


def required(what: str) -> Callable[[object], str]:
    """The rule for a text that must be given: reports ``missing <what>``."""

    def rule(value: object) -> str:
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            refuse(f"missing {what}")
        return text

    return rule


def _choice(value: object, allowed: Iterable[str], what: str) -> str | None:
    """A value from ``allowed`` (case-insensitive), None when empty; refuses anything else."""
    text = optional(value)
    if text is None:
        return None
    options = {a.lower(): a for a in allowed}
    found = options.get(text.lower())
    if found is None:
        refuse(f"unknown {what} {text!r} (expected one of: {', '.join(options.values())})")
    return found


def topic(value: object) -> str | None:
    """A topic id of taxonomy.md."""
    return _choice(value, [t.value for t in Topic], "topic")


def kind(value: object) -> str:
    """A service kind; missing is a problem too."""
    found = _choice(value, [k.value for k in ServiceKind], "kind")
    if found is None:
        refuse("missing kind")
    return found


def led_by(value: object) -> str | None:
    """Who leads a group, or None."""
    return _choice(value, [x.value for x in LedBy], "led_by")


def join_mode(value: object) -> str:
    """How to join; empty means the default (``just_come``)."""
    found = _choice(value, [x.value for x in JoinMode], "join_mode")
    if found is None:
        raise PydanticUseDefault()
    return found


def status(value: object) -> str:
    """An HSDS service status; empty means the default (``active``)."""
    found = _choice(value, STATUSES, "status")
    if found is None:
        raise PydanticUseDefault()
    return found


def text_field(value: object) -> str:
    """A field that has texts per language (``description`` or ``how_to_join``)."""
    found = _choice(value, TRANSLATABLE_FIELDS, "text field")
    if found is None:
        refuse("missing text field")
    return found


def language(value: object) -> str:
    """An ISO 639 language code, lower-case."""
    text = optional(value)
    if text is None:
        refuse("missing language code")
    code = text.lower()
    if not _LANGUAGE.match(code):
        refuse(f"bad language code {text!r} (use ISO 639-1, e.g. nl, tr, fa, ar)")
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        refuse(f"unknown language code {text!r}")
    return code


def text_language(value: object) -> str:
    """The language of a text given besides the Dutch one: one of ``TEXT_LANGUAGES``."""
    code = language(value)
    if code == DEFAULT_TEXT_LANGUAGE:
        refuse(f"{code!r} is the main language: its text goes in the main field")
    if code not in TEXT_LANGUAGES:
        refuse(f"texts can be given in {', '.join(TEXT_LANGUAGES)} besides Dutch, not in {code!r}")
    return code


# --------------------------------------------------------------------------- contact and ids


def email(value: object) -> str | None:
    """An e-mail address of plausible shape, or None."""
    text = optional(value)
    if text is not None and not _EMAIL.match(text):
        refuse(f"bad e-mail address {text!r}")
    return text


def url(value: object) -> str | None:
    """An absolute http(s) URL, or None."""
    text = optional(value)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        refuse(f"bad url {text!r} (expected http:// or https://…)")
    return text


def phone(value: object) -> str | None:
    """A phone number of plausible shape (digits, spaces, dashes, parentheses, +)."""
    text = optional(value)
    if text is not None and not _PHONE.match(text):
        refuse(f"bad phone number {text!r}")
    return text


def identifier(value: object) -> str:
    """An id: must be a UUID (HSDS requires it); returned as given."""
    text = optional(value)
    if text is None:
        refuse("missing id")
    try:
        uuid.UUID(text)
    except ValueError:
        refuse(f"bad id {text!r} (expected a UUID)")
    return text


def flag(value: object) -> bool:
    """A boolean from true/false, yes/no, ja/nee, 1/0 (or a JSON boolean); empty: the default."""
    if isinstance(value, bool):
        return value
    text = optional(value)
    if text is None:
        raise PydanticUseDefault()
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    refuse(f"expected true or false, got {text!r}")


def number(value: object) -> float | None:
    """A float (latitude/longitude), or None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = optional(value)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        refuse(f"expected a number, got {text!r}")


def municipality(value: object, info: ValidationInfo) -> str | None:
    """A CBS code from a municipality name, code or alias.

    Names are resolved with the place resolver of the validation context (an import's
    gazetteer). Without one (records built in code: the demo, the national lines) only a CBS
    code is accepted; the importer then checks that it exists.
    """
    text = optional(value)
    if text is None:
        return None
    places: PlaceResolver | None = getattr(info.context, "places", None)
    if places is None:
        if MUNICIPALITY_CODE.match(text):
            return text.upper()
        refuse("cannot resolve municipalities without the gazetteer")
    code = places.municipality_code(text)
    if code is None:
        suggestion = places.suggest(text)
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        refuse(f"unknown municipality {text!r}{hint}")
    return code


# --------------------------------------------------------------------------- schedules


def canonical_dtstart(moment: datetime) -> str:
    """ISO text of a local wall-clock time; aware values are converted to Europe/Amsterdam."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")


def dtstart(value: object) -> str:
    """A canonical local wall-clock start (ISO, Europe/Amsterdam)."""
    text = optional(value)
    if text is None:
        refuse("missing dtstart")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        refuse(f"bad dtstart {text!r} (expected e.g. 2025-01-07T19:30)")
    return canonical_dtstart(moment)


def rrule_text(value: object, start: str | None) -> str:
    """A canonical RRULE (upper case, no ``RRULE:`` prefix), checked with ``rrulestr`` from
    ``start`` (a canonical dtstart; a fixed Monday evening when it is missing)."""
    text = optional(value)
    if text is None:
        refuse("missing RRULE")
    rule = text.upper().removeprefix("RRULE:")
    if "\n" in rule or "DTSTART" in rule:
        refuse(f"invalid RRULE {text!r}: give one rule; dtstart goes separately")
    moment = datetime.fromisoformat(start) if start else _FALLBACK_START
    try:
        parsed = rrulestr(rule, dtstart=moment)
    except (ValueError, TypeError) as exc:
        refuse(f"invalid RRULE {text!r}: {exc}")
    if not isinstance(parsed, rrule) or parsed.after(moment, inc=True) is None:
        refuse(f"invalid RRULE {text!r}: it has no occurrences")
    return rule


def duration(value: object) -> int:
    """Meeting length in whole minutes (1…1440); empty means the default (120)."""
    if isinstance(value, int) and not isinstance(value, bool):
        minutes = value
    else:
        text = optional(value)
        if text is None:
            raise PydanticUseDefault()
        try:
            minutes = int(text)
        except ValueError:
            refuse(f"expected whole minutes, got {text!r}")
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        refuse(f"duration must be 1…{MAX_DURATION_MINUTES} minutes")
    return minutes
