"""Short-lived values per person that every bot worker sees (issue 15).

Two things a person said live between turns outside the database: the scrubbed question they
have not confirmed yet (privacy.md stores it only after they confirm) and the facts of a
message the crisis net answered (kept for their next turn). With several workers the next
message may reach another worker, so these values live where every worker finds them:

- one worker (``make run``, no ``STEUNWIJZER_REDIS_URL``): this process's memory;
- several workers: Redis, shared by all. Each value is sealed (AES-256-GCM under a key derived
  from ``STEUNWIJZER_ENCRYPTION_KEY`` for this purpose only, bound to the kind of value and the
  person) before it leaves the process, so Redis holds no readable text; its key is the
  pseudonym (an HMAC, never a Telegram id) and it expires with the value's TTL. Redis must run
  without persistence (no RDB snapshots, no AOF: docs/security.md), so "not stored before the
  citizen confirms" stays true.

Redis down or slow (50 ms timeouts): the value is kept in this process's memory instead, one
warning line per outage; a person whose next message reaches another worker meanwhile is asked
again. Nothing here raises to the conversation.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import redis
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.conversation.redis_link import RedisOutage, redis_client
from bot.privacy.sealed import SealError, key_id
from bot.settings import Settings

log = logging.getLogger(__name__)

#: Where the values live in Redis; then the kind ("draft", "facts"), ":" and the pseudonym.
REDIS_PREFIX = "steunwijzer:ephemeral:"
#: What the sealing key is derived for: a key for chat ids never opens these, nor the reverse.
_PURPOSE = b"steunwijzer ephemeral values v1"
_SEPARATOR = "."
_NONCE = 12

T = TypeVar("T")


class Ephemeral(Protocol):
    """What the conversation memory asks of a store of short-lived values (str) per person."""

    def put(self, kind: str, pseudonym: str, value: str, *, wait: bool = True) -> None:
        """Keep ``value`` for the TTL. ``wait=False``: return at once (the crisis answer waits
        for nothing); this worker sees the value immediately, the others a moment later."""
        ...

    def get(self, kind: str, pseudonym: str) -> str | None:
        """The value, if one is kept and not expired; leaves it in place."""
        ...

    def take(self, kind: str, pseudonym: str) -> str | None:
        """The value, removed (one turn uses it)."""
        ...

    def drop(self, kind: str, pseudonym: str) -> None:
        """Remove the value, if any."""
        ...


@dataclass
class LocalEphemeral:
    """Values in this process's memory with a TTL: right for one worker (``make run``), and
    the fallback of :class:`RedisEphemeral` while Redis is out."""

    ttl: float
    clock: Callable[[], float] = time.monotonic  # the TTL is this process's own affair
    # (kind, pseudonym) → (value, wall-clock time written, expiry on ``clock``)
    _values: dict[tuple[str, str], tuple[str, float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _sweep_at: int = 1000

    def put(self, kind: str, pseudonym: str, value: str, *, wait: bool = True) -> None:
        """Keep ``value`` for the TTL (``wait`` changes nothing here)."""
        self.keep(kind, pseudonym, value, time.time())

    def get(self, kind: str, pseudonym: str) -> str | None:
        """The value, if kept and not expired."""
        entry = self.entry(kind, pseudonym)
        return entry[0] if entry else None

    def take(self, kind: str, pseudonym: str) -> str | None:
        """The value, removed."""
        entry = self.take_entry(kind, pseudonym)
        return entry[0] if entry else None

    def drop(self, kind: str, pseudonym: str) -> None:
        """Remove the value, if any."""
        with self._lock:
            self._values.pop((kind, pseudonym), None)

    # -- with the time each value was written (for RedisEphemeral's fallback)
    def keep(self, kind: str, pseudonym: str, value: str, written: float) -> None:
        """Keep ``value``, written at wall-clock time ``written``."""
        now = self.clock()
        with self._lock:
            self._values[(kind, pseudonym)] = (value, written, now + self.ttl)
            if len(self._values) > self._sweep_at:  # bounded: sweep what expired now and then
                self._values = {k: v for k, v in self._values.items() if v[2] > now}
                self._sweep_at = max(1000, 2 * len(self._values))

    def entry(self, kind: str, pseudonym: str) -> tuple[str, float] | None:
        """(value, time written), if kept and not expired."""
        with self._lock:
            found = self._values.get((kind, pseudonym))
            if found is None:
                return None
            if found[2] <= self.clock():
                del self._values[(kind, pseudonym)]
                return None
            return found[0], found[1]

    def take_entry(self, kind: str, pseudonym: str) -> tuple[str, float] | None:
        """(value, time written), removed; ``None`` if none or expired."""
        with self._lock:
            found = self._values.pop((kind, pseudonym), None)
        if found is None or found[2] <= self.clock():
            return None
        return found[0], found[1]

    def forget_if_written(self, kind: str, pseudonym: str, written: float) -> None:
        """Remove the value if it is still the one written at ``written`` (Redis has it now)."""
        with self._lock:
            found = self._values.get((kind, pseudonym))
            if found is not None and found[1] == written:
                del self._values[(kind, pseudonym)]


class ValueSealer:
    """AES-256-GCM for short-lived values, under keys derived (HKDF-SHA256) from the
    encryption keys for this purpose only; the associated data binds a value to its place
    (kind and person), so a value copied to another key in Redis does not open.

    The current key seals; retired keys (a rotation during a rolling upgrade) still open.
    """

    def __init__(self, key_b64: str, retired: Iterable[str] = ()) -> None:
        self.current_id = key_id(key_b64)
        self._keys = {self.current_id: self._derive(key_b64)}
        for old in retired:
            self._keys.setdefault(key_id(old), self._derive(old))

    @staticmethod
    def _derive(key_b64: str) -> AESGCM:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE)
        # The settings have checked that the key is 32 bytes of url-safe base64.
        raw = base64.urlsafe_b64decode(key_b64 + "=" * (-len(key_b64) % 4))
        return AESGCM(hkdf.derive(raw))

    def seal(self, plain: bytes, place: str) -> str:
        """``<key id>.<base64 of nonce + ciphertext>`` of ``plain``, bound to ``place``."""
        nonce = os.urandom(_NONCE)
        sealed = self._keys[self.current_id].encrypt(nonce, plain, place.encode())
        return self.current_id + _SEPARATOR + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, token: str, place: str) -> bytes:
        """The plain value; :class:`SealError` when tampered with, moved, or sealed under a
        key this process does not hold."""
        kid, _, body = token.partition(_SEPARATOR)
        aead = self._keys.get(kid)
        if aead is None:
            raise SealError("sealed under a key that is not configured")
        try:
            raw = base64.urlsafe_b64decode(body)
            return aead.decrypt(raw[:_NONCE], raw[_NONCE:], place.encode())
        except (InvalidTag, binascii.Error, ValueError):
            raise SealError("cannot be opened here") from None


_FAILED = object()


class RedisEphemeral:
    """Sealed values in Redis with a TTL, shared by every worker; this process's memory while
    Redis is out.

    All Redis calls of one store run, in order, on one thread of its own: a value put without
    waiting (the crisis answer's kept facts) is written before anything this worker asks
    Redis next, so a later ``take`` cannot miss it and leave it behind.
    """

    def __init__(self, client: redis.Redis, sealer: ValueSealer, ttl: float,
                 prefix: str = REDIS_PREFIX, local: LocalEphemeral | None = None) -> None:
        self.client = client
        self.sealer = sealer
        self.ttl_ms = max(1, round(ttl * 1000))
        self.prefix = prefix
        self.local = local or LocalEphemeral(ttl)
        self.outage = RedisOutage(
            "conversation memory",
            "drafts and kept facts stay in this worker's memory until it answers", log)
        self._calls = ThreadPoolExecutor(1, thread_name_prefix="ephemeral-redis")

    def _key(self, kind: str, pseudonym: str) -> str:
        return f"{self.prefix}{kind}:{pseudonym}"

    def _seal(self, kind: str, pseudonym: str, value: str, written: float) -> str:
        plain = json.dumps({"v": value, "at": written}, ensure_ascii=False).encode()
        return self.sealer.seal(plain, self._key(kind, pseudonym))

    def _open(self, kind: str, pseudonym: str, token: bytes | None) -> tuple[str, float] | None:
        if token is None:
            return None
        try:
            data = json.loads(self.sealer.open(token.decode("ascii"), self._key(kind, pseudonym)))
            return str(data["v"]), float(data["at"])
        except (SealError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            # Not the value, not the key: only what went wrong.
            log.warning("conversation memory: a value in Redis could not be opened (%s)",
                        type(exc).__name__)
            return None

    def _call(self, work: Callable[[], T]) -> T | object:
        """``work`` on the store's Redis thread, waited for; ``_FAILED`` when Redis is out."""
        if self.outage.skipping():
            return _FAILED
        return self._calls.submit(self._guarded, work).result()

    def _guarded(self, work: Callable[[], T]) -> T | object:
        if self.outage.skipping():
            return _FAILED
        try:
            result = work()
        except redis.RedisError as exc:
            self.outage.failed(exc)
            return _FAILED
        self.outage.answered()
        return result

    def put(self, kind: str, pseudonym: str, value: str, *, wait: bool = True) -> None:
        """Keep ``value`` in Redis for the TTL (in this process's memory while Redis is out).
        ``wait=False``: kept here at once, written to Redis in the background."""
        written = time.time()
        token = self._seal(kind, pseudonym, value, written)
        key = self._key(kind, pseudonym)
        # Here first: this worker's next look finds it whatever Redis does; once Redis holds
        # it the copy goes (so a value another worker takes is not found here afterwards).
        self.local.keep(kind, pseudonym, value, written)

        def write() -> None:
            if self._guarded(lambda: self.client.set(key, token, px=self.ttl_ms)) is not _FAILED:
                self.local.forget_if_written(kind, pseudonym, written)

        if wait:
            if not self.outage.skipping():
                self._calls.submit(write).result()
        elif not self.outage.skipping():
            self._calls.submit(write)

    def get(self, kind: str, pseudonym: str) -> str | None:
        """The newest of the value in Redis and one kept here during an outage."""
        found = self._call(lambda: self.client.get(self._key(kind, pseudonym)))
        shared = None if found is _FAILED else self._open(kind, pseudonym, found)  # type: ignore[arg-type]
        return _newest(shared, self.local.entry(kind, pseudonym))

    def take(self, kind: str, pseudonym: str) -> str | None:
        """The newest value, removed from Redis and from here."""
        found = self._call(lambda: self.client.getdel(self._key(kind, pseudonym)))
        shared = None if found is _FAILED else self._open(kind, pseudonym, found)  # type: ignore[arg-type]
        return _newest(shared, self.local.take_entry(kind, pseudonym))

    def drop(self, kind: str, pseudonym: str) -> None:
        """Remove the value from Redis and from here."""
        self.local.drop(kind, pseudonym)
        self._call(lambda: self.client.delete(self._key(kind, pseudonym)))

    def settled(self) -> Future[None]:
        """Done once every Redis write asked for so far has been made (or has failed)."""
        return self._calls.submit(lambda: None)


def _newest(*entries: tuple[str, float] | None) -> str | None:
    found = [e for e in entries if e is not None]
    return max(found, key=lambda e: e[1])[0] if found else None


def ephemeral_store(settings: Settings, ttl: float) -> Ephemeral:
    """The store of one bot worker: in Redis when ``redis_url`` is set (several workers),
    else in this process's memory. Without an encryption key nothing leaves the process (a
    value is never written to Redis unsealed)."""
    if not settings.redis_url:
        return LocalEphemeral(ttl)
    if not settings.encryption_key:
        log.warning("conversation memory: STEUNWIJZER_REDIS_URL is set but no encryption key; "
                    "drafts and kept facts stay in this worker's memory")
        return LocalEphemeral(ttl)
    sealer = ValueSealer(settings.encryption_key, settings.retired_keys)
    return RedisEphemeral(redis_client(settings.redis_url), sealer, ttl)
