"""The word lists of language detection, written as people type them and folded at import.

Greetings that decide a message alone, short-answer words with the languages they are also said
in, Finglish and Arabizi markers with their weights, Turkish verb endings, Persian/Dari and
Arabic function words, and Dutch words that speakers of every language keep in Dutch.
"""

from __future__ import annotations

from bot.text.normalize import fold
from bot.vocabulary import ALL_LANGUAGES

# Distinctive short messages (folded). Only greetings and phrases that name a language choice:
# a one-word "ok", "hi", "thanks", "ja", "evet" keeps the conversation's language.
_SHORT_MARKERS: dict[str, frozenset[str]] = {
    "nl": frozenset(
        {
            "hoi",
            "hallo",
            "hallo daar",
            "goedemorgen",
            "goedemiddag",
            "goedenavond",
            "goedendag",
            "hoi hoi",
            "hoe gaat het",
            "goede morgen",
            "dag allemaal",
        }
    ),
    "tr": frozenset(
        {
            "merhaba",
            "merhabalar",
            "selam",
            "selamlar",
            "selamun aleykum",
            "selamunaleykum",
            "gunaydin",
            "iyi aksamlar",
            "iyi gunler",
            "nasilsin",
            "nasilsiniz",
            "iyi geceler",
            "turkce",
            "kolay gelsin",
            "merhaba hocam",
        }
    ),
    "en": frozenset(
        {"good morning", "good evening", "good afternoon", "hello there", "english please"}
    ),
    "ar": frozenset({"مرحبا", "مرحبا بك", "اهلا", "اهلا وسهلا", "اهلين", "مرحبتين", "شكرا جزيلا"}),
    "fa": frozenset({"مرسي", "درود", "سلام خوبي", "چطوري", "خوبي", "ممنونم", "سلام وقت بخير"}),
}
MARKER_LOOKUP: dict[str, str] = {
    phrase: code for code, phrases in _SHORT_MARKERS.items() for phrase in phrases
}

# Short answers (step 4 of the module docstring): (language, also said in, words as typed).
# "*" means every supported language: the word alone keeps the conversation's language.
_ANSWER_WORDS_SPEC: tuple[tuple[str, str, str], ...] = (
    (
        "tr",
        "",
        "evet hayır hayir lütfen teşekkür teşekkürler tesekkurederim ederim ederiz sağol "
        "sağolun sağolasın eyvallah istemiyorum istiyorum neler nedir nasıl nerede neden niye "
        "peki tabi tabii tabiki aynen anladım anlamadım olur olmaz yok yardım bilmiyorum "
        "biliyorum hocam abla kardeşim çok iyiyim tamamdır annem babam eşim hastayım bir bu var",
    ),
    ("tr", "fa ar", "tamam"),
    (
        "nl",
        "",
        "graag alsjeblieft alstublieft dankjewel dankuwel dank doei klopt natuurlijk tuurlijk "
        "hoor misschien akkoord prima niet geen",
    ),
    ("nl", "*", "ja nee bedankt oké"),
    ("en", "*", "yes no please thanks thank thx okay sure sorry"),
    (
        "fa",
        "",
        "بله آره نه نخیر ممنونم خیلی باشه چطوری چطور خوبم خسته خستم استم استی هستم هستی "
        "نیستم میخوام میخواهم نمیخوام نمیدونم نمیدانم میشه چی چرا کجا سپاس چیکار چکار خدا "
        "خداحافظ خدافظ درسته موافقم قربونت تنهام",
    ),
    # Also said in Levantine/Egyptian Arabic ("ممنون منك", "مرسي كتير"); "تشكر" is in neither
    # list: Dari and Levantine thanks alike, so only the keyboard (ک or ك) can tell.
    ("fa", "ar", "ممنون مرسی لطفا بلی"),
    (
        "ar",
        "",
        "نعم لا شكرا أيوه ايوا أجل مشكور مشكورة يسلمو يسلموا طيب ماشي بدي ابغى عايز عايزة أريد "
        "شو ليش ليه كيفك وين هلا حبيبي سمحت فضلك أنا تعبان تعبانة كتير كثير منك لك الك "
        "متشكر أكيد زين واخا ازيك ايه",
    ),
    ("ar", "fa", "تمام ممكن مساعدة حاضر كيف والله الحمد الحمدلله يلا"),
)

