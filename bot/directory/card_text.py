"""A service card as text, in the reader's language: the one card the bot shows in results
and on a group's page, and the one a coordinator's answer quotes.

It lives with the directory (not the dialogue) because services show it too. Texts are
Telegram HTML: everything that comes from data is escaped, and Dutch names, numbers and links
inside Farsi and Arabic text are wrapped in Unicode isolates.
"""

from __future__ import annotations

from datetime import tzinfo
from html import escape

from bot.directory.cards import ServiceCard
from bot.i18n.catalogs import Translator, _
from bot.i18n.formatting import isolate, meeting_when
from bot.vocabulary import language_name

#: What a service is, in plain words, by kind (msgids, translated when used).
KIND_LABELS = {
    "peer_group": _("Peer group: people who went through the same"),
    "volunteer_centre": _("Volunteer centre"),
    "volunteer_service": _("Volunteer help"),
    "carer_support": _("Support point for carers"),
    "community_centre": _("Community centre"),
    "professional": _("Professional help"),
    "helpline": _("Helpline"),
}


def _t(language: str):
    return Translator(language).gettext


def kind_label(language: str, kind: str) -> str:
    """What a service is, in plain words (an unknown kind as it is)."""
    return _t(language)(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _line(label: str, value: str) -> str:
    return f"{label}: {value}"


def group_words(language: str, card: ServiceCard, field: str) -> tuple[str, str] | None:
    """The group's own ``field`` text (description, how_to_join) for a reader of ``language``.

    Their language where the group wrote one, else Dutch (product.md). Returns the escaped text
    (isolated in right-to-left text) and a mark to put after it: " (in Dutch)" when a Dutch
    text is shown to a reader of another language, else "". None when there is no text.
    """
    _ = _t(language)
    text, written_in = card.text(field, language)
    if not text:
        return None
    mark = ""
    if written_in == "nl" and language != "nl":
        mark = " " + _("(in Dutch)")
    return isolate(escape(text), language), mark


def service_card_text(language: str, card: ServiceCard, zone: tzinfo) -> str:
    """One result: what it is, who is behind it, languages, where, when (local time in
    ``zone``), cost, how to join."""
    _ = _t(language)
    iso = lambda s: isolate(escape(s), language)  # noqa: E731 - short local helper
    lines = [f"<b>{iso(card.name)}</b>", kind_label(language, card.kind)]
    if card.organisation_name:
        lines.append(_line(_("Organised by"), iso(card.organisation_name)))
    if card.languages:
        names = ", ".join(language_name(code, language) for code in card.languages)
        lines.append(_line(_("Languages"), names))
    where: list[str] = []
    for location in card.locations[:1]:
        parts = [p for p in (location.address, location.city) if p]
        where.append(iso(", ".join(parts) or location.name))
    if card.online:
        where.append(_("online"))
    if where:
        lines.append(_line(_("Where"), " · ".join(where)))
    if card.women_only:
        lines.append(_("For women only"))
    if card.community_focus:
        lines.append(_line(_("In their own words"), f"<i>{iso(card.community_focus)}</i>"))
    if card.next_meeting is not None:
        when = meeting_when(card.next_meeting.starts_at, card.next_meeting.ends_at, language,
                            zone)
        lines.append(_line(_("Next meeting"), when))
    lines.append(
        _line(_("Cost"), _("free") if card.cost in ("", "free", "gratis") else iso(card.cost))
    )
    join = _("Just come along") if card.join_mode == "just_come" else _("Get in touch first")
    how_to_join = group_words(language, card, "how_to_join")
    if how_to_join:
        join += f" ({how_to_join[0]}){how_to_join[1]}"
    lines.append(_line(_("How to join"), join))
    if card.wait_time:
        lines.append(_line(_("Waiting time"), iso(card.wait_time)))
    contact = [
        c
        for c in (
            card.phone or card.organisation_phone,
            card.url or card.organisation_url,
            card.email or card.organisation_email,
        )
        if c
    ]
    if contact:
        lines.append(_line(_("Contact"), " · ".join(iso(c) for c in contact)))
    return "\n".join(lines)
