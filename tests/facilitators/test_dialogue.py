"""The facilitator dialogue without any channel: turns in, replies out, state in the store.

Every turn goes through :class:`FacilitatorDialogue` as the Telegram adapter and the terminal
chat call it, against the real database (SQLite and PostgreSQL), with a clock the test moves.
"""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select
from staffgroups import make_group

from bot.conversation.models import ConversationState
from bot.conversation.pipeline import Citizen
from bot.directory.models import Meeting
from bot.facilitators import meetings, membership, texts
from bot.facilitators import state as flow_state
from bot.facilitators.dialogue import Answer, FacilitatorDialogue, takes_button, takes_command
from bot.facilitators.meetings import MeetingDraft
from bot.facilitators.models import Facilitator
from bot.facilitators.recurrence import Repeat
from bot.facilitators.timeparse import local
from bot.i18n.catalogs import Translator
from bot.privacy.pseudonym import pseudonym_for
from bot.reminders.subscriptions import CHAT_PURPOSE
from bot.vocabulary import Button, ButtonIntent, Reply

ZONE = ZoneInfo("Europe/Amsterdam")  # the default STEUNWIJZER_TIMEZONE: times below are Dutch

LANGUAGES = ("nl", "tr", "fa", "ar")
USER = 7_300_001
#: The "No note" button, as the note question offers it.
NO_NOTE = Button("-", ButtonIntent.FACILITATOR_NOTE, "none")


def _(language: str, msgid: str, **values: object) -> str:
    return Translator(language).gettext(msgid, **values)


def opening(language: str, msgid: str, placeholder: str) -> str:
    """The translated text of ``msgid`` up to where ``placeholder``'s value goes."""
    return _(language, msgid, **{placeholder: "\x00"}).split("\x00")[0]


def citizen(context, user: int = USER, language: str | None = "nl") -> Citizen:
    """A person as the Telegram adapter describes them: pseudonym, sealed chat id, hint."""
    return Citizen(pseudonym=pseudonym_for(user, context.settings.pseudonym_secret),
                   chat_token=context.sealer.seal(user, CHAT_PURPOSE),
                   telegram_language=language)


def make_facilitator(session, context, group: str, user: int, name: str = "Ayşe",
                     language: str = "tr") -> Facilitator:
    """Invite and accept as the dialogue does, with a pseudonym and a sealed chat id."""
    person = citizen(context, user, language)
    token = membership.create_invitation(session, context, group, "coordinator").token
    facilitator, _group = membership.accept_invitation(session, context, token, person.pseudonym,
                                                       person.chat_token, language)
    membership.set_display_name(session, context, facilitator, name)
    return facilitator


def only(answer: Answer | None) -> Reply:
    assert answer is not None
    [reply] = answer.replies
    return reply


def button(reply: Reply, value: str | None = None, *, index: int | None = None) -> Button:
    """A button of ``reply`` by value or by position."""
    buttons = [b for row in reply.buttons for b in row]
    if index is not None:
        return buttons[index]
    [found] = [b for b in buttons if b.value == value]
    return found


async def press(dialogue: FacilitatorDialogue, person: Citizen, pressed: Button) -> Answer:
    assert takes_button(pressed.intent)
    return await dialogue.button(person, pressed.intent, pressed.value)


def stored_states(context) -> list[str]:
    with context.database.session() as session:
        return [row.facts for row in session.scalars(select(ConversationState))]


@pytest.fixture
def group_id(context) -> str:
    with context.database.session() as session:
        return make_group(session, "Rouwgroep De Linde (test)", ("tr", "nl"))


def invite(context, group: str) -> str:
    with context.database.session() as session:
        return membership.create_invitation(session, context, group, "coordinator").token


