"""Gazetteer: reference data loading, aliases in four scripts, typos, postcodes, places in text."""

from __future__ import annotations

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
