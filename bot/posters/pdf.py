"""An A4 poster of a group for a GP's waiting room or a community centre.

Name, what it is, how to join, when and where, a QR code of the group's Telegram deep link, and
a short invitation in Dutch, Turkish, Farsi and Arabic. The main text is Dutch, the language of
the building it hangs in; but the poster of a group that meets in Turkish, Farsi or Arabic (one
of them besides Dutch) *leads* with that language: what it is, the group's own description and
how-to-join text where it wrote them in that language, and when it meets come first in that
language, the Dutch text after. Farsi and Arabic are shaped and laid out right to left
(bot/posters/shaping.py) in an embedded TrueType font that has their glyphs.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import segno
from babel.dates import format_time
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dialogue.render import kind_label
from bot.directory.cards import ServiceCard
from bot.directory.models import Schedule
from bot.directory.search import get_service_card, upcoming_meetings
from bot.facilitators.links import group_link
from bot.facilitators.models import MeetingSeries
from bot.facilitators.recurrence import describe, repeat_of
from bot.i18n.catalogs import Translator, _
from bot.i18n.formatting import locale_for, meeting_when
from bot.posters import fonts
from bot.posters.shaping import wrap
from bot.settings import Settings
from bot.vocabulary import CITIZEN_LANGUAGES, RTL_LANGUAGES

POSTER_LANGUAGE = "nl"  # the main text: the language of the waiting room
#: Languages a poster can lead with (a group that meets in exactly one of them).
LEAD_LANGUAGES = tuple(code for code in CITIZEN_LANGUAGES if code != POSTER_LANGUAGE)
INVITATION = _("Scan the code with your phone. In Telegram you see when and where the group "
               "meets and you can save a reminder. You don't need to give your name.")
ACCENT = HexColor("#1f5f8b")
MARGIN = 2 * cm
QR_SIZE = 6.5 * cm
MIN_QR_SIZE = 4 * cm  # still scanned at arm's length (about 1 mm per module)


@dataclass(frozen=True)
class PosterLead:
    """The part of a poster in one language: the group's own, printed above the Dutch part."""

    language: str
    kind: str
    description: str  # "" when the group wrote none in this language
    join: str  # the group's how-to-join text in this language, else the join mode in words
    rhythm: tuple[str, ...]
    next_meetings: tuple[str, ...]
    where: tuple[str, ...] = ()  # addresses as written; "online" in this language


@dataclass(frozen=True)
class PosterContent:
    """Everything a poster shows, already in words."""

    name: str
    kind: str
    description: str
    rhythm: tuple[str, ...]  # e.g. "every week on Tuesday, 19:30"
    next_meetings: tuple[str, ...]
    where: tuple[str, ...]
    link: str
    join: str = ""  # how to join, in Dutch
    lead: PosterLead | None = None


class UnknownGroup(LookupError):
    """No group with that id."""


def lead_language(languages: Sequence[str]) -> str | None:
    """The language a poster leads with: the group's one language of :data:`LEAD_LANGUAGES`.

    None for a Dutch group, and for one that meets in several of them (then Dutch, the
    language they share with the building, comes first as before).
    """
    own = [code for code in LEAD_LANGUAGES if code in languages]
    return own[0] if len(own) == 1 else None


def _join(card: ServiceCard, language: str) -> str:
    """How to join in ``language``: the group's own text in it, else the join mode in words."""
    text, written_in = card.text("how_to_join", language)
    if text and written_in == language:
        return text
    t = Translator(language).gettext
    return t("Just come along") if card.join_mode == "just_come" else t("Get in touch first")


def _rhythm(rules: Sequence[tuple[str, str]], language: str) -> tuple[str, ...]:
    """Each (RRULE, local dtstart) in words with its start time, e.g. "every week on Tuesday,
    19:30", without repeats."""
    lines = []
    for rule, dtstart in rules:
        start = datetime.fromisoformat(dtstart)
        clock = (f"{start:%H:%M}" if language == POSTER_LANGUAGE
                 else format_time(start.time(), format="short", locale=locale_for(language)))
        comma = "، " if language in RTL_LANGUAGES else ", "
        lines.append(f"{describe(repeat_of(rule), start, language)}{comma}{clock}")
    return tuple(dict.fromkeys(lines))


