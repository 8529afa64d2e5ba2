"""A fake Telegram Bot API server for end-to-end tests.

The real bot (python-telegram-bot, in-process or as a subprocess) talks HTTP to this server
instead of ``api.telegram.org``; nothing in the library is mocked. The server

* validates every call against the machine-readable Bot API description (``api.min.json``):
  unknown methods (404), missing and unknown parameters, parameter types, inline keyboards,
  ``callback_data`` size, message length after entity parsing and Telegram's HTML subset (400);
* implements what the bot needs: long polling with ``getUpdates`` (woken by an
  :class:`asyncio.Condition`, never by sleeping), sending, editing and deleting messages,
  callback query answers, chat actions, commands, descriptions and document uploads;
* delivers updates by HTTP POST to the URL of ``setWebhook`` when the bot set
  one, with the ``X-Telegram-Bot-Api-Secret-Token`` header when it gave a ``secret_token``
  (each delivery and the bot's HTTP status are kept in ``webhook_deliveries``);
* lets a test act as Telegram clients (``send_text``, ``send_command``, ``press_button`` ...)
  and wait for the bot's answers (``wait_for_messages``) without sleeps;
* misbehaves on request like Telegram under load (``fail_next``): chosen methods answer 429
  with ``retry_after`` or a 5xx for a number of (valid) calls.

Two modes share one implementation:

* async (primary), inside the test's event loop::

      async with FakeTelegram() as tg:
          app = Application.builder().token(tg.token).base_url(tg.api_base_url).build()
          ...
          user = tg.user(1001)
          await tg.send_command(user, "/start")
          [reply] = await tg.wait_for_messages(user)

* threaded, for sync tests or a bot running as a subprocess::

      with FakeTelegram.threaded() as tg:
          env = {**os.environ, **tg.subprocess_env()}
          ...
          tg.send_text(user, "hallo")
          tg.wait_for_messages(user)

Privacy (``docs/privacy.md``): the fake keeps everything in memory and never writes to disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import os
import re
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from aiohttp import BodyPartReader, ClientError, ClientSession, ClientTimeout, web

__all__ = [
    "BOT_USERNAME",
    "Call",
    "EntityParseError",
    "FakeChat",
    "FakeTelegram",
    "FakeUser",
    "SentMessage",
    "ThreadedFakeTelegram",
    "UploadedFile",
    "load_api_spec",
    "parse_html",
]

BOT_USERNAME = "SteunwijzerTestBot"
DEFAULT_TOKEN = "123456789:TEST-token_for-the-fake"
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
SPEC_ENV = "STEUNWIJZER_TELEGRAM_API_SPEC"
_SPEC_CANDIDATES = (
    Path(__file__).with_name("api.min.json"),
    # CI runs in a fresh clone with shared/ beside it.
    Path(__file__).resolve().parents[3] / "shared" / "telegram-bot-api" / "api.min.json",
)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
#: setWebhook's secret_token: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are
#: allowed." Telegram sends it back in this header with every webhook request.
WEBHOOK_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "purchased_paid_media",
    }
)
# Fields of an InlineKeyboardButton that choose what the button does: exactly one is required.
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_T = TypeVar("_T")


# --------------------------------------------------------------------------- the API description


_SPEC_CACHE: dict[Path, dict[str, Any]] = {}


def _find_spec_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Locate ``api.min.json``: an explicit path, ``$STEUNWIJZER_TELEGRAM_API_SPEC``, next to
    this module, or the shared copy."""
    candidates: list[Path] = []
    if path is not None:
        candidates.append(Path(path))
    if os.environ.get(SPEC_ENV):
        candidates.append(Path(os.environ[SPEC_ENV]))
    candidates.extend(_SPEC_CANDIDATES)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise FileNotFoundError(
        "Telegram Bot API description api.min.json not found; tried "
        + ", ".join(str(c) for c in candidates)
        + f" (set {SPEC_ENV})"
    )


