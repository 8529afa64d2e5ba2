"""Reminders before a meeting and notices when one is cancelled or moved.

Everything is computed from the database at ``context.clock()``; nothing is held in memory,
so a restart loses nothing. The unique (subscription, meeting, kind) key of
:class:`ReminderSent` makes every message once-only, also with two bot processes.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.db.base import utcnow
from bot.directory.models import Meeting, Service
from bot.outbox import service as outbox
from bot.outbox.models import OutboundMessage
from bot.reminders import texts
from bot.reminders.models import ReminderSent, Subscription
from bot.reminders.subscriptions import purpose
from bot.vocabulary import Reply

log = logging.getLogger(__name__)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M")


def _claim(session: Session, subscription: Subscription, meeting: Meeting, kind: str,
           now: datetime) -> ReminderSent | None:
    """Record that ``kind`` goes out; ``None`` if it already did (unique key)."""
    exists = session.scalar(select(ReminderSent.id).where(
        ReminderSent.subscription_id == subscription.id, ReminderSent.meeting_id == meeting.id,
        ReminderSent.kind == kind))
    if exists is not None:
        return None
    row = ReminderSent(subscription_id=subscription.id, meeting_id=meeting.id, kind=kind,
                       sent_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another process claimed it a moment ago
        return None
    return row


def deliver_at(context: AppContext) -> datetime:
    """When a message queued now may go out: at once.

    Never later than the wall clock: the job decides *what* is due at ``context.clock()``
    (in production the wall clock itself), and a reminder computed under a test's clock
    must still be delivered by the running bot, whose outbox goes by the wall clock.
    """
    return min(context.clock(), utcnow())


def _send(session: Session, context: AppContext, subscription: Subscription, sent: ReminderSent,
          reply: Reply) -> None:
    assert context.sealer is not None
    chat_id = context.sealer.open(subscription.chat_token, purpose(subscription.id))
    message = outbox.enqueue(session, context, chat_id=chat_id, purpose=purpose(subscription.id),
                             reply=reply, due_at=deliver_at(context))
    sent.outbox_id = message.id


def queue_due_reminders(session: Session, context: AppContext) -> int:
    """Queue every reminder that is due now; returns how many.

    For each subscription and each not-cancelled meeting of its group that starts within
    the largest lead time, the reminder whose moment (start - lead) has passed goes out once.
    Moments that passed before the person subscribed are skipped, and when several are
    due at once (the job was down) only the nearest one is sent, so nobody gets "tomorrow"
    and "in two hours" in the same minute.
    """
    now = context.clock()
    rows = session.execute(
        select(Subscription, Meeting, Service.name)
        .join(Meeting, Meeting.service_id == Subscription.service_id)
        .join(Service, Service.id == Meeting.service_id)
        .where(Meeting.cancelled.is_(False), Meeting.starts_at > now,
               Meeting.starts_at <= now + timedelta(days=31))
        .order_by(Meeting.starts_at)
    ).all()
    queued = 0
    for subscription, meeting, group in rows:
        leads = sorted(int(m) for m in subscription.lead_minutes.split(","))
        due = [lead for lead in leads
               if meeting.starts_at - timedelta(minutes=lead) <= now
               and meeting.starts_at - timedelta(minutes=lead) >= subscription.created_at]
        if not due:
            continue
        nearest, *superseded = due  # smallest lead first
        kinds = {lead: f"before:{lead}:{_stamp(meeting.starts_at)}" for lead in due}
        sent = _claim(session, subscription, meeting, kinds[nearest], now)
        for lead in superseded:  # mark so they are never sent late
            _claim(session, subscription, meeting, kinds[lead], now)
        if sent is None:
            continue
        reply = texts.reminder(subscription.language, group, meeting.starts_at, meeting.ends_at,
                               meeting.place, meeting.online_url, meeting.note,
                               context.settings.zone)
        _send(session, context, subscription, sent, reply)
        queued += 1
    return queued


def _subscribers(session: Session, group_id: str) -> list[Subscription]:
    return list(session.scalars(select(Subscription).where(Subscription.service_id == group_id)))


def withdraw_reminders(session: Session, meeting: Meeting) -> int:
    """Remove reminders of ``meeting`` that are queued but not delivered yet."""
    removed = 0
    for outbox_id, subscription_id in session.execute(
        select(ReminderSent.outbox_id, ReminderSent.subscription_id).where(
            ReminderSent.meeting_id == meeting.id, ReminderSent.kind.startswith("before:"),
            ReminderSent.outbox_id.is_not(None))
    ):
        # The purpose check matters on SQLite, which may reuse the id of a delivered message.
        result = session.execute(delete(OutboundMessage).where(
            OutboundMessage.id == outbox_id, OutboundMessage.purpose == purpose(subscription_id)))
        removed += result.rowcount or 0  # type: ignore[attr-defined]
    return removed


def notify_cancelled(session: Session, context: AppContext, meeting: Meeting,
                     whole_series: bool = False) -> int:
    """Tell every subscriber, in their language, that ``meeting`` will not take place."""
    now = context.clock()
    withdraw_reminders(session, meeting)
    if meeting.starts_at <= now:
        return 0
    group = session.get(Service, meeting.service_id)
    assert group is not None
    sent_count = 0
    for subscription in _subscribers(session, meeting.service_id):
        sent = _claim(session, subscription, meeting, "cancelled", now)
        if sent is None:
            continue
        _send(session, context, subscription, sent,
              texts.cancelled(subscription.language, group.name, meeting.starts_at,
                              meeting.ends_at, whole_series, context.settings.zone))
        sent_count += 1
    return sent_count


def notify_moved(session: Session, context: AppContext, meeting: Meeting,
                 old_start: datetime) -> int:
    """Tell every subscriber that ``meeting`` (which started at ``old_start``) changed."""
    now = context.clock()
    withdraw_reminders(session, meeting)
    if max(meeting.starts_at, old_start) <= now:
        return 0
    group = session.get(Service, meeting.service_id)
    assert group is not None
    kind = f"moved:{_stamp(meeting.starts_at)}:{(meeting.place or '')[:20]}"
    sent_count = 0
    for subscription in _subscribers(session, meeting.service_id):
        sent = _claim(session, subscription, meeting, kind[:64], now)
        if sent is None:
            continue
        _send(session, context, subscription, sent,
              texts.moved(subscription.language, group.name, old_start, meeting.starts_at,
                          meeting.ends_at, meeting.place, meeting.online_url,
                          context.settings.zone))
        sent_count += 1
    return sent_count
