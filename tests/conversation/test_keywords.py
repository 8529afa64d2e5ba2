"""The keyword understanding (bot/conversation/keywords.yml): the topic fallback behind the
model, and all the understanding there is when Rasa is down. Whole words unless a prefix is
asked for, so everyday words that merely start like a topic word stay out."""

from __future__ import annotations

import pytest

from bot.conversation.local_nlu import keyword_topic, understand


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("sinds mijn moeder dementie heeft zorg ik elke dag voor haar", "caregiving"),
        ("ik ben alleenstaande moeder van drie pubers", "parenting"),
        ("mijn man gokt al ons geld weg", "addiction"),
        ("de deurwaarder stond weer voor de deur", "money_debt"),
        ("mijn vader slaat mijn moeder", "violence"),
        ("ik voel me zo eenzaam sinds de verhuizing", "loneliness"),
        ("annemi kaybettim, çok zor", "grief"),
        ("borçlarım yüzünden uyuyamıyorum", "money_debt"),
        ("Hollanda'ya yeni geldim, kimseyi tanımıyorum", "newcomer"),
        ("از وقتی مادرم فوت کرد حالم بده", "grief"),
        ("خیلی افسرده‌ام", "mental_health"),
        ("بدهی‌هام زیاد شده", "money_debt"),
        ("ابوي مات السنة الماضية", "grief"),
        ("عندي اكتئاب من زمان", "mental_health"),
        ("في مجموعة للامهات العازبات؟", "parenting"),
    ],
)
def test_everyday_words_give_the_topic(text: str, topic: str) -> None:
    assert keyword_topic(text) == topic


@pytest.mark.parametrize(
    "text",
    [
        "Den Haag'da yaşıyorum",  # yaşıyorum (I live) starts like yas (mourning)
        "telefonumun şarjı öldü",  # a battery that died
        "çok yardımcı oldunuz",  # oldu (became), not öldü (died)
        "moet ik een paraplu meenemen",  # paraplu starts like para (money)
        "kost het geld om dit te gebruiken",  # a question about the bot, not money worries
        "dat slaat nergens op",  # "makes no sense", not hitting
        "ik voel me schuldig",  # guilt, not debts
        "ergens in Utrecht",  # ergens, not Turkish ergen (teenager)
        "nah laat maar",  # nah (nope), not NAH (brain injury)
        "فوتبال امشب کیه؟",  # football starts like فوت (death)
        "مين بيقرا الكلام ده؟",  # الكلام (the words) starts like الکل (alcohol)
        "بطارية تلفوني ماتت",  # a phone that died
    ],
)
def test_words_that_only_look_like_a_topic_give_none(text: str) -> None:
    assert keyword_topic(text) is None


def test_violence_wins_over_other_topics_in_the_same_message() -> None:
    assert keyword_topic("mijn man is dronken en slaat de kinderen") == "violence"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ja graag", "affirm"),
        ("volgend jaar misschien", "out_of_scope"),  # jaar is not ja
        ("is er een groep voor mantelzorgers", "seek_peer_group"),
        ("wis alles", "delete_data"),
        ("ik wil vrijwilliger worden", "offer_help"),
        ("selamlar", "greet"),
    ],
)
def test_degraded_mode_intents(text: str, intent: str) -> None:
    assert understand(text, "nl", gazetteer=None).intent == intent


def test_a_language_file_extends_only_lists_that_exist(tmp_path, monkeypatch) -> None:
    """keywords/<lang>.yml adds words; a misspelt topic would silently never match, so it
    stops loading instead."""
    import bot.conversation.local_nlu as local_nlu

    (tmp_path / "xx.yml").write_text("topics:\n  grieff: [rouw]\n", encoding="utf-8")
    monkeypatch.setattr(local_nlu, "KEYWORDS_DIR", tmp_path)
    with pytest.raises(local_nlu.KeywordFileError, match="grieff"):
        local_nlu.load_keyword_data()


def test_language_files_add_to_the_shared_lists(tmp_path, monkeypatch) -> None:
    import bot.conversation.local_nlu as local_nlu

    (tmp_path / "xx.yml").write_text("topics:\n  grief: [zzrouwwoord]\n", encoding="utf-8")
    monkeypatch.setattr(local_nlu, "KEYWORDS_DIR", tmp_path)
    data = local_nlu.load_keyword_data()
    assert data["topics"]["grief"][-1] == "zzrouwwoord"
    assert next(iter(data["topics"])) == "violence"  # the order stays keywords.yml's


def test_a_broken_language_file_stops_start_up(tmp_path, monkeypatch) -> None:
    """The warm-up loads the everyday words, so a misspelt list stops the bot before the
    first message instead of failing inside a crisis answer."""
    import bot.conversation.local_nlu as local_nlu
    from bot.conversation.warm import warm_up

    (tmp_path / "xx.yml").write_text("topics:\n  grieff: [rouw]\n", encoding="utf-8")
    monkeypatch.setattr(local_nlu, "KEYWORDS_DIR", tmp_path)
    local_nlu.keyword_tables.cache_clear()
    try:
        with pytest.raises(local_nlu.KeywordFileError):
            warm_up()
    finally:
        monkeypatch.undo()
        local_nlu.keyword_tables.cache_clear()
    assert local_nlu.keyword_topic("mijn man slaat me") == "violence"
