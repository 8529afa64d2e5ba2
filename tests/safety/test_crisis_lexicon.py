"""The deterministic crisis net: phrasings people actually write, and near misses.

The phrasings here are written the way people type them (informal, misspelled, without
diacritics or hamza, Turkish on a Dutch keyboard, Persian with and without ZWNJ, dialects),
independently of the lexicon lines: the lexicon must generalise to them.
"""

from __future__ import annotations

import pytest

from bot.safety.crisis import (
    CATEGORIES,
    LEXICON_LANGUAGES,
    CrisisMatch,
    build_lexicon,
    check_all,
    check_crisis,
    load_lexicon_data,
    load_lexicons,
    mentions_home_violence,
    phrase_to_regex,
    validate_lexicon_data,
)

TRIGGERS: dict[str, list[str]] = {
    "nl": [
        "hoe kan ik het beste dood gaan zonder pijn",
        "wat is de makkelijkste manier om te sterven",
        "ik ben echt een last voor iedereen",
        "ik wil dood",
        "Ik wil gewoon niet meer leven.",
        "ik wil echt nie meer leve",
        "ik zie het echt niet meer zitten allemaal",
        "soms denk ik aan zelfmoord",
        "ik denk de laatste tijd vaak aan zelfmoort",
        "ik heb zelfmoordgedachtes",
        "ik ben suïcidaal",
        "k wil er niet meer zijn",
        "ik wil er een eind aan maken",
        "mijn vriend wil zichzelf iets aandoen",
        "mijn zoon zegt dat hij dood wil",
        "ik ga zelfmoord plegen vanavond",
        "ik wil mezelf van kant maken",
        "iedereen is beter af zonder mij",
        "het leven heeft geen zin meer",
        "ik wou dat ik dood was",
        "ik snij mezelf al weken",
        "ik heb net alle pillen ingenomen",
        "mijn man slaat me als hij gedronken heeft",
        "ik word thuis geslagen door mijn vader",
        "hij wil me vermoorden, hij staat voor de deur",
        "ik moet trouwen met mijn neef in marokko",
        "mijn ouders willen me uithuwelijken",
        "de stemmen zeggen dat ik moet springen",
        "IK WIL DOOOOD",
        "wil gwn dood eigenlijk",
    ],
    "tr": [
        "artık yaşamak istemiyorum",
        "artik yasamak istemiyorum",
        "yasamak istemiyom ya",
        "ölmek istiyorum",
        "olmek istiyorum abla",
        "intihar etmeyi düşünüyorum",
        "intihar edicem bu gece",
        "bu gece intihar edeceğim",
        "kendimi öldürmek istiyorum",
        "kendimi oldurucem artik",
        "kafamda hep intihar düşünceleri var",
        "hayatıma son vereceğim",
        "canima kiyacagim",
        "keşke ölsem herkes kurtulur",
        "oğlum kendini öldürmek istiyor diyor",
        "kızım kendine zarar veriyor",
        "kollarimi jiletle kesiyorum",
        "kocam beni dövüyor",
        "kocam her gün beni dovuyor",
        "esimden siddet goruyorum",
        "ailem beni zorla evlendirmek istiyor",
        "babam öğrenirse beni öldürür",
        "kocam beni öldürecek elinde bıçak var",
        "bütün hapları içtim",
        "yaşamanın bir anlamı yok artık",
    ],
    "fa": [
        "می‌خوام بمیرم",
        "میخوام بمیرم",
        "می خوام بمیرم",
        "دیگه نمی‌خوام زنده باشم",
        "دیگه نمیخوام زندگی کنم",
        "به خودکشی فکر می‌کنم",
        "به خودکشی فکر میکنم",
        "فکر خودکشی ولم نمیکنه",
        "می‌خوام خودکشی کنم",
        "ميخوام خودكشي كنم",
        "امشب خودمو میکشم",
        "کاش مرده بودم",
        "از زندگی خسته شدم",
        "دوستم میگه میخواد خودکشی کنه",
        "به خودم آسیب میزنم",
        "شوهرم منو کتک میزنه",
        "شوهرم هر شب منو میزنه",
        "خانوادم میخوان به زور شوهرم بدن",
        "اگه بابام بفهمه منو میکشه",
        "میخواد منو بکشه کمک",
        "همه قرصامو خوردم",
        "mikham khodkoshi konam",
        "dige nemikham zende basham",
        "mikham bemiram",
        "دلم میخواد بمیرم",
    ],
    "ar": [
        "بدي انتحر",
        "بدي موت",
        "والله بدي موت",
        "عايز اموت",
        "أنا عاوز أموت",
        "بغيت نموت",
        "بغيت ننتحر",
        "اريد ان انتحر",
        "أريد أن أموت",
        "ما بدي عيش",
        "مش عايز اعيش تاني",
        "افكر في الانتحار كل يوم",
        "عندي افكار انتحارية",
        "رح اقتل حالي",
        "بدي اقتل نفسي",
        "صاحبي بدو ينتحر",
        "اختي تقول بدها تموت",
        "بجرح حالي بالموس",
        "زوجي يضربني كل يوم",
        "جوزي بيضربني",
        "اهلي بدهم يجوزوني غصب عني",
        "اذا اهلي عرفوا راح يقتلوني",
        "بدو يقتلني معه سكين",
        "بلعت كل الحبوب",
        "ياريتني مت",
        "ليتني مت",
        "اريد انتحر",
    ],
}

