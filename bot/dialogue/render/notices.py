"""Answers to what the bot cannot read or does not do: stickers, photos, voice, files,
locations, edits, floods, group chats and very long messages."""

from __future__ import annotations

from bot.dialogue.render.common import gettext_for as _t
from bot.i18n.formatting import isolate
from bot.safety.answer import emergency_line


def unsupported_input(language: str, kind: str) -> str:
    """A clear answer to stickers, photos, voice, files, locations (with 112 and 113), and to
    an edit."""
    _ = _t(language)
    texts = {
        "sticker": _("Thanks for the sticker! I can only read text, though."),
        "voice": _("I can't listen to voice messages. Could you type it? A few words are enough."),
        "photo": _("I can't look at photos. Could you tell me in words what is going on?"),
        "document": _(
            "I can't open files. Please don't send documents with personal details; "
            "just tell me in words."
        ),
        "location": _(
            "I don't use locations, so you stay anonymous. You can type your municipality instead."
        ),
        "edited": _(
            "I saw you changed a message. I answered the first version; just send the "
            "new text again if it matters."
        ),
    }
    text = texts.get(kind, _("I can only read text messages."))
    if kind == "edited":
        return text  # its words were read by the crisis net already
    # What the bot cannot read: someone in crisis may reach for a voice message or a photo
    # (safety.md rule 1).
    return f"{text}\n\n{emergency_line(language)}"


def caption_only(language: str) -> str:
    """Said before the answer to a photo's or file's caption."""
    _ = _t(language)
    return _("I can't look at photos or files, but I read the text you wrote with it.")


def flood(language: str) -> str:
    """Too many messages in a short time."""
    _ = _t(language)
    return _(
        "You are sending a lot of messages at once. I read them one by one; please wait a moment."
    )


def group_chat(language: str, link: str) -> str:
    """The bot was used in a group chat (the link isolated inside Farsi and Arabic)."""
    _ = _t(language)
    return _(
        "To keep you anonymous I only talk in a private chat. Open {link} to talk to me privately."
    ).format(link=isolate(link, language))


def too_long(language: str) -> str:
    """A very long message was shortened."""
    _ = _t(language)
    return _(
        "That was a long message; I read the first part. You can also send it in several pieces."
    )
