"""Shared helpers for facilitator, reminder and poster tests: a controllable clock, a group."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.directory.models import Location, Organisation, Service, ServiceLanguage
from bot.facilitators import membership
from bot.facilitators.models import Facilitator
from bot.privacy.pseudonym import pseudonym_for
from bot.reminders.subscriptions import CHAT_PURPOSE


class Clock:
    """A clock the test moves by hand (no sleeps)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move forward by ``timedelta(**delta)``."""
        self.now += timedelta(**delta)


def make_group(session: Session, name: str = "Rouwgroep De Linde (test)",
               languages: tuple[str, ...] = ("nl", "tr")) -> str:
    """A peer group with a usual place; returns its id."""
    org_id = uuid.uuid4().hex
    session.add(Organisation(id=org_id, name=f"Welzijn {org_id[:6]} (test)"))
    group_id = str(uuid.uuid4())
    session.add(Service(id=group_id, organisation_id=org_id, name=name, kind="peer_group",
                        description="We praten over verlies, in ons eigen tempo."))
    session.flush()
    for code in languages:
        session.add(ServiceLanguage(service_id=group_id, language=code))
    session.add(Location(id=uuid.uuid4().hex, service_id=group_id, name="Buurthuis De Linde",
                         address="Voorbeeldstraat 1", city="Tilburg"))
    session.flush()
    return group_id


def make_facilitator(session: Session, context: AppContext, group_id: str, user_id: int,
                     name: str = "Ayşe", language: str = "tr") -> Facilitator:
    """Invite and accept, as the bot does (Telegram account ``user_id``, whose private chat
    has the same id)."""
    invitation = membership.create_invitation(session, context, group_id, "coordinator-test")
    pseudonym = pseudonym_for(user_id, context.settings.pseudonym_secret)
    chat_token = context.sealer.seal(user_id, CHAT_PURPOSE) if context.sealer else None
    facilitator, _group = membership.accept_invitation(session, context, invitation.token,
                                                        pseudonym, chat_token, language)
    membership.set_display_name(session, context, facilitator, name)
    return facilitator


#: A Friday before the 2026 spring DST change (29 March 2026, 02:00 → 03:00).
SPRING = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def decode_qr(png: str) -> str:
    """The text of the QR code in an image (OpenCV; the ArUco-based detector first, it finds
    codes on a busy page more reliably, then the classic one)."""
    import cv2

    image = cv2.imread(png)
    assert image is not None, f"cannot read {png}"
    for detector in (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()):
        decoded = detector.detectAndDecode(image)[0]
        if decoded:
            return decoded
    return ""