# Latin-script Persian and Arabic (step 3): (language, weight, words as typed).
_ROMANIZED_SPEC: tuple[tuple[str, float, str], ...] = (
    (
        "fa",
        2.0,
        "mer30 mamnoon mamnun mamnoonam mamnunam chetori chetorin chetorid khoobam khubam "
        "khoobi khubi khodafez khodahafez khodanegahdar tashakor tashakkor tashakur",
    ),
    (
        "fa",
        1.0,
        "hasti hastid hastim hastin nistam nisti nist mikham mikhay mikhad mikhaim mikhastam "
        "nemikham mikonam mikoni mikone mikonid mikonim mishe nemishe mitoonam mitunam "
        "nemitoonam nemitunam midoonam midunam nemidoonam nemidunam nemidonam mifahmam "
        "nemifahmam shodam shode shodeh shodim kardam kardi karde daram nadaram nadari kheili "
        "kheyli khaili khayli kheli khili chetor khoob khub khaste khasteh khastam khasta komak "
        "lotfan chera chikar koja kojast kojai baraye barayeh tanha tanhaei tanhai zendegi "
        "doostam madaram pedaram hamsaram bacham shoma inja injast oonja unja khanom khanum "
        "azizam dokhtaram pesaram bokonam begam begid emrooz emruz dirooz diruz astum astom "
        "astam mekhaham mekhayom mano mara kasi chizi hichi hichkas boodam budam bokon begoo "
        "begu dige dorost doroste vaghti vaght faghat hamishe hanooz hanuz ghabl akhe albate "
        "vaghei vaghean felan tanham bale baleh areh aare bekheir bekhair bekheyr dard dastet "
        "dastetun nakon nakone nakoni nakonid nashod nashode "
        "khune khoone khuneye madar pedar bache bacheha shab rooz ruz hafte khodam khodet khoda",
    ),
    (
        "fa",
        0.5,
        "salam man az hastam hast ke va ham agha joon khob mersi merci dari dare chi ye yek "
        "ro bood bud chon baad saal farsi lazem",
    ),
    (
        "ar",
        2.0,
        "shukran shokran choukran shoukran chokran marhaba marhaban ahlan kifak kifik keefak "
        "keefik shlonak shlonik aywa aiwa aywah aiwah eywa la2 na3am",
    ),
    (
        "ar",
        1.0,
        "enta enti inta inti ento bdi biddi baddi bidi ayez ayza wallahi habibti keef shu "
        "shou mish msh laa tayeb tayyeb tayyib tayib kteer ktir kter kteir kaman akhi ukhti "
        "okhti hatha hada heda mumkin mumken momken mushkila mushkile moshkila badna bidna "
        "shway shwai hek hayk akid sa7 ma3 3an 3al",
    ),
    (
        "ar",
        0.5,
        "salam ana kif lazem wallah walla inshallah inshalla mashallah alhamdulillah "
        "hamdulillah habibi yalla yallah ahla sho lesh leish leh mesh bas fi shi shay salamu "
        "alaikum alaykum aleikum alikum alikom",
    ),
)


# Turkish letters and verb endings: a word with one of them is a Turkish answer word.
TR_LETTERS = frozenset("ışğİŞĞ")
_TR_ENDINGS_RAW = (
    "iyorum iyorsun iyoruz iyorlar uyorum uyorsun uyoruz yorum yorsun yoruz iyor uyor "
    "abilir ebilir abiliyor ebiliyor mısın misin musun müsün mısınız misiniz musunuz"
)

# Persian/Dari versus Arabic function words in longer Arabic-script messages (folded):
# each distinct one adds (or subtracts) this much to the letter evidence.
_FA_FUNCTION_WORDS_RAW = (
    "هستم هستی هست هستیم نیست نیستم است استم استی اس را رو ره میخواهم میخوام میکنم نمیدانم "
    "نمیدونم برای برام از که با خیلی چی چرا کجا شد شدم شده کردم دارم داری داره ندارم بود "
    "بودم مه میشه نمیشه میشم کنم کنه کنی بکنم بکنی چطور چیکار چکار کسی هیچ هیچکس باید خوبه "
    "شما"
)
_AR_FUNCTION_WORDS_RAW = (
    "في إلى الى عن هذا هذه هاي التي الذي اللي انا أنا نحن هو لا مع عند كان ليس لم لن بدي شو "
    "ليش كيف وين ايش عشان"
)


def _fold_words(raw: str) -> frozenset[str]:
    return frozenset(w for w in fold(raw).split() if w)


EVERY_LANGUAGE = frozenset(ALL_LANGUAGES)


def _build_answer_words() -> dict[str, tuple[str, frozenset[str]]]:
    table: dict[str, tuple[str, frozenset[str]]] = {}
    for language, also, words in _ANSWER_WORDS_SPEC:
        fits = EVERY_LANGUAGE if also == "*" else frozenset({language, *also.split()})
        for word in _fold_words(words):
            table[word] = (language, fits)
    return table


def _build_romanized() -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {"fa": {}, "ar": {}}
    for language, weight, words in _ROMANIZED_SPEC:
        for word in _fold_words(words):
            table[language][word] = max(weight, table[language].get(word, 0.0))
    return table


ANSWER_WORDS = _build_answer_words()
ROMANIZED_MARKERS = _build_romanized()
TR_ENDINGS: tuple[str, ...] = tuple(sorted(_fold_words(_TR_ENDINGS_RAW)))
FA_FUNCTION_WORDS = _fold_words(_FA_FUNCTION_WORDS_RAW)
AR_FUNCTION_WORDS = _fold_words(_AR_FUNCTION_WORDS_RAW)

# Dutch words that other-language speakers in the Netherlands keep in Dutch (folded).
DUTCH_LOANWORDS = frozenset(
    {
        "mantelzorg",
        "mantelzorger",
        "mantelzorgers",
        "gemeente",
        "huisarts",
        "wijkteam",
        "buurthuis",
        "vrijwilliger",
        "vrijwilligers",
        "maatje",
        "schuldhulp",
        "wmo",
        "loket",
        "zorgverzekering",
        "toeslag",
        "toeslagen",
        "belastingdienst",
        "inburgering",
        "ggz",
        "thuiszorg",
        "taalmaatje",
        "buurtteam",
        "jeugdzorg",
        "uwv",
        "bijstand",
        "coa",
        "ind",
        "veilig",
        "thuis",
        "praatgroep",
        "lotgenoten",
        "mantelzorgsteunpunt",
        "sociaal",
        "wijkcentrum",
        "huisartsenpost",
        "schuldhulpmaatje",
        "formulier",
        "afspraak",
    }
)
