"""Pseudonyms and sealed chat ids: the only identity the system keeps."""

import pytest
from cryptography.exceptions import InvalidTag

from bot.privacy.pseudonym import pseudonym_for
from bot.privacy.sealed import ChatIdSealer, generate_key


def test_pseudonym_is_stable_keyed_and_reveals_nothing() -> None:
    first = pseudonym_for(123456789, "secret-a")
    assert first == pseudonym_for(123456789, "secret-a")
    assert first != pseudonym_for(123456789, "secret-b")
    assert first != pseudonym_for(123456790, "secret-a")
    assert "123456789" not in first and len(first) == 32


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        pseudonym_for(1, "")


def test_sealed_chat_id_opens_only_for_its_purpose() -> None:
    sealer = ChatIdSealer(generate_key())
    token = sealer.seal(987654321, "request:AB-CDE")
    assert "987654321" not in token
    assert sealer.open(token, "request:AB-CDE") == 987654321
    with pytest.raises(InvalidTag):
        sealer.open(token, "request:ZZ-ZZZ")
    with pytest.raises(InvalidTag):
        ChatIdSealer(generate_key()).open(token, "request:AB-CDE")
