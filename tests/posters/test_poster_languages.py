"""A group that meets in Turkish, Farsi or Arabic gets a poster that leads with that language."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, time
from pathlib import Path

import pytest
from staffgroups import make_facilitator, make_group

from bot.directory.models import Service, ServiceText
from bot.facilitators import meetings as meeting_service
from bot.facilitators.meetings import MeetingDraft
from bot.facilitators.recurrence import Repeat
from bot.i18n.catalogs import Translator
from bot.posters.pdf import (
    INVITATION,
    PosterContent,
    lead_language,
    poster_content,
    render_poster,
)
from bot.posters.shaping import shape

FA_DESCRIPTION = "دربارهٔ از دست دادن عزیزان با کسانی حرف می‌زنیم که این درد را می‌شناسند."
FA_JOIN = "لطفاً اول برای ما ایمیل بفرستید تا پیش از اولین جلسه با هم آشنا شویم."
TR_JOIN = "Kayıt olmadan gelebilirsiniz; doğrudan içeri buyurun."


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
PUNCTUATION = ".,:;،؛!?()"


def _text(pdf: Path, *options: str) -> str:
    """The poster's text as pdftotext reads it, without the bidi controls it adds."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: run scripts/ensure_system_packages.sh"
    text = subprocess.run([tool, *options, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return BIDI_CONTROLS.sub("", text)


def _longest(text: str) -> str:
    """The longest word of ``text`` without its punctuation."""
    return max((w.strip(PUNCTUATION) for w in text.split()), key=len)


def _line_of(lines: list[str], *candidates: str) -> int:
    """The index of the first line holding one of ``candidates``."""
    for index, line in enumerate(lines):
        if any(c in line for c in candidates):
            return index
    raise AssertionError(f"none of {candidates!r} on the poster")


def _shaped(word: str) -> tuple[str, str]:
    """How an Arabic-script word shows up in pdftotext: shaped, in either order."""
    return shape(word), shape(word)[::-1]


def _poster(context, tmp_path: Path, name: str, languages: tuple[str, ...],
            texts: dict[tuple[str, str], str], how_to_join: str | None = None,
            description: str | None = None) -> tuple[Path, PosterContent, str]:
    with context.database.session() as session:
        group_id = make_group(session, name, languages)
        service = session.get(Service, group_id)
        service.how_to_join = how_to_join
        if description is not None:
            service.description = description
        for (language, field), text in texts.items():
            session.add(ServiceText(service_id=group_id, language=language, field=field,
                                    text=text))
        session.flush()
        content = poster_content(session, context.settings, group_id, context.clock())
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(render_poster(content))
    return pdf, content, group_id


def test_the_lead_language_is_the_groups_one_language_besides_dutch() -> None:
    assert lead_language(("fa", "nl")) == "fa"
    assert lead_language(("tr",)) == "tr"
    assert lead_language(("nl",)) is None
    assert lead_language(("en", "nl")) is None
    assert lead_language(("ar", "fa", "nl", "tr")) is None  # several: Dutch is shared


def test_a_farsi_group_poster_leads_with_farsi(context, tmp_path: Path) -> None:
    pdf, content, _group = _poster(context, tmp_path, "Rouwgroep Farsitalig De Linde (test)",
                           ("fa", "nl"), {("fa", "description"): FA_DESCRIPTION,
                                          ("fa", "how_to_join"): FA_JOIN},
                           how_to_join="Stuur eerst een mailtje.")
    assert content.lead is not None and content.lead.language == "fa"
    assert content.lead.description == FA_DESCRIPTION and content.lead.join == FA_JOIN
    assert content.join == "Stuur eerst een mailtje."
    lines = _text(pdf, "-layout").splitlines()
    farsi_kind = Translator("fa").gettext("Peer group: people who went through the same")
    farsi_word = _longest(FA_DESCRIPTION)
    farsi_join = _longest(FA_JOIN)
    dutch_kind = Translator("nl").gettext("Peer group: people who went through the same")
    first_dutch = min(_line_of(lines, dutch_kind[:20]),
                      _line_of(lines, "We praten over verlies"),
                      _line_of(lines, "Stuur eerst een mailtje."))
    assert _line_of(lines, *_shaped(_longest(farsi_kind))) < first_dutch
    assert _line_of(lines, *_shaped(farsi_word)) < first_dutch
    assert _line_of(lines, *_shaped(farsi_join)) < first_dutch
    assert _line_of(lines, "Rouwgroep Farsitalig") < _line_of(lines, *_shaped(farsi_word))


def test_a_turkish_group_poster_leads_with_turkish(context, tmp_path: Path) -> None:
    pdf, content, _group = _poster(context, tmp_path, "Mantelzorgcafé Turkstalig De Linde (test)",
                           ("nl", "tr"), {("tr", "how_to_join"): TR_JOIN},
                           how_to_join="Loop gewoon binnen.")
    assert content.lead is not None and content.lead.language == "tr"
    # No Turkish description written: the Turkish part leaves it out, the Dutch part has it.
    assert content.lead.description == ""
    text = " ".join(_text(pdf).split())
    assert text.index("Kayıt olmadan gelebilirsiniz") < text.index("Loop gewoon binnen.")
    assert text.index(Translator("tr").gettext("How to join")) < text.index("Meedoen")
    assert text.index("Kayıt olmadan") < text.index("We praten over verlies")


def test_a_dutch_group_poster_is_dutch_but_for_the_invitation(context, tmp_path: Path) -> None:
    pdf, content, _group = _poster(context, tmp_path, "Rouwgroep De Linde (test)", ("nl",), {},
                           how_to_join="Loop gewoon binnen.")
    assert content.lead is None
    text = " ".join(_text(pdf).split())
    assert "Meedoen Loop gewoon binnen." in text
    assert text.index("We praten over verlies") < text.index(
        Translator("tr").gettext(INVITATION).split()[0])


def test_a_long_poster_still_fits_the_page_with_every_invitation(context, tmp_path: Path
                                                                 ) -> None:  # fmt: skip
    name = "Herstelgroep somberheid en angst Farsitalig Buurthuis De Linde Tilburg Noord (test)"
    long_farsi = " ".join([FA_DESCRIPTION] * 8)
    pdf, _content, group_id = _poster(
        context, tmp_path, name, ("fa", "nl"),
        {("fa", "description"): long_farsi, ("fa", "how_to_join"): FA_JOIN},
        how_to_join="Stuur eerst een mailtje, dan maken we kennis voordat je komt. " * 3,
        description="We praten over somberheid en angst. " * 20)
    with context.database.session() as session:
        facilitator = make_facilitator(session, context, group_id, 99_002, language="fa")
        for day, repeat in ((date(2026, 4, 14), Repeat.MONTHLY),
                            (date(2026, 4, 9), Repeat.WEEKLY)):
            meeting_service.create_meeting(session, context, facilitator, MeetingDraft(
                group_id=group_id, day=day, start=time(19, 30), end=time(21, 30),
                repeat=repeat, place="Buurthuis De Linde"))
        content = poster_content(session, context.settings, group_id, context.clock())
    pdf.write_bytes(render_poster(content))
    text = _text(pdf)
    assert name in " ".join(text.split())  # a name is never cut
    assert "…" in text  # the descriptions are, visibly
    for language in ("nl", "tr", "fa", "ar"):
        sentence = Translator(language).gettext(INVITATION)
        last = sentence.split()[-1].strip(PUNCTUATION)
        found = (last in text) if language in ("nl", "tr") else any(
            form in text for form in _shaped(last))
        assert found, (language, last)
    for line in _text(pdf, "-bbox").splitlines():
        if line.strip().startswith("<word"):
            y_max = float(line.split('yMax="')[1].split('"')[0])
            assert y_max <= 841.89, line


@pytest.mark.parametrize("language", ["fa", "ar"])
def test_right_to_left_parts_are_shaped(context, tmp_path: Path, language: str) -> None:
    join = FA_JOIN if language == "fa" else "يُرجى مراسلتنا أولاً بالبريد الإلكتروني."
    pdf, content, _group = _poster(context, tmp_path, "Groep (test)", (language, "nl"),
                           {(language, "how_to_join"): join})
    assert content.lead is not None and content.lead.join == join
    text = _text(pdf)
    assert any(form in text for form in _shaped(_longest(join)))