def poster_content(session: Session, settings: Settings, group_id: str,
                   now: datetime) -> PosterContent:
    """Collect the poster's texts for ``group_id`` from the directory and its series."""
    card = get_service_card(session, group_id, now=now)
    if card is None:
        raise UnknownGroup(group_id)
    language = POSTER_LANGUAGE
    rules = [(s.rrule, s.dtstart) for s in session.scalars(select(MeetingSeries).where(
        MeetingSeries.service_id == group_id, MeetingSeries.cancelled.is_(False)))]
    rules += [(s.rrule, s.dtstart) for s in session.scalars(
        select(Schedule).where(Schedule.service_id == group_id))]
    meetings = [m for m in upcoming_meetings(session, group_id, now, limit=6) if not m.cancelled]
    places = [", ".join(p for p in (loc.name, loc.address, loc.city) if p)
              for loc in card.locations[:1]]

    def where(language: str) -> tuple[str, ...]:
        online = [Translator(language).gettext("Online")] if card.online else []
        return (*places, *online)

    lead = None
    own = lead_language(card.languages)
    if own is not None:
        description, written_in = card.text("description", own)
        lead = PosterLead(
            language=own,
            kind=kind_label(own, card.kind),
            description=description if description and written_in == own else "",
            join=_join(card, own),
            rhythm=_rhythm(rules, own),
            next_meetings=tuple(meeting_when(m.starts_at, m.ends_at, own, settings.zone)
                                for m in meetings[:2]),
            where=where(own),
        )
    description, _written_in = card.text("description", language)
    return PosterContent(
        name=card.name,
        kind=kind_label(language, card.kind),
        description=description or "",
        rhythm=_rhythm(rules, language),
        next_meetings=tuple(meeting_when(m.starts_at, m.ends_at, language, settings.zone)
                            for m in meetings[:3]),
        where=where(language),
        link=group_link(settings, group_id),
        join=_join(card, language),
        lead=lead,
    )


