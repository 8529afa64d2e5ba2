"""Telegram side of facilitators and reminders: guided conversations and reminder buttons.

Facilitators: ``/start inv_<token>``, /mygroups, /newmeeting, /editmeeting, /cancelmeeting
and /leave as one python-telegram-bot ConversationHandler. Each step asks one question with
buttons for the common choices and also accepts typed text; the answer is checked by the
service layer (bot/facilitators), which also enforces that a facilitator acts only on their
own groups. Citizens: the "Remind me", "Add to calendar" and "Stop" buttons and /reminders.

All of it runs in handler group -1 and stops further processing once handled, so the
citizen pipeline never sees a facilitator's typed dates or the reminder buttons. Nothing here
logs or stores a Telegram id; the user id only becomes a pseudonym and the chat id is sealed.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from babel.dates import format_date
from sqlalchemy.orm import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.context import AppContext
from bot.conversation.pipeline import Citizen
from bot.dialogue.model import BUTTON_CODES, ButtonIntent, Reply, decode_callback
from bot.directory.models import Meeting, Service
from bot.facilitators import errors, membership, texts
from bot.facilitators import meetings as meeting_service
from bot.facilitators.errors import Refused
from bot.facilitators.links import group_link, invitation_token
from bot.facilitators.meetings import MeetingDraft
from bot.facilitators.models import Facilitator
from bot.facilitators.recurrence import Repeat, describe
from bot.facilitators.timeparse import local, parse_date, parse_time, to_utc
from bot.i18n.formatting import locale_for, meeting_when
from bot.language.detect import LANGUAGE_NAMES
from bot.privacy.pseudonym import pseudonym_for
from bot.reminders import job as reminder_job
from bot.reminders import subscriptions
from bot.reminders import texts as reminder_texts
from bot.reminders.ics import group_calendar
from bot.taxonomy import ALL_LANGUAGES

T = TypeVar("T")
ACTIVE, NAME = 1, 2
END = ConversationHandler.END
DATA = "facilitator_flow"  # key in user_data (memory only, per Telegram user)
DAYS_OFFERED = 7


def _keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                  for label, data in row] for row in rows])


def _hint(update: Update) -> str:
    user = update.effective_user
    code = ((user.language_code if user else None) or "nl").split("-")[0].lower()
    return code if code in ALL_LANGUAGES else "nl"


class FacilitatorBot:
    """The handlers, bound to one application context."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    # ------------------------------------------------------------------ plumbing
    async def _db(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a session in a worker thread (services are synchronous)."""
        def run() -> T:
            with self.context.database.session() as session:
                return work(session)

        return await asyncio.to_thread(run)

    async def _say(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE, text: str,
                   rows: list[list[tuple[str, str]]] | None = None) -> None:
        chat = update.effective_chat
        assert chat is not None
        await ctx.bot.send_message(chat_id=chat.id, text=text, parse_mode=ParseMode.HTML,
                                   reply_markup=_keyboard(rows or []),
                                   disable_web_page_preview=True)

    def _facilitator(self, session: Session, update: Update) -> Facilitator | None:
        user = update.effective_user
        assert user is not None
        return membership.find_facilitator(session, self.context, user.id)

    @staticmethod
    def _input(update: Update) -> tuple[str | None, str | None]:
        """(button value, typed text) of an update."""
        query = update.callback_query
        if query is not None:
            _code, _sep, value = (query.data or "").partition(":")
            return value, None
        message = update.effective_message
        return None, (message.text if message else None)

    # ------------------------------------------------------------------ invitation
    async def on_invitation(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> int:
        """``/start inv_<token>``: accept, then ask for the display name."""
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        assert message is not None and user is not None and chat is not None
        token = invitation_token((message.text or "").partition(" ")[2].strip()) or ""
        language = _hint(update)

        def accept(session: Session) -> tuple[str, str]:
            facilitator, group = membership.accept_invitation(
                session, self.context, token, user.id, chat.id, language)
            return facilitator.language, group.name

        try:
            language, group = await self._db(accept)
        except Refused as refusal:
            await self._say(update, ctx, refusal.render(language))
            raise ApplicationHandlerStop(END) from None
        ctx.user_data[DATA] = {"language": language}  # type: ignore[index]
        await self._say(update, ctx, texts.welcome(language, group))
        raise ApplicationHandlerStop(NAME)

    async def on_name(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> int:
        """The display name a new facilitator chose."""
        _value, name = self._input(update)
        data = ctx.user_data.setdefault(DATA, {})  # type: ignore[union-attr]
        language = data.get("language", _hint(update))

        def save(session: Session) -> None:
            facilitator = self._facilitator(session, update)
            if facilitator is None:
                raise Refused(errors.NOT_A_FACILITATOR)
            membership.set_display_name(session, self.context, facilitator, name or "")

        try:
            await self._db(save)
        except Refused as refusal:
            await self._say(update, ctx, refusal.render(language))
            raise ApplicationHandlerStop(NAME) from None
        await self._say(update, ctx, texts.name_saved(language, " ".join((name or "").split())))
        raise ApplicationHandlerStop(END)

    # ------------------------------------------------------------------ commands
    async def on_command(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> int:
        """/mygroups, /newmeeting, /editmeeting, /cancelmeeting, /leave [group id]."""
        message = update.effective_message
        assert message is not None
        command, _sep, argument = (message.text or "").lstrip("/").partition(" ")
        command = command.split("@", 1)[0].lower()
        argument = argument.strip()

        def load(session: Session) -> tuple[str | None, list[tuple[str, str]]]:
            facilitator = self._facilitator(session, update)
            if facilitator is None:
                return None, []
            return facilitator.language, [(g.id, g.name)
                                          for g in membership.groups_of(session, facilitator)]

        language, groups = await self._db(load)
        if language is None or not groups:
            await self._say(update, ctx, Refused(errors.NOT_A_FACILITATOR).render(_hint(update)))
            raise ApplicationHandlerStop(END)
        if command == "mygroups":
            await self._my_groups(update, ctx, language, groups)
            raise ApplicationHandlerStop(END)
        data: dict[str, Any] = {"flow": command, "language": language, "groups": groups}
        ctx.user_data[DATA] = data  # type: ignore[index]
        if argument:
            data["group"] = argument  # checked by the service on the next call
            raise ApplicationHandlerStop(await self._after_group(update, ctx, data))
        if len(groups) == 1:
            data["group"] = groups[0][0]
            raise ApplicationHandlerStop(await self._after_group(update, ctx, data))
        data["step"] = "group"
        await self._say(update, ctx, texts.ask(language, "group"),
                        [[(name, f"Fg:{i}")] for i, (_id, name) in enumerate(groups)])
        raise ApplicationHandlerStop(ACTIVE)

    async def _my_groups(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE, language: str,
                         groups: list[tuple[str, str]]) -> None:
        def load(session: Session) -> list[tuple[str, list[texts.MeetingLine]]]:
            facilitator = self._facilitator(session, update)
            assert facilitator is not None
            return [(name, [texts.MeetingLine(m.starts_at, m.ends_at, m.place, m.cancelled,
                                              bool(m.series_id))
                            for m in meeting_service.upcoming(session, self.context, facilitator,
                                                              gid, limit=5)])
                    for gid, name in groups]

        overview = await self._db(load)
        await self._say(update, ctx, texts.my_groups(language, overview),
                        [[("🌐 " + texts.label(language, "language"), "FL:menu")]])

    async def on_language(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> int:
        """The facilitator switches language (button under /mygroups)."""
        query = update.callback_query
        assert query is not None
        await query.answer()
        value = (query.data or "").partition(":")[2]

        def apply(session: Session) -> str | None:
            facilitator = self._facilitator(session, update)
            if facilitator is None:
                return None
            if value in ALL_LANGUAGES:
                membership.set_language(session, facilitator, value)
            return facilitator.language

        language = await self._db(apply)
        if language is None:
            await self._say(update, ctx, Refused(errors.NOT_A_FACILITATOR).render(_hint(update)))
        elif value in ALL_LANGUAGES:
            await self._say(update, ctx, texts.language_set(language) + "\n"
                            + texts.commands_line(language))
        else:
            await self._say(update, ctx, texts.choose_language(language),
                            [[(LANGUAGE_NAMES[code], f"FL:{code}")] for code in ALL_LANGUAGES])
        raise ApplicationHandlerStop(END)

    # ------------------------------------------------------------------ steps
    async def _after_group(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                           data: dict[str, Any]) -> int:
        language, flow = data["language"], data["flow"]

        def load(session: Session) -> tuple[meeting_service.GroupInfo,
                                            list[tuple[str, str, bool, str]]]:
            facilitator = self._facilitator(session, update)
            if facilitator is None:
                raise Refused(errors.NOT_A_FACILITATOR)
            info = meeting_service.group_info(session, facilitator, data["group"])
            listed = []
            if flow in ("editmeeting", "cancelmeeting"):
                for m in meeting_service.upcoming(session, self.context, facilitator, info.id):
                    if not m.cancelled:
                        series = meeting_service.series_of(session, m)
                        listed.append((m.id, meeting_when(m.starts_at, m.ends_at, language),
                                       series is not None, local(m.starts_at).date().isoformat()))
            return info, listed

        try:
            info, listed = await self._db(load)
        except Refused as refusal:
            await self._say(update, ctx, refusal.render(language))
            return END
        data["info"] = info
        if flow == "newmeeting":
            return await self._ask(update, ctx, data, "date")
        if flow == "leave":
            data["step"] = "leave_confirm"
            await self._say(update, ctx, texts.confirm_leave(language, info.name),
                            [[(texts.label(language, "yes_leave"), "Fx:yes"),
                              (texts.label(language, "no"), "Fx:no")]])
            return ACTIVE
        if not listed:
            await self._say(update, ctx, texts.no_meetings(language))
            return END
        data["meetings"] = listed
        data["step"] = "meeting"
        await self._say(update, ctx, texts.ask(language, "meeting"),
                        [[(when + (" ↻" if in_series else ""), f"Fm:{i}")]
                         for i, (_mid, when, in_series, _day) in enumerate(listed)])
        return ACTIVE

    async def _ask(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE, data: dict[str, Any],
                   step: str) -> int:
        """Ask the question of ``step`` with its buttons."""
        language: str = data["language"]
        info: meeting_service.GroupInfo = data["info"]
        rows: list[list[tuple[str, str]]] = []
        if step == "date":
            today = local(self.context.clock()).date()
            days = [today + timedelta(days=n) for n in range(DAYS_OFFERED)]
            locale = locale_for(language)
            labels = [format_date(d, format="EEE d MMM", locale=locale) for d in days]
            buttons = [(label, f"Fd:{d.isoformat()}")
                       for label, d in zip(labels, days, strict=True)]
            rows = [buttons[i:i + 4] for i in range(0, len(buttons), 4)]
        elif step == "start":
            rows = [[(t, f"Ft:{t}") for t in info.usual_times]]
        elif step == "end":
            start = datetime.combine(date.today(), time.fromisoformat(data["start"]))
            ends = [(start + timedelta(minutes=m)).strftime("%H:%M") for m in (60, 90, 120)]
            rows = [[(texts.label(language, "until", time=e), f"Fe:{e}") for e in ends]]
        elif step == "repeat":
            first = datetime.combine(date.fromisoformat(data["day"]),
                                     time.fromisoformat(data["start"]))
            rows = [[(describe(r, first, language), f"Fr:{r.value}")] for r in Repeat]
        elif step == "place":
            if info.usual_place:
                rows.append([(texts.label(language, "usual_place", place=info.usual_place)[:60],
                              "Fp:usual")])
            rows.append([(texts.label(language, "online"), "Fp:online")])
        elif step == "languages":
            if info.languages:
                rows.append([(texts.label(language, "usual_languages",
                                          languages=texts.languages_text(language, info.languages)),
                              "Fl:usual")])
            rows.append([(LANGUAGE_NAMES[c], f"Fl:{c}") for c in ALL_LANGUAGES])
        elif step == "note":
            rows = [[(texts.label(language, "no_note"), "Fn:none")]]
        elif step == "scope":
            rows = [[(texts.label(language, "only_this"), "Fs:one"),
                     (texts.label(language, "whole_series"), "Fs:series")]]
        elif step == "field":
            rows = [[(texts.label(language, "field_time"), "Ff:time"),
                     (texts.label(language, "field_place"), "Ff:place")],
                    [(texts.label(language, "field_languages"), "Ff:languages"),
                     (texts.label(language, "field_note"), "Ff:note")]]
        data["step"] = step
        await self._say(update, ctx, texts.ask(language, step), rows)
        return ACTIVE

    async def on_input(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> int:
        """A button press or typed text inside a guided conversation."""
        if update.callback_query is not None:
            await update.callback_query.answer()
        data: dict[str, Any] = ctx.user_data.get(DATA) or {}  # type: ignore[union-attr]
        if "step" not in data:
            raise ApplicationHandlerStop(END)
        value, typed = self._input(update)
        try:
            state = await self._step(update, ctx, data, value, typed)
        except Refused as refusal:
            await self._say(update, ctx, refusal.render(data["language"]))
            state = ACTIVE if refusal.message != errors.NOT_YOUR_GROUP else END
            if state == ACTIVE:
                state = await self._ask_again(update, ctx, data)
        raise ApplicationHandlerStop(state)

    async def _ask_again(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                         data: dict[str, Any]) -> int:
        if data["step"] in {"date", "start", "end", "repeat", "place", "languages", "note",
                            "scope", "field"}:
            return await self._ask(update, ctx, data, data["step"])
        if data["step"] in {"group", "meeting"}:
            await self._say(update, ctx, texts.ask(data["language"], data["step"]))
        if data["step"] == "link":
            await self._say(update, ctx, texts.ask(data["language"], "link"))
        return ACTIVE

    async def _step(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE, data: dict[str, Any],
                    value: str | None, typed: str | None) -> int:
        step, language, flow = data["step"], data["language"], data["flow"]
        info: meeting_service.GroupInfo | None = data.get("info")
        editing = flow == "editmeeting"
        if step in {"group", "meeting"} and (value is None or not value.isdigit()):
            return await self._ask_again(update, ctx, data)  # typed text where a button fits
        if step == "group":
            data["group"] = data["groups"][int(value or 0)][0]
            return await self._after_group(update, ctx, data)
        assert info is not None
        if step == "date":
            today = local(self.context.clock()).date()
            day = date.fromisoformat(value) if value else parse_date(typed or "", today)
            data["day"] = day.isoformat()
            return await self._ask(update, ctx, data, "start")
        if step == "start":
            data["start"] = parse_time(value or typed or "").strftime("%H:%M")
            return await self._ask(update, ctx, data, "end")
        if step == "end":
            end = parse_time(value or typed or "")
            start = time.fromisoformat(data["start"])
            day = date.fromisoformat(data.get("day") or data["meeting_day"])
            meeting_service.check_span(self.context, day, start, end, language)
            data["end"] = end.strftime("%H:%M")
            if editing:
                return await self._save_edit(update, ctx, data, meeting_service.Changes(
                    day=day if data["scope"] == "one" else None, start=start, end=end))
            return await self._ask(update, ctx, data, "repeat")
        if step == "repeat":
            data["repeat"] = Repeat(value or Repeat.ONCE)
            return await self._ask(update, ctx, data, "place")
        if step == "place":
            data["place"], data["online_url"] = None, None
            if value == "usual":
                data["place"] = info.usual_place
            elif value == "online":
                if not info.online_url:
                    data["step"] = "link"
                    await self._say(update, ctx, texts.ask(language, "link"))
                    return ACTIVE
                data["online_url"] = info.online_url
            else:
                data["place"] = (typed or "").strip() or None
            return await self._after_place(update, ctx, data)
        if step == "link":
            link = (typed or "").strip()
            if not link.lower().startswith("https://"):
                raise Refused(errors.BAD_LINK)
            data["online_url"] = link
            return await self._after_place(update, ctx, data)
        if step == "languages":
            if value == "usual":
                codes = info.languages
            elif value in ALL_LANGUAGES:
                codes = (value,)
            else:  # typed, e.g. "tr, nl"
                codes = tuple(c.strip() for c in (typed or "").split(",")
                              if c.strip() in ALL_LANGUAGES)
            data["languages"] = tuple(codes)
            if editing:
                return await self._save_edit(update, ctx, data,
                                             meeting_service.Changes(languages=tuple(codes)))
            return await self._ask(update, ctx, data, "note")
        if step == "note":
            note = None if value == "none" else (typed or "").strip() or None
            if note is not None and len(note) > meeting_service.NOTE_LIMIT:
                raise Refused(errors.TOO_LONG, limit=meeting_service.NOTE_LIMIT)
            data["note"] = note
            if editing:
                return await self._save_edit(update, ctx, data,
                                             meeting_service.Changes(note=note or ""))
            return await self._confirm_new(update, ctx, data)
        if step == "confirm":
            if value != "save":
                await self._say(update, ctx, texts.nothing_changed(language))
                return END
            return await self._save_new(update, ctx, data)
        if step == "meeting":
            meeting_id, _when, in_series, day = data["meetings"][int(value or 0)]
            data["meeting"], data["meeting_day"] = meeting_id, day
            if in_series:
                return await self._ask(update, ctx, data, "scope")
            data["scope"] = "one"
            return await self._after_scope(update, ctx, data)
        if step == "scope":
            data["scope"] = "series" if value == "series" else "one"
            return await self._after_scope(update, ctx, data)
        if step == "field":
            data["field"] = value
            if value == "time":
                return await self._ask(update, ctx, data,
                                       "date" if data["scope"] == "one" else "start")
            return await self._ask(update, ctx, data, value or "note")
        if step == "cancel_confirm":
            if value != "yes":
                await self._say(update, ctx, texts.nothing_changed(language))
                return END
            return await self._save_cancel(update, ctx, data)
        if step == "leave_confirm":
            if value != "yes":
                await self._say(update, ctx, texts.nothing_changed(language))
                return END

            def leave(session: Session) -> None:
                facilitator = self._facilitator(session, update)
                if facilitator is None:
                    raise Refused(errors.NOT_A_FACILITATOR)
                membership.leave(session, self.context, facilitator, info.id)

            await self._db(leave)
            await self._say(update, ctx, texts.left(language, info.name))
            return END
        return END

    async def _after_place(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                           data: dict[str, Any]) -> int:
        if data["flow"] == "editmeeting":
            return await self._save_edit(update, ctx, data, meeting_service.Changes(
                place=data["place"] or "", online_url=data["online_url"] or ""))
        return await self._ask(update, ctx, data, "languages")

    async def _after_scope(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                           data: dict[str, Any]) -> int:
        language = data["language"]
        if data["flow"] == "editmeeting":
            return await self._ask(update, ctx, data, "field")
        when = next(w for mid, w, _s, _d in data["meetings"] if mid == data["meeting"])
        whole = data["scope"] == "series"
        data["step"] = "cancel_confirm"
        await self._say(update, ctx, texts.confirm_cancel(language, when, whole),
                        [[(texts.label(language, "yes_stop_series" if whole else "yes_cancel"),
                           "Fc:yes"), (texts.label(language, "no"), "Fc:no")]])
        return ACTIVE

    # ------------------------------------------------------------------ saving
    def _draft(self, data: dict[str, Any]) -> MeetingDraft:
        return MeetingDraft(
            group_id=data["info"].id, day=date.fromisoformat(data["day"]),
            start=time.fromisoformat(data["start"]), end=time.fromisoformat(data["end"]),
            repeat=data["repeat"], place=data.get("place"), online_url=data.get("online_url"),
            languages=tuple(data.get("languages") or ()), note=data.get("note"))

    async def _confirm_new(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                           data: dict[str, Any]) -> int:
        language = data["language"]
        draft = self._draft(data)
        first = datetime.combine(draft.day, draft.start)
        starts = to_utc(draft.day, draft.start, language)
        ends = to_utc(draft.day, draft.end, language)
        text = texts.summary(language, data["info"].name, starts, ends,
                             describe(draft.repeat, first, language), draft.place,
                             draft.online_url, draft.languages, draft.note)
        data["step"] = "confirm"
        await self._say(update, ctx, text, [[(texts.label(language, "save"), "Fy:save"),
                                             (texts.label(language, "cancel"), "Fy:no")]])
        return ACTIVE

    async def _save_new(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                        data: dict[str, Any]) -> int:
        draft = self._draft(data)

        def save(session: Session) -> int:
            facilitator = self._facilitator(session, update)
            if facilitator is None:
                raise Refused(errors.NOT_A_FACILITATOR)
            return len(meeting_service.create_meeting(session, self.context, facilitator, draft))

        count = await self._db(save)
        await self._say(update, ctx, texts.created(data["language"], count))
        return END

    async def _save_edit(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                         data: dict[str, Any], changes: meeting_service.Changes) -> int:
        def save(session: Session) -> None:
            facilitator = self._facilitator(session, update)
            if facilitator is None:
                raise Refused(errors.NOT_A_FACILITATOR)
            if data["scope"] == "series":
                meeting = session.get(Meeting, data["meeting"])
                if meeting is None or meeting.series_id is None:
                    raise Refused(errors.MEETING_GONE)
                meeting_service.edit_series(session, self.context, facilitator,
                                            meeting.series_id, changes)
            else:
                meeting_service.edit_occurrence(session, self.context, facilitator,
                                                data["meeting"], changes)

        await self._db(save)
        await self._say(update, ctx, texts.edited(data["language"]))
        return END

    async def _save_cancel(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                           data: dict[str, Any]) -> int:
        def save(session: Session) -> int:
            facilitator = self._facilitator(session, update)
            if facilitator is None:
                raise Refused(errors.NOT_A_FACILITATOR)
            if data["scope"] == "series":
                meeting = session.get(Meeting, data["meeting"])
                if meeting is None or meeting.series_id is None:
                    raise Refused(errors.MEETING_GONE)
                return meeting_service.cancel_series(session, self.context, facilitator,
                                                     meeting.series_id)
            meeting_service.cancel_occurrence(session, self.context, facilitator,
                                              data["meeting"])
            return 1

        count = await self._db(save)
        await self._say(update, ctx, texts.cancelled(data["language"], count))
        return END

    async def on_other_command(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> int:
        """Any other command ends the guided conversation and is answered as usual."""
        ctx.user_data.pop(DATA, None)  # type: ignore[union-attr]
        return END

    # ------------------------------------------------------------------ citizens
    async def _citizen_language(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                                pseudonym: str) -> str:
        from bot.channels.telegram_app import PIPELINE_KEY

        user = update.effective_user
        pipeline = ctx.application.bot_data.get(PIPELINE_KEY)
        if pipeline is None:
            return _hint(update)
        return await pipeline.language_of(
            Citizen(pseudonym=pseudonym, telegram_language=user.language_code if user else None))

    def _pseudonym(self, update: Update) -> str:
        user = update.effective_user
        assert user is not None
        return pseudonym_for(user.id, self.context.settings.pseudonym_secret)

    async def _send(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE, reply: Reply) -> None:
        from bot.channels.telegram_app import send_reply

        chat = update.effective_chat
        assert chat is not None
        await send_reply(ctx.bot, chat.id, reply)

    async def on_reminders(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
        """/reminders: list the citizen's reminders with a stop button each."""
        pseudonym = self._pseudonym(update)
        language = await self._citizen_language(update, ctx, pseudonym)
        rows = await self._db(lambda s: subscriptions.subscriptions_of(s, pseudonym))
        await self._send(update, ctx, reminder_texts.reminder_list(language, rows))
        raise ApplicationHandlerStop

    async def on_citizen_button(self, update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
        """"Remind me", "Add to calendar" and "Stop" on a group or /reminders."""
        query, chat = update.callback_query, update.effective_chat
        assert query is not None and chat is not None
        await query.answer()
        decoded = decode_callback(query.data or "")
        if decoded is None:
            return
        intent, value = decoded
        pseudonym = self._pseudonym(update)
        language = await self._citizen_language(update, ctx, pseudonym)
        if intent == ButtonIntent.REMIND_ME and value:
            reply = await self._remind(pseudonym, chat.id, value, language)
        elif intent == ButtonIntent.CALENDAR and value:
            reply = await self._calendar(value, language)
        else:
            stopped = await self._db(lambda s: subscriptions.unsubscribe(s, pseudonym, value or ""))
            reply = reminder_texts.stopped(language) if stopped else \
                reminder_texts.reminder_list(language, await self._db(
                    lambda s: subscriptions.subscriptions_of(s, pseudonym)))
        await self._send(update, ctx, reply)
        raise ApplicationHandlerStop

    async def _remind(self, pseudonym: str, chat_id: int, group_id: str, language: str) -> Reply:
        if self.context.sealer is None:
            return reminder_texts.unavailable(language)

        def subscribe(session: Session) -> tuple[str, list[int]] | None:
            subscription = subscriptions.subscribe(session, self.context, pseudonym=pseudonym,
                                                   chat_id=chat_id, group_id=group_id,
                                                   language=language)
            if subscription is None:
                return None
            group = session.get(Service, group_id)
            assert group is not None
            return group.name, subscriptions.lead_minutes(self.context)

        result = await self._db(subscribe)
        if result is None:
            return reminder_texts.unavailable(language)
        return reminder_texts.subscribed(language, *result)

    async def _calendar(self, group_id: str, language: str) -> Reply:
        def build(session: Session) -> tuple[str, bytes, int] | None:
            try:
                link = group_link(self.context.settings, group_id)
            except ValueError:
                link = None
            result = group_calendar(session, self.context.settings, group_id,
                                    self.context.clock(), link, language)
            group = session.get(Service, group_id)
            if result is None or group is None:
                return None
            return group.name, *result

        built = await self._db(build)
        if built is None:
            return reminder_texts.unavailable(language)
        name, ics, count = built
        return reminder_texts.calendar(language, name, ics, count)

    # ------------------------------------------------------------------ job
    async def reminder_job(self, ctx: ContextTypes.DEFAULT_TYPE) -> None:
        """JobQueue job: extend series, queue due reminders and thank-yous (the outbox sends)."""
        await asyncio.to_thread(reminder_job.run_once, self.context)


def _conversation(bot: FacilitatorBot, private: filters.BaseFilter,
                  typed: filters.BaseFilter) -> ConversationHandler:
    """One conversation for every facilitator command, so a new command restarts cleanly."""
    return ConversationHandler(
        entry_points=[
            CommandHandler("start", bot.on_invitation,
                           filters=private & filters.Regex(r"^/start inv_")),
            CommandHandler(list(texts.COMMANDS), bot.on_command, filters=private),
            CallbackQueryHandler(bot.on_language, pattern=r"^FL:"),
        ],
        states={
            ACTIVE: [CallbackQueryHandler(bot.on_input, pattern=r"^F[a-z]:"),
                     MessageHandler(typed, bot.on_input)],
            NAME: [MessageHandler(typed, bot.on_name)],
        },
        fallbacks=[MessageHandler(filters.COMMAND, bot.on_other_command)],
        allow_reentry=True,
        name="facilitators",
    )


def register_facilitator_handlers(application: Application, context: AppContext) -> None:
    """Add the facilitator conversation, the reminder buttons, /reminders and the job."""
    bot = FacilitatorBot(context)
    private = filters.ChatType.PRIVATE
    typed = private & filters.TEXT & ~filters.COMMAND
    # The conversation is tracked per user and chat, not per message, on purpose: a
    # facilitator may answer a step by typing instead of pressing the button. PTB warns
    # about exactly that combination, so the warning is silenced for this one construction.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)
        conversation = _conversation(bot, private, typed)
    application.add_handler(conversation, group=-1)
    application.add_handler(CommandHandler("reminders", bot.on_reminders, filters=private),
                            group=-1)
    codes = "".join(BUTTON_CODES[i] for i in (ButtonIntent.REMIND_ME, ButtonIntent.CALENDAR,
                                              ButtonIntent.STOP_REMINDER))
    application.add_handler(
        CallbackQueryHandler(bot.on_citizen_button, pattern=rf"^[{codes}](:|$)"), group=-1)
    assert application.job_queue is not None, "python-telegram-bot[job-queue] is required"
    application.job_queue.run_repeating(bot.reminder_job,
                                        interval=context.settings.reminder_interval_seconds,
                                        first=1, name="reminders")
