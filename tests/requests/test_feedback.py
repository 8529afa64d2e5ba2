"""Feedback: asked once, only after consent, a week later; only aggregates are kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from web.dashboard_helpers import TILBURG, citizen, make_context

from bot.feedback import service as feedback
from bot.feedback.models import FeedbackInvite, FeedbackTally
from bot.outbox import service as outbox


def test_the_question_is_queued_a_week_later_once_and_counted_without_the_person(database) -> None:
    context = make_context(database)
    person = citizen(context)
    referral = feedback.Referral("request", "grief", "tr", TILBURG)
    with database.session() as session:
        invite = feedback.invite(session, context, pseudonym=person.pseudonym,
                                 chat_id=person.chat_id, referral=referral)
        assert invite is not None
        token = invite.token
        # Asked once: a second consent does not plan a second question.
        assert feedback.invite(session, context, pseudonym=person.pseudonym,
                               chat_id=person.chat_id, referral=referral) is None
        assert outbox.due(session, context) == []  # not before the week is over
    week_later = context.clock() + timedelta(days=7, minutes=1)
    context.clock = lambda: week_later
    with database.session() as session:
        [delivery] = outbox.due(session, context)
        assert delivery.chat_id == person.chat_id
        grades = [b.value for row in delivery.reply.buttons for b in row]
        assert grades[0] == f"fbg:{token}:1" and grades[-1] == f"fbg:{token}:10"
        assert feedback.record_grade(session, context, pseudonym="someone-else", token=token,
                                     grade=3) is False
        assert feedback.record_grade(session, context, pseudonym=person.pseudonym, token=token,
                                     grade=8)
        assert not feedback.record_grade(session, context, pseudonym=person.pseudonym,
                                         token=token, grade=9)  # only once
        assert feedback.record_reason(session, context, pseudonym=person.pseudonym,
                                      token=token, reason="waiting")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(FeedbackInvite)) == 0
        tallies = {(t.measure, t.value, t.count, t.language, t.topic)
                   for t in session.scalars(select(FeedbackTally))}
        assert tallies == {("grade", "8", 1, "tr", "grief"),
                           ("reason", "waiting", 1, "tr", "grief")}
        columns = set(FeedbackTally.__table__.columns.keys())
        assert "pseudonym" not in columns
