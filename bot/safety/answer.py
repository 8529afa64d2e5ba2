"""The crisis answer of safety.md: short, calm, in the person's language, never blocked, and
with the right line first (rule 2): 112 when there is danger right now, 113 for suicidal
thoughts, self-harm and farewells, Veilig Thuis for violence at home, a child hurt and forced
marriage; De Kindertelefoon as well when the writer seems to be a child.

It uses only the catalogs and the national lines file, never the database or the NLU service,
so it still works when either is down. Every number comes from the lines file (rule 7).
"""

from __future__ import annotations

from html import escape

from bot.directory.national_lines import NationalLine, national_line
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate
from bot.safety.kinds import AT_HOME, FIRST_LINE, CrisisKind, FirstLine, by_urgency
from bot.vocabulary import Button, ButtonIntent, Option, Reply


def _number(text: str, language: str) -> str:
    return f"<b>{isolate(escape(text), language)}</b>"


def _link(line: NationalLine, language: str) -> str:
    return isolate(escape(line.chat_url or line.url), language)


def _free_phone(line: NationalLine) -> str:
    """The free number of a line (113's 0800 number), else its main number."""
    free = next((p.phone for p in line.other_phones if p.free), None)
    return free or line.phone or line.name


def emergency_line(language: str) -> str:
    """One line with 112 and 113, for what the bot cannot read (safety.md rule 1)."""
    _ = Translator(language).gettext
    line_113 = national_line(FirstLine.SUICIDE_PREVENTION)
    return _(
        "In danger right now? Call {emergency}. Thinking about suicide? Call {short} or chat "
        "at {chat}."
    ).format(
        emergency=_number(national_line(FirstLine.EMERGENCY).phone or "112", language),
        short=_number(line_113.phone or "113", language),
        chat=_link(line_113, language),
    )


def _line_text(kind: CrisisKind, language: str) -> str:
    """The sentence that offers the line for ``kind``."""
    _ = Translator(language).gettext
    if kind == CrisisKind.DANGER_NOW:
        emergency = national_line(FirstLine.EMERGENCY)
        return _("Are you in danger right now? Call {emergency} now.").format(
            emergency=_number(emergency.phone or "112", language)
        )
    if kind in (CrisisKind.SUICIDE, CrisisKind.SELF_HARM, CrisisKind.ACUTE):
        line_113 = national_line(FirstLine.SUICIDE_PREVENTION)
        return _(
            "Call 113 Suicide Prevention now: {short} or {free} (free), or chat at {chat}. "
            "Day and night, anonymous."
        ).format(
            short=_number(line_113.phone or "113", language),
            free=_number(_free_phone(line_113), language),
            chat=_link(line_113, language),
        )
    phone = _number(national_line(FirstLine.VEILIG_THUIS).phone or "", language)
    if kind == CrisisKind.CHILD:
        return _(
            "When a child is being hurt or neglected, call Veilig Thuis on {phone} (free, day "
            "and night). You can stay anonymous, also when you are worried about someone "
            "else's child."
        ).format(phone=phone)
    if kind == CrisisKind.FORCED_MARRIAGE:
        return _(
            "Forced marriage, a passport taken away or threats about honour: call Veilig Thuis "
            "on {phone} (free, day and night). You can stay anonymous, and they can help "
            "before a trip abroad."
        ).format(phone=phone)
    return _(
        "Violence at home: call Veilig Thuis on {phone} (free, day and night). "
        "You can stay anonymous."
    ).format(phone=phone)


def crisis_replies(
    language: str, kinds: tuple[CrisisKind, ...] = (), *, minor: bool = False
) -> list[Reply]:
    """The crisis answer for ``kinds`` (most urgent first; suicide when unknown), with De
    Kindertelefoon when the writer seems a ``minor``, and how to hide the chat when someone at
    home may be the danger."""
    _ = Translator(language).gettext
    ordered = by_urgency(set(kinds)) or (CrisisKind.SUICIDE,)
    parts = [_("I'm glad you wrote to me. You don't have to carry this alone.")]
    offered: set[FirstLine] = set()
    for kind in ordered:
        # One sentence per line: Veilig Thuis is named once, for its most urgent kind.
        if FIRST_LINE[kind] not in offered:
            offered.add(FIRST_LINE[kind])
            parts.append(_line_text(kind, language))
    if minor:
        kindertelefoon = national_line("kindertelefoon")
        parts.append(
            _(
                "Are you under 18? De Kindertelefoon listens too: {phone} (free, anonymous), "
                "or chat at {chat}."
            ).format(
                phone=_number(kindertelefoon.phone or "", language),
                chat=_link(kindertelefoon, language),
            )
        )
    if CrisisKind.DANGER_NOW not in ordered:
        parts.append(
            _("In immediate danger, call {emergency}.").format(
                emergency=_number(national_line(FirstLine.EMERGENCY).phone or "112", language)
            )
        )
    parts.append(_("You can keep writing to me here."))
    replies = [
        Reply(
            text="\n\n".join(parts),
            buttons=((Button(_("Talk to a person"), ButtonIntent.CHOOSE_OPTION, Option.HUMAN),),),
        )
    ]
    if any(kind in AT_HOME for kind in ordered):
        replies.append(
            Reply(
                text=_("If someone else may read your phone: delete this chat in Telegram "
                       "(open the chat, tap the name at the top, then Delete chat) and send "
                       "/forget so I forget everything too.")
            )
        )
    return replies
