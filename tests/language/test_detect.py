"""Language identification on realistic citizen messages."""

from __future__ import annotations

import pytest

from bot.language.detect import detect_language

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


# Issue 12: short unambiguous answers, Finglish/Arabizi, Dari, switching mid-conversation.

SHORT_ANSWERS: dict[str, list[str]] = {
    "tr": [
        "evet lütfen",
        "hayır istemiyorum",
        "Neler yapabiliyorsun?",
        "teşekkür ederim",
        "evet",
        "Hayır",
        "lutfen",
        "tesekkurler",
        "evettt",
        "yardım lazım",
    ],
    "nl": ["ja graag", "nee dank je", "graag", "alsjeblieft", "nee dank je wel", "ja hoor"],
    "fa": ["بله", "آره", "نه", "نههه", "خیلی ممنون", "ممنونم", "باشه", "خداحافظ", "نمیدونم"],
    "ar": ["نعم", "لا", "لا شكرا", "شكرا", "ايوه", "مشكور كتير", "لا ما بدي", "shukran"],
}
SHORT_CASES = [(lang, text) for lang, texts in SHORT_ANSWERS.items() for text in texts]


@pytest.mark.parametrize(("expected", "text"), SHORT_CASES, ids=[t for _, t in SHORT_CASES])
@pytest.mark.parametrize("current", [None, "nl", "tr", "fa", "ar", "en"])
def test_short_unambiguous_answer_decides(expected: str, text: str, current: str | None) -> None:
    assert detect_language(text, current=current) == expected


def test_word_shared_with_the_current_language_keeps_it() -> None:
    # "tamam" is Turkish, but Persian and Arabic speakers say it too.
    assert detect_language("tamam", current="fa") == "fa"
    assert detect_language("tamam", current="ar") == "ar"
    assert detect_language("tamam", current="nl") == "tr"
    assert detect_language("tamam", current="en") == "tr"
    # تمام and ممكن: Arabic, also Persian.
    assert detect_language("تمام", current="fa") == "fa"
    assert detect_language("تمام") == "ar"
    # ممنون / مرسي are said in Levantine and Egyptian Arabic as well.
    assert detect_language("ممنون", current="ar") == "ar"
    assert detect_language("ممنون") == "fa"


def test_yes_no_in_another_language_switches() -> None:
    assert detect_language("evet", current="nl") == "tr"
    assert detect_language("hayır", current="fa") == "tr"
    assert detect_language("نعم", current="fa") == "ar"
    assert detect_language("بله", current="ar") == "fa"
    assert detect_language("آره", current="ar") == "fa"
    assert detect_language("ja graag", current="tr") == "nl"


@pytest.mark.parametrize("text", ["ja", "nee", "bedankt", "oké", "yes", "thanks", "sorry", "ja ja"])
@pytest.mark.parametrize("current", ["nl", "tr", "fa", "ar", "en"])
def test_words_said_in_every_language_keep_current(text: str, current: str) -> None:
    assert detect_language(text, current=current) == current


@pytest.mark.parametrize("text", ["ok", "ja", "thanks", "yes"])
def test_words_said_in_every_language_use_hint_then_default(text: str) -> None:
    assert detect_language(text, telegram_hint="fa") == "fa"
    assert detect_language(text, telegram_hint="tr") == "tr"
    assert detect_language(text) == "nl"


def test_short_words_that_disagree_are_ambiguous() -> None:
    assert detect_language("evet graag", current="fa") == "fa"
    assert detect_language("نعم بله", current="fa") == "fa"
    assert detect_language("نعم بله", current="ar") == "ar"


def test_a_one_language_word_next_to_a_shared_one() -> None:
    assert detect_language("okay tamam", current="nl") == "tr"
    assert detect_language("ok evet", current="fa") == "tr"
    assert detect_language("ok باشه", current="ar") == "fa"


FINGLISH = [
    "salam, man az afghanistan hastam, tanha hastam",
    "khaste shodam",
    "komak mikham",
    "mer30",
    "kheili mamnoon",
    "salam chetori?",
    "man nemidunam chikar konam",
    "mikham ba ye adam harf bezanam",
    "madaram mariz hast va man kheili khaste shodam",
    "dastet dard nakone",
    "ye goruh baraye madaram mikham",
    "mamnoonam",
    "nemikham merci",
]
ARABIZI = [
    "salam 3alikom",
    "ana ta3bana",
    "7abibi",
    "bdi mosa3ade",
    "shukran",
    "ana ta3bana ktir w ma 7ada bysa3edni",
    "kifak? ana bdi 7ada y7ki ma3i",
    "marhaba, 3andi moshkle ma3 el baladiye",
    "la2 shukran",
    "wallahi ana 3ayez mosa3da",
    "aywa",
]


@pytest.mark.parametrize("text", FINGLISH)
@pytest.mark.parametrize("current", [None, "nl", "tr", "en", "fa"])
def test_finglish_is_farsi(text: str, current: str | None) -> None:
    assert detect_language(text, current=current) == "fa"


@pytest.mark.parametrize("text", ARABIZI)
@pytest.mark.parametrize("current", [None, "nl", "tr", "en", "ar"])
def test_arabizi_is_arabic(text: str, current: str | None) -> None:
    assert detect_language(text, current=current) == "ar"


