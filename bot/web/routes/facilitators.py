"""Facilitators and their invitation links with QR codes (issue 4's module, when present)."""

from __future__ import annotations

import segno
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from bot.audit import service as audit
from bot.directory import manage
from bot.web.deps import Staff, app_context, csrf_protected, current_staff, render

router = APIRouter(prefix="/facilitators")


def qr_svg(link: str) -> str:
    """An SVG QR code of ``link`` (segno, pure Python), as a data URI for an <img>."""
    return segno.make(link, error="m").svg_data_uri(scale=4, border=2)


def _groups(session, member: Staff) -> list[tuple[str, str, str]]:
    return [(s.id, s.name, s.organisation_id) for s in manage.services(session, member.scope)
            if s.kind == "peer_group"]


def _page(request: Request, member: Staff, created: object = None,
          created_qr: str | None = None) -> Response:
    from bot.facilitators import membership
    from bot.facilitators.links import group_link

    context = app_context(request)
    with context.database.session() as session:
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
def overview(request: Request, member: Staff = Depends(current_staff)) -> Response:
    """Facilitators of the groups in scope, invitations, and each group's link and QR code."""
    return _page(request, member)


@router.post("/invite")
def invite(request: Request, group_id: str = Form(""),
           member: Staff = Depends(csrf_protected)) -> Response:
    """A single-use invitation link (shown once, with its QR code)."""
    from bot.facilitators import membership
    from bot.facilitators.errors import Refused

    context = app_context(request)
    with context.database.session() as session:
        if group_id not in {g for g, _, _ in _groups(session, member)}:
            raise HTTPException(status_code=404)
        try:
            created = membership.create_invitation(session, context, group_id, member.username)
        except Refused:
            raise HTTPException(status_code=400) from None
    return _page(request, member, created=created, created_qr=qr_svg(created.link))


@router.post("/{facilitator_id}/revoke")
def revoke(facilitator_id: str, request: Request, group_id: str = Form(""),
           member: Staff = Depends(csrf_protected)) -> Response:
    """Take a facilitator off one of this coordinator's groups (admins: off everything)."""
    from bot.facilitators import membership

    context = app_context(request)
    with context.database.session() as session:
        mine = {g for g, _, _ in _groups(session, member)}
        if group_id and group_id not in mine:
            raise HTTPException(status_code=404)
        if not group_id and not member.scope.is_admin:
            raise HTTPException(status_code=403)
        try:
            membership.revoke(session, context, facilitator_id, member.username,
                              group_id=group_id or None)
        except LookupError:
            raise HTTPException(status_code=404) from None
        audit.record(session, actor_kind=member.scope.role, actor=member.username,
                     action="dashboard.facilitator_revoke", target=f"facilitator:{facilitator_id}")
    return RedirectResponse("/facilitators", status_code=303)
