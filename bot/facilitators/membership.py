"""Who facilitates which group: invitations, accepting, leaving, revoking, permission checks.

Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit import service as audit
from bot.context import AppContext
from bot.directory.models import Service
from bot.errors import NotFound
from bot.facilitators import errors
from bot.facilitators.errors import Refused
from bot.facilitators.identity import legacy_staff_pseudonym, staff_pseudonym
from bot.facilitators.links import invitation_link
from bot.facilitators.models import Facilitator, FacilitatorGroup, Invitation
from bot.reminders.subscriptions import CHAT_PURPOSE
from bot.taxonomy import ServiceKind
from bot.vocabulary import ALL_LANGUAGES

DISPLAY_NAME_LIMIT = 60


def actor(facilitator: Facilitator) -> str:
    """How a facilitator appears in the audit log: chosen name and internal id, nothing else."""
    return f"{facilitator.display_name or '?'} ({facilitator.id[:8]})"


# ---------------------------------------------------------------------------- invitations
def invitation_hash(token: str) -> str:
    """What is stored of an invitation token: its SHA-256, hex.

    A plain hash, not a keyed one, is enough: a token is 144 random bits, so it cannot be
    found from its hash by trying, and the dashboard that creates invitations holds no
    secret key (docs/security.md). Migration 0010 hashed the tokens issued before this.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def _find_invitation(session: Session, token: str) -> Invitation | None:
    """The invitation behind ``token``, found by its hash and locked for the update."""
    digest = invitation_hash(token)
    invitation = session.get(Invitation, digest, with_for_update=True)
    # Looked up by hash, so timing cannot lead anyone towards a stored value; the constant-time
    # comparison states the intent and guards against a case-insensitive collation.
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        return None
    return invitation


@dataclass(frozen=True)
class CreatedInvitation:
    """A new invitation and the deep link to hand to the future facilitator."""

    token: str
    group_id: str
    expires_at: datetime
    link: str


def create_invitation(
    session: Session,
    context: AppContext,
    group_id: str,
    created_by: str,
    expires_in: timedelta | None = None,
) -> CreatedInvitation:
    """A single-use invitation for ``group_id`` (a peer group); returns its deep link."""
    group = session.get(Service, group_id)
    if group is None or group.kind != ServiceKind.PEER_GROUP:
        raise Refused(errors.NOT_A_GROUP)
    now = context.clock()
    expires_in = expires_in or timedelta(hours=context.settings.invitation_hours)
    token = secrets.token_urlsafe(18)  # 24 characters of [A-Za-z0-9_-]: a valid payload
    invitation = Invitation(token_hash=invitation_hash(token), service_id=group_id,
                            created_by=created_by, created_at=now, expires_at=now + expires_in)
    session.add(invitation)
    audit.record(session, actor_kind="coordinator", actor=created_by, action="facilitator.invite",
                 target=f"service:{group_id}",
                 detail=f"expires {invitation.expires_at.isoformat()}",
                 at=now)
    return CreatedInvitation(token, group_id, invitation.expires_at,
                             invitation_link(context.settings, token))


@dataclass(frozen=True)
class InvitationRow:
    """An invitation as the dashboard lists it (never the token of a used one)."""

    group_id: str
    group_name: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by: str | None  # the facilitator's display name


def list_invitations(session: Session) -> list[InvitationRow]:
    """Every invitation, newest first."""
    rows = session.execute(
        select(Invitation, Service.name, Facilitator.display_name)
        .join(Service, Service.id == Invitation.service_id)
        .outerjoin(Facilitator, Facilitator.id == Invitation.used_by)
        .order_by(Invitation.created_at.desc())
    ).all()
    return [InvitationRow(inv.service_id, name, inv.created_by, inv.created_at, inv.expires_at,
                          inv.used_at, used_by) for inv, name, used_by in rows]


