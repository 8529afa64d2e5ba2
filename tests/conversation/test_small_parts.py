"""Flood limit, message splitting and button encoding."""

from bot.channels.telegram_render import split_text
from bot.conversation.flood import FloodLimiter
from bot.vocabulary import Button, ButtonIntent, decode_callback


def test_flood_limit_allows_a_burst_then_warns_once() -> None:
    limiter = FloodLimiter(limit=3, window=10)
    assert [limiter.allow("p", 0.0 + i) for i in range(5)] == [True, True, True, False, False]
    assert limiter.should_warn("p") and not limiter.should_warn("p")
    assert limiter.allow("p", 20.0)  # the window moved on


def test_long_text_is_split_at_paragraphs_under_telegrams_limit() -> None:
    text = "\n\n".join(f"<b>alinea {i}</b> " + "woord " * 150 for i in range(12))
    chunks = split_text(text)
    assert len(chunks) > 1 and all(len(c) <= 4096 for c in chunks)
    assert all(c.count("<b>") == c.count("</b>") for c in chunks)
    assert " ".join(chunks).split() == text.split()  # nothing lost


def test_buttons_fit_in_64_bytes_and_decode_back() -> None:
    button = Button("Details", ButtonIntent.OPEN_GROUP, "0f8fad5b-d9cb-469f-a165-70867728950e")
    assert len(button.callback_data.encode()) <= 64
    assert decode_callback(button.callback_data) == ("open_group", button.value)
    assert button.rasa_payload == '/open_group{"group": "0f8fad5b-d9cb-469f-a165-70867728950e"}'
    assert decode_callback("zz:nonsense") is None
