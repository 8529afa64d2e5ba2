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