def test_finglish_needs_less_when_the_conversation_is_farsi() -> None:
    # One clear Persian word in a longer Latin message keeps a Farsi conversation Farsi...
    assert detect_language("bad harf mizanim", current="fa") == "fa"
    # ... but shared words alone ("man", "ham", "az") do not.
    assert detect_language("de man eet ham", current="nl") == "nl"
    assert detect_language("az ye çok ye", current="fa") == "tr"


NOT_ROMANIZED: dict[str, list[str]] = {
    "nl": [
        "ik ben een man",
        "mijn man is ziek en ik ben mantelzorger",
        "de man eet ham",
        "Ana is mijn zus en ze is ziek",
        "wallah ik zweer het je",
        "yalla we gaan naar huis",
        "inshallah komt het allemaal goed",
        "om 3uur bij de huisarts",
        "het kost 5euro per keer",
        "ik heb B2 niveau Nederlands",
        "ik bedoelde het niet zo",
        "ik heb mishandeling meegemaakt",
        "bij de 2de bijeenkomst",
    ],
    "tr": [
        "annem hasta",
        "babam hasta ve ben cok yoruldum",
        "az önce yazdım ama cevap yok",
        "ana sayfada ne var",
        "saat 3'te gelirim",
        "5'inci katta oturuyorum",
        "saat 5ten sonra müsaitim",
        "o zamandan beri hastayım",
        "midem çok ağrıyor",
        "inşallah iyi olur",
        "yani bilmiyorum",
        "ham meyve yedim",
    ],
    "en": [
        "the man began to cry",
        "my wife has cancer and I am so tired man",
        "see you at 3am tomorrow",
        "I live on the 5th floor",
        "yalla let's go home",
    ],
}
NOT_ROMANIZED_CASES = [(lang, t) for lang, texts in NOT_ROMANIZED.items() for t in texts]


@pytest.mark.parametrize(
    ("expected", "text"), NOT_ROMANIZED_CASES, ids=[t for _, t in NOT_ROMANIZED_CASES]
)
def test_dutch_turkish_english_are_not_finglish_or_arabizi(expected: str, text: str) -> None:
    for current in (None, "nl", "tr", "en"):
        assert detect_language(text, current=current) not in ("fa", "ar")
    if len(text.split()) >= 3:
        assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["man", "hasta", "hastam", "man az", "salam", "inshallah"])
@pytest.mark.parametrize("current", ["nl", "tr", "en"])
def test_shared_single_words_keep_a_latin_conversation(text: str, current: str) -> None:
    assert detect_language(text, current=current) == current


@pytest.mark.parametrize("text", ["salam", "ok", "hi", "man"])
@pytest.mark.parametrize("current", ["fa", "ar"])
def test_shared_latin_words_keep_a_farsi_or_arabic_conversation(text: str, current: str) -> None:
    assert detect_language(text, current=current) == current


DARI = [
    "مه خسته استم",
    "چطور استی",
    "تشکر",
    "مادرم مریض اس",
    "چطور استي",  # Arabic keyboard
    "مه تنها استم و کسی ره ندارم",
    "مه یک گروه برای مادرم میخواهم",
    "تشکر خیلی زیاد",
    "بچیم مریض اس و مه نمیفامم چی کنم",
    "مه ره کمک کنین",
    "نی",
    "بلی",
    # Arabic keyboard (ي ك): only the words tell, lingua alone said Arabic.
    "بچيم مريض اس و مه نميفامم چي كنم",
    "ميشه يكي بياد برام خريد كنه",
]


@pytest.mark.parametrize("text", DARI)
@pytest.mark.parametrize("current", [None, "ar", "nl"])
def test_dari_is_farsi(text: str, current: str | None) -> None:
    assert detect_language(text, current=current) == "fa"


def test_arabic_thanks_with_an_arabic_keyboard_stays_arabic() -> None:
    # "تشكر" is Levantine thanks as well as Dari: only ک versus ك tells them apart.
    assert detect_language("تشكر", current="ar") == "ar"
    assert detect_language("تشکر", current="ar") == "fa"


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("merhaba, annem hasta ve ben ona bakıyorum, çok yoruldum", "fa", "tr"),
        ("babam hasta ve ben cok yoruldum artik", "fa", "tr"),
        ("bir sonraki toplanti ne zaman acaba", "ar", "tr"),
        ("ik wil graag met iemand praten over mijn moeder", "fa", "nl"),
        ("ik wil graag met iemand praten over mijn moeder", "tr", "nl"),
        ("من خیلی تنها هستم و کسی رو ندارم", "tr", "fa"),
        ("انا تعبانة كتير وما حدا بيساعدني", "fa", "ar"),
        ("I would like to talk to someone about my mother", "tr", "en"),
        ("salam, man az afghanistan hastam, tanha hastam", "tr", "fa"),
        ("ana ta3bana ktir w bdi 7ada y7ki ma3i", "nl", "ar"),
    ],
)
def test_a_change_of_language_mid_conversation_is_followed(
    text: str, current: str, expected: str
) -> None:
    assert detect_language(text, current=current) == expected
