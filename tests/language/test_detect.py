"""Language identification on realistic citizen messages."""

from __future__ import annotations

import pytest

from bot.language.detect import LANGUAGE_NAMES, SUPPORTED, detect_language, normalize_hint

MESSAGES: dict[str, list[str]] = {
    "nl": [
        "hoi ik zoek een groep voor mantelzorgers in tilburg",
        "sinds mijn vrouw dood is ben ik zo alleen",
        "kan iemand me helpen met boodschappen doen",
        "ik wil graag vrijwilliger worden bij jullie",
        "wanneer is de volgende bijeenkomst van de praatgroep",
        "weet niemand dat ik dit vraag?",
        "mn moeder heeft dementie en ik kan het niet meer aan",
        "zijn er ook groepen voor ouders van kinderen met autisme",
        "ik heb schulden en snap die brieven van de belasting niet",
        "kan ik met een mens praten ipv een bot",
        "ik voel me al maanden somber en heb niemand om mee te praten",
    ],
    "tr": [
        "merhaba annem icin mantelzorg destegi ariyorum",
        "babam hasta ve ben cok yoruldum artik",
        "gemeente den yardim alabilir miyim bilmiyorum",
        "Tilburg'da Turkce konusan bir grup var mi",
        "esim vefat etti cok yalniz hissediyorum",
        "borclarim var mektuplari anlamiyorum yardim lazim",
        "gonullu olmak istiyorum nasil yapabilirim",
        "cocugum otizmli, baska ailelerle tanismak istiyorum",
        "bir sonraki toplanti ne zaman acaba",
        "kimse bilmesin bu mesajlari kim okuyor",
        "Hollandaya yeni geldim, burada her sey nasil isliyor bilmiyorum",
    ],
    "fa": [
        "سلام من دنبال یک گروه برای مادرم هستم",
        "من خیلی تنها هستم و کسی رو ندارم",
        "میخوام با یه آدم واقعی صحبت کنم",
        "می‌خواهم داوطلب بشم چطوری باید ثبت نام کنم",
        "مادرم آلزایمر داره و من ازش مراقبت میکنم خسته شدم",
        "از gemeente نامه اومده نمیفهمم چی نوشته",
        "تازه به هلند اومدم و هیچکس رو نمیشناسم",
        "من خيلي تنها هستم كسي رو ندارم",
        "جلسه بعدی کی و کجاست",
        "برای mantelzorg کمک میخواستم",
        "بعد از فوت همسرم حالم خیلی بده",
    ],
    "ar": [
        "مرحبا انا ابحث عن مجموعة دعم لامي",
        "أبحث عن مساعدة في الأوراق والرسائل من البلدية",
        "بدي حدا يساعدني بالاوراق",
        "انا عايز اتكلم مع حد حقيقي مش بوت",
        "زوجي توفي وانا وحيدة جدا",
        "اريد ان اصبح متطوعا كيف افعل ذلك",
        "امي عندها زهايمر وانا متعبة جدا من رعايتها",
        "وصلتني رسالة من gemeente وما فهمت شي",
        "متى الاجتماع القادم وين مكانه",
        "ابني عنده توحد ونبحث عن عائلات مثلنا",
        "بغيت نتكلم مع شي واحد على المشاكل ديالي",
    ],
    "en": [
        "hello I am looking for a support group for carers",
        "my wife passed away and I feel so alone",
        "can someone help me with the paperwork from the gemeente",
        "I would like to volunteer, how do I sign up",
        "when is the next meeting of the group",
        "is this really anonymous, who reads my messages",
        "I just moved to the Netherlands and don't know anyone",
        "my son has autism and we want to meet other parents",
        "i have debts and dont understand these letters",
        "can I talk to a real person please",
        "I've been feeling really low for months",
    ],
}

CASES = [(lang, text) for lang, texts in MESSAGES.items() for text in texts]


@pytest.mark.parametrize(
    ("expected", "text"), CASES, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(CASES)]
)
def test_realistic_messages(expected: str, text: str) -> None:
    assert detect_language(text) == expected
    # A longer message decides by itself: it overrides another current language.
    other = "ar" if expected != "ar" else "nl"
    assert detect_language(text, current=other) == expected


@pytest.mark.parametrize("text", ["ok", "hi", "👍", "123", "ok!!", "ja", "bedankt", "thanks", "?"])
@pytest.mark.parametrize("current", ["nl", "tr", "fa", "ar", "en"])
def test_ambiguous_short_latin_keeps_current(text: str, current: str) -> None:
    assert detect_language(text, current=current) == current


@pytest.mark.parametrize("text", ["سلام", "سلام عليكم", "الله"])
@pytest.mark.parametrize("current", ["fa", "ar"])
def test_ambiguous_short_arabic_script_keeps_current(text: str, current: str) -> None:
    assert detect_language(text, current=current) == current


def test_short_arabic_script_with_persian_letters_is_farsi() -> None:
    assert detect_language("ممنون خیلی", current="ar") == "fa"
    assert detect_language("مرسی", current="ar") == "fa"


def test_short_arabic_greeting_is_arabic() -> None:
    assert detect_language("مرحبا", current="fa") == "ar"


def test_clear_short_greeting_switches() -> None:
    assert detect_language("merhaba", current="nl") == "tr"
    assert detect_language("Merhaba!", current=None) == "tr"
    assert detect_language("hoi", current="tr") == "nl"
    assert detect_language("Günaydın", current="en") == "tr"


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("nl", "nl"),
        ("tr-TR", "tr"),
        ("fa", "fa"),
        ("ar", "ar"),
        ("en-GB", "en"),
        ("de", "nl"),
        (None, "nl"),
    ],
)
def test_hint_used_when_no_current(hint: str | None, expected: str) -> None:
    assert detect_language("ok", current=None, telegram_hint=hint) == expected


def test_hint_picks_between_farsi_and_arabic() -> None:
    assert detect_language("سلام", telegram_hint="ar") == "ar"
    assert detect_language("سلام", telegram_hint="fa-IR") == "fa"


def test_current_beats_hint() -> None:
    assert detect_language("ok", current="tr", telegram_hint="ar") == "tr"


def test_arabic_script_beats_a_latin_current() -> None:
    # Someone who got Dutch by default writes in Persian: switch.
    assert detect_language("سلام من کمک میخوام", current="nl") == "fa"


def test_unknown_current_is_ignored() -> None:
    assert detect_language("ok", current="de", telegram_hint="tr") == "tr"


def test_normalize_hint() -> None:
    assert normalize_hint("tr-TR") == "tr"
    assert normalize_hint("nl_BE") == "nl"
    assert normalize_hint("FA") == "fa"
    assert normalize_hint("de") is None
    assert normalize_hint("") is None
    assert normalize_hint(None) is None


def test_language_names_cover_supported() -> None:
    assert set(LANGUAGE_NAMES) == set(SUPPORTED)
    assert LANGUAGE_NAMES["tr"] == "Türkçe"
    assert LANGUAGE_NAMES["fa"] == "فارسی"
    assert LANGUAGE_NAMES["ar"] == "العربية"
