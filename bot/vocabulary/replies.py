"""What the bot sends: replies with buttons, and what each button means when pressed.

A button carries its meaning (an intent and one entity value), so a press never goes to the
NLU service; ``BUTTON_ENTITY`` says which entity each intent's value fills, and
``BUTTON_CODES`` how the press fits Telegram's 64-byte ``callback_data``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum


class ButtonIntent(StrEnum):
    """Intents sent by buttons (Rasa payloads), never predicted from text."""

    START = "start"
    CHOOSE_OPTION = "choose_option"
    CHOOSE_TOPIC = "choose_topic"
    CHOOSE_PLACE = "choose_place"
    SHOW_MORE = "show_more"
    CHOOSE_LANGUAGE = "choose_language"
    OPEN_GROUP = "open_group"
    CONFIRM_FORGET = "confirm_forget"
    # Reminders and calendars (bot/reminders); handled by the bot, which holds the chat id.
    REMIND_ME = "remind_me"
    CALENDAR = "calendar"
    STOP_REMINDER = "stop_reminder"
    # "Help me ask" (bot/network): one intent per question (who, what, when), so a button left
    # over from an earlier question still means what it says; the draft buttons carry the
    # whole choice (shorter, warmer, also in Dutch) because the state forgets it once shown.
    NETWORK_WHO = "network_who"
    NETWORK_WHAT = "network_what"
    NETWORK_WHEN = "network_when"
    NETWORK_DRAFT = "network_draft"  # show this version of the draft
    NETWORK_DUTCH = "network_dutch"  # add the Dutch copy of this version
    # A facilitator's guided steps (bot/facilitators/dialogue.py): one intent per question,
    # so a button left over from an earlier question is recognised and the question asked again.
    FACILITATOR_GROUP = "facilitator_group"
    FACILITATOR_DAY = "facilitator_day"
    FACILITATOR_START = "facilitator_start"
    FACILITATOR_END = "facilitator_end"
    FACILITATOR_REPEAT = "facilitator_repeat"
    FACILITATOR_PLACE = "facilitator_place"
    FACILITATOR_LANGUAGES = "facilitator_languages"
    FACILITATOR_NOTE = "facilitator_note"
    FACILITATOR_SAVE = "facilitator_save"
    FACILITATOR_MEETING = "facilitator_meeting"
    FACILITATOR_SCOPE = "facilitator_scope"
    FACILITATOR_FIELD = "facilitator_field"
    FACILITATOR_CANCEL = "facilitator_cancel"
    FACILITATOR_LEAVE = "facilitator_leave"
    FACILITATOR_LANGUAGE = "facilitator_language"


#: The entity each button intent carries its value in.
BUTTON_ENTITY: dict[str, str | None] = {
    ButtonIntent.START: "group",
    ButtonIntent.CHOOSE_OPTION: "option",
    ButtonIntent.CHOOSE_TOPIC: "topic",
    ButtonIntent.CHOOSE_PLACE: "place",
    ButtonIntent.SHOW_MORE: None,
    ButtonIntent.CHOOSE_LANGUAGE: "language",
    ButtonIntent.OPEN_GROUP: "group",
    ButtonIntent.CONFIRM_FORGET: None,
    ButtonIntent.REMIND_ME: "group",
    ButtonIntent.CALENDAR: "group",
    ButtonIntent.STOP_REMINDER: "reminder",
    ButtonIntent.NETWORK_WHO: "who",
    ButtonIntent.NETWORK_WHAT: "what",
    ButtonIntent.NETWORK_WHEN: "when",
    ButtonIntent.NETWORK_DRAFT: "draft",
    ButtonIntent.NETWORK_DUTCH: "draft",
    ButtonIntent.FACILITATOR_GROUP: "choice",
    ButtonIntent.FACILITATOR_DAY: "date",
    ButtonIntent.FACILITATOR_START: "time",
    ButtonIntent.FACILITATOR_END: "time",
    ButtonIntent.FACILITATOR_REPEAT: "repeat",
    ButtonIntent.FACILITATOR_PLACE: "place",
    ButtonIntent.FACILITATOR_LANGUAGES: "language",
    ButtonIntent.FACILITATOR_NOTE: "note",
    ButtonIntent.FACILITATOR_SAVE: "answer",
    ButtonIntent.FACILITATOR_MEETING: "choice",
    ButtonIntent.FACILITATOR_SCOPE: "scope",
    ButtonIntent.FACILITATOR_FIELD: "field",
    ButtonIntent.FACILITATOR_CANCEL: "answer",
    ButtonIntent.FACILITATOR_LEAVE: "answer",
    ButtonIntent.FACILITATOR_LANGUAGE: "language",
}

#: Short codes so a button fits Telegram's 64-byte ``callback_data``.
BUTTON_CODES: dict[str, str] = {
    ButtonIntent.START: "s",
    ButtonIntent.CHOOSE_OPTION: "o",
    ButtonIntent.CHOOSE_TOPIC: "t",
    ButtonIntent.CHOOSE_PLACE: "p",
    ButtonIntent.SHOW_MORE: "m",
    ButtonIntent.CHOOSE_LANGUAGE: "l",
    ButtonIntent.OPEN_GROUP: "g",
    ButtonIntent.CONFIRM_FORGET: "f",
    ButtonIntent.REMIND_ME: "r",
    ButtonIntent.CALENDAR: "c",
    ButtonIntent.STOP_REMINDER: "x",
    # "Help me ask": "n" and a second letter.
    ButtonIntent.NETWORK_WHO: "nw",
    ButtonIntent.NETWORK_WHAT: "na",
    ButtonIntent.NETWORK_WHEN: "nt",
    ButtonIntent.NETWORK_DRAFT: "nd",
    ButtonIntent.NETWORK_DUTCH: "nn",
    # Facilitators: "F" and a second letter, as the Telegram adapter used before.
    ButtonIntent.FACILITATOR_GROUP: "Fg",
    ButtonIntent.FACILITATOR_DAY: "Fd",
    ButtonIntent.FACILITATOR_START: "Ft",
    ButtonIntent.FACILITATOR_END: "Fe",
    ButtonIntent.FACILITATOR_REPEAT: "Fr",
    ButtonIntent.FACILITATOR_PLACE: "Fp",
    ButtonIntent.FACILITATOR_LANGUAGES: "Fl",
    ButtonIntent.FACILITATOR_NOTE: "Fn",
    ButtonIntent.FACILITATOR_SAVE: "Fy",
    ButtonIntent.FACILITATOR_MEETING: "Fm",
    ButtonIntent.FACILITATOR_SCOPE: "Fs",
    ButtonIntent.FACILITATOR_FIELD: "Ff",
    ButtonIntent.FACILITATOR_CANCEL: "Fc",
    ButtonIntent.FACILITATOR_LEAVE: "Fx",
    ButtonIntent.FACILITATOR_LANGUAGE: "FL",
}
_CODE_TO_INTENT = {code: intent for intent, code in BUTTON_CODES.items()}


class Option(StrEnum):
    """Values of the ``option`` entity (main-menu and follow-up choices)."""

    PEER_GROUP = "peer_group"
    VOLUNTEER_HELP = "volunteer_help"
    VOLUNTEER_SIGNUP = "volunteer_signup"
    HUMAN = "human"
    INFO = "info"
    MENU = "menu"
    ANOTHER_TOPIC = "another_topic"
    MEETINGS = "meetings"
    SEND_QUESTION = "send_question"
    CANCEL = "cancel"
    WOMEN_ONLY = "women_only"
    ASK_NETWORK = "ask_network"  # "Help me ask someone I know"


ONLINE = "online"  # choose_place value: online is fine
SKIP = "skip"  # choose_place value: I'd rather not say


@dataclass(frozen=True)
class Button:
    """An inline button: a label and the button intent (+ value) it sends back."""

    label: str
    intent: str
    value: str | None = None

    @property
    def callback_data(self) -> str:
        """Compact encoding for Telegram (``t:grief``)."""
        code = BUTTON_CODES[self.intent]
        return f"{code}:{self.value}" if self.value is not None else code

    @property
    def rasa_payload(self) -> str:
        """The Rasa payload this button stands for (``/choose_topic{"topic":"grief"}``)."""
        return payload_for(self.intent, self.value)


def payload_for(intent: str, value: str | None) -> str:
    """A Rasa ``/intent{"entity": value}`` payload."""
    entity = BUTTON_ENTITY.get(intent)
    if entity and value is not None:
        return f"/{intent}{json.dumps({entity: value}, ensure_ascii=False)}"
    return f"/{intent}"


def decode_callback(data: str) -> tuple[str, str | None] | None:
    """Inverse of :attr:`Button.callback_data`; ``None`` for unknown data."""
    code, _, value = data.partition(":")
    intent = _CODE_TO_INTENT.get(code)
    if intent is None:
        return None
    return intent, (value or None)


@dataclass(frozen=True)
class Reply:
    """One message to the citizen: HTML text and rows of buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    # A file to send with it (e.g. an .ics calendar), as (filename, bytes).
    document: tuple[str, bytes] | None = None

    def to_json(self) -> dict[str, object]:
        """Serialisable form used to carry the reply through Rasa's ``json_message``."""
        return {
            "text": self.text,
            "buttons": [[[b.label, b.intent, b.value] for b in row] for row in self.buttons],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Reply:
        """Inverse of :meth:`to_json`."""
        rows = data.get("buttons") or []
        return cls(
            text=str(data.get("text", "")),
            buttons=tuple(
                tuple(Button(str(lbl), str(intent), value) for lbl, intent, value in row)
                for row in rows  # type: ignore[union-attr]
            ),
        )
