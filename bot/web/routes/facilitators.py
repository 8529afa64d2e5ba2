"""Facilitators and their invitation links with QR codes (issue 4's module, when present)."""

from __future__ import annotations

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.audit import service as audit
from bot.directory import manage
from bot.errors import NotAllowed
from bot.web.deps import DbSession, LoggedIn, Posted, Staff, app_context, render

router = APIRouter(prefix="/facilitators")


def qr_svg(link: str) -> str:
    """An SVG QR code of ``link`` (segno, pure Python), as a data URI for an <img>."""
    return segno.make(link, error="m").svg_data_uri(scale=4, border=2)


def _groups(session: Session, member: Staff) -> list[tuple[str, str, str]]:
    return [(s.id, s.name, s.organisation_id) for s in manage.services(session, member.scope)
            if s.kind == "peer_group"]


def _page(request: Request, member: Staff, session: Session, created: object = None,
          created_qr: str | None = None) -> Response:
    from bot.facilitators import membership
    from bot.facilitators.links import group_link

    context = app_context(request)
    groups = _groups(session, member)
    mine = {group_id for group_id, _, _ in groups}
    people = [f for f in membership.list_facilitators(session)
              if member.scope.is_admin or any(g in mine for g, _ in f.groups)]
    invitations = [i for i in membership.list_invitations(session)
                   if member.scope.is_admin or i.group_id in mine]
    group_links = [(gid, name, group_link(context.settings, gid),
                    qr_svg(group_link(context.settings, gid))) for gid, name, _ in groups]
    return render(request, "facilitators.html", ui=member.ui, member=member, people=people,
                  invitations=invitations, groups=group_links, created=created,
                  created_qr=created_qr, now=context.clock())


@router.get("")
def overview(request: Request, member: LoggedIn, session: DbSession) -> Response:
    """Facilitators of the groups in scope, invitations, and each group's link and QR code."""
    return _page(request, member, session)


@router.post("/invite")
def invite(request: Request, member: Posted, session: DbSession,
           group_id: str = Form("")) -> Response:
    """A single-use invitation link (shown once, with its QR code)."""
    from bot.facilitators import membership

    if group_id not in {g for g, _, _ in _groups(session, member)}:
        raise manage.OutOfScope()
    # A group that takes no facilitators is refused (Refused: a 422 page saying why).
    created = membership.create_invitation(session, app_context(request), group_id,
                                           member.username)
    return _page(request, member, session, created=created, created_qr=qr_svg(created.link))


@router.post("/{facilitator_id}/revoke")
def revoke(facilitator_id: str, request: Request, member: Posted, session: DbSession,
           group_id: str = Form("")) -> Response:
    """Take a facilitator off one of this coordinator's groups (admins: off everything)."""
    from bot.facilitators import membership

    if group_id and group_id not in {g for g, _, _ in _groups(session, member)}:
        raise manage.OutOfScope()
    if not group_id and not member.scope.is_admin:
        raise NotAllowed()
    # An unknown facilitator is NotFound: a 404 page.
    membership.revoke(session, app_context(request), facilitator_id, member.username,
                      group_id=group_id or None)
    audit.record(session, actor_kind=member.scope.role, actor=member.username,
                 action="dashboard.facilitator_revoke", target=f"facilitator:{facilitator_id}")
    return RedirectResponse("/facilitators", status_code=303)
