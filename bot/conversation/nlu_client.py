"""Asks the NLU service (Rasa, NLU only) what a text means: ``/model/parse`` and nothing else.

Rasa is stateless here (architecture.md): no dialogue, no tracker, no action server. The
client knows one or more replicas and fails over between them; when none answers, the caller
answers in degraded mode with the bot's own keyword understanding.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from bot.runtime.metrics import NLU_FAILURES, NLU_SECONDS
from bot.vocabulary import NluResult

log = logging.getLogger(__name__)

#: After a replica failed, how long to leave it alone before trying it again (seconds).
RETRY_AFTER = 10.0

if TYPE_CHECKING:
    from bot.settings import Settings


class NluUnavailable(Exception):
    """No NLU replica answered in time with a usable result."""


def nlu_from_parse(data: dict[str, Any], language: str | None = None) -> NluResult:
    """Convert a ``/model/parse`` response into an :class:`NluResult`."""
    intent = data.get("intent") or {}
    entities = tuple(
        (str(e["entity"]), str(e["value"])) for e in data.get("entities") or [] if "value" in e
    )
    return NluResult(
        intent=str(intent.get("name") or "nlu_fallback"),
        confidence=float(intent.get("confidence") or 0.0),
        topic=next((v for k, v in entities if k == "topic"), None),
        place=next((v for k, v in entities if k == "place"), None),
        language=language,
        ranking=tuple(
            (str(r["name"]), float(r["confidence"])) for r in data.get("intent_ranking") or []
        ),
        entities=entities,
    )


class NluClient:
    """An async client for the NLU replicas: each text starts at the next replica in turn
    (round robin), the others are tried after it; a failed one is skipped a while."""

    def __init__(
        self,
        urls: Sequence[str] | str,
        token: str = "",
        timeout: float = 4.0,
        retry_after: float = RETRY_AFTER,
    ) -> None:
        self.urls = (urls,) if isinstance(urls, str) else tuple(urls)
        self.retry_after = retry_after
        if not self.urls:
            raise ValueError("at least one NLU URL is needed")
        # Keep every connection alive (httpx keeps only 20 idle ones by default; with more
        # turns in flight the rest were closed and reopened on each turn) and let them expire
        # before Rasa's own 5 s keep-alive does, so a reused connection is never one Rasa just
        # closed. Measured in docs/performance.md.
        limits = httpx.Limits(
            max_connections=64, max_keepalive_connections=64, keepalive_expiry=4.0
        )
        self._client = httpx.AsyncClient(timeout=timeout, limits=limits)
        self._params = {"token": token} if token else {}
        self._down_until = dict.fromkeys(self.urls, 0.0)
        self._turn = 0  # which replica the next text starts at

    @classmethod
    def from_settings(cls, settings: Settings) -> NluClient:
        """The client for the configured replicas, token, time-out and retry pause."""
        return cls(
            settings.nlu_urls,
            settings.rasa_token,
            settings.rasa_timeout_seconds,
            settings.nlu_retry_seconds,
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    def available(self) -> bool:
        """Whether any replica is worth asking now (not all failed within ``retry_after``)."""
        now = time.monotonic()
        return any(now >= until for until in self._down_until.values())

    async def parse(self, text: str) -> NluResult:
        """Intent, ranking and entities of ``text``; :class:`NluUnavailable` when no replica
        answers. A replica that failed is skipped for ``retry_after`` seconds (a circuit
        breaker), so during an outage people get a degraded answer at once instead of each
        waiting for the time-out."""
        now = time.monotonic()
        start, self._turn = self._turn, (self._turn + 1) % len(self.urls)
        for url in (*self.urls[start:], *self.urls[:start]):
            if self._down_until[url] > now:
                continue
            started = time.monotonic()
            try:
                response = await self._client.post(
                    f"{url}/model/parse", json={"text": text}, params=self._params
                )
                response.raise_for_status()
                result = nlu_from_parse(response.json())
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                # Only the exception's type: its message could carry the person's words.
                log.warning("NLU replica %d unavailable (%s)", self.urls.index(url),
                            type(exc).__name__)
                self._down_until[url] = time.monotonic() + self.retry_after
                NLU_FAILURES.inc()
                continue
            NLU_SECONDS.observe(time.monotonic() - started)
            self._down_until[url] = 0.0
            return result
        raise NluUnavailable("no NLU replica answered")

    async def ready(self) -> bool:
        """Whether at least one replica is up with a model loaded."""
        for url in self.urls:
            try:
                response = await self._client.get(f"{url}/status", params=self._params)
                if response.status_code == 200 and response.json().get("model_file"):
                    return True
            except (httpx.HTTPError, ValueError):
                continue
        return False
