"""Reminders come from the database at a controllable clock: once, on time, never after a
cancellation; notices reach subscribers in their own language; /forget removes it all."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select, text
from staffgroups import make_facilitator, make_group

from bot.context import AppContext
from bot.db.session import Database
from bot.directory.models import Meeting
from bot.facilitators import meetings as meeting_service
from bot.facilitators.meetings import Changes, MeetingDraft
from bot.facilitators.recurrence import Repeat
from bot.i18n.catalogs import Translator
from bot.outbox import service as outbox
from bot.outbox.models import OutboundMessage
from bot.privacy.forget import forget_citizen
from bot.reminders import job, subscriptions
from bot.reminders.models import ReminderSent, Subscription

CHAT_AR, CHAT_NL = 9_000_111, 9_000_222


@pytest.fixture
def weekly(context):
    """A weekly group on Tuesdays 19:30 (first 24 March 2026) and its facilitator."""
    with context.database.session() as session:
        group_id = make_group(session)
        facilitator = make_facilitator(session, context, group_id, 77_001)
        created = meeting_service.create_meeting(session, context, facilitator, MeetingDraft(
            group_id=group_id, day=date(2026, 3, 24), start=time(19, 30), end=time(21, 30),
            repeat=Repeat.WEEKLY, place="Buurthuis De Linde", languages=("tr",)))
    return group_id, facilitator, created


def subscribe(context: AppContext, group_id: str, pseudonym: str, chat_id: int,
              language: str) -> str:
    with context.database.session() as session:
        subscription = subscriptions.subscribe(session, context, pseudonym=pseudonym,
                                               chat_id=chat_id, group_id=group_id,
                                               language=language)
        assert subscription is not None
        return subscription.id


def queued(context: AppContext) -> list[tuple[int, str]]:
    """(chat id, text) of messages due now, as the bot would deliver them."""
    with context.database.session() as session:
        return [(d.chat_id, d.reply.text) for d in outbox.due(session, context)]


def deliver(context: AppContext) -> None:
    with context.database.session() as session:
        session.execute(OutboundMessage.__table__.delete())


def test_the_chat_id_is_sealed_for_the_subscription_only(context, weekly) -> None:
    group_id, _f, _m = weekly
    sid = subscribe(context, group_id, "p-ar", CHAT_AR, "ar")
    with context.database.session() as session:
        subscription = session.get(Subscription, sid)
        assert str(CHAT_AR) not in subscription.chat_token
        assert context.sealer.open(subscription.chat_token, f"subscription:{sid}") == CHAT_AR
        with pytest.raises(Exception):  # noqa: B017 - any AEAD failure
            context.sealer.open(subscription.chat_token, "request:AB-CDE")
        for row in session.execute(text("SELECT * FROM reminder_subscription")):
            assert all(str(CHAT_AR) not in str(v) for v in row)


def test_a_day_and_two_hours_before_once_each_in_the_subscribers_language(
    context, clock, weekly,
) -> None:
    group_id, _f, created = weekly
    first = created[0]
    subscribe(context, group_id, "p-ar", CHAT_AR, "ar")
    clock.now = first.starts_at - timedelta(hours=25)
    assert job.run_once(context).reminders == 0
    clock.now = first.starts_at - timedelta(hours=24)
    assert job.run_once(context).reminders == 1
    assert job.run_once(context).reminders == 0  # never twice
    [(chat_id, reminder)] = queued(context)
    assert chat_id == CHAT_AR
    assert reminder.startswith(Translator("ar").gettext("Reminder: {group} meets {when}.")
                               .split("{")[0])
    assert "\u2068Buurthuis De Linde\u2069" in reminder  # Dutch place isolated in Arabic text
    deliver(context)
    # A restart: a fresh database handle and context compute the same, from the database.
    restarted = AppContext(context.settings, Database(context.database.url), clock)
    clock.now = first.starts_at - timedelta(hours=2)
    assert job.run_once(restarted).reminders == 1
    assert job.run_once(restarted).reminders == 0
    with context.database.session() as session:
        kinds = sorted(k for k in session.scalars(select(ReminderSent.kind)))
    assert [k.split(":")[1] for k in kinds] == ["120", "1440"]
    restarted.database.dispose()


def test_a_late_subscriber_gets_only_the_reminders_still_ahead(context, clock, weekly) -> None:
    group_id, _f, created = weekly
    first = created[0]
    clock.now = first.starts_at - timedelta(hours=3)
    subscribe(context, group_id, "p-nl", CHAT_NL, "nl")
    assert job.run_once(context).reminders == 0  # the "one day before" moment had passed
    clock.now = first.starts_at - timedelta(minutes=90)
    assert job.run_once(context).reminders == 1


def test_after_downtime_only_the_nearest_reminder_goes_out(context, clock, weekly) -> None:
    group_id, _f, created = weekly
    subscribe(context, group_id, "p-nl", CHAT_NL, "nl")
    clock.now = created[0].starts_at - timedelta(hours=1)  # the job was down for a day
    assert job.run_once(context).reminders == 1
    assert job.run_once(context).reminders == 0
    assert len(queued(context)) == 1


def test_never_a_reminder_after_a_cancellation(context, clock, weekly) -> None:
    group_id, facilitator, created = weekly
    first, second = created[0], created[1]
    subscribe(context, group_id, "p-ar", CHAT_AR, "ar")
    # Queued but not delivered yet, then cancelled: the reminder is withdrawn.
    clock.now = first.starts_at - timedelta(hours=23)
    assert job.run_once(context).reminders == 1
    with context.database.session() as session:
        meeting_service.cancel_occurrence(session, context, facilitator, first.id)
    [(chat_id, notice)] = queued(context)
    assert chat_id == CHAT_AR
    expected = Translator("ar").gettext("The meeting of {group} on {when} is cancelled.")
    assert notice.startswith(expected.split("{")[0])
    deliver(context)
    clock.now = first.starts_at - timedelta(hours=2)
    assert job.run_once(context).reminders == 0
    # Cancelled well ahead: nothing at all later.
    with context.database.session() as session:
        meeting_service.cancel_occurrence(session, context, facilitator, second.id)
    deliver(context)
    for hours in (24, 2):
        clock.now = second.starts_at - timedelta(hours=hours)
        job.run_once(context)
    assert queued(context) == []


def test_a_moved_meeting_is_announced_and_reminded_at_its_new_time(context, clock, weekly) -> None:
    group_id, facilitator, created = weekly
    second = created[1]
    subscribe(context, group_id, "p-ar", CHAT_AR, "ar")
    subscribe(context, group_id, "p-nl", CHAT_NL, "nl")
    with context.database.session() as session:
        meeting_service.edit_occurrence(session, context, facilitator, second.id,
                                        Changes(start=time(18, 0), end=time(20, 0)))
    notices = dict(queued(context))
    assert set(notices) == {CHAT_AR, CHAT_NL}
    assert "is veranderd" in notices[CHAT_NL] and "18:00" in notices[CHAT_NL]
    assert Translator("ar").gettext("The meeting of {group} on {old} has changed. "
                                    "New: {when}.").split("{")[0] in notices[CHAT_AR]
    deliver(context)
    with context.database.session() as session:
        moved = session.get(Meeting, second.id)
    clock.now = moved.starts_at - timedelta(hours=24)
    assert job.run_once(context).reminders == 2


def test_reminders_list_stop_and_forget(context, clock, weekly) -> None:
    group_id, _f, created = weekly
    sid = subscribe(context, group_id, "p-ar", CHAT_AR, "ar")
    subscribe(context, group_id, "p-nl", CHAT_NL, "nl")
    clock.now = created[0].starts_at - timedelta(hours=24)
    job.run_once(context)
    with context.database.session() as session:
        mine = subscriptions.subscriptions_of(session, "p-ar")
        assert mine == [(sid, "Rouwgroep De Linde (test)")]
        assert not subscriptions.unsubscribe(session, "p-nl", sid)  # not theirs
        assert forget_citizen(session, "p-ar") >= 2  # subscription and queued reminder
    with context.database.session() as session:
        assert subscriptions.subscriptions_of(session, "p-ar") == []
        assert [c for c, _t in queued(context)] == [CHAT_NL]
        assert session.scalar(select(func.count()).select_from(ReminderSent)) == 1
        nl_id = subscriptions.subscriptions_of(session, "p-nl")[0][0]
        assert subscriptions.unsubscribe(session, "p-nl", nl_id)
    assert queued(context) == []


def test_after_a_meeting_the_facilitator_is_thanked_with_numbers_not_names(
    context, clock, weekly,
) -> None:
    group_id, _facilitator, created = weekly
    for n in range(3):
        subscribe(context, group_id, f"p-{n}", CHAT_NL + n, "nl")
    deliver(context)
    clock.now = created[0].ends_at + timedelta(minutes=5)
    report = job.run_once(context)
    assert report.thanks == 1
    assert job.run_once(context).thanks == 0
    thanks = [t for c, t in queued(context) if c == 77_001]
    assert len(thanks) == 1
    expected = Translator("tr").ngettext(
        "Thank you for being there for {group} today! {n} person had saved a reminder for "
        "this meeting.",
        "Thank you for being there for {group} today! {n} people had saved a reminder for "
        "this meeting.", 3, group="X").split("X")[0]
    assert thanks[0].startswith(expected) and " 3 " in thanks[0]
    assert "p-0" not in thanks[0]
