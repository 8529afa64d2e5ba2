"""An A4 poster of a group for a GP's waiting room or a community centre.

Name, what it is, when and where (in Dutch, the language of the building it hangs in), a QR
code of the group's Telegram deep link, and a short invitation in Dutch, Turkish, Farsi and
Arabic. Farsi and Arabic are shaped and laid out right to left (bot/posters/shaping.py) in
an embedded TrueType font that has their glyphs.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import segno
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dialogue.render import kind_label
from bot.directory.models import Schedule
from bot.directory.search import get_service_card, upcoming_meetings
from bot.facilitators.links import group_link
from bot.facilitators.models import MeetingSeries
from bot.facilitators.recurrence import describe, repeat_of
from bot.i18n.catalogs import Translator, _
from bot.i18n.formatting import meeting_when
from bot.posters import fonts
from bot.posters.shaping import wrap
from bot.settings import Settings
from bot.taxonomy import CITIZEN_LANGUAGES, RTL_LANGUAGES

POSTER_LANGUAGE = "nl"  # the main text: the language of the waiting room
INVITATION = _("Scan the code with your phone. In Telegram you see when and where the group "
               "meets and you can save a reminder. You don't need to give your name.")
ACCENT = HexColor("#1f5f8b")
MARGIN = 2 * cm


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


class UnknownGroup(LookupError):
    """No group with that id."""


def poster_content(session: Session, settings: Settings, group_id: str,
                   now: datetime) -> PosterContent:
    """Collect the poster's texts for ``group_id`` from the directory and its series."""
    card = get_service_card(session, group_id, now=now)
    if card is None:
        raise UnknownGroup(group_id)
    language = POSTER_LANGUAGE
    rhythm: list[str] = []
    rules = [(s.rrule, s.dtstart) for s in session.scalars(select(MeetingSeries).where(
        MeetingSeries.service_id == group_id, MeetingSeries.cancelled.is_(False)))]
    rules += [(s.rrule, s.dtstart) for s in session.scalars(
        select(Schedule).where(Schedule.service_id == group_id))]
    for rule, dtstart in rules:
        start = datetime.fromisoformat(dtstart)
        rhythm.append(f"{describe(repeat_of(rule), start, language)}, {start:%H:%M}")
    meetings = [m for m in upcoming_meetings(session, group_id, now, limit=6) if not m.cancelled]
    where: list[str] = []
    for location in card.locations[:1]:
        where.append(", ".join(p for p in (location.name, location.address, location.city) if p))
    if card.online:
        where.append(Translator(language).gettext("Online"))
    return PosterContent(
        name=card.name,
        kind=kind_label(language, card.kind),
        description=card.description,
        rhythm=tuple(dict.fromkeys(rhythm)),
        next_meetings=tuple(meeting_when(m.starts_at, m.ends_at, language) for m in meetings[:3]),
        where=tuple(where),
        link=group_link(settings, group_id),
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


def render_poster(content: PosterContent) -> bytes:
    """The A4 PDF of ``content``."""
    regular, bold = fonts.register()
    _t = Translator(POSTER_LANGUAGE).gettext
    buffer = io.BytesIO()
    width, height = A4
    # The initial font too, or the page would reference a non-embedded Helvetica.
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=regular)
    canvas.setTitle(content.name)
    canvas.setAuthor("Steunwijzer")
    text_width = width - 2 * MARGIN

    def measure(font: str, size: float) -> Callable[[str], float]:
        return lambda text: stringWidth(text, font, size)

    # Title band.
    canvas.setFillColor(ACCENT)
    canvas.rect(0, height - 1.2 * cm, width, 1.2 * cm, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    y = height - MARGIN - 1 * cm
    y = _draw_lines(canvas, wrap(content.name, POSTER_LANGUAGE, text_width, measure(bold, 26)),
                    MARGIN, y, bold, 26, 31)
    canvas.setFillColor(ACCENT)
    y = _draw_lines(canvas, [content.kind], MARGIN, y - 4, regular, 14, 22)
    canvas.setFillColor(HexColor("#000000"))
    if content.description:
        lines = wrap(content.description, POSTER_LANGUAGE, text_width, measure(regular, 11))[:6]
        y = _draw_lines(canvas, lines, MARGIN, y - 6, regular, 11, 15)

    def section(title: str, rows: tuple[str, ...], y: float) -> float:
        if not rows:
            return y
        y = _draw_lines(canvas, [title], MARGIN, y - 10, bold, 13, 18)
        for row in rows:
            y = _draw_lines(canvas, wrap(row, POSTER_LANGUAGE, text_width, measure(regular, 12)),
                            MARGIN, y, regular, 12, 16)
        return y

    y = section(_t("When"), content.rhythm, y)
    y = section(_t("Upcoming meetings"), content.next_meetings, y)
    y = section(_t("Where"), content.where, y)

    # QR code of the deep link, centred, drawn module by module (segno computes the matrix;
    # reportlab's own QR widget would pull in a non-embedded Helvetica).
    size = 6.5 * cm
    qr_y = min(y - 20, 11.5 * cm + size) - size
    _draw_qr(canvas, content.link, (width - size) / 2, qr_y, size)
    canvas.setFont(regular, 9)
    canvas.drawCentredString(width / 2, qr_y - 4, content.link)

    # The invitation in the four citizen languages; Farsi and Arabic right-aligned.
    y = qr_y - 28
    canvas.setStrokeColor(ACCENT)
    canvas.line(MARGIN, y + 10, width - MARGIN, y + 10)
    for language in CITIZEN_LANGUAGES:
        rtl = language in RTL_LANGUAGES
        text = Translator(language).gettext(INVITATION)
        lines = wrap(text, language, text_width, measure(regular, 11))
        y = _draw_lines(canvas, lines, width - MARGIN if rtl else MARGIN, y - 6, regular, 11,
                        16, right=rtl)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
