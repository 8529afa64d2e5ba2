"""Facilitators and reminders end to end: the real bot process, its own database, and the
fake Telegram Bot API (validated against the real API spec).

A coordinator invites a Turkish-speaking facilitator with the CLI; she posts a weekly meeting
through the guided conversation, edits one occurrence and cancels another; a citizen writing
Arabic saves a reminder and gets the reminder, the change and the cancellation in Arabic; a
facilitator of another group is refused; a guided conversation goes on after the bot restarts
(its state lives in the database, not in the process).

Clock: the bot runs on the wall clock, as in production. The reminder moment is reached by
calling the same service the bot's reminder job calls (``bot.reminders.job.run_once``) against
the bot's database with a clock set to just after "two hours before"; the running bot's outbox
job then delivers the queued reminder to the fake Telegram. No sleeps, no test-only code path.

The NLU service is not involved in these flows (buttons and commands carry their meaning, a
facilitator's typed steps are read by the facilitator dialogue, and the group page comes from
the dialogue engine in degraded mode), so this bot points at a port where nothing listens.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time
from fakes.telegram_api import FakeTelegram, SentMessage, ThreadedFakeTelegram
from icalendar import Calendar
from sqlalchemy import select, text
from staffgroups import Clock, decode_qr, make_group

from bot.context import AppContext
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.directory.gazetteer import load_reference_data
from bot.directory.models import Meeting
from bot.facilitators.timeparse import local
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate, locale_for
from bot.privacy.sealed import generate_key
from bot.reminders import job
from bot.settings import PROJECT_ROOT, Settings

ZONE = ZoneInfo("Europe/Amsterdam")  # the default STEUNWIJZER_TIMEZONE: times below are Dutch

pytestmark = pytest.mark.slow

FACILITATOR_ID, OUTSIDER_ID, CITIZEN_ID, STRANGER_ID = 6_100_001, 6_100_002, 6_100_003, 6_100_004


def _(language: str, msgid: str, **values: object) -> str:
    return Translator(language).gettext(msgid, **values)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Bot:
    """The running bot with its fake Telegram, database and environment."""

    tg: ThreadedFakeTelegram
    env: dict[str, str]
    database_url: str
    group_id: str
    other_group_id: str
    data_dir: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the bot process; ready when it polls the fake Telegram for updates."""
        polled = {id(call) for call in self.tg.calls("getUpdates")}
        log = (self.data_dir / "bot.log").open("ab")
        exe = shutil.which("steunwijzer", path=str(Path(sys.executable).parent)) or "steunwijzer"
        self.process = subprocess.Popen([exe, "bot"], cwd=PROJECT_ROOT,
                                        env={**os.environ, **self.env},
                                        stdout=log, stderr=subprocess.STDOUT)
        self.tg.wait_for_call("getUpdates", predicate=lambda call: id(call) not in polled,
                              timeout=60)

    def stop(self) -> None:
        """Stop the bot process as an operator would (SIGTERM), and wait for it."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process = None

    def steunwijzer(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the CLI against the bot's database."""
        exe = shutil.which("steunwijzer", path=str(Path(sys.executable).parent)) or "steunwijzer"
        return subprocess.run([exe, *args], cwd=self.data_dir, env={**os.environ, **self.env},
                              capture_output=True, text=True, check=True)

    def context(self, clock: Clock) -> AppContext:
        """An app context on the bot's database with a clock the test controls."""
        settings = Settings(**{k.removeprefix("STEUNWIJZER_").lower(): v
                               for k, v in self.env.items()})
        return AppContext(settings, Database(self.database_url), clock)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    data_dir = tmp_path_factory.mktemp("facilitators")
    database_url = f"sqlite:///{data_dir / 'steunwijzer.sqlite3'}"
    upgrade(database_url)
    database = Database(database_url)
    with database.session() as session:
        load_reference_data(session)
        group_id = make_group(session, "Rouwgroep Turkstalig De Linde (demo)", ("tr", "nl"))
        other_group_id = make_group(session, "Mantelzorggroep Noord (demo)", ("nl",))
    database.dispose()
    env = {
        "STEUNWIJZER_DATA_DIR": str(data_dir),
        "STEUNWIJZER_DATABASE_URL": database_url,
        "STEUNWIJZER_PSEUDONYM_SECRET": "e2e-facilitators-secret",
        "STEUNWIJZER_ENCRYPTION_KEY": generate_key(),
        "STEUNWIJZER_RASA_URL": f"http://127.0.0.1:{_free_port()}",
        "STEUNWIJZER_RASA_TIMEOUT_SECONDS": "1",
        "STEUNWIJZER_OUTBOX_INTERVAL_SECONDS": "1",
        "STEUNWIJZER_REMINDER_INTERVAL_SECONDS": "2",
    }
    with FakeTelegram.threaded() as tg:
        env["STEUNWIJZER_TELEGRAM_BOT_USERNAME"] = tg.bot_username
        running = Bot(tg, {**env, **tg.subprocess_env()}, database_url, group_id, other_group_id,
                      data_dir)
        running.start()
        try:
            yield running
        finally:
            running.stop()


