"""Authenticated encryption for the few chat ids we must keep (reminders, answers).

A sealed chat id reads ``<key id>.<base64 of nonce + ciphertext>``. The key id names the key
that sealed it, so the key can be rotated: the current key seals, retired keys only open, and
``steunwijzer keys rotate`` (:mod:`bot.privacy.keys`) re-seals stored chat ids under the
current key until the retired ones can be removed. Tokens sealed before key ids existed have
no prefix; every key held is tried on them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_SEPARATOR = "."  # not in the url-safe base64 alphabet, so a token splits unambiguously


class SealError(InvalidTag):
    """A sealed chat id that cannot be opened: tampered with, sealed for another purpose, or
    sealed under a key this process does not hold. Never carries the token."""


def generate_key() -> str:
    """A new random 32-byte key, url-safe base64, for ``STEUNWIJZER_ENCRYPTION_KEY``."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _decode_key(key_b64: str) -> bytes:
    key = base64.urlsafe_b64decode(key_b64 + "=" * (-len(key_b64) % 4))
    if len(key) != 32:
        raise ValueError("encryption key must be 32 bytes")
    return key


def key_id(key_b64: str) -> str:
    """The short public name of a key: 8 hex characters of an HMAC under the key itself, so it
    identifies the key without telling anything about it."""
    digest = hmac.new(_decode_key(key_b64), b"steunwijzer key id", hashlib.sha256)
    return digest.hexdigest()[:8]


def token_key_id(token: str) -> str | None:
    """The key id a token names, or ``None`` for a token sealed before key ids existed."""
    head, separator, _body = token.partition(_SEPARATOR)
    return head if separator else None


class ChatIdSealer:
    """Seals and opens chat ids with AES-256-GCM; the purpose is bound as associated data.

    ``key_b64`` is the current key (it seals); ``retired`` keys only open what they sealed.
    """

    def __init__(self, key_b64: str, retired: Iterable[str] = ()) -> None:
        self.current_id = key_id(key_b64)
        self._keys: dict[str, AESGCM] = {self.current_id: AESGCM(_decode_key(key_b64))}
        for old in retired:
            self._keys.setdefault(key_id(old), AESGCM(_decode_key(old)))

    def seal(self, chat_id: int, purpose: str) -> str:
        """Encrypt ``chat_id`` for ``purpose`` (e.g. ``"request:AB12"``) under the current key."""
        nonce = os.urandom(12)
        sealed = self._keys[self.current_id].encrypt(nonce, str(chat_id).encode(),
                                                     purpose.encode())
        return self.current_id + _SEPARATOR + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, token: str, purpose: str) -> int:
        """Decrypt a sealed chat id; raises :class:`SealError` if it was tampered with, sealed
        for another use, or sealed under a key this sealer does not hold."""
        kid = token_key_id(token)
        body = token.partition(_SEPARATOR)[2] if kid is not None else token
        if kid is None:
            candidates = list(self._keys.values())
        elif kid in self._keys:
            candidates = [self._keys[kid]]
        else:
            raise SealError("sealed under a key that is not configured")
        try:
            raw = base64.urlsafe_b64decode(body)
        except (binascii.Error, ValueError):
            raise SealError("not a sealed chat id") from None
        for aead in candidates:
            try:
                return int(aead.decrypt(raw[:12], raw[12:], purpose.encode()).decode())
            except (InvalidTag, ValueError):
                continue
        raise SealError("cannot be opened for this purpose with the configured keys")

    def is_current(self, token: str) -> bool:
        """Whether ``token`` is sealed under the current key (nothing to re-seal)."""
        return token_key_id(token) == self.current_id
