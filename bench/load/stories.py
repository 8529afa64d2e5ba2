"""Multi-sentence messages: a situation, a place and a wish, as people write them in one go.

Written for the bench (not taken from tests/ or the training data), generic and fictional. A
message is 2–4 sentences put together at random from the parts below, so the texts vary
(hundreds of combinations per language): nothing the bench sends can be answered from a cache
of earlier NLU results, and the bot must understand each one afresh.

None of these is a crisis message; :data:`CRISIS_MIDDLE` puts a crisis sentence between
ordinary ones (the crisis net must find it inside the longer message).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class StoryParts:
    """The pieces of a multi-sentence message in one language. ``{place}`` is a municipality
    written as people of that language write it."""

    situations: tuple[str, ...]
    places: tuple[str, ...]  # a sentence naming where the person lives
    wishes: tuple[str, ...]
    place_wishes: tuple[str, ...]  # place and wish in one sentence (the 2-sentence messages)
    extras: tuple[str, ...]  # an optional last sentence
    place_names: tuple[str, ...]


STORIES: dict[str, StoryParts] = {
    "nl": StoryParts(
        situations=(
            "Mijn vrouw is vorig jaar overleden en sindsdien zit ik veel alleen thuis.",
            "Ik zorg elke dag voor mijn vader met dementie en ik raak uitgeput.",
            "Ik ben twee jaar geleden naar Nederland gekomen en ken hier bijna niemand.",
            "Sinds mijn scheiding voel ik me vaak somber en moe.",
            "Onze zoon heeft autisme en we weten niet goed hoe we hem kunnen helpen.",
            "Ik heb schulden en de brieven blijven maar komen.",
        ),
        places=(
            "Ik woon in {place}.",
            "We wonen sinds kort in {place}.",
            "Ik woon in de buurt van {place}.",
        ),
        wishes=(
            "Ik zou graag mensen ontmoeten die hetzelfde meemaken.",
            "Is er een praatgroep bij mij in de buurt?",
            "Kan iemand me af en toe helpen met de boodschappen?",
            "Ik wil graag met lotgenoten praten.",
        ),
        place_wishes=(
            "Is er in {place} een groep voor mensen zoals ik?",
            "Ik zoek een gespreksgroep in {place}.",
        ),
        extras=(
            "Ik heb vooral 's avonds tijd.",
            "Liefst in een kleine groep.",
            "Ik weet niet goed waar ik moet beginnen.",
        ),
        place_names=("Tilburg", "Rotterdam", "Utrecht", "Amsterdam"),
    ),
    "tr": StoryParts(
        situations=(
            "Eşim geçen yıl vefat etti ve o zamandan beri evde çok yalnızım.",
            "Her gün demansı olan babama bakıyorum ve çok yoruldum.",
            "İki yıl önce Hollanda'ya geldim ve burada neredeyse kimseyi tanımıyorum.",
            "Boşandığımdan beri kendimi sık sık mutsuz ve yorgun hissediyorum.",
            "Oğlumuz otizmli ve ona nasıl yardım edeceğimizi bilmiyoruz.",
            "Borçlarım var ve mektuplar gelmeye devam ediyor.",
        ),
        places=(
            "{place} şehrinde yaşıyorum.",
            "Yakın zamanda {place} şehrine taşındık.",
            "Evim {place} yakınında.",
        ),
        wishes=(
            "Benzer şeyler yaşayan insanlarla tanışmak istiyorum.",
            "Yakınlarda bir sohbet grubu var mı?",
            "Bazen alışverişte bana yardım edebilecek biri var mı?",
            "Aynı durumdaki insanlarla konuşmak isterim.",
        ),
        place_wishes=(
            "{place} şehrinde benim gibi insanlar için bir grup var mı?",
            "{place} şehrinde bir konuşma grubu arıyorum.",
        ),
        extras=(
            "Hollandacam pek iyi değil.",
            "Akşamları vaktim var.",
            "Nereden başlayacağımı bilmiyorum.",
        ),
        place_names=("Tilburg", "Rotterdam", "Utrecht", "Amsterdam"),
    ),
    "fa": StoryParts(
        situations=(
            "همسرم پارسال فوت کرد و از آن موقع بیشتر وقتها تنها در خانه هستم.",
            "هر روز از پدرم که آلزایمر دارد مراقبت میکنم و خیلی خسته شده‌ام.",
            "دو سال پیش به هلند آمدم و اینجا تقریباً کسی را نمیشناسم.",
            "از وقتی جدا شده‌ام اغلب غمگین و خسته هستم.",
            "پسرمان اوتیسم دارد و نمیدانیم چطور به او کمک کنیم.",
            "بدهی دارم و نامه‌ها پشت سر هم می‌آیند.",
        ),
        places=(
            "من در {place} زندگی میکنم.",
            "ما تازه به {place} آمده‌ایم.",
            "خانه‌ام نزدیک {place} است.",
        ),
        wishes=(
            "دوست دارم با آدمهایی آشنا شوم که همین تجربه را دارند.",
            "آیا این نزدیکی گروه گفتگویی هست؟",
            "کسی هست که گاهی در خرید کمکم کند؟",
            "میخواهم با کسانی که وضع مشابهی دارند صحبت کنم.",
        ),
        place_wishes=(
            "آیا در {place} گروهی برای آدمهایی مثل من هست؟",
            "دنبال یک گروه گفتگو در {place} هستم.",
        ),
        extras=(
            "هلندی‌ام خیلی خوب نیست.",
            "عصرها وقت دارم.",
            "نمیدانم از کجا شروع کنم.",
        ),
        place_names=("تیلبورگ", "روتردام", "اوترخت", "آمستردام"),
    ),
    "ar": StoryParts(
        situations=(
            "توفي زوجي العام الماضي ومنذ ذلك الحين أبقى وحدي في البيت معظم الوقت.",
            "أعتني كل يوم بوالدي المصاب بالخرف وأشعر بتعب شديد.",
            "وصلت إلى هولندا قبل سنتين ولا أعرف أحدا هنا تقريبا.",
            "منذ طلاقي أشعر بالحزن والتعب كثيرا.",
            "ابننا عنده توحد ولا نعرف كيف نساعده.",
            "علي ديون والرسائل لا تتوقف.",
        ),
        places=(
            "أسكن في {place}.",
            "انتقلنا مؤخرا إلى {place}.",
            "بيتي قريب من {place}.",
        ),
        wishes=(
            "أحب أن أتعرف على أشخاص يمرون بنفس التجربة.",
            "هل توجد مجموعة للحديث قريبة مني؟",
            "هل يوجد من يساعدني أحيانا في التسوق؟",
            "أريد أن أتكلم مع أشخاص في نفس وضعي.",
        ),
        place_wishes=(
            "هل توجد في {place} مجموعة لأشخاص مثلي؟",
            "أبحث عن مجموعة حوار في {place}.",
        ),
        extras=(
            "لغتي الهولندية ليست جيدة.",
            "عندي وقت في المساء.",
            "لا أعرف من أين أبدأ.",
        ),
        place_names=("تيلبورخ", "روتردام", "اوترخت", "امستردام"),
    ),
}


def story(language: str, rng: random.Random) -> str:
    """A 2–4 sentence message naming a situation, a place and a wish."""
    parts = STORIES[language]
    place = rng.choice(parts.place_names)
    situation = rng.choice(parts.situations)
    if rng.random() < 0.25:  # two sentences: the place inside the wish
        sentences = [situation, rng.choice(parts.place_wishes).format(place=place)]
    else:
        sentences = [situation, rng.choice(parts.places).format(place=place),
                     rng.choice(parts.wishes)]
        if rng.random() < 0.3:  # sometimes the place first
            sentences[0], sentences[1] = sentences[1], sentences[0]
        if rng.random() < 0.4:
            sentences.append(rng.choice(parts.extras))
    return " ".join(sentences)


def crisis_story(language: str, crisis_sentence: str, rng: random.Random) -> str:
    """An ordinary situation and place with a crisis sentence in between (3 sentences)."""
    parts = STORIES[language]
    place = rng.choice(parts.place_names)
    return " ".join((rng.choice(parts.situations), crisis_sentence,
                     rng.choice(parts.places).format(place=place)))


def all_texts(language: str) -> list[str]:
    """Every sentence used, to check none of them sets off the crisis lexicon by itself."""
    parts = STORIES[language]
    out = [*parts.situations, *parts.wishes, *parts.extras]
    for place in parts.place_names:
        out += [p.format(place=place) for p in (*parts.places, *parts.place_wishes)]
    return out
