"""What a coordinator sees has no phone numbers, addresses, e-mail, IBAN, BSN, links or handles."""

import pytest

from bot.privacy.scrub import scrub

CASES = [
    ("bel me op 06-12345678 aub", "06-12345678"),
    ("mijn nummer is +31 6 1234 5678", "1234 5678"),
    ("شماره من 0612345678 است", "0612345678"),
    ("رقمي +31612345678 اتصلوا بي", "+31612345678"),
    ("mail naar anna.jansen@example.nl", "anna.jansen@example.nl"),
    ("IBAN NL91ABNA0417164300 klopt dat", "NL91ABNA0417164300"),
    ("mijn bsn is 111222333", "111222333"),
    ("ik woon op Kerkstraat 12 in Utrecht", "Kerkstraat 12"),
    ("postcode 3512 AB 7", "3512 AB"),
    ("zie https://example.org/mijn-profiel", "example.org"),
    ("stuur een bericht naar @annajansen", "@annajansen"),
    ("mijn kanaal t.me/annajansen", "t.me/annajansen"),
]


@pytest.mark.parametrize(("text", "secret"), CASES)
def test_personal_data_is_removed(text: str, secret: str) -> None:
    assert secret not in scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        "ik ben 45 jaar en heb 3 kinderen",
        "de groep begint om 19:30 op dinsdag",
        "ik heb 2000 euro schuld",
        "من ۳ سال است در هلند هستم",
    ],
)
def test_ordinary_numbers_stay(text: str) -> None:
    assert scrub(text).text == text


def test_every_replacement_is_reported_in_text_order() -> None:
    result = scrub("Ik heet Fatima Bakkali, bel 0612345678 of mail fatima@example.nl")
    assert result.text == "Ik heet [name], bel [phone] of mail [e-mail]"
    assert result.removed == ("name", "phone", "email")


def test_a_find_inside_another_is_one_replacement() -> None:
    # The link inside the e-mail address and the handle inside the link are not counted twice.
    result = scrub("schrijf naar anna.jansen@example.nl of kijk op https://t.me/annajansen")
    assert result.removed == ("email", "handle")


def test_placeholders_survive_a_second_scrub() -> None:
    """A reply is scrubbed again when it is appended to a thread: the placeholders must stay."""
    once = scrub("Ik ben Sanne, nul zes twaalf vierendertig zesenvijftig achtenzeventig, 3512-AB")
    assert scrub(once.text).text == once.text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("ik heb drie kinderen", "drie"),  # one number word is a count, not a phone number
        ("tweeduizend vijfhonderd euro", "tweeduizend vijfhonderd"),  # one amount
        ("iki bin yirmi beş yılında", "iki bin yirmi beş"),  # one year
        ("دو هزار و بیست و پنج", "دو هزار و بیست و پنج"),
        ("ألفين وخمسة وعشرين", "ألفين وخمسة وعشرين"),
        ("دوست دارم", "دوست"),  # Persian "friend" is not دو + Arabic ست
    ],
)
def test_number_words_that_are_one_number_stay(text: str, kept: str) -> None:
    assert kept in scrub(text).text


def test_the_word_lists_do_not_contradict_each_other() -> None:
    from bot.privacy.scrub import _lexicon

    lexicon = _lexicon()
    numbers = set(lexicon.additive) | set(lexicon.multiplier)
    assert not lexicon.given_names & lexicon.not_a_name
    assert not lexicon.given_names & numbers
    assert not lexicon.given_names & lexicon.particles
    assert all(phrase and all(phrase) for phrase in lexicon.explicit + lexicon.listed)