def one(tg: ThreadedFakeTelegram, user) -> SentMessage:
    [message] = tg.wait_for_messages(user, count=1, timeout=30)
    return message


def invite(bot: Bot, group_id: str) -> str:
    """The coordinator's CLI: a deep link on stdout and a QR code that decodes to it."""
    qr = bot.data_dir / f"qr-{group_id[:8]}.png"
    link = bot.steunwijzer("invite", "--group", group_id, "--qr", str(qr)).stdout.strip()
    assert decode_qr(str(qr)) == link
    return link.split("?start=", 1)[1]


def become_facilitator(bot: Bot, user, group_id: str, name: str, language: str) -> None:
    tg = bot.tg
    tg.send_command(user, "/start", invite(bot, group_id))
    welcome = one(tg, user)
    assert _(language, "Which name should coordinators see? Choose any name; it does not have "
             "to be your real one. Your Telegram name and account are never stored.") \
        in welcome.plain_text
    tg.send_text(user, name)
    # The chosen name sits in Unicode isolates inside Farsi and Arabic text.
    assert _(language, "Thank you, {name}.", name=isolate(name, language)) \
        in one(tg, user).plain_text


def test_the_whole_journey(bot: Bot) -> None:
    tg = bot.tg
    ayse = tg.user(FACILITATOR_ID, language_code="tr", first_name="Ayşe", username="ayse_tg")
    citizen = tg.user(CITIZEN_ID, language_code="ar", first_name="Anon")

    # ------------------------------------------------------------ invitation (single use)
    payload = invite(bot, bot.group_id)
    tg.send_command(ayse, "/start", payload)
    assert _("tr", "Welcome! You are now a facilitator of {group}.",
             group="Rouwgroep Turkstalig De Linde (demo)") in one(tg, ayse).plain_text
    tg.send_text(ayse, "Ayşe (grup)")
    assert "Ayşe (grup)" in one(tg, ayse).plain_text
    stranger = tg.user(STRANGER_ID, language_code="nl")
    tg.send_command(stranger, "/start", payload)  # the same link again
    assert one(tg, stranger).plain_text == _(
        "nl", "This invitation link was already used. Ask the coordinator for a new one.")

    # ------------------------------------------------------------ a weekly meeting, in Turkish
    tg.send_command(ayse, "/newmeeting")
    ask_date = one(tg, ayse)
    assert ask_date.plain_text == _("tr", "On which day? Choose a day or type a date "
                                    "(for example 24-12-2026).")
    tomorrow = [d for row in ask_date.buttons for _l, d in row][1]
    tg.press_button(ayse, ask_date, tomorrow)
    ask_start = one(tg, ayse)
    tg.press_button(ayse, ask_start, "Ft:19:30")
    ask_end = one(tg, ayse)
    assert _("tr", "until {time}", time="21:30") in ask_end.labels
    tg.send_text(ayse, "19:00")  # typed, and refused: before the start
    assert one(tg, ayse).plain_text == _("tr", "The end time must be after the start time.")
    tg.press_button(ayse, one(tg, ayse), "Fe:21:30")
    ask_repeat = one(tg, ayse)
    assert any(label.startswith(_("tr", "every week on {day}", day="")) for label in
               ask_repeat.labels)
    tg.press_button(ayse, ask_repeat, "Fr:weekly")
    ask_place = one(tg, ayse)
    tg.press_button(ayse, ask_place, "Fp:usual")
    tg.press_button(ayse, one(tg, ayse), "Fl:tr")
    one(tg, ayse)  # the note question
    tg.send_text(ayse, "Çay ve kahve hazır olacak")
    summary = one(tg, ayse)
    assert _("tr", "Please check:") in summary.plain_text
    assert "Çay ve kahve hazır olacak" in summary.plain_text
    tg.press_button(ayse, summary, "Fy:save")
    saved = one(tg, ayse)
    assert saved.plain_text == Translator("tr").ngettext(
        "Saved. {n} meeting is planned.", "Saved. {n} meetings are planned for the coming weeks.",
        12)

    with Database(bot.database_url).session() as session:
        meetings = session.scalars(select(Meeting).where(Meeting.service_id == bot.group_id)
                                   .order_by(Meeting.starts_at)).all()
        # Staff are pseudonyms with a chosen name: no Telegram id, name or username stored.
        for row in session.execute(text("SELECT * FROM facilitator")):
            values = " ".join(str(v) for v in row)
            assert str(FACILITATOR_ID) not in values and "ayse_tg" not in values
    assert len(meetings) == 12 and all(local(m.starts_at, ZONE).hour == 19 for m in meetings)
    first, second, third = meetings[0], meetings[1], meetings[2]

    # ------------------------------------------------------------ a citizen in Arabic
    tg.send_command(citizen, "/start", bot.group_id)
    page = one(tg, citizen)
    assert "Çay ve kahve hazır olacak" in page.plain_text  # the group's own words, as written
    assert _("ar", "Note from the group") in page.plain_text
    tg.press_button(citizen, page, f"r:{bot.group_id}")
    subscribed = one(tg, citizen)
    assert subscribed.plain_text.startswith(
        _("ar", "Done. I will remind you of the meetings of {group}, {lead} before.").split("{")[0])
    tg.press_button(citizen, page, f"c:{bot.group_id}")
    calendar_message = one(tg, citizen)
    document = one(tg, citizen)
    assert _("ar", "Add to calendar") in " ".join(page.labels)
    assert calendar_message.plain_text.startswith(
        _("ar", "The next meetings of {group} as a calendar file. Open it to add them to your "
          "calendar.").split("{")[0])
    assert document.document is not None and document.document.filename == "meetings.ics"
    [series] = [e for e in Calendar.from_ical(document.document.data).walk("VEVENT")
                if "RRULE" in e]
    assert series["RRULE"]["FREQ"] == ["WEEKLY"]

    # ------------------------------------------------------------ the reminder, in Arabic
    clock = Clock(first.starts_at - timedelta(hours=2) + timedelta(minutes=1))
    context = bot.context(clock)
    assert job.run_once(context).reminders == 1
    context.database.dispose()
    reminder = one(tg, citizen)
    assert reminder.plain_text.startswith(_("ar", "Reminder: {group} meets {when}.").split("{")[0])
    assert "\u2068" in reminder.text  # the Dutch group name isolated inside Arabic

    # ------------------------------------------------------------ edit one occurrence
    tg.send_command(ayse, "/editmeeting")
    choose = one(tg, ayse)
    assert choose.plain_text == _("tr", "Which meeting?")
    tg.press_button(ayse, choose, "Fm:1")
    tg.press_button(ayse, one(tg, ayse), "Fs:one")
    tg.press_button(ayse, one(tg, ayse), "Ff:time")
    one(tg, ayse)  # which day
    tg.send_text(ayse, local(second.starts_at, ZONE).strftime("%d-%m-%Y"))
    one(tg, ayse)  # start
    tg.send_text(ayse, "18:00")
    tg.press_button(ayse, one(tg, ayse), "Fe:20:00")
    assert one(tg, ayse).plain_text == _("tr", "Saved. People with a reminder get a message "
                                         "when the time or place changed.")
    moved = one(tg, citizen)
    assert moved.plain_text.startswith(
        _("ar", "The meeting of {group} on {old} has changed. New: {when}.").split("{")[0])
    assert format_time(time(18, 0), format="short", locale=locale_for("ar")) in moved.plain_text

    # ------------------------------------------------------------ cancel one (a holiday)
    tg.send_command(ayse, "/cancelmeeting")
    tg.press_button(ayse, one(tg, ayse), "Fm:2")
    tg.press_button(ayse, one(tg, ayse), "Fs:one")
    confirm = one(tg, ayse)
    tg.press_button(ayse, confirm, "Fc:yes")
    assert one(tg, ayse).plain_text == Translator("tr").ngettext(
        "Cancelled. People with a reminder get a message.",
        "Cancelled: {n} meetings. People with a reminder get a message.", 1)
    cancelled = one(tg, citizen)
    assert cancelled.plain_text.startswith(
        _("ar", "The meeting of {group} on {when} is cancelled.").split("{")[0])
    with Database(bot.database_url).session() as session:
        assert session.get(Meeting, third.id).cancelled

    # No reminder for the cancelled meeting, even at its reminder moment.
    clock.now = third.starts_at - timedelta(hours=2) + timedelta(minutes=1)
    context = bot.context(clock)
    assert job.run_once(context).reminders == 0
    context.database.dispose()

    # ------------------------------------------------------------ /reminders and stop
    tg.send_command(citizen, "/reminders")
    listing = one(tg, citizen)
    [stop] = [d for row in listing.buttons for _l, d in row if d.startswith("x:")]
    tg.press_button(citizen, listing, stop)
    assert one(tg, citizen).plain_text == _("ar", "Stopped. I deleted this reminder and the "
                                            "encrypted chat number kept for it.")
    tg.assert_no_rejected()