def load_api_spec(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Load (once per file) the Bot API description with ``methods`` and ``types``."""
    resolved = _find_spec_path(path)
    if resolved not in _SPEC_CACHE:
        with resolved.open(encoding="utf-8") as handle:
            _SPEC_CACHE[resolved] = json.load(handle)
    return _SPEC_CACHE[resolved]


# --------------------------------------------------------------------------- value objects


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user as the test sees it (never written anywhere)."""

    id: int
    first_name: str = "Test"
    language_code: str | None = "nl"
    username: str | None = None
    last_name: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        """The ``User`` object as Telegram sends it."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class FakeChat:
    """A chat: ``private`` (id = user id), ``group``, ``supergroup`` or ``channel``."""

    id: int
    type: str = "private"
    title: str | None = None
    first_name: str | None = None
    username: str | None = None

    def to_api(self) -> dict[str, Any]:
        """The ``Chat`` object as Telegram sends it."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "first_name", "username"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


class UploadedFile(NamedTuple):
    """A file the bot uploaded in a multipart request (kept in memory only)."""

    filename: str | None
    data: bytes
    content_type: str | None = None


@dataclass
class Call:
    """One HTTP request of the bot to the fake, with the answer it got."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    status: int
    response: dict[str, Any]
    encoding: str
    token: str = ""

    @property
    def ok(self) -> bool:
        """Whether Telegram would have accepted the call."""
        return bool(self.response.get("ok"))

    @property
    def description(self) -> str | None:
        """The error description for a failed call."""
        return self.response.get("description")

    def __str__(self) -> str:
        shown = {
            k: (v if len(repr(v)) < 120 else repr(v)[:117] + "...") for k, v in self.params.items()
        }
        outcome = "ok" if self.ok else f"{self.status} {self.description}"
        return f"{self.method}({shown}) -> {outcome}"


@dataclass
class SentMessage:
    """A message the bot sent (``sendMessage``, ``sendDocument``, ``sendPhoto`` ...).

    ``text`` is the text or caption exactly as sent (with HTML markup); ``plain_text`` is what
    the user sees. ``buttons`` are the inline keyboard rows as ``(label, callback_data or url)``.
    Edits by the bot update ``text``/``buttons``/``reply_markup`` in place and are kept in
    ``edits``.
    """

    chat_id: int
    message_id: int
    text: str | None
    parse_mode: str | None
    buttons: list[list[tuple[str, str | None]]]
    method: str
    raw: dict[str, Any]
    message: dict[str, Any]
    reply_markup: dict[str, Any] | None = None
    document: UploadedFile | None = None
    photo: UploadedFile | str | None = None
    deleted: bool = False
    edits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def plain_text(self) -> str:
        """The text as displayed: markup removed and HTML entities decoded."""
        if self.text is None:
            return ""
        if (self.parse_mode or "").upper() == "HTML":
            return parse_html(self.text)[0]
        return self.text

    @property
    def labels(self) -> list[str]:
        """All button labels, row by row."""
        return [label for row in self.buttons for label, _ in row]

    def button(self, label_substring: str) -> str:
        """The callback_data (or url) of the one button whose label contains the substring."""
        needle = label_substring.casefold()
        found = [(lbl, val) for row in self.buttons for lbl, val in row if needle in lbl.casefold()]
        if len(found) != 1:
            raise AssertionError(
                f"expected exactly one button containing {label_substring!r}, found {len(found)}; "
                f"buttons: {self.labels}"
            )
        value = found[0][1]
        if value is None:
            raise AssertionError(f"button {found[0][0]!r} has no callback_data or url")
        return value

    def __str__(self) -> str:
        extra = f" buttons={self.labels}" if self.buttons else ""
        doc = f" document={self.document.filename!r}" if self.document else ""
        return f"#{self.message_id} {self.method}: {self.plain_text!r}{extra}{doc}"


class EntityParseError(ValueError):
    """Text that Telegram would reject with "can't parse entities"."""


class _BadRequest(Exception):
    """An API error: the HTTP status, Telegram's description and, for some errors, its
    ``ResponseParameters`` (e.g. ``retry_after``)."""

    def __init__(
        self, description: str, status: int = 400, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


#: Telegram's descriptions of the server errors a test can ask for.
_SERVER_ERRORS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class _Fault:
    """Answer the next ``remaining`` valid calls of ``methods`` with an error."""

    methods: frozenset[str]  # canonical method names
    status: int
    retry_after: int | None
    remaining: int


# --------------------------------------------------------------------------- entity parsing

_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram's HTML subset like Telegram does.

    Returns the plain text and its ``MessageEntity`` dicts (UTF-16 offsets). Raises
    :class:`EntityParseError` for unsupported or unbalanced tags and malformed attributes.
    Only ``&lt; &gt; &amp; &quot;`` and numeric character references are decoded; any other
    ``&`` stays literal (as Telegram does).
    """
    out: list[str] = []
    out_len = 0  # UTF-16 code units written so far
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[dict[str, Any]] = []
    i, n = 0, len(text)

    def emit(chunk: str) -> None:
        nonlocal out_len
        out.append(chunk)
        out_len += _utf16_len(chunk)

    while i < n:
        char = text[i]
        if char == "&":
            match = _ENTITY_RE.match(text, i)
            decoded: str | None = None
            if match:
                dec, hexa, name = match.groups()
                if name is not None:
                    decoded = _NAMED_ENTITIES.get(name)
                else:
                    code = int(dec) if dec is not None else int(hexa, 16)
                    decoded = chr(code) if 0 < code <= 0x10FFFF else None
            if decoded is None:
                emit("&")
                i += 1
            else:
                emit(decoded)
                i = match.end() if match else i + 1
            continue
        if char != "<":
            emit(char)
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            end = text.find(">", i)
            if end < 0:
                raise EntityParseError(
                    f"Unclosed end tag at byte offset {_byte_offset(text, begin)}"
                )
            name = text[i + 1 : end].strip().lower()
            if not stack:
                raise EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(text, begin)}"
                )
            open_name, start, attrs = stack.pop()
            if name != open_name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{open_name}>", found "</{name}>"'
                )
            if out_len > start:
                entity = _make_entity(open_name, start, out_len - start, attrs)
                inner = entities[-1] if entities else None
                if (
                    open_name == "pre"
                    and inner is not None
                    and inner["type"] == "code"
                    and (inner["offset"], inner["length"]) == (start, out_len - start)
                ):
                    # <pre><code class="language-x"> is one pre entity with a language
                    entities.pop()
                    if "language" in inner:
                        entity["language"] = inner["language"]
                entities.append(entity)
            i = end + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in ">/":
            j += 1
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        name = text[i:j].lower()
        if name not in _HTML_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, begin)}'
            )
        attrs, i = _parse_attributes(text, j, name, begin)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise EntityParseError(f"Invalid custom emoji identifier at byte offset {begin}")
        stack.append((name, out_len, attrs))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_attributes(text: str, i: int, tag: str, begin: int) -> tuple[dict[str, str], int]:
    """Read ``name="value"`` pairs up to ``>``; return them and the index after ``>``."""
    n = len(text)
    attrs: dict[str, str] = {}
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        if text[i] == ">":
            return attrs, i + 1
        start = i
        while i < n and (text[i].isalnum() or text[i] in "-_"):
            i += 1
        attr = text[start:i].lower()
        if not attr:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        while i < n and text[i].isspace():
            i += 1
        if i < n and text[i] != "=":
            attrs[attr] = ""  # e.g. <blockquote expandable>
            continue
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        if text[i] in "'\"":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                raise EntityParseError(
                    f"Unclosed end of attribute value at byte offset {_byte_offset(text, begin)}"
                )
            value = text[i + 1 : end]
            i = end + 1
        else:
            start = i
            while i < n and (text[i].isalnum() or text[i] in "-_.:/?=&#%+"):
                i += 1
            value = text[start:i]
            if not value:
                raise EntityParseError(
                    f'Expected attribute value of the tag "{tag}" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
        attrs[attr] = html.unescape(value)


def _make_entity(tag: str, offset: int, length: int, attrs: dict[str, str]) -> dict[str, Any]:
    kind = _TAG_ENTITY[tag]
    entity: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
    if tag == "a":
        entity["url"] = attrs.get("href", "")
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "code" and attrs.get("class", "").startswith("language-"):
        entity["language"] = attrs["class"].removeprefix("language-")
    return entity


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def parse_markdown_v2(text: str) -> str:
    """A compact MarkdownV2 check: unescaped reserved characters outside markup are rejected,
    ``*_~|`` markers must be balanced. Returns the plain text (approximate for links)."""
    out: list[str] = []
    open_marks: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            if i + 1 >= n:
                raise EntityParseError(
                    "Unexpected end of text: '\\' must be followed by a character"
                )
            out.append(text[i + 1])
            i += 2
            continue
        if char == "`":
            fence = "```" if text.startswith("```", i) else "`"
            end = text.find(fence, i + len(fence))
            if end < 0:
                raise EntityParseError(
                    f"Can't find end of {'Pre' if len(fence) == 3 else 'Code'} entity at byte "
                    f"offset {_byte_offset(text, i)}"
                )
            out.append(text[i + len(fence) : end].replace("\\`", "`").replace("\\\\", "\\"))
            i = end + len(fence)
            continue
        mark = "__" if text.startswith("__", i) else "||" if text.startswith("||", i) else char
        if mark in ("*", "_", "~", "__", "||"):
            if open_marks and open_marks[-1] == mark:
                open_marks.pop()
            else:
                open_marks.append(mark)
            i += len(mark)
            continue
        if char == "[":
            open_marks.append("[")
            i += 1
            continue
        if char == "]" and open_marks and open_marks[-1] == "[":
            open_marks.pop()
            if text.startswith("(", i + 1):
                end = text.find(")", i + 2)
                if end < 0:
                    raise EntityParseError("Can't find end of a URL")
                i = end + 1
            else:
                i += 1
            continue
        if char == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1
            continue
        if char in _MDV2_RESERVED:
            raise EntityParseError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.append(char)
        i += 1
    if open_marks:
        raise EntityParseError(f"Can't find end of the entity starting with {open_marks[-1]!r}")
    return "".join(out)


def _plain_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Apply ``parse_mode`` like Telegram; raise :class:`_BadRequest` on bad markup."""
    if parse_mode is None or parse_mode == "":
        return text, []
    mode = parse_mode.lower()
    try:
        if mode == "html":
            return parse_html(text)
        if mode == "markdownv2":
            return parse_markdown_v2(text), []
    except EntityParseError as exc:
        raise _BadRequest(f"Bad Request: can't parse entities: {exc}") from exc
    if mode == "markdown":
        return re.sub(r"[*_`\[]", "", text), []
    raise _BadRequest(f"Bad Request: unsupported parse_mode {parse_mode!r}")


# --------------------------------------------------------------------------- validation


class _Validator:
    """Checks a call's parameters against the API description and coerces them."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.methods: dict[str, dict[str, Any]] = spec["methods"]
        self.types: dict[str, dict[str, Any]] = spec["types"]
        self.by_lower = {name.lower(): name for name in self.methods}

    def canonical(self, method: str) -> str | None:
        """The method's official spelling (Telegram method names are case-insensitive)."""
        return self.by_lower.get(method.lower())

    def validate(
        self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> dict[str, Any]:
        """Return the coerced parameters (files substituted) or raise :class:`_BadRequest`."""
        fields = {f["name"]: f for f in self.methods[method].get("fields", [])}
        attached = {
            v.removeprefix("attach://") for v in _walk_strings(params) if v.startswith("attach://")
        }
        for name in params:
            if name not in fields:
                raise _BadRequest(f'Bad Request: unknown parameter "{name}" for method {method}')
        for name in files:
            if name not in fields and name not in attached:
                raise _BadRequest(f'Bad Request: unknown file part "{name}" for method {method}')
        merged: dict[str, Any] = {**params, **{k: v for k, v in files.items() if k in fields}}
        for name, spec in fields.items():
            if spec["required"] and name not in merged:
                raise _BadRequest(f'Bad Request: required parameter "{name}" is missing')
        result: dict[str, Any] = {}
        for name, value in merged.items():
            try:
                result[name] = self.coerce(value, fields[name]["types"], files, depth=0)
            except _TypeMismatch as exc:
                raise _BadRequest(
                    f'Bad Request: parameter "{name}" of {method} must be '
                    f"{' or '.join(fields[name]['types'])}: {exc}"
                ) from exc
        return result

    def coerce(
        self, value: Any, types: list[str], files: dict[str, UploadedFile], depth: int
    ) -> Any:
        """Coerce ``value`` to the first of ``types`` that fits."""
        reasons: list[str] = []
        for type_name in types:
            try:
                return self._coerce_one(value, type_name, files, depth)
            except _TypeMismatch as exc:
                reasons.append(str(exc))
        raise _TypeMismatch("; ".join(dict.fromkeys(reasons)))

    def _coerce_one(
        self, value: Any, type_name: str, files: dict[str, UploadedFile], depth: int
    ) -> Any:
        if type_name.startswith("Array of "):
            inner = type_name.removeprefix("Array of ")
            if isinstance(value, str):
                value = _json_or_mismatch(value, "a JSON-serialized array")
            if not isinstance(value, list):
                raise _TypeMismatch(f"expected an array, got {type(value).__name__}")
            return [self.coerce(item, [inner], files, depth + 1) for item in value]
        if type_name == "Integer":
            if isinstance(value, bool):
                raise _TypeMismatch("expected an integer, got a boolean")
            if isinstance(value, int):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
                return int(value)
            raise _TypeMismatch(f"expected an integer, got {value!r:.40}")
        if type_name == "Float":
            if isinstance(value, bool):
                raise _TypeMismatch("expected a number, got a boolean")
            if isinstance(value, int | float):
                return float(value)
            if isinstance(value, str):
                try:
                    return float(value)
                except ValueError:
                    pass
            raise _TypeMismatch(f"expected a number, got {value!r:.40}")
        if type_name in ("Boolean", "True"):
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
                return value.lower() in ("true", "1")
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            raise _TypeMismatch(f"expected a boolean, got {value!r:.40}")
        if type_name == "String":
            if isinstance(value, str):
                return value
            if isinstance(value, int | float) and not isinstance(value, bool):
                return str(value)
            raise _TypeMismatch(f"expected a string, got {type(value).__name__}")
        if type_name == "InputFile":
            if isinstance(value, UploadedFile):
                return value
            if isinstance(value, str) and value.startswith("attach://"):
                name = value.removeprefix("attach://")
                if name in files:
                    return files[name]
                raise _TypeMismatch(f"no multipart part named {name!r}")
            raise _TypeMismatch("expected an uploaded file")
        spec = self.types.get(type_name)
        if spec is None:
            return value  # a type the description does not define: accept
        if type_name == "KeyboardButton" and isinstance(value, str):
            return value
        if isinstance(value, str):
            value = _json_or_mismatch(value, f"a JSON-serialized {type_name}")
        if not isinstance(value, dict):
            raise _TypeMismatch(f"expected a {type_name} object, got {type(value).__name__}")
        if "subtypes" in spec:
            reasons = []
            for sub in spec["subtypes"]:
                try:
                    return self._coerce_one(value, sub, files, depth)
                except _TypeMismatch as exc:
                    reasons.append(f"{sub}: {exc}")
            raise _TypeMismatch(f"matches no kind of {type_name} ({'; '.join(reasons)})")
        fields = {f["name"]: f for f in spec.get("fields", [])}
        for key in value:
            if key not in fields:
                raise _TypeMismatch(f"{type_name} has no field {key!r}")
        for name, fspec in fields.items():
            if fspec["required"] and name not in value:
                raise _TypeMismatch(f"{type_name} needs field {name!r}")
        if depth > 8:
            return value
        coerced = {
            k: self.coerce(v, fields[k]["types"], files, depth + 1) for k, v in value.items()
        }
        # Subtypes carry a fixed "type" discriminator such as "chat" or "all_private_chats".
        if "subtype_of" in spec and "type" in fields and isinstance(coerced.get("type"), str):
            expected = _discriminator(fields["type"].get("description", ""))
            if expected is not None and coerced["type"] != expected:
                raise _TypeMismatch(f"type must be {expected!r} for {type_name}")
        return coerced


class _TypeMismatch(Exception):
    """A value does not fit a type of the description."""


def _discriminator(description: str) -> str | None:
    match = re.search(r'(?:must be|always) [“"]?([a-z_]+)[”"]?', description)
    return match.group(1) if match else None


def _json_or_mismatch(value: str, what: str) -> Any:
    try:
        return json.loads(value)
    except ValueError as exc:
        raise _TypeMismatch(f"expected {what}") from exc


def _walk_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        if value.startswith(("{", "[")):
            with contextlib.suppress(ValueError):
                yield from _walk_strings(json.loads(value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_strings(item)


def _check_reply_markup(markup: dict[str, Any], *, inline_only: bool = False) -> None:
    """Telegram's rules for keyboards beyond the field types."""
    if "inline_keyboard" in markup:
        for row in markup["inline_keyboard"]:
            if not isinstance(row, list):
                raise _BadRequest("Bad Request: inline keyboard rows must be arrays")
            for button in row:
                text = button.get("text", "")
                if not text.strip():
                    raise _BadRequest("Bad Request: BUTTON_TEXT_EMPTY (a button label is empty)")
                actions = [key for key in _BUTTON_ACTIONS if key in button]
                if len(actions) != 1:
                    raise _BadRequest(
                        "Bad Request: can't parse inline keyboard button: exactly one of "
                        f"{', '.join(_BUTTON_ACTIONS)} must be set (button {text!r} has "
                        f"{actions or 'none'})"
                    )
                if "callback_data" in button:
                    size = len(button["callback_data"].encode("utf-8"))
                    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                        raise _BadRequest(
                            f"Bad Request: BUTTON_DATA_INVALID (callback_data of button {text!r} "
                            f"is {size} bytes; allowed 1-{MAX_CALLBACK_DATA_BYTES})"
                        )
                if "url" in button and not re.match(r"^(https?|tg)://\S+$", button["url"]):
                    raise _BadRequest(f"Bad Request: BUTTON_URL_INVALID ({button['url']!r})")
        return
    if inline_only:
        raise _BadRequest("Bad Request: only an inline keyboard is allowed here")
    if "keyboard" in markup:
        for row in markup["keyboard"]:
            for button in row:
                label = button if isinstance(button, str) else button.get("text", "")
                if not label.strip():
                    raise _BadRequest("Bad Request: keyboard button text is empty")


def _buttons(markup: dict[str, Any] | None) -> list[list[tuple[str, str | None]]]:
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        [(b["text"], b.get("callback_data", b.get("url"))) for b in row]
        for row in markup["inline_keyboard"]
    ]


# --------------------------------------------------------------------------- the server


class FakeTelegram:
    """An in-memory Telegram Bot API server on 127.0.0.1 (see the module docstring)."""

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_username: str = BOT_USERNAME,
        bot_first_name: str = "Steunwijzer",
        host: str = "127.0.0.1",
        port: int = 0,
        spec_path: str | os.PathLike[str] | None = None,
        strict_chats: bool = True,
    ) -> None:
        """Configure the fake; nothing listens until :meth:`start` (or ``async with``).

        ``token``: if given, only this token is accepted (401 otherwise); by default any
        well-formed token is. ``strict_chats``: messages to chats the test never created
        (via :meth:`user`, :meth:`private_chat`, :meth:`group_chat`) get "chat not found".
        """
        self.token = token or DEFAULT_TOKEN
        self._only_token = token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = host
        self.port = port
        self.strict_chats = strict_chats
        self._validator = _Validator(load_api_spec(spec_path))
        self._runner: web.AppRunner | None = None
        self._cond: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing = False
        # state
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._poll_generation = 0
        self._waiting_polls = 0
        self._calls: list[Call] = []
        self._sent: list[SentMessage] = []
        self._consumed: dict[int, int] = {}
        self._call_cursor: dict[str, int] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._users: dict[int, FakeUser] = {}
        self._chats: dict[int, FakeChat] = {}
        self._blocked: set[int] = set()
        self._callback_queries: dict[str, dict[str, Any]] = {}
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._user_files: dict[str, tuple[str, UploadedFile]] = {}
        self._chat_actions: dict[int, list[str]] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[str, dict[str, str]] = {
            "description": {},
            "short_description": {},
            "name": {},
        }
        self.webhook: dict[str, Any] | None = None
        #: (update_id, the bot's HTTP status; 0 when it could not be reached) per delivery.
        self.webhook_deliveries: list[tuple[int, int]] = []
        self._webhook_client: ClientSession | None = None
        self._delivery_lock = asyncio.Lock()
        self.logged_out = False
        self._faults: list[_Fault] = []

    # ------------------------------------------------------------------ lifecycle

    @property
    def bot_id(self) -> int:
        """The bot's user id (the number before ``:`` in the token)."""
        return int(self.token.split(":", 1)[0])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` once started."""
        if self._runner is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        """The base URL for the bot (``base_url`` in PTB, ``STEUNWIJZER_TELEGRAM_API_BASE_URL``)."""
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        """The file download base URL (``base_file_url`` in PTB)."""
        return f"{self.url}/file/bot"

    def subprocess_env(self) -> dict[str, str]:
        """Environment variables that point a bot subprocess at this fake."""
        return {
            "STEUNWIJZER_TELEGRAM_API_BASE_URL": self.api_base_url,
            "STEUNWIJZER_TELEGRAM_TOKEN": self.token,
            "STEUNWIJZER_TELEGRAM_BOT_USERNAME": self.bot_username,
        }

    async def start(self) -> FakeTelegram:
        """Listen on a free port of 127.0.0.1 in the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._cond = asyncio.Condition()
        self._closing = False
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a long poll whose client went away (PTB cancelled it) ends.
        runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log=None,
            handler_cancellation=True,
            shutdown_timeout=1.0,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Wake pending long polls (they return ``[]``) and close the server."""
        if self._runner is None:
            return
        self._closing = True
        await self._notify()
        if self._webhook_client is not None:
            await self._webhook_client.close()
            self._webhook_client = None
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @classmethod
    @contextlib.contextmanager
    def threaded(cls, **kwargs: Any) -> Iterator[ThreadedFakeTelegram]:
        """Run the fake in a background thread with its own event loop (for sync tests)."""
        wrapper = ThreadedFakeTelegram(cls(**kwargs))
        wrapper.start()
        try:
            yield wrapper
        finally:
            wrapper.stop()

    # ------------------------------------------------------------------ test-side: people

    def user(
        self,
        id: int,
        *,
        first_name: str = "Test",
        language_code: str | None = "nl",
        username: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        """A Telegram user; their private chat with the bot (same id) becomes known."""
        person = FakeUser(id, first_name, language_code, username, last_name)
        self._users[id] = person
        self.private_chat(person)
        return person

    def private_chat(self, user: FakeUser) -> FakeChat:
        """The private chat between ``user`` and the bot."""
        chat = FakeChat(user.id, "private", first_name=user.first_name, username=user.username)
        self._chats[chat.id] = chat
        return chat

    def group_chat(
        self, id: int, title: str = "Test group", *, supergroup: bool = True
    ) -> FakeChat:
        """A group (negative id by convention, e.g. ``-100123``) the bot is a member of."""
        chat = FakeChat(id, "supergroup" if supergroup else "group", title=title)
        self._chats[id] = chat
        return chat

    def fail_next(
        self,
        methods: str | list[str] | tuple[str, ...],
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next ``times`` valid calls of ``methods`` (e.g. ``"sendMessage"``) with
        an error, as Telegram does under load: ``429`` (``retry_after`` seconds required, sent
        as ``parameters.retry_after``) or a server error (500, 502, 503, 504). The calls are
        still validated first (an invalid call gets its 400) and recorded; nothing is sent.
        Faults queue up: a later ``fail_next`` applies once the earlier ones are used up.
        """
        names = [methods] if isinstance(methods, str) else list(methods)
        canonical = []
        for name in names:
            found = self._validator.canonical(name)
            if found is None:
                raise ValueError(f"unknown Bot API method {name!r}")
            canonical.append(found)
        if status == 429:
            if retry_after is None or retry_after < 1:
                raise ValueError("a 429 needs retry_after (whole seconds, at least 1)")
            # The answer's parameters must fit ResponseParameters of the API description.
            self._validator.coerce({"retry_after": retry_after}, ["ResponseParameters"], {}, 0)
        elif status not in _SERVER_ERRORS:
            raise ValueError(f"status {status} is not 429 or one of {sorted(_SERVER_ERRORS)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        self._faults.append(
            _Fault(frozenset(canonical), status, retry_after if status == 429 else None, times)
        )

    def clear_faults(self) -> None:
        """Forget the faults not used yet."""
        self._faults.clear()

    def _take_fault(self, method: str) -> None:
        """Raise the error of the first pending fault for ``method``, if any."""
        for fault in self._faults:
            if method in fault.methods and fault.remaining > 0:
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                if fault.status == 429:
                    raise _BadRequest(
                        f"Too Many Requests: retry after {fault.retry_after}",
                        429,
                        {"retry_after": fault.retry_after},
                    )
                raise _BadRequest(_SERVER_ERRORS[fault.status], fault.status)

    def block(self, user: FakeUser) -> None:
        """The user blocks the bot: sending to them answers 403 like Telegram."""
        self._blocked.add(user.id)

    def unblock(self, user: FakeUser) -> None:
        """The user unblocks the bot."""
        self._blocked.discard(user.id)

    # ------------------------------------------------------------------ test-side: updates

    async def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (``update_id`` is assigned) and wake a waiting ``getUpdates``,
        or, with a webhook set, deliver it to the webhook at once."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        await self._notify()
        if self.webhook is not None:
            await self._deliver_to_webhook()
        return update

    async def _deliver_to_webhook(self) -> None:
        """Telegram's side of webhook mode: POST each pending update, in order, to the
        webhook URL with the secret token header (when one was set). An update the bot does
        not accept (not 2xx) stays pending, and so do the ones after it, until the next try."""
        assert self.webhook is not None
        headers = {"Content-Type": "application/json"}
        if self.webhook.get("secret_token"):
            headers[WEBHOOK_SECRET_HEADER] = self.webhook["secret_token"]
        async with self._delivery_lock:
            if self._webhook_client is None:
                self._webhook_client = ClientSession(timeout=ClientTimeout(total=30))
            for update in list(self._deliverable()):
                try:
                    async with self._webhook_client.post(
                        self.webhook["url"], data=json.dumps(update), headers=headers
                    ) as response:
                        status = response.status
                except (ClientError, TimeoutError):
                    status = 0
                self.webhook_deliveries.append((update["update_id"], status))
                if not 200 <= status < 300:
                    return
                self._updates.remove(update)

    def _chat_for(self, user: FakeUser, chat: FakeChat | None) -> FakeChat:
        if user.id not in self._users:
            self._users[user.id] = user
        if chat is None:
            return self._chats.get(user.id) or self.private_chat(user)
        self._chats.setdefault(chat.id, chat)
        return chat

    def _user_message(
        self, user: FakeUser, chat: FakeChat | None, content: dict[str, Any]
    ) -> dict[str, Any]:
        target = self._chat_for(user, chat)
        message = {
            "message_id": self._next_message_id(target.id),
            "from": user.to_api(),
            "chat": target.to_api(),
            "date": int(time.time()),
            **content,
        }
        self._messages[(target.id, message["message_id"])] = message
        return message

    async def send_text(
        self,
        user: FakeUser,
        text: str,
        chat: FakeChat | None = None,
        *,
        entities: list[dict[str, Any]] | None = None,
        reply_to_message_id: int | None = None,
        forward_origin: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The user sends a text message (``forward_origin``: one they forward); returns the
        queued ``Update``."""
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        if forward_origin is not None:
            content["forward_origin"] = forward_origin
        if reply_to_message_id is not None:
            target = self._chat_for(user, chat)
            replied = self._messages.get((target.id, reply_to_message_id))
            if replied is None:
                raise AssertionError(f"no message {reply_to_message_id} in chat {target.id}")
            content["reply_to_message"] = replied
        return await self.push_update({"message": self._user_message(user, chat, content)})

    async def send_command(
        self,
        user: FakeUser,
        command: str,
        payload: str | None = None,
        chat: FakeChat | None = None,
    ) -> dict[str, Any]:
        """The user sends ``/command [payload]`` (with a ``bot_command`` entity)."""
        command = command if command.startswith("/") else f"/{command}"
        text = f"{command} {payload}" if payload else command
        entity = {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
        return await self.send_text(user, text, chat, entities=[entity])

    async def send_text_in_group(
        self, user: FakeUser, group: FakeChat, text: str
    ) -> dict[str, Any]:
        """The user writes ``text`` in a group the bot is in."""
        return await self.send_text(user, text, group)

    async def press_button(
        self,
        user: FakeUser,
        message: SentMessage | int,
        callback_data: str | None = None,
        *,
        label: str | None = None,
        chat: FakeChat | None = None,
        forged: bool = False,
    ) -> dict[str, Any]:
        """The user taps an inline button of one of the bot's messages.

        Pass ``callback_data`` or ``label`` (a substring). Like a real client, only buttons the
        message currently shows can be pressed (AssertionError otherwise). ``forged``: a
        modified client sends data of its own for a message with buttons, as the MTProto API
        allows (any 1-64 bytes); Telegram passes it on unchanged.
        """
        if isinstance(message, SentMessage):
            chat_id, message_id = message.chat_id, message.message_id
        else:
            chat_id, message_id = self._chat_for(user, chat).id, message
        stored = self._messages.get((chat_id, message_id))
        current = next(
            (m for m in self._sent if m.chat_id == chat_id and m.message_id == message_id), None
        )
        if stored is None or current is None or current.deleted:
            raise AssertionError(
                f"the bot has no (undeleted) message {message_id} in chat {chat_id}"
            )
        if label is not None:
            callback_data = current.button(label)
        shown = [value for row in current.buttons for _, value in row]
        if forged:
            if not shown or not 1 <= len((callback_data or "").encode()) <= 64:
                raise AssertionError("forged callback data needs a message with buttons and "
                                     "1-64 bytes of data")
        elif callback_data not in shown:
            raise AssertionError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"buttons: {current.buttons}"
            )
        query_id = f"cbq{next(self._callback_ids)}"
        query = {
            "id": query_id,
            "from": user.to_api(),
            "message": stored,
            "chat_instance": f"ci{chat_id}",
            "data": callback_data,
        }
        self._callback_queries[query_id] = {
            "answered": False,
            "answer": None,
            "data": callback_data,
        }
        return await self.push_update({"callback_query": query})

    async def send_sticker(
        self, user: FakeUser, emoji: str = "👍", chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """The user sends a sticker."""
        sticker = {
            **self._file_object("sticker", "sticker.webp", b"RIFF"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self.push_update(
            {"message": self._user_message(user, chat, {"sticker": sticker})}
        )

    async def send_photo(
        self,
        user: FakeUser,
        caption: str | None = None,
        chat: FakeChat | None = None,
        *,
        data: bytes = b"\xff\xd8\xff fake jpeg",
    ) -> dict[str, Any]:
        """The user sends a photo (optionally with a caption)."""
        photo = {**self._file_object("photos", "photo.jpg", data), "width": 90, "height": 90}
        content: dict[str, Any] = {"photo": [photo]}
        if caption:
            content["caption"] = caption
        return await self.push_update({"message": self._user_message(user, chat, content)})

    async def send_voice(
        self, user: FakeUser, duration: int = 3, chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """The user sends a voice note."""
        voice = {
            **self._file_object("voice", "voice.oga", b"OggS"),
            "duration": duration,
            "mime_type": "audio/ogg",
        }
        return await self.push_update({"message": self._user_message(user, chat, {"voice": voice})})

    async def send_document(
        self,
        user: FakeUser,
        filename: str = "document.pdf",
        data: bytes = b"%PDF-1.4 fake",
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat: FakeChat | None = None,
    ) -> dict[str, Any]:
        """The user sends a file (downloadable by the bot with ``getFile``)."""
        document = {
            **self._file_object("documents", filename, data),
            "file_name": filename,
            "mime_type": mime_type,
        }
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return await self.push_update({"message": self._user_message(user, chat, content)})

    async def send_location(
        self, user: FakeUser, latitude: float, longitude: float, chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """The user shares a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return await self.push_update(
            {"message": self._user_message(user, chat, {"location": location})}
        )

    async def edit_text(
        self, user: FakeUser, message_id: int, new_text: str, chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """The user edits one of their earlier text messages (an ``edited_message`` update)."""
        target = self._chat_for(user, chat)
        original = self._messages.get((target.id, message_id))
        if original is None or original.get("from", {}).get("id") != user.id:
            raise AssertionError(f"user {user.id} has no message {message_id} in chat {target.id}")
        edited = {**original, "text": new_text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        self._messages[(target.id, message_id)] = edited
        return await self.push_update({"edited_message": edited})

    async def bot_added_to_group(self, user: FakeUser, group: FakeChat) -> dict[str, Any]:
        """``user`` adds the bot to ``group`` (a ``my_chat_member`` update)."""
        self._chats[group.id] = group
        bot = self._bot_user()
        return await self.push_update(
            {
                "my_chat_member": {
                    "chat": group.to_api(),
                    "from": user.to_api(),
                    "date": int(time.time()),
                    "old_chat_member": {"status": "left", "user": bot},
                    "new_chat_member": {"status": "member", "user": bot},
                }
            }
        )

    def _file_object(self, folder: str, filename: str, data: bytes) -> dict[str, Any]:
        number = next(self._file_ids)
        file_id = f"FILE{number:06d}"
        suffix = Path(filename).suffix
        self._user_files[file_id] = (
            f"{folder}/file_{number}{suffix}",
            UploadedFile(filename, data),
        )
        return {"file_id": file_id, "file_unique_id": f"U{number:06d}", "file_size": len(data)}

    # ------------------------------------------------------------------ test-side: observing

    def calls(self, method: str | None = None) -> list[Call]:
        """All calls (accepted and rejected), optionally of one method."""
        if method is None:
            return list(self._calls)
        return [c for c in self._calls if c.method.lower() == method.lower()]

    @property
    def rejected(self) -> list[Call]:
        """Calls Telegram would refuse as invalid (400, 401, 404). Simulated conditions, such
        as 403 for a blocked user or 409 for a concurrent ``getUpdates``, are not included."""
        return [c for c in self._calls if c.status in (400, 401, 404)]

    @property
    def conflicts(self) -> list[Call]:
        """``getUpdates`` calls ended by a newer ``getUpdates`` (409, two bots polling)."""
        return [c for c in self._calls if c.status == 409]

    def sent(self, chat: int | FakeUser | FakeChat) -> list[SentMessage]:
        """All messages the bot sent to the chat so far (including deleted ones)."""
        chat_id = _chat_id(chat)
        return [m for m in self._sent if m.chat_id == chat_id]

    def chat_actions(self, chat: int | FakeUser | FakeChat) -> list[str]:
        """The ``sendChatAction`` actions for the chat, in order."""
        return list(self._chat_actions.get(_chat_id(chat), []))

    def commands(
        self, language_code: str = "", scope: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """The commands set with ``setMyCommands`` for a language (``""`` = default) and scope."""
        return list(self._commands.get((_scope_key(scope), language_code), []))

    def unanswered_callback_queries(self) -> list[str]:
        """The callback_data of button presses the bot has not answered (yet)."""
        return [q["data"] for q in self._callback_queries.values() if not q["answered"]]

    def callback_answers(self) -> list[dict[str, Any]]:
        """The ``answerCallbackQuery`` parameters, in order of the presses."""
        return [q["answer"] for q in self._callback_queries.values() if q["answered"]]

    @property
    def waiting_polls(self) -> int:
        """How many ``getUpdates`` requests are waiting right now (0 or 1 for a sane bot)."""
        return self._waiting_polls

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (via a higher ``getUpdates`` offset)."""
        return list(self._updates)

    def take_updates(self) -> list[dict[str, Any]]:
        """Hand over the pending updates and forget them, for a test that feeds them to an
        in-process application itself (``Application.process_update``, one at a time)."""
        taken, self._updates = self._deliverable(), []
        return taken

    async def wait_for_messages(
        self, chat: int | FakeUser | FakeChat, count: int = 1, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Wait until the bot has sent ``count`` more messages to the chat and return them.

        Messages are consumed: the next call returns the ones after these. On timeout an
        AssertionError lists what the chat received and any rejected calls.
        """
        chat_id = _chat_id(chat)
        start = self._consumed.get(chat_id, 0)

        def ready() -> bool:
            return len(self.sent(chat_id)) - start >= count

        if not await self._wait(ready, timeout):
            got = self.sent(chat_id)
            lines = [f"  {m}" for m in got[start:]] or ["  (nothing new)"]
            raise AssertionError(
                f"waited {timeout}s for {count} message(s) to chat {chat_id}, "
                f"got {len(got) - start}:\n" + "\n".join(lines) + self._rejected_summary()
            )
        self._consumed[chat_id] = start + count
        return self.sent(chat_id)[start : start + count]

    async def wait_for_call(
        self,
        method: str,
        *,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,
    ) -> Call:
        """Wait for the next call of ``method`` (after the one this returned last time)."""
        key = method.lower()

        def matches() -> list[int]:
            return [
                i
                for i, c in enumerate(self._calls)
                if i >= self._call_cursor.get(key, 0)
                and c.method.lower() == key
                and (predicate is None or predicate(c))
            ]

        if not await self._wait(lambda: bool(matches()), timeout):
            seen = "\n".join(f"  {c}" for c in self.calls(method)) or "  (none)"
            raise AssertionError(
                f"waited {timeout}s for a {method} call; so far:\n{seen}" + self._rejected_summary()
            )
        index = matches()[0]
        self._call_cursor[key] = index + 1
        return self._calls[index]

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait (re-checked after every call of the bot) until ``condition()`` is true."""
        if not await self._wait(condition, timeout):
            raise AssertionError(f"condition not met within {timeout}s" + self._rejected_summary())

    def assert_no_rejected(self) -> None:
        """Fail with the list of rejected calls, if any."""
        if self.rejected:
            raise AssertionError("the bot made invalid calls:" + self._rejected_summary())

    def _rejected_summary(self) -> str:
        if not self.rejected:
            return ""
        return "\nrejected calls:\n" + "\n".join(f"  {c}" for c in self.rejected)

    async def _wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        assert self._cond is not None, "FakeTelegram is not started"
        async with self._cond:
            try:
                async with asyncio.timeout(timeout):
                    await self._cond.wait_for(condition)
            except TimeoutError:
                return condition()
        return True

    async def _notify(self) -> None:
        if self._cond is None:
            return
        async with self._cond:
            self._cond.notify_all()

    # ------------------------------------------------------------------ HTTP side

    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, UploadedFile], str]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.method != "POST" or not request.can_read_body:
            return params, files, "query"
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                raise _BadRequest("Bad Request: can't parse JSON body") from exc
            if not isinstance(body, dict):
                raise _BadRequest("Bad Request: the JSON body must be an object")
            params.update(body)
            return params, files, "json"
        if ctype == "multipart/form-data":
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader) or part.name is None:
                    continue  # nested multipart: Telegram does not use it
                data = bytes(await part.read())
                if part.filename is not None:
                    files[part.name] = UploadedFile(
                        part.filename, data, part.headers.get("Content-Type")
                    )
                else:
                    params[part.name] = data.decode("utf-8")
            return params, files, "multipart"
        form = await request.post()
        for key, value in form.items():
            params[key] = value if isinstance(value, str) else str(value)
        return params, files, "form"

    async def _handle_method(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        raw_method = request.match_info["method"]
        params: dict[str, Any] = {}
        coerced: dict[str, Any] | None = None
        files: dict[str, UploadedFile] = {}
        encoding = "?"
        method = self._validator.canonical(raw_method) or raw_method
        try:
            if not TOKEN_RE.match(token) or (self._only_token and token != self._only_token):
                raise _BadRequest("Unauthorized", 401)
            if self.logged_out:
                raise _BadRequest("Unauthorized", 401)
            params, files, encoding = await self._read_params(request)
            if self._validator.canonical(raw_method) is None:
                raise _BadRequest(f"Not Found: method {raw_method}", 404)
            coerced = self._validator.validate(method, params, files)
            self._take_fault(method)
            result = await self._dispatch(method, coerced)
            status, response = 200, {"ok": True, "result": result}
        except _BadRequest as exc:
            status = exc.status
            response = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.parameters:
                response["parameters"] = exc.parameters
        # Accepted calls keep the coerced parameters (ints, dicts); rejected ones the raw ones.
        recorded = coerced if coerced is not None else params
        self._calls.append(Call(method, recorded, files, status, response, encoding, token))
        await self._notify()
        return web.json_response(response, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        for file_path, upload in self._user_files.values():
            if file_path == path:
                return web.Response(body=upload.data)
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # ------------------------------------------------------------------ method behaviour

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return True
        return await handler(params)

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _target_chat(self, chat_id: Any) -> FakeChat:
        if isinstance(chat_id, str) and not re.fullmatch(r"-?\d+", chat_id):
            for chat in self._chats.values():
                if chat.username and f"@{chat.username}" == chat_id:
                    return chat
            raise _BadRequest("Bad Request: chat not found")
        cid = int(chat_id)
        if cid in self._blocked:
            raise _BadRequest("Forbidden: bot was blocked by the user", 403)
        chat = self._chats.get(cid)
        if chat is None:
            if self.strict_chats:
                raise _BadRequest("Bad Request: chat not found")
            chat = self._chats[cid] = FakeChat(cid, "private" if cid > 0 else "supergroup")
        return chat

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        assert self._cond is not None
        offset = params.get("offset")
        limit = max(1, min(100, params.get("limit", 100)))
        timeout = max(0, params.get("timeout", 0))
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED_UPDATES
        if self.webhook is not None:
            raise _BadRequest(
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
                409,
            )
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation

        def ready() -> bool:
            return bool(self._deliverable()) or self._closing or generation != self._poll_generation

        self._waiting_polls += 1
        try:
            await self._notify()  # ends an older long poll (409, as Telegram does)
            await self._wait(ready, timeout)
        finally:
            self._waiting_polls -= 1
        if generation != self._poll_generation and not self._closing:
            raise _BadRequest(
                "Conflict: terminated by other getUpdates request; make sure that only one "
                "bot instance is running",
                409,
            )
        return self._deliverable()[:limit]

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        else:
            self._updates = self._updates[offset:]

    def _deliverable(self) -> list[dict[str, Any]]:
        allowed = [u for u in self._updates if _update_kind(u) in self._allowed_updates]
        if len(allowed) != len(self._updates):
            self._updates = allowed  # Telegram never delivers updates of other kinds
        return allowed

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        secret = params.get("secret_token")
        if secret is not None and not WEBHOOK_SECRET_RE.fullmatch(secret):
            raise _BadRequest("Bad Request: secret token contains unallowed characters")
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED_UPDATES
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if not params.get("url"):  # "Use an empty string to remove webhook integration."
            self.webhook = None
            return True
        self.webhook = {k: v for k, v in params.items() if not isinstance(v, UploadedFile)}
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_logOut(self, params: dict[str, Any]) -> Any:
        self.logged_out = True
        return True

    async def _api_close(self, params: dict[str, Any]) -> Any:
        return True

    @staticmethod
    def _check_text(
        text: str, parse_mode: str | None, limit: int, what: str
    ) -> tuple[str, list[dict[str, Any]]]:
        """Parse entities and check the length like Telegram (characters after parsing)."""
        plain, entities = _plain_text(text, parse_mode)
        stripped = plain.strip()
        if what == "text" and not stripped:
            raise _BadRequest("Bad Request: message text is empty")
        if len(stripped) > limit:
            noun = "message caption" if what == "caption" else "message"
            raise _BadRequest(
                f"Bad Request: {noun} is too long ({len(stripped)} characters after entity "
                f"parsing, at most {limit})"
            )
        return plain, entities

    def _store_sent(
        self,
        method: str,
        params: dict[str, Any],
        content: dict[str, Any],
        text: str | None,
        *,
        document: UploadedFile | None = None,
        photo: UploadedFile | str | None = None,
    ) -> dict[str, Any]:
        chat = self._target_chat(params["chat_id"])
        markup = params.get("reply_markup")
        if markup is not None:
            _check_reply_markup(markup)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat.id),
            "from": self._bot_user(),
            "chat": chat.to_api(),
            "date": int(time.time()),
            **content,
        }
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat.id, message["message_id"])] = message
        self._sent.append(
            SentMessage(
                chat_id=chat.id,
                message_id=message["message_id"],
                text=text,
                parse_mode=params.get("parse_mode"),
                buttons=_buttons(markup),
                method=method,
                raw=dict(params),
                message=message,
                reply_markup=markup,
                document=document,
                photo=photo,
            )
        )
        return message

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        plain, entities = self._check_text(
            params["text"], params.get("parse_mode"), MAX_TEXT, "text"
        )
        content: dict[str, Any] = {"text": plain}
        if entities or params.get("entities"):
            content["entities"] = entities or params["entities"]
        return self._store_sent("sendMessage", params, content, params["text"])

    def _caption_content(self, params: dict[str, Any]) -> dict[str, Any]:
        if "caption" not in params:
            return {}
        plain, entities = self._check_text(
            params["caption"], params.get("parse_mode"), MAX_CAPTION, "caption"
        )
        content: dict[str, Any] = {"caption": plain}
        if entities:
            content["caption_entities"] = entities
        return content

    async def _api_sendDocument(self, params: dict[str, Any]) -> Any:
        document = params["document"]
        upload = document if isinstance(document, UploadedFile) else None
        filename = upload.filename if upload else "document"
        size = len(upload.data) if upload else 0
        file_obj = {
            **self._file_object(
                "documents", filename or "document", upload.data if upload else b""
            ),
            "file_name": filename,
            "file_size": size,
        }
        if upload and upload.content_type:
            file_obj["mime_type"] = upload.content_type
        content = {"document": file_obj, **self._caption_content(params)}
        return self._store_sent(
            "sendDocument", params, content, params.get("caption"), document=upload
        )

    async def _api_sendPhoto(self, params: dict[str, Any]) -> Any:
        photo = params["photo"]
        data = photo.data if isinstance(photo, UploadedFile) else b""
        file_obj = {**self._file_object("photos", "photo.jpg", data), "width": 90, "height": 90}
        content = {"photo": [file_obj], **self._caption_content(params)}
        return self._store_sent("sendPhoto", params, content, params.get("caption"), photo=photo)

    async def _api_sendLocation(self, params: dict[str, Any]) -> Any:
        content = {"location": {"latitude": params["latitude"], "longitude": params["longitude"]}}
        return self._store_sent("sendLocation", params, content, None)

    async def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params["chat_id"])
        self._chat_actions.setdefault(chat.id, []).append(params["action"])
        return True

    def _sent_message(self, params: dict[str, Any], what: str) -> SentMessage:
        if "inline_message_id" in params:
            raise _BadRequest("Bad Request: inline messages are not supported by the fake")
        if "chat_id" not in params or "message_id" not in params:
            raise _BadRequest("Bad Request: chat_id and message_id are required")
        chat = self._target_chat(params["chat_id"])
        for message in self._sent:
            if (
                message.chat_id == chat.id
                and message.message_id == params["message_id"]
                and not message.deleted
            ):
                return message
        raise _BadRequest(f"Bad Request: message to {what} not found")

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        if "text" not in params:
            raise _BadRequest("Bad Request: text is required (rich messages are not supported)")
        sent = self._sent_message(params, "edit")
        plain, entities = self._check_text(
            params["text"], params.get("parse_mode"), MAX_TEXT, "text"
        )
        markup = params.get("reply_markup")
        if markup is not None:
            _check_reply_markup(markup, inline_only=True)
        old_plain = sent.message.get("text")
        if (
            plain == old_plain
            and sent.message.get("entities", []) == entities
            and (markup == sent.message.get("reply_markup"))
        ):
            raise _BadRequest(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        sent.edits.append(dict(params))
        sent.text, sent.parse_mode = params["text"], params.get("parse_mode")
        sent.message["text"] = plain
        sent.message["edit_date"] = int(time.time())
        if entities:
            sent.message["entities"] = entities
        else:
            sent.message.pop("entities", None)
        self._set_markup(sent, markup)
        return sent.message

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        sent = self._sent_message(params, "edit")
        markup = params.get("reply_markup")
        if markup is not None:
            _check_reply_markup(markup, inline_only=True)
        if markup == sent.message.get("reply_markup") or (
            not markup and "reply_markup" not in sent.message
        ):
            raise _BadRequest(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        sent.edits.append(dict(params))
        self._set_markup(sent, markup)
        return sent.message

    def _set_markup(self, sent: SentMessage, markup: dict[str, Any] | None) -> None:
        if markup and markup.get("inline_keyboard"):
            sent.message["reply_markup"] = markup
        else:
            sent.message.pop("reply_markup", None)
        sent.reply_markup = markup
        sent.buttons = _buttons(markup)

    async def _api_deleteMessage(self, params: dict[str, Any]) -> Any:
        sent = self._sent_message(params, "delete")
        sent.deleted = True
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query = self._callback_queries.get(params["callback_query_id"])
        if query is None or query["answered"]:
            raise _BadRequest(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        if len(params.get("text", "")) > MAX_CALLBACK_ANSWER:
            raise _BadRequest("Bad Request: MESSAGE_TOO_LONG (callback answer over 200 characters)")
        query["answered"], query["answer"] = True, dict(params)
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        commands = params["commands"]
        if len(commands) > 100:
            raise _BadRequest("Bad Request: too many commands (at most 100)")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise _BadRequest(f"Bad Request: BOT_COMMAND_INVALID ({command['command']!r})")
            if not 1 <= len(command["description"]) <= 256:
                raise _BadRequest(
                    f"Bad Request: command description must be 1-256 characters "
                    f"({command['command']!r})"
                )
        language = _language(params)
        self._commands[(_scope_key(params.get("scope")), language)] = list(commands)
        return True

    async def _api_getMyCommands(self, params: dict[str, Any]) -> Any:
        return self.commands(_language(params), params.get("scope"))

    async def _api_deleteMyCommands(self, params: dict[str, Any]) -> Any:
        self._commands.pop((_scope_key(params.get("scope")), _language(params)), None)
        return True

    async def _set_text_setting(self, params: dict[str, Any], key: str, limit: int) -> Any:
        value = params.get(key, "")
        if len(value) > limit:
            raise _BadRequest(f"Bad Request: {key} is too long ({len(value)} > {limit})")
        language = _language(params)
        if value:
            self.descriptions[key][language] = value
        else:
            self.descriptions[key].pop(language, None)
        return True

    async def _api_setMyDescription(self, params: dict[str, Any]) -> Any:
        return await self._set_text_setting(params, "description", 512)

    async def _api_setMyShortDescription(self, params: dict[str, Any]) -> Any:
        return await self._set_text_setting(params, "short_description", 120)

    async def _api_setMyName(self, params: dict[str, Any]) -> Any:
        return await self._set_text_setting(params, "name", 64)

    async def _api_getMyDescription(self, params: dict[str, Any]) -> Any:
        return {"description": self.descriptions["description"].get(_language(params), "")}

    async def _api_getMyShortDescription(self, params: dict[str, Any]) -> Any:
        return {
            "short_description": self.descriptions["short_description"].get(_language(params), "")
        }

    async def _api_getMyName(self, params: dict[str, Any]) -> Any:
        return {"name": self.descriptions["name"].get(_language(params), self.bot_first_name)}

    async def _api_getChat(self, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params["chat_id"])
        return {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _api_leaveChat(self, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params["chat_id"])
        if chat.type == "private":
            raise _BadRequest("Bad Request: chat member status can't be changed in private chats")
        self._chats.pop(chat.id, None)
        return True

    async def _api_getFile(self, params: dict[str, Any]) -> Any:
        entry = self._user_files.get(params["file_id"])
        if entry is None:
            raise _BadRequest("Bad Request: invalid file_id")
        path, upload = entry
        return {
            "file_id": params["file_id"],
            "file_unique_id": "U" + params["file_id"],
            "file_size": len(upload.data),
            "file_path": path,
        }


def _chat_id(chat: int | FakeUser | FakeChat) -> int:
    return chat if isinstance(chat, int) else chat.id


def _language(params: dict[str, Any]) -> str:
    language = params.get("language_code", "")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise _BadRequest(f"Bad Request: invalid language code {language!r} (ISO 639-1 expected)")
    return language


def _scope_key(scope: dict[str, Any] | None) -> str:
    if not scope:
        return "default"
    return json.dumps(scope, sort_keys=True)


def _update_kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


# --------------------------------------------------------------------------- threaded mode


class ThreadedFakeTelegram:
    """:class:`FakeTelegram` on its own event loop in a background thread, with a sync API.

    Obtain it with ``with FakeTelegram.threaded() as tg:``. ``tg.fake`` is the underlying
    async object (use it only from its loop, ``tg.loop``).
    """

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name="fake-telegram", daemon=True)

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def start(self) -> None:
        """Start the thread and the server."""
        self._thread.start()
        self._run(self.fake.start())

    def stop(self) -> None:
        """Stop the server, the loop and the thread."""
        try:
            self._run(self.fake.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=10)
            self.loop.close()

    def _run(self, coro: Coroutine[Any, Any, _T], timeout: float | None = None) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def _read(self, func: Callable[[], _T]) -> _T:
        async def call() -> _T:
            return func()

        return self._run(call())

    # passthrough properties
    token = property(lambda self: self.fake.token, doc="The bot token to use.")
    url = property(lambda self: self.fake.url, doc="``http://127.0.0.1:PORT``.")
    api_base_url = property(lambda self: self.fake.api_base_url, doc="Base URL for the bot.")
    file_base_url = property(lambda self: self.fake.file_base_url, doc="File base URL.")
    bot_username = property(lambda self: self.fake.bot_username, doc="The bot's username.")

    def subprocess_env(self) -> dict[str, str]:
        """See :meth:`FakeTelegram.subprocess_env`."""
        return self.fake.subprocess_env()

    def user(self, id: int, **kwargs: Any) -> FakeUser:
        """See :meth:`FakeTelegram.user`."""
        return self._read(lambda: self.fake.user(id, **kwargs))

    def private_chat(self, user: FakeUser) -> FakeChat:
        """See :meth:`FakeTelegram.private_chat`."""
        return self._read(lambda: self.fake.private_chat(user))

    def group_chat(self, id: int, title: str = "Test group", **kwargs: Any) -> FakeChat:
        """See :meth:`FakeTelegram.group_chat`."""
        return self._read(lambda: self.fake.group_chat(id, title, **kwargs))

    def block(self, user: FakeUser) -> None:
        """See :meth:`FakeTelegram.block`."""
        self._read(lambda: self.fake.block(user))

    def unblock(self, user: FakeUser) -> None:
        """See :meth:`FakeTelegram.unblock`."""
        self._read(lambda: self.fake.unblock(user))

    def fail_next(
        self,
        methods: str | list[str] | tuple[str, ...],
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """See :meth:`FakeTelegram.fail_next`."""
        self._read(
            lambda: self.fake.fail_next(methods, status, times=times, retry_after=retry_after)
        )

    def clear_faults(self) -> None:
        """See :meth:`FakeTelegram.clear_faults`."""
        self._read(self.fake.clear_faults)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """See :meth:`FakeTelegram.push_update`."""
        return self._run(self.fake.push_update(update))

    def send_text(
        self, user: FakeUser, text: str, chat: FakeChat | None = None, **kw: Any
    ) -> dict[str, Any]:
        """See :meth:`FakeTelegram.send_text`."""
        return self._run(self.fake.send_text(user, text, chat, **kw))

    def send_command(
        self, user: FakeUser, command: str, payload: str | None = None, chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """See :meth:`FakeTelegram.send_command`."""
        return self._run(self.fake.send_command(user, command, payload, chat))

    def send_text_in_group(self, user: FakeUser, group: FakeChat, text: str) -> dict[str, Any]:
        """See :meth:`FakeTelegram.send_text_in_group`."""
        return self._run(self.fake.send_text_in_group(user, group, text))

    def press_button(
        self,
        user: FakeUser,
        message: SentMessage | int,
        callback_data: str | None = None,
        **kw: Any,
    ) -> dict[str, Any]:
        """See :meth:`FakeTelegram.press_button`."""
        return self._run(self.fake.press_button(user, message, callback_data, **kw))

    def send_sticker(
        self, user: FakeUser, emoji: str = "👍", chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """See :meth:`FakeTelegram.send_sticker`."""
        return self._run(self.fake.send_sticker(user, emoji, chat))

    def send_photo(
        self, user: FakeUser, caption: str | None = None, chat: FakeChat | None = None, **kw: Any
    ) -> dict[str, Any]:
        """See :meth:`FakeTelegram.send_photo`."""
        return self._run(self.fake.send_photo(user, caption, chat, **kw))

    def send_voice(
        self, user: FakeUser, duration: int = 3, chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """See :meth:`FakeTelegram.send_voice`."""
        return self._run(self.fake.send_voice(user, duration, chat))

    def send_document(
        self,
        user: FakeUser,
        filename: str = "document.pdf",
        data: bytes = b"%PDF-1.4 fake",
        **kw: Any,
    ) -> dict[str, Any]:
        """See :meth:`FakeTelegram.send_document`."""
        return self._run(self.fake.send_document(user, filename, data, **kw))

    def send_location(
        self, user: FakeUser, latitude: float, longitude: float, chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """See :meth:`FakeTelegram.send_location`."""
        return self._run(self.fake.send_location(user, latitude, longitude, chat))

    def edit_text(
        self, user: FakeUser, message_id: int, new_text: str, chat: FakeChat | None = None
    ) -> dict[str, Any]:
        """See :meth:`FakeTelegram.edit_text`."""
        return self._run(self.fake.edit_text(user, message_id, new_text, chat))

    def bot_added_to_group(self, user: FakeUser, group: FakeChat) -> dict[str, Any]:
        """See :meth:`FakeTelegram.bot_added_to_group`."""
        return self._run(self.fake.bot_added_to_group(user, group))

    def wait_for_messages(
        self, chat: int | FakeUser | FakeChat, count: int = 1, timeout: float = 10.0
    ) -> list[SentMessage]:
        """See :meth:`FakeTelegram.wait_for_messages`."""
        return self._run(self.fake.wait_for_messages(chat, count, timeout))

    def wait_for_call(self, method: str, **kw: Any) -> Call:
        """See :meth:`FakeTelegram.wait_for_call`."""
        return self._run(self.fake.wait_for_call(method, **kw))

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """See :meth:`FakeTelegram.wait_until` (``condition`` runs on the fake's loop)."""
        self._run(self.fake.wait_until(condition, timeout))

    def sent(self, chat: int | FakeUser | FakeChat) -> list[SentMessage]:
        """See :meth:`FakeTelegram.sent`."""
        return self._read(lambda: self.fake.sent(chat))

    def calls(self, method: str | None = None) -> list[Call]:
        """See :meth:`FakeTelegram.calls`."""
        return self._read(lambda: self.fake.calls(method))

    @property
    def rejected(self) -> list[Call]:
        """See :attr:`FakeTelegram.rejected`."""
        return self._read(lambda: self.fake.rejected)

    @property
    def conflicts(self) -> list[Call]:
        """See :attr:`FakeTelegram.conflicts`."""
        return self._read(lambda: self.fake.conflicts)

    @property
    def webhook_deliveries(self) -> list[tuple[int, int]]:
        """See :attr:`FakeTelegram.webhook_deliveries`."""
        return self._read(lambda: list(self.fake.webhook_deliveries))

    @property
    def descriptions(self) -> dict[str, dict[str, str]]:
        """See :attr:`FakeTelegram.descriptions`."""
        return self._read(lambda: {k: dict(v) for k, v in self.fake.descriptions.items()})

    def commands(
        self, language_code: str = "", scope: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """See :meth:`FakeTelegram.commands`."""
        return self._read(lambda: self.fake.commands(language_code, scope))

    def chat_actions(self, chat: int | FakeUser | FakeChat) -> list[str]:
        """See :meth:`FakeTelegram.chat_actions`."""
        return self._read(lambda: self.fake.chat_actions(chat))

    def unanswered_callback_queries(self) -> list[str]:
        """See :meth:`FakeTelegram.unanswered_callback_queries`."""
        return self._read(self.fake.unanswered_callback_queries)

    def callback_answers(self) -> list[dict[str, Any]]:
        """See :meth:`FakeTelegram.callback_answers`."""
        return self._read(self.fake.callback_answers)

    def assert_no_rejected(self) -> None:
        """See :meth:`FakeTelegram.assert_no_rejected`."""
        self._read(self.fake.assert_no_rejected)