def test_which_turns_belong_to_the_facilitator_dialogue() -> None:
    assert takes_command("start", "inv_abcdefgh") and takes_command("newmeeting")
    assert not takes_command("start") and not takes_command("start", "0b7c-group-id")
    assert not takes_command("reminders") and not takes_command("help")
    assert takes_button(ButtonIntent.FACILITATOR_END)
    assert takes_button(ButtonIntent.FACILITATOR_LANGUAGE)
    assert not takes_button(ButtonIntent.REMIND_ME)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_invitation_then_a_chosen_name_in_each_language(context, group_id,
                                                                 language) -> None:
    dialogue = FacilitatorDialogue(context)
    person = citizen(context, language=language)
    welcome = only(await dialogue.command(person, "start", "inv_" + invite(context, group_id)))
    assert _(language, "Which name should coordinators see? Choose any name; it does not have "
             "to be your real one. Your Telegram name and account are never stored.") \
        in welcome.text
    assert "Rouwgroep De Linde (test)" in welcome.text
    saved = only(await dialogue.text(person, "  Ayşe   (grup) "))
    assert saved.text.startswith(opening(language, "Thank you, {name}.", "name"))
    assert "Ayşe (grup)" in saved.text
    assert "/newmeeting" in saved.text
    with context.database.session() as session:
        facilitator = membership.find_facilitator(session, context, person.pseudonym)
        assert facilitator is not None and facilitator.display_name == "Ayşe (grup)"
        assert facilitator.language == language
    # The conversation is over: the next text is an ordinary (citizen) message.
    assert await dialogue.text(person, "hallo") is None
    assert stored_states(context) == []


async def test_a_used_invitation_is_refused_in_the_persons_language(context, group_id) -> None:
    dialogue = FacilitatorDialogue(context)
    token = invite(context, group_id)
    await dialogue.command(citizen(context), "start", "inv_" + token)
    refused = only(await dialogue.command(citizen(context, USER + 1, "fa"), "start",
                                          "inv_" + token))
    assert refused.text == _("fa", "This invitation link was already used. Ask the "
                             "coordinator for a new one.")
    unknown = only(await dialogue.command(citizen(context, USER + 2, "ar"), "start",
                                          "inv_doesnotexist"))
    assert unknown.text == _("ar", "This invitation link is not valid. Ask the coordinator "
                             "for a new one.")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_weekly_meeting_step_by_step(context, group_id, language) -> None:
    dialogue = FacilitatorDialogue(context)
    person = citizen(context, language=language)
    with context.database.session() as session:
        make_facilitator(session, context, group_id, USER, language=language)

    ask_date = only(await dialogue.command(person, "newmeeting"))
    assert ask_date.text == _(language, "On which day? Choose a day or type a date "
                              "(for example 24-12-2026).")
    days = [b for row in ask_date.buttons for b in row]
    assert len(days) == 7 and {b.intent for b in days} == {ButtonIntent.FACILITATOR_DAY}
    ask_start = only(await press(dialogue, person, days[1]))  # tomorrow
    assert ask_start.text == _(language, "What time does it start? Choose or type a time "
                               "(for example 19:30).")
    ask_end = only(await press(dialogue, person, button(ask_start, "19:30")))
    assert _(language, "until {time}", time="21:30") in [b.label for r in ask_end.buttons
                                                         for b in r]
    # Typed, and refused: the end before the start. The question comes again.
    refusal, again = (await dialogue.text(person, "19:00")).replies
    assert refusal.text == _(language, "The end time must be after the start time.")
    assert again.text == ask_end.text and again.buttons == ask_end.buttons
    ask_repeat = only(await press(dialogue, person, button(again, "21:30")))
    assert ask_repeat.text == _(language, "Does the meeting repeat?")
    ask_place = only(await press(dialogue, person, button(ask_repeat, Repeat.WEEKLY)))
    ask_languages = only(await press(dialogue, person, button(ask_place, "usual")))
    assert ask_languages.text == _(language, "In which language is the meeting?")
    ask_note = only(await press(dialogue, person, button(ask_languages, "tr")))
    summary = only(await dialogue.text(person, "Çay ve kahve hazır olacak"))
    assert _(language, "Please check:") in summary.text
    assert "Çay ve kahve hazır olacak" in summary.text and "Buurthuis De Linde" in summary.text
    assert ask_note.buttons[0][0].intent == ButtonIntent.FACILITATOR_NOTE
    saved = only(await press(dialogue, person, button(summary, "save")))
    with context.database.session() as session:
        planned = session.scalars(select(Meeting).where(Meeting.service_id == group_id)).all()
    assert saved.text == Translator(language).ngettext(
        "Saved. {n} meeting is planned.",
        "Saved. {n} meetings are planned for the coming weeks.", len(planned))
    assert len(planned) == 12
    assert {local(m.starts_at, ZONE).time() for m in planned} == {time(19, 30)}
    assert {m.note for m in planned} == {"Çay ve kahve hazır olacak"}
    assert stored_states(context) == []


