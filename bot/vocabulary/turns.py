"""What flows through a conversation: a turn in (with its meaning and facts), the state kept
between turns, and the outcome out."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.vocabulary.replies import Reply


@dataclass(frozen=True)
class NluResult:
    """What understanding produced for one text: intent, confidence, entities, ranking."""

    intent: str
    confidence: float
    topic: str | None = None
    place: str | None = None
    language: str | None = None
    ranking: tuple[tuple[str, float], ...] = ()
    entities: tuple[tuple[str, str], ...] = ()


class Wish(StrEnum):
    """What a person asks for (bot/conversation/facts.py)."""

    GROUP = "group"
    VOLUNTEER = "volunteer"
    PERSON = "person"
    VOLUNTEER_SIGNUP = "volunteer_signup"


class About(StrEnum):
    """Who the help is for."""

    SELF = "self"
    OTHER = "other"


@dataclass(frozen=True)
class MessageFacts:
    """The facts one message gives, from every sentence of it (nothing of its wording)."""

    place_code: str | None = None
    place_name: str | None = None
    online: bool = False
    rather_not_say: bool = False
    topics: tuple[str, ...] = ()  # the first is the main one
    about: About | None = None
    wish: Wish | None = None
    women_only: bool = False
    own_language: bool = False
    reply: str | None = None  # "affirm" or "deny": a short yes or no in words


@dataclass(frozen=True)
class Turn:
    """One citizen turn as the engine sees it."""

    language: str
    nlu: NluResult
    text: str = ""
    # Sealed chat id (ciphertext) for things that need to reach the citizen later.
    chat_token: str | None = None
    pseudonym: str | None = None
    # What the text says from every sentence (bot/conversation/facts.py); None for buttons.
    facts: MessageFacts | None = None

    def entity(self, name: str) -> str | None:
        """The first value of entity ``name`` in this turn."""
        for key, value in self.nlu.entities:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class DialogueState:
    """What the conversation remembers between turns: facts only (kept by the state store)."""

    language: str = "nl"
    topic: str | None = None
    place_code: str | None = None
    place_name: str | None = None
    place_skipped: bool = False  # "online is fine" / "I'd rather not say"
    online: bool = False  # online is fine (said in words or by button)
    route: str | None = None
    women_only: bool = False
    own_language: bool = False  # a group in the person's own language
    second_topic: str | None = None  # a second problem named at once (offered too)
    about: str | None = None  # "self" or "other" (someone the person cares for)
    page: int = 0
    # The question the bot asked last, so a typed answer is understood: option ("what would
    # help you most?") | place | topic | question | confirm_question | confirm_forget |
    # network_who | network_what | network_when
    pending: str | None = None
    group_id: str | None = None
    draft: str | None = None  # scrubbed question waiting for confirmation
    request_code: str | None = None  # set while the citizen writes a reply in a request's thread
    # "Help me ask" (bot/network/choices.py): the codes chosen so far, never words; cleared
    # when the draft is shown and when the conversation moves on to something else.
    network_who: str | None = None
    network_what: str | None = None
    network_when: str | None = None

    def with_(self, **changes: object) -> DialogueState:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Outcome:
    """The engine's answer: replies to send, the new state, and the route it took."""

    replies: tuple[Reply, ...]
    state: DialogueState
    route: str
    facts: dict[str, object] = field(default_factory=dict)
