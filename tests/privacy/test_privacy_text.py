"""/privacy states the conversation expiry that the tracker store enforces, in each language."""

from __future__ import annotations

import pytest

from bot.dialogue import render
from bot.i18n.formatting import FSI, PDI
from bot.settings import Settings


def privacy_text(language: str, hours: int) -> str:
    (reply,) = render.privacy(language, hours)
    return reply.text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Na 24 uur zonder contact wordt het gewist."),
        ("tr", "24 saat boyunca yazışma olmazsa silinir."),
        ("fa", f"اگر {FSI}24{PDI} ساعت پیامی رد و بدل نشود، پاک می‌شود."),
        ("ar", f"ويُحذف بعد {FSI}24{PDI} ساعة دون تواصل."),
        ("en", "deleted after 24 hours without contact."),
    ],
)
def test_the_default_day_is_stated_in_the_readers_language(language: str, expected: str) -> None:
    assert expected in privacy_text(language, Settings().conversation_expiry_hours)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(1, "بعد ساعة واحدة"), (2, "بعد ساعتين"), (5, "ساعات"), (48, "ساعة دون")],
)
def test_arabic_uses_its_plural_forms(hours: int, expected: str) -> None:
    assert expected in privacy_text("ar", hours)


def test_dutch_and_english_follow_a_changed_expiry() -> None:
    assert "Na 1 uur zonder contact" in privacy_text("nl", 1)
    assert "deleted after 1 hour without" in privacy_text("en", 1)
    assert "deleted after 48 hours without" in privacy_text("en", 48)


@pytest.mark.parametrize(("seconds", "hours"), [(86400, 24), (5400, 2), (60, 1), (172800, 48)])
def test_the_stated_hours_never_undersell_the_expiry(seconds: int, hours: int) -> None:
    assert Settings(conversation_expiry_seconds=seconds).conversation_expiry_hours == hours