async def test_the_conversation_survives_a_restart_and_expires(context, group_id, clock) -> None:
    person = citizen(context)
    with context.database.session() as session:
        make_facilitator(session, context, group_id, USER, language="nl")
    ask_date = only(await FacilitatorDialogue(context).command(person, "newmeeting"))
    # Another process (or the same bot after a restart) continues where it was.
    ask_start = only(await FacilitatorDialogue(context).text(person, "24-12-2026"))
    assert ask_start.text != ask_date.text
    assert '"day": "2026-12-24"' in stored_states(context)[0]
    clock.advance(seconds=context.settings.conversation_expiry_seconds + 1)
    assert await FacilitatorDialogue(context).text(person, "19:30") is None


async def test_a_button_of_an_earlier_question_asks_the_current_one_again(context,
                                                                          group_id) -> None:
    dialogue = FacilitatorDialogue(context)
    person = citizen(context)
    with context.database.session() as session:
        make_facilitator(session, context, group_id, USER, language="nl")
    ask_date = only(await dialogue.command(person, "newmeeting"))
    ask_start = only(await press(dialogue, person, button(ask_date, index=2)))
    again = only(await press(dialogue, person, button(ask_date, index=3)))  # an old button
    assert again.text == ask_start.text
    # Text where only a button fits asks again too; so does a button after the end.
    await press(dialogue, person, button(ask_start, "19:30"))
    ask_repeat = only(await dialogue.text(person, "21:00"))
    assert only(await dialogue.text(person, "elke week")).text == ask_repeat.text
    await dialogue.interrupt(person)
    over = only(await press(dialogue, person, button(ask_repeat, Repeat.ONCE)))
    assert over.text == _("nl", "Commands: /mygroups, /newmeeting, /editmeeting, "
                          "/cancelmeeting, /leave")


async def test_an_online_meeting_without_a_known_link_asks_for_one(context, group_id) -> None:
    dialogue = FacilitatorDialogue(context)
    person = citizen(context, language="tr")
    with context.database.session() as session:
        make_facilitator(session, context, group_id, USER, language="tr")
    await dialogue.command(person, "newmeeting")
    await dialogue.text(person, "24-12-2026")
    await dialogue.text(person, "19:30")
    ask_repeat = only(await dialogue.text(person, "21:00"))
    ask_place = only(await press(dialogue, person, button(ask_repeat, Repeat.ONCE)))
    ask_link = only(await press(dialogue, person, button(ask_place, "online")))
    assert ask_link.text == _("tr", "Send the link of the online meeting (starting with "
                              "https://).")
    refusal, again = (await dialogue.text(person, "http://meet.example")).replies
    assert refusal.text == _("tr", "An online link must start with https://")
    assert again.text == ask_link.text
    ask_languages = only(await dialogue.text(person, "https://meet.example/rouw"))
    assert ask_languages.text == _("tr", "In which language is the meeting?")
    await dialogue.text(person, "Türkçe, nl")
    summary = only(await press(dialogue, person, NO_NOTE))
    assert "https://meet.example/rouw" in summary.text
    # Typed language names and codes are both read.
    assert texts.languages_text("tr", ("tr", "nl")) in summary.text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_edit_one_meeting_then_cancel_the_series(context, group_id, clock,
                                                       language) -> None:
    dialogue = FacilitatorDialogue(context)
    person = citizen(context, language=language)
    with context.database.session() as session:
        facilitator = make_facilitator(session, context, group_id, USER, language=language)
        created = meetings.create_meeting(session, context, facilitator, MeetingDraft(
            group_id=group_id, day=local(clock(), ZONE).date() + timedelta(days=3),
            start=time(19, 30), end=time(21, 0), repeat=Repeat.WEEKLY, place="Buurthuis"))
        second = created[1]

    choose = only(await dialogue.command(person, "editmeeting"))
    assert choose.text == _(language, "Which meeting?")
    assert all(b.label.endswith("↻") for row in choose.buttons for b in row)
    scope = only(await press(dialogue, person, button(choose, "1")))
    assert scope.text == _(language, "Only this meeting, or the whole series from now on?")
    field = only(await press(dialogue, person, button(scope, "one")))
    ask_date = only(await press(dialogue, person, button(field, "time")))
    assert ask_date.text == _(language, "On which day? Choose a day or type a date "
                              "(for example 24-12-2026).")
    await dialogue.text(person, local(second.starts_at, ZONE).strftime("%d-%m-%Y"))
    ask_end = only(await dialogue.text(person, "۱۸:۰۰"))  # Persian digits read too
    saved = only(await press(dialogue, person, button(ask_end, "20:00")))
    assert saved.text == _(language, "Saved. People with a reminder get a message when the time "
                           "or place changed.")
    with context.database.session() as session:
        moved = session.get(Meeting, second.id)
        assert (local(moved.starts_at, ZONE).hour, local(moved.ends_at, ZONE).hour) == (18, 20)

    choose = only(await dialogue.command(person, "cancelmeeting"))
    scope = only(await press(dialogue, person, button(choose, "0")))
    confirm = only(await press(dialogue, person, button(scope, "series")))
    assert [b.label for row in confirm.buttons for b in row] == [
        _(language, "Yes, stop the series"), _(language, "No")]
    done = only(await press(dialogue, person, button(confirm, "yes")))
    with context.database.session() as session:
        left = session.scalars(select(Meeting).where(Meeting.service_id == group_id,
                                                     Meeting.cancelled.is_(False))).all()
    assert left == []  # the moved meeting too: it is still one of the series
    assert done.text == Translator(language).ngettext(
        "Cancelled. People with a reminder get a message.",
        "Cancelled: {n} meetings. People with a reminder get a message.", 12)


