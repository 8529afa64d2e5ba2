"""Authenticated encryption for the few chat ids we must keep (reminders, answers)."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def generate_key() -> str:
    """A new random 32-byte key, url-safe base64, for ``STEUNWIJZER_ENCRYPTION_KEY``."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


class ChatIdSealer:
    """Seals and opens chat ids with AES-256-GCM; the purpose is bound as associated data."""

    def __init__(self, key_b64: str) -> None:
        key = base64.urlsafe_b64decode(key_b64 + "=" * (-len(key_b64) % 4))
        if len(key) != 32:
            raise ValueError("encryption key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, chat_id: int, purpose: str) -> str:
        """Encrypt ``chat_id`` for ``purpose`` (e.g. ``"request:AB12"``); returns text."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, str(chat_id).encode(), purpose.encode())
        return base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, token: str, purpose: str) -> int:
        """Decrypt a sealed chat id; raises if it was tampered with or sealed for another use."""
        raw = base64.urlsafe_b64decode(token)
        return int(self._aead.decrypt(raw[:12], raw[12:], purpose.encode()).decode())
