"""Recognition: after a meeting, its facilitators get a short thank-you with anonymous numbers.

Volunteers stay when they are thanked and seen (product.md). The number is how many people
had a reminder for the group when the meeting started, never who.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.directory.models import Meeting, Service
from bot.facilitators import texts
from bot.facilitators.membership import chat_purpose
from bot.facilitators.models import Facilitator, FacilitatorGroup, ThankYouSent
from bot.outbox import service as outbox
from bot.reminders.models import Subscription
from bot.reminders.notices import deliver_at
from bot.vocabulary import Reply

#: Meetings that ended longer ago than this get no thank-you any more (e.g. after downtime).
WINDOW = timedelta(hours=12)


def queue_thanks(session: Session, context: AppContext) -> int:
    """Queue a thank-you for every meeting that ended recently; returns how many."""
    if context.sealer is None:
        return 0
    now = context.clock()
    rows = session.execute(
        select(Meeting, Facilitator, Service.name)
        .join(FacilitatorGroup, FacilitatorGroup.service_id == Meeting.service_id)
        .join(Facilitator, Facilitator.id == FacilitatorGroup.facilitator_id)
        .join(Service, Service.id == Meeting.service_id)
        .where(Meeting.cancelled.is_(False), Meeting.ends_at <= now,
               Meeting.ends_at > now - WINDOW, Facilitator.revoked.is_(False),
               Facilitator.chat_token.is_not(None))
    ).all()
    queued = 0
    for meeting, facilitator, group in rows:
        if session.get(ThankYouSent, (meeting.id, facilitator.id)) is not None:
            continue
        count = session.scalar(select(func.count()).select_from(Subscription).where(
            Subscription.service_id == meeting.service_id,
            Subscription.created_at <= meeting.starts_at)) or 0
        session.add(ThankYouSent(meeting_id=meeting.id, facilitator_id=facilitator.id,
                                 sent_at=now))
        purpose = chat_purpose(facilitator.id)
        assert facilitator.chat_token is not None
        chat_id = context.sealer.open(facilitator.chat_token, purpose)
        outbox.enqueue(session, context, chat_id=chat_id, purpose=purpose,
                       reply=Reply(texts.thank_you(facilitator.language, group, count)),
                       due_at=deliver_at(context))
        queued += 1
    session.flush()
    return queued