async def test_only_own_groups_and_a_plain_refusal_for_others(context, group_id) -> None:
    dialogue = FacilitatorDialogue(context)
    with context.database.session() as session:
        other = make_group(session, "Mantelzorggroep Noord (test)", ("nl",))
        make_facilitator(session, context, other, USER + 5, name="Bram", language="nl")
    bram = citizen(context, USER + 5)
    refused = only(await dialogue.command(bram, "editmeeting", group_id))
    assert refused.text == _("nl", "You can only change meetings of your own groups.")
    assert stored_states(context) == []
    nobody = citizen(context, USER + 6, "fa")
    assert only(await dialogue.command(nobody, "cancelmeeting")).text == _(
        "fa", "You are not a facilitator of any group. A coordinator can send you an "
        "invitation link.")
    assert only(await press(dialogue, nobody, NO_NOTE)).text == _(
        "fa", "You are not a facilitator of any group. A coordinator can send you an "
        "invitation link.")
    overview = only(await dialogue.command(bram, "mygroups")).text
    assert "Mantelzorggroep Noord (test)" in overview and "Rouwgroep" not in overview


async def test_two_groups_ask_which_one_first(context, group_id) -> None:
    dialogue = FacilitatorDialogue(context)
    person = citizen(context)
    with context.database.session() as session:
        second = make_group(session, "Andere groep (test)", ("nl",))
        make_facilitator(session, context, group_id, USER, language="ar")
        token = membership.create_invitation(session, context, second, "c").token
    await dialogue.command(person, "start", "inv_" + token)
    await dialogue.text(person, "Ayşe")
    which = only(await dialogue.command(person, "leave"))
    assert which.text == _("ar", "Which group?")
    assert [b.label for row in which.buttons for b in row] == [
        "Andere groep (test)", "Rouwgroep De Linde (test)"]
    confirm = only(await press(dialogue, person, button(which, "1")))
    assert "Rouwgroep De Linde (test)" in confirm.text
    left = only(await press(dialogue, person, button(confirm, "yes")))
    assert left.text.startswith(opening("ar", "Done. You are no longer a facilitator of {group}.",
                                        "group"))
    with context.database.session() as session:
        facilitator = membership.find_facilitator(session, context, person.pseudonym)
        assert [g.id for g in membership.groups_of(session, facilitator)] == [second]


