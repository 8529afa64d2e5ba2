"""Gazetteer: reference data loading, aliases in four scripts, typos, postcodes, places in text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bot.directory.gazetteer import (
    Gazetteer,
    PostcodeImportError,
    bundled_municipalities,
    import_postcodes,
    load_reference_data,
    resolve_place,
)
from bot.directory.models import Municipality, MunicipalityAlias, Postcode
from bot.text.normalize import fold

DEN_HAAG = "GM0518"
AMSTERDAM = "GM0363"
ROTTERDAM = "GM0599"
UTRECHT = "GM0344"
TILBURG = "GM0855"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.bundled()


def _counts(session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Municipality)),
        session.scalar(select(func.count()).select_from(MunicipalityAlias)),
        session.scalar(select(func.count()).select_from(Postcode)),
    )


def test_bundled_data_has_glossary_municipalities_with_cbs_codes() -> None:
    codes = {r.code: r.name for r in bundled_municipalities()}
    assert codes["GM0363"] == "Amsterdam"
    assert codes["GM0599"] == "Rotterdam"
    assert codes["GM0518"] == "'s-Gravenhage"
    assert codes["GM0344"] == "Utrecht"
    assert codes["GM0772"] == "Eindhoven"
    assert codes["GM0855"] == "Tilburg"
    assert codes["GM0014"] == "Groningen"
    assert codes["GM0268"] == "Nijmegen"
    assert codes["GM0202"] == "Arnhem"
    assert codes["GM0034"] == "Almere"
    assert codes["GM0935"] == "Maastricht"
    assert len(codes) >= 41
    assert all(c.startswith("GM") and len(c) == 6 for c in codes)


def test_load_reference_data_is_idempotent(database) -> None:
    with database.session() as session:
        first = _counts(session)
        load_reference_data(session)
        assert _counts(session) == first
        assert first[0] >= 41 and first[2] >= 300
        # The official name is an alias too, tagged nl; other scripts carry their language.
        rows = {
            folded: language
            for folded, language in session.execute(
                select(MunicipalityAlias.folded, MunicipalityAlias.language).where(
                    MunicipalityAlias.municipality_code == DEN_HAAG
                )
            )
        }
        assert rows["s gravenhage"] == "nl"
        assert rows["lahey"] == "tr"
        assert rows["لاهه"] == "fa"
        assert rows["لاهاي"] == "ar"


def test_gazetteer_load_from_database(database) -> None:
    with database.session() as session:
        gaz = Gazetteer.load(session)
        assert gaz.resolve("لاهه").code == DEN_HAAG
        assert gaz.resolve("5038").code == TILBURG
        assert gaz.region_of(ROTTERDAM) == "Rijnmond"
        assert "GM0606" in gaz.region_codes(ROTTERDAM)  # Schiedam
        assert ROTTERDAM not in gaz.region_codes(ROTTERDAM)
        assert resolve_place(session, "ik woon in Tilbrug").code == TILBURG


@pytest.mark.parametrize(
    ("text", "code", "method"),
    [
        ("Den Haag", DEN_HAAG, "alias"),
        ("'s-Gravenhage", DEN_HAAG, "name"),
        ("s Gravenhage", DEN_HAAG, "name"),
        ("Lahey", DEN_HAAG, "alias"),
        ("Lahey'de", DEN_HAAG, "alias"),
        ("لاهه", DEN_HAAG, "alias"),
        ("لاهة", DEN_HAAG, "alias"),
        ("دن هاخ", DEN_HAAG, "alias"),
        ("لاهاي", DEN_HAAG, "alias"),
        ("The Hague", DEN_HAAG, "alias"),
        ("AMSTERDAM", AMSTERDAM, "name"),
        ("امستردام", AMSTERDAM, "alias"),
        ("أمستردام", AMSTERDAM, "alias"),
        ("آمستردام", AMSTERDAM, "alias"),
        ("روتردام", ROTTERDAM, "alias"),
        ("اوترخت", UTRECHT, "alias"),
        ("أوتريخت", UTRECHT, "alias"),
        ("تیلبورگ", TILBURG, "alias"),
        ("Den Bosch", "GM0796", "alias"),
        ("Rotterdm", ROTTERDAM, "fuzzy"),
        ("Tilbrug", TILBURG, "fuzzy"),
        ("Amsterdm", AMSTERDAM, "fuzzy"),
        ("Utreht", UTRECHT, "fuzzy"),
        ("امستردم", AMSTERDAM, "fuzzy"),
        ("5038", TILBURG, "postcode"),
        ("3512 AB", UTRECHT, "postcode"),
        ("3512AB", UTRECHT, "postcode"),
        ("2511", DEN_HAAG, "postcode"),
    ],
)
def test_resolve(gaz: Gazetteer, text: str, code: str, method: str) -> None:
    match = gaz.resolve(text)
    assert match is not None, text
    assert (match.code, match.method) == (code, method)
    assert match.score == 1.0 if method != "fuzzy" else 0.8 <= match.score < 1.0


@pytest.mark.parametrize(
    "text",
    ["Rome", "Parijs", "hello", "Londen", "Istanbul", "تهران", "بغداد", "1234", "dingen", "", "  "],
)
def test_resolve_rejects_non_places(gaz: Gazetteer, text: str) -> None:
    assert gaz.resolve(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ik woon in tilburg", TILBURG),
        ("Ik woon in de buurt van Den Bosch", "GM0796"),
        ("ik woon in Rotterdm", ROTTERDAM),
        ("ik woon in leiden", "GM0546"),
        ("mijn postcode is 3512 AB", UTRECHT),
        ("ik ben 67 en woon in Capelle aan den IJssel", "GM0502"),
        ("Lahey'de oturuyorum", DEN_HAAG),
        ("Laheyde oturuyorum", DEN_HAAG),
        ("Tilburg'da yaşıyorum", TILBURG),
        ("Den Haag'dan yazıyorum", DEN_HAAG),
        ("İstanbul'dan geldim, şimdi Rotterdam'dayım", ROTTERDAM),
        ("Tilbrug'da yaşıyorum", TILBURG),
        ("من در اوترخت زندگی میکنم", UTRECHT),
        ("من در لاهه زندگی می‌کنم", DEN_HAAG),
        ("انا ساكن في روتردام", ROTTERDAM),
        ("أعيش في أمستردام", AMSTERDAM),
        ("انا ساكن بروتردام", ROTTERDAM),
        ("I live in The Hague", DEN_HAAG),
    ],
)
def test_find_in_text(gaz: Gazetteer, text: str, code: str) -> None:
    match = gaz.find_in_text(text)
    assert match is not None, text
    assert match.code == code


@pytest.mark.parametrize(
    "text",
    [
        "hoi ik ben eenzaam",
        "ik wil een groep leiden",  # the verb, not the city
        "ik kan het niet meer houden",
        "alle dingen gaan mis",
        "kan ik met iemand praten",
        "hello how are you",
        "yardım ede bilir misiniz",
        "çok yalnızım",
        "احساس تنهایی می‌کنم",
        "أشعر بالوحدة",
        "ik woon in Parijs",
    ],
)
def test_find_in_text_rejects_sentences_without_a_place(gaz: Gazetteer, text: str) -> None:
    assert gaz.find_in_text(text) is None


# --------------------------------------------------------------------------- towns and villages

HAARLEMMERMEER = "GM0394"
ZAANSTAD = "GM0479"
WESTLAND = "GM1783"
STICHTSE_VECHT = "GM1904"
ALBRANDSWAARD = "GM0613"
NIJMEGEN = "GM0268"
AMERSFOORT = "GM0307"
DEN_BOSCH = "GM0796"
GRONINGEN = "GM0014"
LEEUWARDEN = "GM0080"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hoofddorp", HAARLEMMERMEER),
        ("Nieuw-Vennep", HAARLEMMERMEER),
        ("Zaandam", ZAANSTAD),
        ("Krommenie", ZAANSTAD),
        ("IJmuiden", "GM0453"),
        ("Voorburg", "GM1916"),
        ("Naaldwijk", WESTLAND),
        ("'s-Gravenzande", WESTLAND),
        ("s Gravenzande", WESTLAND),
        ("Maarssen", STICHTSE_VECHT),
        ("Breukelen", STICHTSE_VECHT),
        ("Bilthoven", "GM0310"),
        ("Geleen", "GM1883"),
        ("Sittard", "GM1883"),
        ("Geldrop", "GM1771"),
        ("Mierlo", "GM1771"),
        ("Mierlo-Hout", "GM0794"),  # a Helmond district, not Geldrop-Mierlo
        ("Pijnacker", "GM1926"),
        ("Nootdorp", "GM1926"),
        ("Rhoon", ALBRANDSWAARD),
        ("Poortugaal", ALBRANDSWAARD),
        ("Dordt", "GM0505"),
        ("R'dam", ROTTERDAM),
        ("Rdam", ROTTERDAM),
        ("Hoek van Holland", ROTTERDAM),
        ("Ljouwert", LEEUWARDEN),
        ("Weesp", AMSTERDAM),
        ("Scheveningen", DEN_HAAG),
        ("Sprang-Capelle", "GM0867"),  # Waalwijk, not Capelle aan den IJssel
        ("Capelle", "GM0502"),
        ("Rosmalen", DEN_BOSCH),
        ("Berkel-Enschot", TILBURG),
        ("Tegelen", "GM0983"),
        ("Hoensbroek", "GM0917"),
        ("Klazienaveen", "GM0114"),
        ("Lent", NIJMEGEN),  # alone it is an answer to "where?"
        ("زاندام", ZAANSTAD),
        ("بتيلبورغ", TILBURG),
        ("تيلبورج", TILBURG),
        ("رتردام", ROTTERDAM),
        ("دنهاگ", DEN_HAAG),
        ("دن هاگ", DEN_HAAG),
        ("جرونينجن", GRONINGEN),
        ("ألميره", "GM0034"),
        ("آلمیره", "GM0034"),
        ("بريدا", "GM0758"),
    ],
)
def test_resolve_towns_nicknames_and_spellings(gaz: Gazetteer, text: str, code: str) -> None:
    match = gaz.resolve(text)
    assert match is not None, text
    assert match.code == code
    assert match.method in {"name", "alias"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ik woon in Hoofddorp", HAARLEMMERMEER),
        ("Wij wonen sinds vorig jaar in Nieuw-Vennep", HAARLEMMERMEER),
        ("Ik kom uit Naaldwijk", WESTLAND),
        ("mijn moeder woont in Maarssen", STICHTSE_VECHT),
        ("ik woon in Rhoon, vlakbij Rotterdam", ALBRANDSWAARD),
        ("ik woon in Lent", NIJMEGEN),
        ("ik woon in Hoogland", AMERSFOORT),
        ("ik woon in Grou", LEEUWARDEN),
        ("ik woon in Mierlo-Hout", "GM0794"),
        ("we wonen in Hoek van Holland", ROTTERDAM),
        ("Zaandam'da oturuyorum", ZAANSTAD),
        ("Rosmalen'de yaşıyorum", DEN_BOSCH),
        ("Hoofddorp'tayım", HAARLEMMERMEER),
        ("تو زاندام زندگی می‌کنم", ZAANSTAD),
        ("توی رتردام کار می‌کنم", ROTTERDAM),
        ("من در دن هاگ زندگی میکنم", DEN_HAAG),
        ("تو بردا زندگی می‌کنم", "GM0758"),  # بردا alone is Arabic "cold": cue needed
        ("انا ساكن بتيلبورغ", TILBURG),
        ("أعيش في جرونينجن", GRONINGEN),
        ("انا من تيلبورج", TILBURG),
        ("أسكن في بريدا", "GM0758"),
        ("ساكن في الروتردام", ROTTERDAM),  # the article is cut like ب/ل/و/ف
    ],
)
def test_find_towns_in_text(gaz: Gazetteer, text: str, code: str) -> None:
    match = gaz.find_in_text(text)
    assert match is not None, text
    assert match.code == code


@pytest.mark.parametrize(
    "text",
    [
        "3512-AB",
        "3512 - ab",
        "۳۵۱۲",  # Persian digits
        "٣٥١٢",  # Arabic-Indic digits
        "۳۵۱۲ AB",
    ],
)
def test_resolve_postcode_spellings(gaz: Gazetteer, text: str) -> None:
    match = gaz.resolve(text)
    assert match is not None, text
    assert (match.code, match.method) == (UTRECHT, "postcode")


def test_digits_split_by_a_space_are_not_a_postcode(gaz: Gazetteer) -> None:
    # "35 12" is as likely an age and a house number as a postcode typed with a space.
    assert gaz.resolve("35 12") is None
    assert gaz.find_in_text("ik ben 35 en heb 12 jaar gewerkt") is None


@pytest.mark.parametrize(
    "text",
    [
        "mijn postcode is 3512-AB",
        "postcode: 3512-ab.",
        "کد پستی من ۳۵۱۲ است",
        "رمزي البريدي ٣٥١٢",
    ],
)
def test_find_postcode_spellings_in_text(gaz: Gazetteer, text: str) -> None:
    match = gaz.find_in_text(text)
    assert match is not None, text
    assert (match.code, match.method) == (UTRECHT, "postcode")


# Everyday sentences without a place, ten or more per language. Several sit one letter away from
# a town alias ("regelen"/Tegelen, "vijfduizend"/Vijfhuizen, "lente"/Lent, اندام/زاندام,
# المرة/Almere, بريدا "mail"/Breda, أميرة/Almere) or start with the cue تو ("you", "in").
SENTENCES_WITHOUT_A_PLACE = {
    "nl": [
        "ik heb hulp nodig bij regelen van mijn post",
        "ik heb een schuld van vijfduizend euro",
        "in de lente voel ik me altijd beter",
        "wederom heb ik geen antwoord gekregen",
        "mijn buurman maakt elke avond herrie",
        "kunt u mij helpen met een formulier van de gemeente",
        "ik woon al tien jaar in een klein huis",
        "ik wil graag met iemand praten over mijn zorgen",
        "mijn zoon is gisteren uit huis gegaan",
        "de toeslagen zijn gestopt en ik weet niet wat ik moet doen",
        "ik heb pijn bij het plassen en jeuk rond penis",
    ],
    "tr": [
        "yardıma ihtiyacım var, çok yalnızım",
        "kiramı ödeyemiyorum, ne yapmalıyım",
        "eşimden ayrıldım ve üç çocuğum var",
        "doktora gitmem lazım ama randevu alamadım",
        "gelen mektubu anlamadım",
        "borçlarım çok arttı, bana yardım eder misiniz",
        "Hollandaca bilmiyorum, Türkçe konuşabilir miyiz",
        "annem hasta ve bakıma ihtiyacı var",
        "işimi kaybettim ve hiç param yok",
        "belediyeden gelen cevabı hâlâ bekliyorum",
    ],
    "fa": [
        "تو خونه تنها هستم و حالم خوب نیست",
        "درد در اندام دارم",
        "توی این کشور کسی را نمی‌شناسم",
        "نمی‌توانم کرایه خانه‌ام را پرداخت کنم",
        "برای پر کردن فرم به کمک نیاز دارم",
        "بچه‌هایم هر روز به مدرسه می‌روند",
        "نامه‌ای از اداره مالیات گرفتم و نمی‌فهمم",
        "می‌خواهم با یک مشاور صحبت کنم",
        "شوهرم مریض است و تازه از بیمارستان برگشته",
        "تو این ماه پولی برای غذا ندارم",
        "از هلمند آمده‌ام",  # the Afghan province, one letter from Helmond (هلموند)
    ],
    "ar": [
        "هذه المرة الأولى التي أطلب فيها المساعدة",
        "أرسلت لكم بريدا إلكترونيا أمس",
        "في المرة القادمة سأتصل بكم",
        "أحتاج مساعدة في دفع الإيجار",
        "زوجي مريض ولا أستطيع العمل",
        "أريد التحدث مع شخص يفهمني",
        "من المرأة التي تعمل في البلدية؟",
        "أميرة ابنتي تحتاج إلى طبيب",
        "عندي ديون كثيرة ولا أعرف ماذا أفعل",
        "الجو بارد جدا وليس عندي تدفئة",
    ],
    "en": ["I lent my neighbour some money", "I have pain in bones"],
}


@pytest.mark.parametrize(
    "text", [t for sentences in SENTENCES_WITHOUT_A_PLACE.values() for t in sentences]
)
def test_everyday_sentences_find_no_place(gaz: Gazetteer, text: str) -> None:
    assert gaz.find_in_text(text) is None


@pytest.mark.parametrize(
    "text", ["regelen", "vijfduizend", "penis", "wederom", "اندام", "هلمند", "أميرة", "المرة"]
)
def test_resolve_rejects_words_near_town_names(gaz: Gazetteer, text: str) -> None:
    assert gaz.resolve(text) is None


def test_town_aliases_are_unique_and_resolve_to_their_municipality(gaz: Gazetteer) -> None:
    owners: dict[str, set[str]] = {}
    written: dict[str, str] = {}
    for record in bundled_municipalities():
        for alias in (record.name, *(a for a, _lang in record.aliases)):
            owners.setdefault(fold(alias), set()).add(record.code)
            written.setdefault(fold(alias), alias)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    for key, (code,) in owners.items():
        alias = written[key]  # as written: some keys count only in their own spelling
        assert gaz.resolve(alias).code == code, key
        assert gaz.find_in_text(f"ik woon in {alias}").code == code, key


def test_exact_beats_fuzzy_in_text(gaz: Gazetteer) -> None:
    match = gaz.find_in_text("van Rotterdm naar Tilburg")
    assert match is not None
    assert (match.code, match.method) == (TILBURG, "name")


def test_import_postcodes_by_code_and_name(sqlite_database, tmp_path) -> None:
    path = tmp_path / "pc.csv"
    path.write_text("pc4,municipality_code\n5051,GM0855\n5038,0855\n2611,GM0503\n")
    with sqlite_database.session() as session:
        assert import_postcodes(session, path) == 3
        assert session.get(Postcode, "5051").municipality_code == TILBURG
    named = tmp_path / "named.csv"
    named.write_text("pc4,municipality\n2271,Leidschendam-Voorburg\n2491,Den Haag\n")
    with sqlite_database.session() as session:
        assert import_postcodes(session, named) == 2
        assert session.get(Postcode, "2271").municipality_code == "GM1916"


def test_import_postcodes_is_all_or_nothing(database, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("pc4,municipality_code\n4811,GM0758\n12,GM0758\n4812,GM9999\n4811,GM0363\n")
    with database.session() as session:
        before = _counts(session)[2]
        with pytest.raises(PostcodeImportError) as info:
            import_postcodes(session, path)
        assert [e.line for e in info.value.errors] == [3, 4, 5]
        assert _counts(session)[2] == before
        assert session.get(Postcode, "4811") is None


def test_import_postcodes_rejects_bad_header(sqlite_database, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("postcode,gemeente\n5038,Tilburg\n")
    with sqlite_database.session() as session, pytest.raises(PostcodeImportError):
        import_postcodes(session, path)


def test_bundled_postcodes_do_not_overwrite_imported(sqlite_database, tmp_path) -> None:
    path = tmp_path / "pc.csv"
    path.write_text("pc4,municipality_code\n5038,GM0785\n")  # deliberately different
    with sqlite_database.session() as session:
        import_postcodes(session, path)
        load_reference_data(session)
        assert session.get(Postcode, "5038").municipality_code == "GM0785"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("mijn postcode is 5038", "Tilburg"),
        ("in de buurt van 5038", "Tilburg"),
        ("posta kodum 3512", "Utrecht"),
        ("we wonen in 2525", "'s-Gravenhage"),
        ("sinds 2023 woon ik hier alleen", None),
        ("in 2023 ben ik gescheiden", None),
        ("ik heb 2500 euro schuld bij de gemeente", None),
        ("mijn vader is 5038 jaar", None),
    ],
)
def test_four_digits_in_a_sentence_are_a_postcode_only_when_said_as_one(
    text: str, place: str | None
) -> None:
    # As with a national postcode table loaded: years and amounts are valid postcodes too.
    bundled = Gazetteer.bundled()
    national = replace(bundled, postcodes={**bundled.postcodes, "2023": "GM0392", "2500": "GM0518"})
    found = national.find_in_text(text)
    assert (found.name if found else None) == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ساکن آمرسفورتم", "Amersfoort"),  # Persian "I am" ending on the name
        ("الان تو روتردامیم", "Rotterdam"),
        ("من تو آلمره زندگی میکنم", "Almere"),
        ("هذه المرة الاولى اللي بكتب فيها", None),  # Arabic "this time", not Almere
        ("نحنا ساكنين بدن هاخ", "'s-Gravenhage"),  # a prefix on a two-word name
        ("۳۵۱۲ کد پستی ماست", "Utrecht"),
        ("3512 is mijn postcode", "Utrecht"),
    ],
)
def test_persian_endings_arabic_prefixes_and_postcode_words(text: str, place: str | None) -> None:
    found = Gazetteer.bundled().find_in_text(text)
    assert (found.name if found else None) == place


# --------------------------------------------------------------------------- all 342 municipalities


def test_bundled_data_lists_every_municipality_of_2024() -> None:
    records = bundled_municipalities()
    codes = {r.code: r for r in records}
    assert len(records) == len(codes) == 342
    assert codes["GM1992"].name == "Voorne aan Zee"  # 2023: Brielle, Hellevoetsluis, Westvoorne
    assert codes["GM1980"].name == "Dijk en Waard"
    assert codes["GM1991"].name == "Maashorst"
    assert codes["GM1982"].name == "Land van Cuijk"
    assert not {"GM0457", "GM0501", "GM0530", "GM0614"} & set(codes)  # merged away
    assert all(r.province and r.region for r in records)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ik woon in Assen", "Assen"),
        ("Oss'ta yaşıyorum", "Oss"),
        ("در آسن زندگی می‌کنم", "Assen"),
        ("نحنا ساكنين بأوس", "Oss"),
        ("ik woon in Emmeloord", "Noordoostpolder"),
        ("Drachten'de oturuyorum", "Smallingerland"),
        ("من در لیلیستاد زندگی میکنم", "Lelystad"),
        ("أعيش في ليليستاد", "Lelystad"),
        ("ik kom uit Veghel", "Meierijstad"),
        ("Hellevoetsluis'ta yaşıyorum", "Voorne aan Zee"),
        ("تو تر آپل هستم", "Westerwolde"),
        ("انا في كامب تير أبل", "Westerwolde"),
        ("we wonen in Heerhugowaard", "Dijk en Waard"),
        ("I live in Roosendaal", "Roosendaal"),
        ("Bergen op Zoom'da oturuyoruz", "Bergen op Zoom"),
        ("ik woon in Bergen NH", "Bergen (NH.)"),
        ("ik woon in Egmond aan Zee", "Bergen (NH.)"),
        ("ik woon in Bergen Limburg", "Bergen (L.)"),
        ("ik woon in Kampen", "Kampen"),
        ("ik woon in Best", "Best"),
        ("we wonen in Buren", "Buren"),
        ("Hoorn'da oturuyorum", "Hoorn"),
        ("ساكن في ألميلو", "Almelo"),
        ("تو هیرنفین زندگی می‌کنم", "Heerenveen"),
    ],
)
def test_new_municipalities_and_towns_in_four_languages(text: str, place: str) -> None:
    found = Gazetteer.bundled().find_in_text(text)
    assert (found.name if found else None) == place, text


@pytest.mark.parametrize(
    "text",
    [
        "mijn beste vriend is overleden",
        "best",
        "de buren maken elke nacht herrie",
        "buren",
        "ik heb te kampen met schulden",
        "we woonden jaren in kampen in Turkije",
        "ik heb een houten tafel gekocht",
        "we zoeken huizen voor mijn moeder",
        "het leek me beter om te bellen",
        "bellen",
        "ik wil niet meer wakker worden",
        "mijn dochter wil niet naar school",
        "ik ga naar huis en slaap",
        "ik wil een punt zetten achter mijn studie",
        "drie ochtenden per week",
        "mijn zoon Axel is ziek",
        "it goes wrong every time",
        "nerede yardım alabilirim",
        "hemen yardım lazım",
        "ik heb kracht uit mijn geloof kunnen putten",
        "IK HEB TE KAMPEN MET SCHULDEN",  # capitals are not the place's own spelling
        "Beste mevrouw, ik doe in best mijn best",  # "Best" only inside "Beste"
    ],
)
def test_everyday_words_that_are_new_place_names_find_no_place(text: str) -> None:
    assert Gazetteer.bundled().find_in_text(text) is None
