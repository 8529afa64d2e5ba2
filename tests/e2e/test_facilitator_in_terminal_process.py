"""The terminal chat as a person starts it (`steunwijzer chat`, a real process on the real NLU
service): a coordinator invites with `steunwijzer invite`, the facilitator accepts in the
terminal with `/start inv_…` and posts a weekly meeting, typing numbers for buttons."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.directory.models import Meeting, Service
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.rasa

STEUNWIJZER = shutil.which("steunwijzer", path=str(Path(sys.executable).parent)) or "steunwijzer"


def _cli(stack, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [STEUNWIJZER, *args], cwd=PROJECT_ROOT, env={**os.environ, **stack.env}, input=stdin,
        capture_output=True, text=True, timeout=120, check=True,
    )
    return done.stdout


@pytest.mark.parametrize("language", ["nl", "tr", "fa", "ar"])
def test_a_facilitator_posts_a_weekly_meeting_in_the_terminal_chat(stack, language) -> None:
    database = stack.database()
    with database.session() as session:
        group = session.scalars(
            select(Service).where(Service.kind == "peer_group").order_by(Service.name)
        ).all()[["nl", "tr", "fa", "ar"].index(language)]
        group_id, name = group.id, group.name
        before = len(session.scalars(select(Meeting).where(Meeting.service_id == group_id)).all())
    link = _cli(stack, "invite", "--group", group_id, "--qr", str(stack.data_dir / "qr.png"))
    token = link.strip().split("?start=", 1)[1]

    screen = _cli(stack, "chat", "--language", language, stdin="\n".join([
        f"/start {token}",
        "Ayşe",
        "/newmeeting",
        "2",  # tomorrow
        "19:30",  # typed
        "21:30",
        "2",  # every week
        "1",  # the usual place (or online)
        "1",  # the usual languages
        "1",  # no note
        "1",  # save
        "/mygroups",
    ]) + "\n")

    _ = Translator(language).gettext
    position = 0
    for text in (
        _("Welcome! You are now a facilitator of {group}.", group=isolate(name, language)),
        _("Thank you, {name}.", name=isolate("Ayşe", language)),
        _("Does the meeting repeat?"),
        _("Please check:"),
        _("Your groups"),
    ):
        found = screen.find(text, position)
        assert found >= 0, f"{text!r} not shown:\n{screen}"
        position = found + len(text)
    with database.session() as session:
        after = session.scalars(select(Meeting).where(Meeting.service_id == group_id)).all()
    assert len(after) > before  # the weekly series is planned
    database.dispose()