NEAR_MISSES: dict[str, list[str]] = {
    "nl": [
        "mijn moeder is overleden",
        "mijn vader is vorig jaar doodgegaan",
        "ik zoek een groep voor nabestaanden na zelfdoding",
        "lotgenoten zelfmoord van mijn broer",
        "mijn broer heeft zelfmoord gepleegd, zijn er lotgenotengroepen?",
        "ik ga dood van het lachen",
        "ik ben dood moe",
        "ik ben doodmoe van de mantelzorg",
        "deze game is killing",
        "kill de lichten even",
        "de film ging over zelfmoord",
        "ik heb een werkstuk over zelfmoordpreventie",
        "ik wil de dood van mijn moeder verwerken",
        "mijn hond is dood",
        "ik wil niet dat mijn vader dood gaat",
        "ik wil een eind aan deze relatie maken",
        "ik snij de groenten voor mezelf",
        "ik heb vroeger paniekaanvallen gehad, zijn er groepen?",
        "ik wil meer leren over rouw",
        "mijn oma ligt op sterven",
        "ik ga dood van de hitte",
        "we willen een groep voor mensen die iemand verloren",
    ],
    "tr": [
        "annem vefat etti",
        "babam geçen yıl öldü",
        "öldüm gülmekten",
        "gulmekten oldum",
        "açlıktan ölüyorum",
        "sicaktan oldum bugun",
        "abim intihar etti, intihar sonrası yas grubu arıyorum",
        "intihar eden birinin ailesi için grup var mı",
        "dizide biri intihar etti",
        "intihar haberleri çok üzücü",
        "kardeşim kendini öldürdü, yalnız hissediyorum",
        "hayatına son verdi amcam",
        "bu oyun beni öldürüyor",
        "annem hasta ve ben çok yoruldum",
        "yaşamak için yardım istiyorum, iş arıyorum",
        "kendimi yalnız hissediyorum",
        "kendime bir grup arıyorum",
        "eşim vefat etti, çok yalnızım",
        "panik atak geçirmiştim eskiden, grup var mı",
        "evlenmek istiyorum ama param yok",
        "kuzenimle evlendim mutluyum",
    ],
    "fa": [
        "مادرم فوت کرد",
        "پدرم به رحمت خدا رفت",
        "از خنده مردم",
        "از خنده مُردم",
        "از گرما دارم میمیرم",
        "برادرم خودکشی کرد و دنبال گروه حمایتی هستم",
        "گروهی برای بازماندگان خودکشی هست؟",
        "فیلم درباره خودکشی بود",
        "یه مقاله درباره خودکشی خوندم",
        "این بازی منو کشت",
        "دلم برای مادرم تنگ شده",
        "می‌خوام یه گروه پیدا کنم",
        "می‌خوام با یکی حرف بزنم",
        "شوهرم فوت کرده و تنهام",
        "نمی‌خوام کسی بفهمه من اینجا پیام میدم",
        "میخوام داوطلب بشم",
        "خسته شدم از کار زیاد",
        "مادرم آلزایمر داره",
        "mikham ye goroh peyda konam",
        "از خستگی مردم امروز",
        "ازدواج کردم و خوشحالم",
    ],
    "ar": [
        "امي توفت",
        "توفي أبي الله يرحمه",
        "مت من الضحك",
        "رح اموت من الجوع",
        "ميت من التعب اليوم",
        "بموت فيك",
        "اخي انتحر السنة الماضية وابحث عن مجموعة دعم",
        "شفت فيلم عن الانتحار",
        "قريت مقال عن الانتحار",
        "هذه اللعبة قاتلة",
        "الحر قاتل اليوم",
        "بدي ساعد الناس",
        "عايز اتكلم مع حد",
        "بدي مجموعة دعم لأمي",
        "زوجي توفى وأنا وحيدة",
        "بغيت نعرف فين كاين الاجتماع",
        "أريد أن أعيش حياة أفضل",
        "ابي مريض جدا",
        "اريد ان اتزوج بس ما عندي فلوس",
        "ابني عنده توحد",
        "امي راح تقتلني اذا تأخرت",
    ],
}


def _cases(table: dict[str, list[str]]) -> list[pytest.param]:
    return [
        pytest.param(text, id=f"{lang}-{i:02d}")
        for lang, texts in table.items()
        for i, text in enumerate(texts)
    ]


@pytest.mark.parametrize("text", _cases(TRIGGERS))
def test_trigger(text: str) -> None:
    assert check_crisis(text) is not None, text


@pytest.mark.parametrize("text", _cases(NEAR_MISSES))
def test_near_miss(text: str) -> None:
    assert check_all(text) == [], text