def accept_invitation(
    session: Session,
    context: AppContext,
    token: str,
    pseudonym: str,
    chat_token: str | None,
    language: str,
) -> tuple[Facilitator, Service]:
    """Make the person behind ``pseudonym`` a facilitator of the invitation's group.

    ``pseudonym`` is the person's pseudonym in the channel (never a plain id); it is hashed
    once more into a staff pseudonym. ``chat_token`` is their chat id as the channel sealed
    it (purpose ``chat``), or ``None`` where there is no chat to write to later (the terminal):
    it is re-sealed for this facilitator only, for the thank-you after a meeting. The
    invitation is used up even if the person already facilitated.
    """
    now = context.clock()
    invitation = _find_invitation(session, token)
    if invitation is None:
        raise Refused(errors.INVITATION_UNKNOWN)
    if invitation.used_at is not None:
        raise Refused(errors.INVITATION_USED)
    if invitation.expires_at <= now:
        raise Refused(errors.INVITATION_EXPIRED)
    staff = staff_pseudonym(pseudonym, context.settings.pseudonym_secret)
    facilitator = session.scalar(select(Facilitator).where(Facilitator.pseudonym == staff))
    if facilitator is None:
        facilitator = Facilitator(id=uuid.uuid4().hex, pseudonym=staff, display_name="",
                                  language=language if language in ALL_LANGUAGES else "nl",
                                  created_at=now)
        session.add(facilitator)
    facilitator.revoked = False
    if chat_token is not None and context.sealer is not None:
        chat_id = context.sealer.open(chat_token, CHAT_PURPOSE)
        facilitator.chat_token = context.sealer.seal(chat_id, chat_purpose(facilitator.id))
    session.flush()
    if session.get(FacilitatorGroup, (facilitator.id, invitation.service_id)) is None:
        session.add(FacilitatorGroup(facilitator_id=facilitator.id,
                                     service_id=invitation.service_id, joined_at=now))
    invitation.used_at = now
    invitation.used_by = facilitator.id
    audit.record(session, actor_kind="facilitator", actor=actor(facilitator),
                 action="facilitator.accept", target=f"service:{invitation.service_id}", at=now)
    group = session.get(Service, invitation.service_id)
    assert group is not None  # the foreign key cascades
    return facilitator, group


def chat_purpose(facilitator_id: str) -> str:
    """What a facilitator's chat id is sealed for (the thank-you after a meeting)."""
    return f"facilitator:{facilitator_id}"


# ---------------------------------------------------------------------------- identity
def adopt_legacy(session: Session, context: AppContext, user_id: int, pseudonym: str) -> bool:
    """Re-key a facilitator whose staff pseudonym was made from the Telegram user id (before
    2026-12-05) to the one made from their pseudonym, so they need no new invitation.

    Called by the Telegram adapter, the only place that still sees the user id, when a
    facilitator command arrives; returns whether a row was re-keyed.
    """
    secret = context.settings.pseudonym_secret
    old = legacy_staff_pseudonym(user_id, secret)
    facilitator = session.scalar(select(Facilitator).where(Facilitator.pseudonym == old))
    if facilitator is None:
        return False
    facilitator.pseudonym = staff_pseudonym(pseudonym, secret)
    return True


def find_facilitator(session: Session, context: AppContext, pseudonym: str) -> Facilitator | None:
    """The active facilitator behind a person's pseudonym, or ``None``."""
    staff = staff_pseudonym(pseudonym, context.settings.pseudonym_secret)
    facilitator = session.scalar(select(Facilitator).where(Facilitator.pseudonym == staff))
    if facilitator is None or facilitator.revoked:
        return None
    return facilitator


def set_display_name(session: Session, context: AppContext, facilitator: Facilitator,
                     name: str) -> None:
    """The name coordinators see; chosen by the facilitator, never taken from Telegram."""
    name = " ".join(name.split())
    if not name:
        raise Refused(errors.TOO_LONG, limit=DISPLAY_NAME_LIMIT)
    if len(name) > DISPLAY_NAME_LIMIT:
        raise Refused(errors.TOO_LONG, limit=DISPLAY_NAME_LIMIT)
    facilitator.display_name = name
    audit.record(session, actor_kind="facilitator", actor=actor(facilitator),
                 action="facilitator.name", target=f"facilitator:{facilitator.id}",
                 at=context.clock())