async def test_the_language_button_switches_every_later_reply(context, group_id) -> None:
    dialogue = FacilitatorDialogue(context)
    person = citizen(context)
    with context.database.session() as session:
        make_facilitator(session, context, group_id, USER, language="nl")
    overview = only(await dialogue.command(person, "mygroups"))
    assert _("nl", "Your groups") in overview.text
    menu = only(await press(dialogue, person, button(overview, "menu")))
    assert menu.text == _("nl", "Which language do you want to use?")
    assert [b.label for row in menu.buttons for b in row][:4] == [
        "Nederlands", "Türkçe", "فارسی", "العربية"]
    chosen = only(await press(dialogue, person, button(menu, "fa")))
    assert chosen.text.startswith(_("fa", "Okay, from now on I will write in English."))
    assert only(await dialogue.command(person, "newmeeting")).text == _(
        "fa", "On which day? Choose a day or type a date (for example 24-12-2026).")
    with context.database.session() as session:
        assert session.scalar(select(Facilitator.language)) == "fa"


async def test_the_stored_state_holds_no_identifier(context, group_id) -> None:
    dialogue = FacilitatorDialogue(context)
    person = citizen(context)
    await dialogue.command(person, "start", "inv_" + invite(context, group_id))
    [facts] = stored_states(context)
    assert str(USER) not in facts and '"step": "name"' in facts
    with context.database.session() as session:
        [row] = session.scalars(select(ConversationState)).all()
        assert row.pseudonym == person.pseudonym and row.flow == "facilitator"


async def test_a_state_another_version_left_behind_is_dropped(context, clock) -> None:
    person = citizen(context)
    for facts in ('{"step": "sing_a_song", "task": "newmeeting"}', '{"colour": "blue"}'):
        with context.database.session() as session:
            session.add(ConversationState(pseudonym=person.pseudonym, flow="facilitator",
                                          facts=facts, updated_at=clock()))
        assert stored_states(context) == [facts]
        assert await FacilitatorDialogue(context).text(person, "19:30") is None
        with context.database.session() as session:
            session.execute(delete(ConversationState))


#: A new meeting half-way (at the repeat question), exactly as the bot stored it while the
#: task and step were plain strings (every field, keys sorted): the stored format of today.
STORED_BY_AN_OLDER_BOT = (
    '{"choices": [], "day": "2026-03-24", "end": "21:30", "group": "%s", "languages": [], '
    '"meeting": null, "meeting_day": null, "note": null, "online_url": null, "place": null, '
    '"repeat": null, "series": false, "start": "19:30", "step": "repeat", '
    '"task": "newmeeting"}')


async def test_a_state_an_older_bot_saved_loads_and_continues(context, group_id,
                                                              clock) -> None:
    person = citizen(context)
    facts = STORED_BY_AN_OLDER_BOT % group_id
    with context.database.session() as session:
        make_facilitator(session, context, group_id, USER, language="nl")
        session.add(ConversationState(pseudonym=person.pseudonym, flow="facilitator",
                                      facts=facts, updated_at=clock()))
    # Loaded and kept again unchanged: the typed steps are stored as the same JSON.
    with context.database.session() as session:
        loaded = flow_state.load(session, context, person.pseudonym)
        assert loaded is not None
        assert (loaded.task, loaded.step) == (flow_state.Task.NEW_MEETING,
                                              flow_state.Step.REPEAT)
        flow_state.store(session, context, person.pseudonym, loaded)
    assert stored_states(context) == [facts]
    # The facilitator answers the question they were asked before the upgrade.
    dialogue = FacilitatorDialogue(context)
    typed = only(await dialogue.text(person, "weekly"))  # the repeat question takes buttons
    assert typed.text == _("nl", "Does the meeting repeat?")
    ask_place = only(await press(dialogue, person, button(typed, Repeat.WEEKLY)))
    assert ask_place.text == _("nl", "Where is the meeting? Choose, or type the place.")
    [now_stored] = stored_states(context)
    assert '"repeat": "weekly"' in now_stored and '"step": "place"' in now_stored
    ask_languages = only(await press(dialogue, person, button(ask_place, "usual")))
    ask_note = only(await press(dialogue, person, button(ask_languages, "nl")))
    summary = only(await press(dialogue, person, button(ask_note, "none")))
    saved = only(await press(dialogue, person, button(summary, "save")))
    with context.database.session() as session:
        planned = session.scalars(select(Meeting).where(Meeting.service_id == group_id)).all()
    assert saved.text == Translator("nl").ngettext(
        "Saved. {n} meeting is planned.",
        "Saved. {n} meetings are planned for the coming weeks.", len(planned))
    assert len(planned) > 1
    assert min(local(m.starts_at, ZONE) for m in planned).date().isoformat() == "2026-03-24"
    assert stored_states(context) == []
