"""Invitations are single-use and expire; facilitators are staff pseudonyms with a chosen name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from staffgroups import make_facilitator, make_group

from bot.audit.models import AuditEvent
from bot.facilitators import errors, membership
from bot.facilitators.errors import Refused
from bot.facilitators.links import PAYLOAD, invitation_token
from bot.facilitators.models import Facilitator
from bot.privacy.pseudonym import pseudonym_for
from bot.reminders.subscriptions import CHAT_PURPOSE

USER, CHAT = 555_001_234, 555_001_234


def person(context, user: int = USER, chat: int = CHAT) -> tuple[str, str]:
    """(pseudonym, sealed chat id) of a Telegram account, as the adapter passes them."""
    return (pseudonym_for(user, context.settings.pseudonym_secret),
            context.sealer.seal(chat, CHAT_PURPOSE))


def test_invitation_link_is_a_valid_single_use_deep_link(context) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
        invitation = membership.create_invitation(session, context, group_id, "coordinator-a")
    payload = invitation.link.split("?start=", 1)[1]
    assert invitation.link.startswith("https://t.me/SteunwijzerTestBot?start=inv_")
    assert PAYLOAD.match(payload) and invitation_token(payload) == invitation.token
    with context.database.session() as session:
        facilitator, group = membership.accept_invitation(session, context, invitation.token,
                                                          *person(context), "tr")
        assert group.id == group_id and facilitator.language == "tr"
    with context.database.session() as session, pytest.raises(Refused) as refused:
        membership.accept_invitation(session, context, invitation.token,
                                     *person(context, USER + 1, CHAT + 1), "nl")
    assert refused.value.message == errors.INVITATION_USED


def test_an_expired_or_unknown_invitation_is_refused(context, clock) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
        invitation = membership.create_invitation(session, context, group_id, "c",
                                                  timedelta(hours=1))
    clock.advance(hours=2)
    with context.database.session() as session, pytest.raises(Refused) as refused:
        membership.accept_invitation(session, context, invitation.token, *person(context), "nl")
    assert refused.value.message == errors.INVITATION_EXPIRED
    with context.database.session() as session, pytest.raises(Refused) as refused:
        membership.accept_invitation(session, context, "nope", *person(context), "nl")
    assert refused.value.message == errors.INVITATION_UNKNOWN


def test_only_peer_groups_get_invitations(context) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
        session.execute(text("UPDATE service SET kind = 'helpline' WHERE id = :i"), {"i": group_id})
        with pytest.raises(Refused):
            membership.create_invitation(session, context, group_id, "c")


def test_no_telegram_identifier_is_stored_in_plain_form(context) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
        facilitator = make_facilitator(session, context, group_id, USER, name="Ayşe")
        # Staff pseudonyms differ from citizen pseudonyms of the same account.
        assert facilitator.pseudonym != pseudonym_for(USER, "test-secret")
        assert facilitator.chat_token and str(CHAT) not in facilitator.chat_token
    with context.database.session() as session:
        for table in ("facilitator", "facilitator_group", "facilitator_invitation",
                      "audit_event"):
            for row in session.execute(text(f"SELECT * FROM {table}")):
                assert all(str(USER) not in str(value) for value in row), table
        names = [e.actor for e in session.scalars(select(AuditEvent))]
        assert any(n.startswith("Ayşe (") for n in names)


def test_leave_and_revoke_remove_groups_and_the_sealed_chat_id(context) -> None:
    with context.database.session() as session:
        first, second = make_group(session), make_group(session, "Tweede groep (test)")
        facilitator = make_facilitator(session, context, first, USER)
        invitation = membership.create_invitation(session, context, second, "c")
        membership.accept_invitation(session, context, invitation.token, *person(context), "tr")
        fid = facilitator.id
    with context.database.session() as session:
        facilitator = session.get(Facilitator, fid)
        membership.leave(session, context, facilitator, first)
        assert [g.id for g in membership.groups_of(session, facilitator)] == [second]
        assert facilitator.chat_token is not None  # still runs a group
    with context.database.session() as session:
        assert membership.revoke(session, context, fid, "coordinator-a") == [second]
    with context.database.session() as session:
        facilitator = session.get(Facilitator, fid)
        assert facilitator.revoked and facilitator.chat_token is None
        assert membership.find_facilitator(session, context, person(context)[0]) is None
        rows = membership.list_facilitators(session)
        assert [(r.display_name, r.revoked, r.groups) for r in rows] == [("Ayşe", True, ())]
        actions = {e.action for e in session.scalars(select(AuditEvent))}
        assert {"facilitator.invite", "facilitator.accept", "facilitator.leave",
                "facilitator.revoke"} <= actions
        assert len(membership.list_invitations(session)) == 2


def test_the_chat_id_is_sealed_for_the_facilitator_alone(context) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
        facilitator = make_facilitator(session, context, group_id, USER)
        token = facilitator.chat_token
        assert context.sealer.open(token, membership.chat_purpose(facilitator.id)) == CHAT
        with pytest.raises(Exception):  # noqa: B017 - any failure to open is fine here
            context.sealer.open(token, CHAT_PURPOSE)


def test_a_person_without_a_chat_becomes_a_facilitator_too(context) -> None:
    """The terminal chat has a pseudonym but no chat id: no thank-you can reach it."""
    with context.database.session() as session:
        group_id = make_group(session)
        invitation = membership.create_invitation(session, context, group_id, "c")
        facilitator, _group = membership.accept_invitation(session, context, invitation.token,
                                                           "terminal-0123abcd", None, "fa")
        assert facilitator.chat_token is None and facilitator.language == "fa"
        assert membership.find_facilitator(session, context, "terminal-0123abcd") is facilitator
        assert membership.find_facilitator(session, context, "terminal-other") is None
        assert facilitator.pseudonym != "terminal-0123abcd"


def test_a_facilitator_from_before_the_pseudonym_keying_keeps_their_groups(context) -> None:
    from bot.facilitators.identity import legacy_staff_pseudonym

    user_id = 4_200_042
    with context.database.session() as session:
        group = make_group(session)
        facilitator = make_facilitator(session, context, group, user_id)
        # As a facilitator accepted before 2026-12-05 is stored: keyed by the user id.
        facilitator.pseudonym = legacy_staff_pseudonym(user_id, context.settings.pseudonym_secret)
    pseudonym = pseudonym_for(user_id, context.settings.pseudonym_secret)
    with context.database.session() as session:
        assert membership.find_facilitator(session, context, pseudonym) is None
        assert membership.adopt_legacy(session, context, user_id, pseudonym)
    with context.database.session() as session:
        found = membership.find_facilitator(session, context, pseudonym)
        assert found is not None and found.id == facilitator.id
        assert not membership.adopt_legacy(session, context, user_id, pseudonym)  # once