def test_counts_per_language() -> None:
    for lang in ("nl", "tr", "fa", "ar"):
        assert len(TRIGGERS[lang]) >= 20
        assert len(NEAR_MISSES[lang]) >= 20


@pytest.mark.parametrize(
    "text",
    [
        "mijn man slaat me",
        "mijn vader mishandelt ons thuis",
        "mijn vriend heeft me gisteren nog geslagen",
        "hij had me tegen de grond gegooid en ik durf niet naar binnen",
        "mn ex duwt me steeds tegen de kast",
        "we hadden ruzie en toen heeft hij me tegen de deur geduwd",
        "hij was dronken, schreeuwde en had me daarna gewurgd",
        "kocam beni dövüyor",
        "شوهرم منو کتک میزنه",
        "جوزي بيضربني كل يوم",
        "my husband hits me",
    ],
)
def test_home_violence_category(text: str) -> None:
    matches = check_all(text)
    assert any(m.category == "violence_home" for m in matches), matches
    assert mentions_home_violence(matches)


@pytest.mark.parametrize(
    "text",
    [
        "ik word uitgehuwelijkt deze zomer",
        "ze willen me dwingen te trouwen met mijn neef",
        "beni zorla evlendirmek istiyorlar",
        "ازدواج اجباری",
        "اهلي بدهم يجوزوني غصب",
        "زواج قسري",
        "they are forcing me to marry",
    ],
)
def test_honour_forced_marriage_category(text: str) -> None:
    matches = check_all(text)
    assert any(m.category == "honour_forced_marriage" for m in matches), matches
    assert mentions_home_violence(matches)


def test_suicide_alone_does_not_mention_home_violence() -> None:
    assert not mentions_home_violence(check_all("ik wil niet meer leven"))
    assert not mentions_home_violence([])


def test_code_switching_farsi_speaker_writing_dutch() -> None:
    text = "سلام، ik wil dood، نمیدونم چیکار کنم"
    match = check_crisis(text)
    assert match is not None
    assert match.language == "nl"
    assert match.category == "suicide"


def test_dutch_word_inside_turkish_message() -> None:
    match = check_crisis("merhaba, ik wil niet meer leven, yardim")
    assert match is not None and match.language == "nl"


def test_reports_matching_language() -> None:
    for text, lang in [("olmek istiyorum", "tr"), ("بدي انتحر", "ar"), ("میخوام بمیرم", "fa")]:
        match = check_crisis(text)
        assert match is not None and match.language == lang


def test_most_severe_first() -> None:
    matches = check_all("mijn man slaat me en hij wil me vermoorden, ik wil dood")
    categories = [m.category for m in matches]
    assert categories[0] == "danger_now"
    assert "suicide" in categories and "violence_home" in categories
    assert categories == sorted(categories, key=CATEGORIES.index)
    assert check_crisis("mijn man slaat me en hij wil me vermoorden") == matches[0]


def test_match_is_frozen_dataclass() -> None:
    match = CrisisMatch("suicide", "nl", "x")
    with pytest.raises(AttributeError):
        match.category = "acute"  # type: ignore[misc]


def test_empty_and_harmless() -> None:
    assert check_crisis("") is None
    assert check_crisis("   ") is None
    assert check_crisis("👍") is None
    assert check_crisis("hoi, zijn er groepen voor mantelzorgers in Tilburg?") is None


@pytest.mark.parametrize("lang", LEXICON_LANGUAGES)
def test_packaged_lexicons_are_valid(lang: str) -> None:
    data = load_lexicon_data(lang)
    assert data["language"] == lang
    assert validate_lexicon_data(data) == []
    assert set(data["categories"]) <= set(CATEGORIES)


def test_all_lexicons_loaded() -> None:
    assert [lex.language for lex in load_lexicons()] == list(LEXICON_LANGUAGES)


def test_broken_entry_is_skipped_not_fatal() -> None:
    lexicon = build_lexicon(
        "xx",
        {"categories": {"suicide": {"patterns": ["(unclosed", "wil dood"]}}},
    )
    assert lexicon.sources == ("wil dood",)
    # An entry that compiles alone but not inside the category's one pattern (a flag that is
    # not at the start) is left out too; the rest of the category still works.
    lexicon = build_lexicon(
        "xx", {"categories": {"suicide": {"patterns": ["wil dood(?i)", "wil er niet meer zijn"]}}}
    )
    assert lexicon.sources == ("wil er niet meer zijn",)
    assert validate_lexicon_data({"categories": {"suicide": {"patterns": ["(unclosed"]}}})
    assert validate_lexicon_data({"categories": {"nonsense": {"phrases": ["x"]}}})


def test_phrase_wildcard_and_folding() -> None:
    assert phrase_to_regex("Zelfmoordgedachte*") == r"zelfmoordgedachte\w*"
    assert phrase_to_regex("ik wil dood") == r"ik wil dood(?!\w)"
    # Persian written with ZWNJ folds to the same key as the message.
    assert phrase_to_regex("می‌خوام") == "ميخوام(?!\\w)"
