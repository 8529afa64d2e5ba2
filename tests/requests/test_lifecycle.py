"""The life of a request: answer in the citizen's language, thread, withdraw, expiry, forget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from web.dashboard_helpers import TILBURG, ask, citizen, make_context

from bot.directory.formats import import_demo
from bot.directory.search import find_services
from bot.feedback import service as feedback
from bot.feedback.models import FeedbackInvite
from bot.i18n.catalogs import Translator
from bot.outbox import service as outbox
from bot.outbox.models import OutboundMessage
from bot.privacy.forget import forget_citizen
from bot.requests import service as requests
from bot.requests.models import HelpRequest, RequestMessage
from bot.staff.scope import Scope
from bot.vocabulary import Reply

COORDINATOR = Scope("tilburg", "coordinator", None, (TILBURG,), False)


@pytest.fixture
def context(database):
    ctx = make_context(database)
    with database.session() as session:
        import_demo(session, now=ctx.clock())
    return ctx


def _group_id(context) -> str:
    with context.database.session() as session:
        outcome = find_services(session, topic="loneliness", kind="peer_group",
                                municipality_code=TILBURG, language="fa", now=context.clock(),
                                gazetteer=context.gazetteer)
    return outcome.results[0].card.id


async def test_an_answer_reaches_the_citizen_in_farsi_marked_with_own_words(context) -> None:
    person = citizen(context)
    code = ask(context, person, "تنها هستم [phone]")
    service_id = _group_id(context)
    with context.database.session() as session:
        requests.answer(session, context, COORDINATOR, code, template="group",
                        service_id=service_id, own_words="Welkom bij de groep!")
    sent: list[tuple[int, Reply]] = []

    async def send(chat_id: int, reply: Reply) -> None:
        sent.append((chat_id, reply))

    assert await outbox.deliver_due(context, send) == 1
    [(chat_id, reply)] = sent
    assert chat_id == person.chat_id
    fa = Translator("fa").gettext
    assert fa("Here is a group that may suit you:") in reply.text
    assert fa("In the coordinator's own words:") in reply.text
    assert "Welkom bij de groep!" in reply.text
    assert fa("Here is a group that may suit you:") != "Here is a group that may suit you:"
    values = [b.value for row in reply.buttons for b in row]
    assert f"reply:{code}" in values and f"withdraw:{code}" in values
    assert f"fbyes:{code}" in values  # a real answer offers the feedback question
    with context.database.session() as session:
        request = session.scalar(select(HelpRequest).where(HelpRequest.code == code))
        assert request.status == "answered"
        [message] = request.messages
        assert message.template == "group" and message.service_id == service_id


def test_a_template_that_needs_a_directory_entry_refuses_without_one(context) -> None:
    code = ask(context, citizen(context), "سلام")
    with context.database.session() as session, pytest.raises(requests.RequestError):
        requests.answer(session, context, COORDINATOR, code, template="group")
    with context.database.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0


def test_looking_into_it_keeps_the_request_in_progress_and_a_reply_reopens_it(context) -> None:
    person = citizen(context)
    code = ask(context, person, "سلام")
    with context.database.session() as session:
        requests.answer(session, context, COORDINATOR, code, template="looking_into_it")
    with context.database.session() as session:
        assert requests.get_for_staff(session, COORDINATOR, code).status == "in_progress"
        replied = requests.citizen_reply(session, context, pseudonym=person.pseudonym,
                                         code=code, text="ممنون")
        assert replied is not None and replied.status == "new"
        # Somebody else's pseudonym cannot write into this thread.
        assert requests.citizen_reply(session, context, pseudonym="someone-else", code=code,
                                      text="x") is None


def test_withdraw_deletes_the_chat_id_and_queued_answers(context) -> None:
    person = citizen(context)
    code = ask(context, person, "سلام")
    with context.database.session() as session:
        requests.answer(session, context, COORDINATOR, code, template="looking_into_it")
    with context.database.session() as session:
        assert requests.withdraw(session, context, pseudonym="intruder", code=code) is None
        done = requests.withdraw(session, context, pseudonym=person.pseudonym, code=code)
        assert done is not None and done.status == "withdrawn" and done.chat_token is None
        assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0
    with context.database.session() as session, pytest.raises(requests.RequestError):
        requests.answer(session, context, COORDINATOR, code, template="looking_into_it")


def test_expiry_sets_expired_and_deletes_the_chat_id(context) -> None:
    old = ask(context, citizen(context), "old question")
    fresh = ask(context, citizen(context, 5551), "fresh question")
    later = context.clock() + timedelta(days=context.settings.request_expiry_days, hours=1)
    with context.database.session() as session:
        session.get(HelpRequest, session.scalar(
            select(HelpRequest.id).where(HelpRequest.code == fresh))).created_at = later
        session.execute(HelpRequest.__table__.update().where(HelpRequest.code == fresh)
                        .values(expires_at=later + timedelta(days=1)))
    context.clock = lambda: later
    with context.database.session() as session:
        assert requests.expire_due(session, context) == 1
    with context.database.session() as session:
        expired = session.scalar(select(HelpRequest).where(HelpRequest.code == old))
        assert expired.status == "expired" and expired.chat_token is None
        kept = session.scalar(select(HelpRequest).where(HelpRequest.code == fresh))
        assert kept.status == "new" and kept.chat_token is not None


def test_forget_removes_requests_threads_and_feedback_invitations(context) -> None:
    person = citizen(context)
    code = ask(context, person, "سلام")
    with context.database.session() as session:
        requests.citizen_reply(session, context, pseudonym=person.pseudonym, code=code, text="x")
        feedback.invite(session, context, pseudonym=person.pseudonym, chat_id=person.chat_id,
                        referral=feedback.Referral("search", "grief", "fa", TILBURG))
    with context.database.session() as session:
        forget_citizen(session, person.pseudonym)
    with context.database.session() as session:
        for model in (HelpRequest, RequestMessage, FeedbackInvite, OutboundMessage):
            assert session.scalar(select(func.count()).select_from(model)) == 0
