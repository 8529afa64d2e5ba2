"""The vocabulary every layer shares, at the bottom of the import graph.

Replies and buttons (what the bot sends, what a press means), the turn, its meaning
(``NluResult``) and facts, the dialogue state and outcome, and the languages with the one
reading of Telegram's language hint. It imports nothing from ``bot``, so a service, the dialogue,
an adapter and a test all name these things the same way without importing each other
(``docs/architecture.md``, "Layers"; ``tests/test_layers.py`` holds it there).
"""

from bot.vocabulary.languages import (
    ALL_LANGUAGES,
    CITIZEN_LANGUAGES,
    DEFAULT_LANGUAGE,
    RTL_LANGUAGES,
    language_from_hint,
    language_name,
)
from bot.vocabulary.replies import (
    BUTTON_CODES,
    BUTTON_ENTITY,
    ONLINE,
    SKIP,
    Button,
    ButtonIntent,
    Option,
    Reply,
    decode_callback,
    payload_for,
)
from bot.vocabulary.turns import (
    About,
    DialogueState,
    MessageFacts,
    NluResult,
    Outcome,
    Turn,
    Wish,
)

__all__ = [
    "ALL_LANGUAGES",
    "BUTTON_CODES",
    "BUTTON_ENTITY",
    "CITIZEN_LANGUAGES",
    "DEFAULT_LANGUAGE",
    "ONLINE",
    "RTL_LANGUAGES",
    "SKIP",
    "About",
    "Button",
    "ButtonIntent",
    "DialogueState",
    "MessageFacts",
    "NluResult",
    "Option",
    "Outcome",
    "Reply",
    "Turn",
    "Wish",
    "decode_callback",
    "language_from_hint",
    "language_name",
    "payload_for",
]
