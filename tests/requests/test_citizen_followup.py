"""The citizen's side in the dialogue engine: reply in the thread, withdraw, feedback consent."""

from __future__ import annotations

from sqlalchemy import select
from web.dashboard_helpers import ask, citizen, make_context

from bot.dialogue.engine import Engine
from bot.feedback.models import FeedbackInvite
from bot.requests.models import HelpRequest
from bot.vocabulary import ButtonIntent, DialogueState, NluResult, Turn


def _button(language: str, option: str, pseudonym: str, chat_token: str | None = None) -> Turn:
    return Turn(language=language, pseudonym=pseudonym, chat_token=chat_token,
                nlu=NluResult(intent=ButtonIntent.CHOOSE_OPTION, confidence=1.0,
                              entities=(("option", option),)))


def _text(language: str, text: str, pseudonym: str) -> Turn:
    return Turn(language=language, pseudonym=pseudonym, text=text,
                nlu=NluResult(intent="share_situation", confidence=0.9))


def test_a_reply_is_scrubbed_shown_back_and_appended_to_the_same_thread(database) -> None:
    context = make_context(database)
    person = citizen(context)
    code = ask(context, person, "سلام")
    engine = Engine(context)
    state = DialogueState(language="fa")
    outcome = engine.respond(_button("fa", f"reply:{code}", person.pseudonym), state)
    assert outcome.state.pending == "question" and outcome.state.request_code == code
    outcome = engine.respond(_text("fa", "شماره من 0612345678 است", person.pseudonym),
                             outcome.state)
    assert "0612345678" not in outcome.replies[0].text and "[phone]" in outcome.replies[0].text
    outcome = engine.respond(_button("fa", "send_question", person.pseudonym), outcome.state)
    assert code in outcome.replies[0].text and outcome.state.request_code is None
    with database.session() as session:
        request = session.scalar(select(HelpRequest).where(HelpRequest.code == code))
        [message] = request.messages
        assert message.author == "citizen" and "[phone]" in message.text
        assert session.scalar(select(HelpRequest.id).where(HelpRequest.code != code)) is None


def test_only_the_asker_can_withdraw_and_consent_is_needed_for_feedback(database) -> None:
    context = make_context(database)
    person = citizen(context)
    code = ask(context, person, "سلام")
    engine = Engine(context)
    state = DialogueState(language="fa")
    engine.respond(_button("fa", f"withdraw:{code}", "another-pseudonym"), state)
    with database.session() as session:
        assert session.scalar(select(HelpRequest.status).where(HelpRequest.code == code)) == "new"
        assert session.scalar(select(FeedbackInvite)) is None  # nothing without consent
    engine.respond(_button("fa", f"fbyes:{code}", person.pseudonym), state)
    with database.session() as session:
        assert session.scalar(select(FeedbackInvite.source)) == "request"
    engine.respond(_button("fa", f"withdraw:{code}", person.pseudonym), state)
    with database.session() as session:
        request = session.scalar(select(HelpRequest).where(HelpRequest.code == code))
        assert request.status == "withdrawn" and request.chat_token is None