def _draw_lines(canvas: Canvas, lines: list[str], x: float, y: float, font: str, size: float,
                leading: float, right: bool = False) -> float:
    canvas.setFont(font, size)
    for line in lines:
        if right:
            canvas.drawRightString(x, y, line)
        else:
            canvas.drawString(x, y, line)
        y -= leading
    return y


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code (error correction M, 4-module quiet zone) filling a ``size`` square."""
    matrix = segno.make(data, error="m", boost_error=False).matrix
    quiet = 4
    modules = len(matrix) + 2 * quiet
    unit = size / modules
    canvas.setFillColor(HexColor("#000000"))
    for row_index, row in enumerate(matrix):
        for column, dark in enumerate(row):
            if dark:
                canvas.rect(x + (column + quiet) * unit,
                            y + size - (row_index + quiet + 1) * unit, unit, unit,
                            stroke=0, fill=1)


@dataclass(frozen=True)
class _Style:
    """Font sizes of one part of a poster (the full one, or the compact Dutch one after a lead)."""

    kind: tuple[float, float]  # size, leading
    text: tuple[float, float]
    title: tuple[float, float]
    row: tuple[float, float]
    gap: float


FULL = _Style(kind=(14, 22), text=(11, 15), title=(13, 18), row=(12, 16), gap=10)
LEAD = _Style(kind=(14, 22), text=(11, 15), title=(13, 18), row=(12, 16), gap=8)
COMPACT = _Style(kind=(12, 17), text=(10, 13), title=(11, 15), row=(10, 13), gap=6)


@dataclass(frozen=True)
class _Fit:
    """How much of the content one layout shows: the richest that fits the page is chosen."""

    lead_where: bool  # the address in the lead part too (it is always in the Dutch part)
    lead_meetings: int  # dates in the lead part
    meetings: int  # dates in the Dutch part
    lead_lines: int  # lines of the description in the lead part (or the only part)
    lines: int  # lines of the Dutch description after a lead part
    rows: int  # lines per row (how to join, a rhythm, an address) and rows per section


#: Richest first; a reader of the lead language keeps a date longest.
LEAD_FITS = (
    _Fit(True, 2, 2, 5, 4, 3), _Fit(False, 2, 1, 5, 4, 3), _Fit(False, 2, 0, 5, 3, 3),
    _Fit(False, 1, 0, 4, 2, 2), _Fit(False, 1, 0, 3, 1, 2), _Fit(False, 1, 0, 2, 1, 1),
    _Fit(False, 0, 0, 2, 1, 1),
)
DUTCH_FITS = (
    _Fit(False, 0, 3, 6, 0, 3), _Fit(False, 0, 2, 6, 0, 3), _Fit(False, 0, 1, 5, 0, 2),
    _Fit(False, 0, 0, 4, 0, 2), _Fit(False, 0, 0, 2, 0, 1),
)


def render_poster(content: PosterContent) -> bytes:
    """The A4 PDF of ``content``; the lead language's part first when there is one."""
    regular, bold = fonts.register()
    black = HexColor("#000000")
    buffer = io.BytesIO()
    width, height = A4
    # The initial font too, or the page would reference a non-embedded Helvetica.
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=regular)
    canvas.setTitle(content.name)
    canvas.setAuthor("Steunwijzer")
    text_width = width - 2 * MARGIN
    drawing = [False]  # False: a dry run that only measures, to choose the layout

    def measure(font: str, size: float) -> Callable[[str], float]:
        return lambda text: stringWidth(text, font, size)

    def draw(text: str, language: str, y: float, font: str, size_leading: tuple[float, float],
             limit: int | None = None, color: HexColor = black) -> float:
        """Wrap and draw ``text`` (right-aligned in Farsi and Arabic); returns the new y."""
        size, leading = size_leading
        lines = wrap(text, language, text_width, measure(font, size))
        rtl = language in RTL_LANGUAGES
        if limit and len(lines) > limit:
            # Cut: say so with an ellipsis at the end of the last line (its left in RTL).
            lines = lines[:limit]
            lines[-1] = f"… {lines[-1]}" if rtl else f"{lines[-1]} …"
        if not drawing[0]:
            return y - leading * len(lines)
        canvas.setFillColor(color)
        y = _draw_lines(canvas, lines, width - MARGIN if rtl else MARGIN, y, font, size,
                        leading, right=rtl)
        canvas.setFillColor(black)
        return y

    def part(text: PosterLead, style: _Style, y: float, lines: int, rows: int,
             where: tuple[str, ...] = ()) -> float:
        """One language's part: what it is, the group's words, how to join, when, where."""
        language = text.language
        t = Translator(language).gettext
        y = draw(text.kind, language, y - 4, regular, style.kind, limit=2, color=ACCENT)
        if text.description and lines:
            y = draw(text.description, language, y - style.gap / 2, regular, style.text,
                     limit=lines)
        for title, items in ((t("How to join"), (text.join,) if text.join else ()),
                             (t("When"), text.rhythm),
                             (t("Upcoming meetings"), text.next_meetings),
                             (t("Where"), where)):
            if not items:
                continue
            y = draw(title, language, y - style.gap, bold, style.title)
            for item in items[:rows]:
                y = draw(item, language, y, regular, style.row, limit=rows)
        return y

    def body(fit: _Fit) -> float:
        """The name and the part(s) above the QR code as ``fit`` says; returns where they end."""
        # Smaller after a lead part: its room goes to the lead language.
        name_size = (26, 31) if content.lead is None else (22, 27)
        y = draw(content.name, POSTER_LANGUAGE, height - MARGIN - 1 * cm, bold, name_size,
                 limit=3)
        dutch = PosterLead(POSTER_LANGUAGE, content.kind, content.description, content.join,
                           content.rhythm, content.next_meetings[:fit.meetings])
        lead = content.lead
        if lead is None:
            return part(dutch, FULL, y, fit.lead_lines, fit.rows, content.where)
        where = lead.where if fit.lead_where else ()
        lead = PosterLead(lead.language, lead.kind, lead.description, lead.join, lead.rhythm,
                          lead.next_meetings[:fit.lead_meetings])
        y = part(lead, LEAD, y, fit.lead_lines, fit.rows, where) - 8
        if drawing[0]:
            canvas.setStrokeColor(ACCENT)
            canvas.line(MARGIN, y, width - MARGIN, y)
        return part(dutch, COMPACT, y - 6, fit.lines, fit.rows, content.where)

    # The invitation in the four citizen languages (Farsi and Arabic right-aligned), under a
    # QR code of the deep link that shrinks (down to MIN_QR_SIZE) when the text above is long;
    # when even that does not fit, the richest layout that does is chosen by dry runs.
    invitation = [(language, wrap(Translator(language).gettext(INVITATION), language,
                                  text_width, measure(regular, 11)))
                  for language in CITIZEN_LANGUAGES]
    invitation_height = 28 + sum(6 + 16 * len(lines) for _language, lines in invitation)
    bottom = invitation_height + 1 * cm
    fits = DUTCH_FITS if content.lead is None else LEAD_FITS
    chosen = next((fit for fit in fits if body(fit) - 20 - MIN_QR_SIZE >= bottom), fits[-1])

    # Title band, then the name and parts for real.
    drawing[0] = True
    canvas.setFillColor(ACCENT)
    canvas.rect(0, height - 1.2 * cm, width, 1.2 * cm, stroke=0, fill=1)
    canvas.setFillColor(black)
    y = body(chosen)
    top = min(y - 20, 11.5 * cm + QR_SIZE)
    size = max(MIN_QR_SIZE, min(QR_SIZE, top - bottom))
    qr_y = top - size
    # Drawn module by module (segno computes the matrix; reportlab's own QR widget would pull
    # in a non-embedded Helvetica).
    _draw_qr(canvas, content.link, (width - size) / 2, qr_y, size)
    canvas.setFont(regular, 9)
    canvas.drawCentredString(width / 2, qr_y - 4, content.link)

    y = qr_y - 28
    canvas.setStrokeColor(ACCENT)
    canvas.line(MARGIN, y + 10, width - MARGIN, y + 10)
    for language, lines in invitation:
        rtl = language in RTL_LANGUAGES
        y = _draw_lines(canvas, lines, width - MARGIN if rtl else MARGIN, y - 6, regular, 11,
                        16, right=rtl)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
