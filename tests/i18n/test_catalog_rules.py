"""The catalogs keep their rules: placeholders, plural forms, isolates in right-to-left text, and
the polite register (Turkish siz, Farsi شما). Each failure names the entry and why.

The rules themselves live in catalog_rules.py; the tests at the bottom show that each check
catches the faults the language review of 2026-12-04 found, and leaves correct text alone.
"""

from __future__ import annotations

import pytest
from catalog_rules import (
    FAMILIAR_CONTEXTS,
    LANGUAGES,
    RTL,
    Entry,
    entries,
    informal,
    isolation_problems,
    placeholder_problems,
    plural_header_problems,
    plural_problems,
)

from bot.dialogue.render import group_chat
from bot.i18n.formatting import FSI, PDI
from bot.safety.answer import emergency_line

#: Plural entries whose forms are rightly the same in a language that usually inflects.
IDENTICAL_FORMS_ALLOWED = frozenset({
    # Dutch "uur" does not change after a number: "1 uur", "24 uur".
    ("nl", "What you write is used to answer you and deleted after {hours} hour without "
           "contact."),
})

#: Texts in the reader's own voice, spoken to the bot (buttons such as "Remind me"): the plain
#: imperative is right there. Every other text addresses the reader politely. Most buttons
#: need no entry (the detector reads a bare imperative only before sentence punctuation).
USER_VOICE = frozenset({
    ("tr", "Stop: {group}"),  # the button "Durdur: <group>" on the /reminders list
})


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plural_forms_header_agrees_with_babel(language: str) -> None:
    problems = plural_header_problems(language)
    assert problems == [], _report(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_entry_has_a_right_form_for_every_category(language: str) -> None:
    problems = [p for e in entries(language) for p in plural_problems(e, IDENTICAL_FORMS_ALLOWED)]
    assert problems == [], _report(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_msgid(language: str) -> None:
    problems = [p for e in entries(language) for p in placeholder_problems(e)]
    assert problems == [], _report(problems)


@pytest.mark.parametrize("language", RTL)
def test_commands_links_and_dates_are_isolated_in_right_to_left_text(language: str) -> None:
    problems = [p for e in entries(language) for text in e.strings
                for p in isolation_problems(e.msgid, text)]
    assert problems == [], _report(problems)


@pytest.mark.parametrize("language", RTL)
def test_links_put_in_by_the_code_are_isolated(language: str) -> None:
    link = "https://t.me/SteunwijzerBot"
    assert f"{FSI}{link}{PDI}" in group_chat(language, link)
    for text in (group_chat(language, link), emergency_line(language)):
        assert isolation_problems("(rendered)", text) == [], text


@pytest.mark.parametrize("language", ["tr", "fa"])
def test_the_reader_is_addressed_politely(language: str) -> None:
    problems = [f"{e.msgid!r}: {why} in {text!r}"
                for e in entries(language)
                if (language, e.msgid) not in USER_VOICE and e.context not in FAMILIAR_CONTEXTS
                for text in e.strings for why in informal(language, text)]
    assert problems == [], _report(problems)


# ------------------------------------------------------------------ the checks themselves
@pytest.mark.parametrize("text", [
    "Bir hafta önce yardım buldun. Sana yardımcı oldu mu?",
    "Hangi belediyede yaşadığını söyleyebilir misin?",
    "Sonra söylemek istemediğini de belirtebilirsin.",
    "Hoş geldin! Artık grubun yürütücüsüsün.",
    "Neyi değiştirmek istiyorsun?",
    "Hiçbir grubun yürütücüsü değilsin.",
    "Not, yazdığın gibi gösterilir.",
    "Bize anlattığın için teşekkürler.",
    "Hatırlatıcılarını durdurmak için /reminders gönder.",
    "24-12-2026 gibi yaz ya da bir düğme kullan.",
    "Koordinatör senin kim olduğunu bilmiyor.",
    "Bir grubu aç ve düğmeye bas.",
    "<b>Hatırlatıcıların</b>",
    "Grupların",
])
def test_the_turkish_detector_finds_sen(text: str) -> None:
    assert informal("tr", text)


@pytest.mark.parametrize("text", [
    "Bir hafta önce yardım buldunuz. Size yardımcı oldu mu?",
    "Hangi belediyede yaşadığınızı söyleyebilir misiniz?",
    "Hoş geldiniz! Artık grubun yürütücüsüsünüz.",
    "{when} buluşması iptal edilsin mi?",  # third-person optative, not sen
    "Tüm seri durdurulsun mu?",
    "Koordinatörler hangi adı görsün?",
    "Başınız sağ olsun. Yas uzun sürebilir.",
    "Kendinize iyi bakın.",
    "Grup kendini şöyle anlatıyor:",
    "Bu sefer düğün salonunda, bütün gün.",
    "Yakında işe yarayıp yaramadığını soracağım.",  # third person: whether it helped
    "Bana hatırlat",  # a button in the reader's own voice, no sentence
    "Evet, gönder",
    "<b>Hatırlatıcılarınız</b>",
    "Grupların buluşmaları",  # genitive: the groups' meetings
])
def test_the_turkish_detector_leaves_siz_and_third_person_alone(text: str) -> None:
    assert informal("tr", text) == []


@pytest.mark.parametrize("text", [
    "هیچ‌کس نمی‌بیند تو کی هستی.",
    "<b>یادآوری‌های تو</b>",
    "جلسه‌ها را به تو یادآوری می‌کنم.",
    "تو را فراموش نمی‌کنیم.",
    "کد را با گوشی‌ات اسکن کن.",
    "بازش کن تا به تقویمت اضافه شوند.",
    "چه چیزی را می‌خواهی تغییر دهی؟",
    "هیچ یادآوری‌ای نداری.",
    "ساعت پایان را انتخاب کن یا بنویس.",
    "لازم نیست نام واقعی‌ات باشد.",
])
def test_the_farsi_detector_finds_to(text: str) -> None:
    assert informal("fa", text)


@pytest.mark.parametrize("text", [
    "هیچ‌کس نمی‌بیند شما چه کسی هستید.",
    "<b>یادآوری‌های شما</b>",
    "کتاب تو کیف است.",  # colloquial «تو» = «در» (in): not the pronoun
    "تو خانه می‌مانیم.",
    "می‌توانید توضیح بدهید؟",
    "برای دیدن یادآوری‌هایتان، /reminders را بفرستید.",
    "لازم نیست نام واقعی‌تان باشد.",
    "به من یادآوری کن",  # a button in the reader's own voice
    "کمک داوطلبان برای بدهی‌ها",
    "نگهداری از اطلاعات",
])
def test_the_farsi_detector_leaves_shoma_and_the_preposition_alone(text: str) -> None:
    assert informal("fa", text) == []


def test_the_checks_catch_the_faults_of_the_review() -> None:
    # Arabic: one form for every category (the cancelled-meetings entry before the review).
    same = "أُلغيت {n} لقاءات. سيصل إشعار إلى من لديهم تذكير."
    cancelled = Entry("ar", "Cancelled. People with a reminder get a message.",
                      "Cancelled: {n} meetings. People with a reminder get a message.",
                      (same, "أُلغي. سيصل إشعار إلى من لديهم تذكير.", same, same, same, same))
    assert plural_problems(cancelled, frozenset())
    # Dutch inflects after a number: identical forms are wrong unless listed.
    dutch = Entry("nl", "Saved. {n} meeting is planned.", "Saved. {n} meetings are planned.",
                  ("{n} bijeenkomst gepland.", "{n} bijeenkomst gepland."))
    assert plural_problems(dutch, frozenset())
    # A lost, an unknown and a broken placeholder; a plural form that hides the count.
    assert placeholder_problems(Entry("tr", "Thank you, {name}.", None, ("Teşekkürler.",)))
    assert placeholder_problems(Entry("tr", "Thank you, {name}.", None, ("Sağ ol, {isim}.",)))
    assert placeholder_problems(Entry("tr", "Thank you, {name}.", None, ("Sağ ol, {name.",)))
    assert placeholder_problems(Entry("nl", "Cancelled.", "Cancelled: {n} meetings.",
                                      ("Afgezegd.", "Afgezegd.")))
    # A command, a link and a date that jump to the other side.
    assert isolation_problems("Send /reminders to stop these reminders.",
                              "أرسل /reminders لإيقاف هذه التذكيرات.")
    assert isolation_problems("link", "لینک آنلاین باید با https:// شروع شود")
    assert isolation_problems("date", "اكتبه هكذا 24-12-2026 أو استخدم زراً.")
    assert isolation_problems("open", "\u2068/forget را بفرستید")  # never closed
    assert isolation_problems("ok", "أرسل \u2068/reminders\u2069 الآن") == []
