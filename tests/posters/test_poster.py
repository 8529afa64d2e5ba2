"""The poster PDF opens, shows shaped Farsi and Arabic, and its QR code decodes to the link."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, time
from pathlib import Path

import cv2
import pytest
from staffgroups import decode_qr, make_facilitator, make_group

from bot.facilitators import meetings as meeting_service
from bot.facilitators.links import PAYLOAD, deep_link, group_link
from bot.facilitators.meetings import MeetingDraft
from bot.facilitators.recurrence import Repeat
from bot.i18n.catalogs import Translator
from bot.posters.pdf import INVITATION, poster_content, render_poster
from bot.posters.shaping import has_presentation_forms, shape, visual_line


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: run scripts/ensure_system_packages.sh (make test does)"
    return found


@pytest.fixture
def poster(context, tmp_path: Path) -> tuple[Path, str]:
    with context.database.session() as session:
        group_id = make_group(session, "Rouwgroep Farsitalig De Linde (test)", ("fa", "nl"))
        facilitator = make_facilitator(session, context, group_id, 99_001, language="fa")
        meeting_service.create_meeting(session, context, facilitator, MeetingDraft(
            group_id=group_id, day=date(2026, 4, 14), start=time(19, 30), end=time(21, 30),
            repeat=Repeat.MONTHLY, place="Buurthuis De Linde"))
        content = poster_content(session, context.settings, group_id, context.clock())
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(render_poster(content))
    return pdf, content.link


def test_the_poster_is_an_a4_pdf_with_the_group_and_its_rhythm(poster) -> None:
    pdf, _link = poster
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M) and "595.276 x 841.89 pts (A4)" in info
    fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" TrueType " in f and " yes yes yes " in f for f in fonts)  # embedded
    text = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    text = " ".join(text.split())  # the title wraps
    assert "Rouwgroep Farsitalig De Linde (test)" in text
    assert "elke tweede dinsdag van de maand, 19:30" in text
    assert Translator("tr").gettext(INVITATION).split()[0] in text


def test_farsi_and_arabic_are_drawn_shaped_not_as_isolated_letters(poster) -> None:
    pdf, _link = poster
    text = subprocess.run([_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for language in ("fa", "ar"):
        sentence = Translator(language).gettext(INVITATION)
        shaped = shape(sentence)
        assert has_presentation_forms(shaped)
        # Joined forms (initial/medial/final) appear, not only isolated ones: take a word of
        # three or more letters and check that its shaped form is in the PDF.
        word = max(sentence.split(), key=len)
        assert shape(word) != word and has_presentation_forms(shape(word))
        assert shape(word) in text or shape(word)[::-1] in text, (language, word)
    assert not has_presentation_forms(Translator("nl").gettext(INVITATION))


def test_right_to_left_lines_are_in_visual_order() -> None:
    line = visual_line("سلام 12 Tilburg", "fa")
    assert line.startswith("Tilburg") and has_presentation_forms(line)
    assert visual_line("Hallo Tilburg", "nl") == "Hallo Tilburg"


def test_the_qr_code_on_the_rendered_page_decodes_to_the_deep_link(poster, tmp_path: Path) -> None:
    pdf, link = poster
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "150", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    image = cv2.imread(str(tmp_path / "page.png"))
    assert image is not None and image.shape[0] > image.shape[1]  # portrait
    assert decode_qr(str(tmp_path / "page.png")) == link
    payload = link.split("?start=", 1)[1]
    assert PAYLOAD.match(payload) and len(payload) <= 64


def test_deep_links_refuse_payloads_telegram_would_drop(context) -> None:
    assert group_link(context.settings, "abc-DEF_123").endswith("?start=abc-DEF_123")
    for bad in ("", "a" * 65, "groep 1", "groep/1", "inv:1"):
        with pytest.raises(ValueError):
            deep_link(context.settings, bad)
