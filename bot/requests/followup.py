"""The citizen's follow-up buttons: reply in the thread, withdraw, and feedback consent.

Called by the dialogue engine for ``choose_option`` values that carry a code or token
(``reply:AB-CDE``, ``withdraw:AB-CDE``, ``fbyes:AB-CDE``, ``fbsearch``, ``fbg:…``, ``fbr:…``).
Every action checks that the request or invitation belongs to the pseudonym pressing the button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.context import AppContext
from bot.feedback import render as feedback_render
from bot.feedback import service as feedback
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate
from bot.requests import service as requests
from bot.requests.answers import FEEDBACK_YES, REPLY, WITHDRAW
from bot.taxonomy import Route
from bot.vocabulary import Button, ButtonIntent, DialogueState, Option, Outcome, Reply, Turn

FEEDBACK_SEARCH = "fbsearch"
PREFIXES = frozenset({REPLY, WITHDRAW, FEEDBACK_YES, FEEDBACK_SEARCH, feedback_render.GRADE,
                      feedback_render.REASON})

# What the bot's own buttons carry after the prefix. Callback data is whatever a Telegram
# client sends, so every part is matched whole, in ASCII: "²".isdigit() is true and int("²")
# fails, which once turned a forged "fbg:x:²" into a traceback.
_CODE = r"([A-Za-z0-9-]{1,16})"  # a request code (K7-3QX)
_TOKEN = r"([A-Za-z0-9_-]{1,64})"  # a feedback invitation token
_SHAPES = {
    REPLY: re.compile(_CODE),
    WITHDRAW: re.compile(_CODE),
    FEEDBACK_YES: re.compile(_CODE),
    FEEDBACK_SEARCH: re.compile(r"()"),
    feedback_render.GRADE: re.compile(_TOKEN + r":([0-9]{1,2})"),
    feedback_render.REASON: re.compile(_TOKEN + r":([a-z_]{1,32})"),
}
#: Prefixes whose malformed value is answered as a closed question (the others as feedback).
_REQUEST_KINDS = frozenset({REPLY, WITHDRAW, FEEDBACK_YES})


class MalformedFollowUp(ValueError):
    """A follow-up value no button of the bot sends (forged or garbled). Its message names
    neither the value nor the person: it may reach a log line."""


@dataclass(frozen=True)
class FollowUp:
    """A follow-up button's value, read: its kind, the request code or feedback token it is
    about, and the grade or reason it carries."""

    kind: str
    key: str = ""
    choice: str = ""


def parse(option: str) -> FollowUp:
    """Read a follow-up value (``fbg:<token>:<1..10>`` …); raises :class:`MalformedFollowUp`
    for anything a button of the bot would not send."""
    kind, _, rest = option.partition(":")
    shape = _SHAPES.get(kind)
    match = shape.fullmatch(rest) if shape is not None else None
    if match is None:
        raise MalformedFollowUp("malformed follow-up button")
    return FollowUp(kind, *match.groups())


def handles(option: str | None) -> bool:
    """Whether ``option`` is one of the follow-up values."""
    return bool(option) and option.split(":", 1)[0] in PREFIXES  # type: ignore[union-attr]


def _cancel(language: str) -> tuple[tuple[Button, ...], ...]:
    _ = Translator(language).gettext
    return ((Button(_("Cancel"), ButtonIntent.CHOOSE_OPTION, Option.CANCEL),),)


def ask_reply(language: str, code: str) -> tuple[Reply, ...]:
    """Ask for the reply to a coordinator."""
    _ = Translator(language).gettext
    return (Reply(_("Write your reply to question {code} in one message. Leave out your name, "
                    "address and phone number; I will remove them anyway.").format(
                        code=f"<b>{isolate(code, language)}</b>"), _cancel(language)),)


def reply_stored(language: str, code: str) -> tuple[Reply, ...]:
    """The reply was added to the thread."""
    _ = Translator(language).gettext
    return (Reply(_("Your reply is added to question {code}. The coordinator will see it; "
                    "nobody has answered it yet.").format(
                        code=f"<b>{isolate(code, language)}</b>")),)


def withdrawn(language: str, code: str) -> tuple[Reply, ...]:
    """The request was withdrawn."""
    _ = Translator(language).gettext
    return (Reply(_("Question {code} is withdrawn. Nobody can write to you about it any more, "
                    "and the link to this chat is deleted.").format(
                        code=f"<b>{isolate(code, language)}</b>")),)


def request_gone(language: str) -> tuple[Reply, ...]:
    """The request is closed, withdrawn, expired or not theirs."""
    _ = Translator(language).gettext
    return (Reply(_("This question is closed or no longer exists. You can always ask a new "
                    "one."), ((Button(_("Ask a person"), ButtonIntent.CHOOSE_OPTION,
                                      Option.HUMAN),),)),)


def handle(context: AppContext, turn: Turn, state: DialogueState, option: str) -> Outcome:
    """Answer one follow-up button; a malformed one as a question or invitation that is gone."""
    language = turn.language
    try:
        parsed = parse(option)
    except MalformedFollowUp:
        if option.partition(":")[0] in _REQUEST_KINDS:
            return Outcome(request_gone(language), state, Route.HUMAN_CONTACT)
        return Outcome(feedback_render.gone(language), state, Route.CONVERSATION)
    kind, rest = parsed.kind, parsed.key
    pseudonym = turn.pseudonym or ""
    with context.database.session() as session:
        if kind == REPLY:
            if requests.open_request_of(session, pseudonym, rest) is None:
                return Outcome(request_gone(language), state, Route.HUMAN_CONTACT)
            return Outcome(ask_reply(language, rest),
                           state.with_(pending="question", request_code=rest, draft=None),
                           Route.HUMAN_CONTACT)
        if kind == WITHDRAW:
            done = requests.withdraw(session, context, pseudonym=pseudonym, code=rest)
            replies = withdrawn(language, rest) if done else request_gone(language)
            return Outcome(replies, state.with_(pending=None, request_code=None),
                           Route.HUMAN_CONTACT)
        if kind == FEEDBACK_YES:
            request = requests.open_request_of(session, pseudonym, rest)
            if request is None or request.chat_token is None or context.sealer is None:
                return Outcome(request_gone(language), state, Route.HUMAN_CONTACT)
            chat_id = context.sealer.open(request.chat_token, f"request:{request.code}")
            referral = feedback.Referral("request", request.topic, request.language,
                                         request.municipality_code)
            made = feedback.invite(session, context, pseudonym=pseudonym, chat_id=chat_id,
                                   referral=referral)
        elif kind == FEEDBACK_SEARCH:
            if not turn.chat_token or context.sealer is None:
                return Outcome(feedback_render.gone(language), state, Route.CONVERSATION)
            chat_id = context.sealer.open(turn.chat_token, "chat")
            referral = feedback.Referral("search", state.topic, language, state.place_code)
            made = feedback.invite(session, context, pseudonym=pseudonym, chat_id=chat_id,
                                   referral=referral)
        elif kind == feedback_render.GRADE:
            token = rest
            ok = feedback.record_grade(session, context, pseudonym=pseudonym, token=token,
                                       grade=int(parsed.choice))  # [0-9]{1,2}: int() cannot fail
            replies = (feedback_render.ask_reason(language, token) if ok
                       else feedback_render.gone(language))
            return Outcome(replies, state, Route.CONVERSATION)
        else:  # feedback reason
            ok = feedback.record_reason(session, context, pseudonym=pseudonym, token=rest,
                                        reason=parsed.choice)
            replies = feedback_render.thanks(language) if ok else feedback_render.gone(language)
            return Outcome(replies, state, Route.CONVERSATION)
    replies = (feedback_render.consent_given(language) if made is not None
               else feedback_render.already_invited(language))
    return Outcome(replies, state, Route.CONVERSATION)


def store_reply(context: AppContext, turn: Turn, state: DialogueState) -> Outcome:
    """The citizen confirmed a scrubbed reply: append it to the request's thread."""
    code = state.request_code or ""
    with context.database.session() as session:
        request = requests.citizen_reply(session, context, pseudonym=turn.pseudonym or "",
                                         code=code, text=state.draft or "")
    cleared = state.with_(pending=None, draft=None, request_code=None)
    if request is None:
        return Outcome(request_gone(turn.language), cleared, Route.HUMAN_CONTACT)
    return Outcome(reply_stored(turn.language, code), cleared, Route.HUMAN_CONTACT)
