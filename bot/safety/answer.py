"""The crisis answer of safety.md: short, calm, in the person's language, never blocked.

It uses only the catalogs and the national lines file, never the database or Rasa, so it
still works when either is down.
"""

from __future__ import annotations

from html import escape

from bot.dialogue.model import Button, ButtonIntent, Option, Reply
from bot.directory.national_lines import national_line
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate


def _number(text: str, language: str) -> str:
    return f"<b>{isolate(escape(text), language)}</b>"


def crisis_replies(language: str, *, home_violence: bool = False) -> list[Reply]:
    """The crisis answer; with ``home_violence`` also Veilig Thuis and how to hide the chat."""
    _ = Translator(language).gettext
    line_113 = national_line("suicide_prevention_113")
    chat_113 = isolate(escape(line_113.chat_url or line_113.url), language)
    free_113 = line_113.other_phones[0].phone if line_113.other_phones else line_113.phone or "113"
    parts = [
        _("I'm glad you wrote to me. You don't have to carry this alone."),
        _("Call 113 Suicide Prevention now: {short} or {free} (free), or chat at {chat}. "
          "Day and night, anonymous.").format(
            short=_number(line_113.phone or "113", language),
            free=_number(free_113, language),
            chat=chat_113,
        ),
        _("In immediate danger, call {emergency}.").format(emergency=_number("112", language)),
    ]
    if home_violence:
        veilig = national_line("veilig_thuis")
        parts.append(
            _("Violence at home: call Veilig Thuis on {phone} (free, day and night). "
              "You can stay anonymous.").format(phone=_number(veilig.phone or "", language))
        )
    parts.append(_("You can keep writing to me here."))
    replies = [
        Reply(
            text="\n\n".join(parts),
            buttons=((Button(_("Talk to a person"), ButtonIntent.CHOOSE_OPTION, Option.HUMAN),),),
        )
    ]
    if home_violence:
        replies.append(
            Reply(
                text=_("If someone else may read your phone: delete this chat in Telegram "
                       "(open the chat, tap the name at the top, then Delete chat) and send "
                       "/forget so I forget everything too.")
            )
        )
    return replies