def set_language(session: Session, facilitator: Facilitator, language: str) -> None:
    """The language the bot speaks with this facilitator."""
    if language in ALL_LANGUAGES:
        facilitator.language = language


def groups_of(session: Session, facilitator: Facilitator) -> list[Service]:
    """The groups this facilitator runs, by name."""
    return list(session.scalars(
        select(Service).join(FacilitatorGroup, FacilitatorGroup.service_id == Service.id)
        .where(FacilitatorGroup.facilitator_id == facilitator.id).order_by(Service.name)
    ))


def require_group(session: Session, facilitator: Facilitator, group_id: str) -> Service:
    """The group, if this (non-revoked) facilitator runs it; otherwise refused.

    Every meeting service calls this first: a facilitator acts only on their own groups.
    """
    if facilitator.revoked or session.get(FacilitatorGroup, (facilitator.id, group_id)) is None:
        raise Refused(errors.NOT_YOUR_GROUP)
    group = session.get(Service, group_id)
    if group is None:
        raise Refused(errors.NOT_YOUR_GROUP)
    return group


def leave(session: Session, context: AppContext, facilitator: Facilitator, group_id: str) -> None:
    """The facilitator stops running ``group_id``; with no group left, the chat id goes."""
    membership = session.get(FacilitatorGroup, (facilitator.id, group_id))
    if membership is None:
        raise Refused(errors.NOT_YOUR_GROUP)
    session.delete(membership)
    session.flush()
    if not groups_of(session, facilitator):
        facilitator.chat_token = None
    audit.record(session, actor_kind="facilitator", actor=actor(facilitator),
                 action="facilitator.leave", target=f"service:{group_id}", at=context.clock())


# ---------------------------------------------------------------------------- coordinators
@dataclass(frozen=True)
class FacilitatorRow:
    """A facilitator as coordinators see them: chosen name and groups, nothing from Telegram."""

    id: str
    display_name: str
    language: str
    revoked: bool
    created_at: datetime
    groups: tuple[tuple[str, str], ...]  # (group id, group name)


def list_facilitators(session: Session) -> list[FacilitatorRow]:
    """Every facilitator with their groups, by display name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for fid, sid, name in session.execute(
        select(FacilitatorGroup.facilitator_id, Service.id, Service.name)
        .join(Service, Service.id == FacilitatorGroup.service_id).order_by(Service.name)
    ):
        groups.setdefault(fid, []).append((sid, name))
    return [
        FacilitatorRow(f.id, f.display_name, f.language, f.revoked, f.created_at,
                       tuple(groups.get(f.id, ())))
        for f in session.scalars(select(Facilitator).order_by(Facilitator.display_name,
                                                               Facilitator.id))
    ]


def revoke(session: Session, context: AppContext, facilitator_id: str, by: str,
           group_id: str | None = None) -> Sequence[str]:
    """A coordinator takes a facilitator off one group, or off all of them (``group_id=None``).

    Revoking entirely also deletes the sealed chat id. Returns the group ids removed.
    """
    facilitator = session.get(Facilitator, facilitator_id)
    if facilitator is None:
        raise NotFound("no facilitator {facilitator_id}", facilitator_id=facilitator_id)
    memberships = session.scalars(select(FacilitatorGroup).where(
        FacilitatorGroup.facilitator_id == facilitator_id,
        *([FacilitatorGroup.service_id == group_id] if group_id else []),
    )).all()
    removed = [m.service_id for m in memberships]
    for membership in memberships:
        session.delete(membership)
    if group_id is None:
        facilitator.revoked = True
        facilitator.chat_token = None
    audit.record(session, actor_kind="coordinator", actor=by, action="facilitator.revoke",
                 target=f"facilitator:{facilitator_id}",
                 detail=f"groups: {', '.join(removed) or '-'}", at=context.clock())
    return removed