def test_a_facilitator_of_another_group_is_refused(bot: Bot) -> None:
    tg = bot.tg
    outsider = tg.user(OUTSIDER_ID, language_code="nl", first_name="Bram")
    become_facilitator(bot, outsider, bot.other_group_id, "Bram", "nl")
    tg.send_command(outsider, "/editmeeting", bot.group_id)
    assert one(tg, outsider).plain_text == _("nl", "You can only change meetings of your own "
                                             "groups.")
    tg.send_command(outsider, "/cancelmeeting", bot.group_id)
    assert one(tg, outsider).plain_text == _("nl", "You can only change meetings of your own "
                                             "groups.")
    # Someone who is no facilitator at all gets a plain explanation in their language.
    nobody = tg.user(STRANGER_ID + 1, language_code="fa")
    tg.send_command(nobody, "/editmeeting")
    assert one(tg, nobody).plain_text == _("fa", "You are not a facilitator of any group. "
                                           "A coordinator can send you an invitation link.")
    # /mygroups shows only Bram's own group.
    tg.send_command(outsider, "/mygroups")
    overview = one(tg, outsider).plain_text
    assert "Mantelzorggroep Noord (demo)" in overview and "Rouwgroep" not in overview
    tg.assert_no_rejected()


def test_a_guided_conversation_goes_on_after_a_restart(bot: Bot) -> None:
    tg = bot.tg
    carla = tg.user(FACILITATOR_ID + 10, language_code="ar", first_name="Carla")
    become_facilitator(bot, carla, bot.other_group_id, "Carla", "ar")
    tg.send_command(carla, "/newmeeting")
    ask_date = one(tg, carla)
    bot.stop()
    bot.start()
    tg.press_button(carla, ask_date, [d for row in ask_date.buttons for _l, d in row][2])
    ask_start = one(tg, carla)
    assert ask_start.plain_text == _("ar", "What time does it start? Choose or type a time "
                                     "(for example 19:30).")
    tg.send_command(carla, "/mygroups")  # another command ends the conversation
    assert "Mantelzorggroep Noord (demo)" in one(tg, carla).plain_text
    tg.assert_no_rejected()
