"""Talks to the Rasa server over HTTP: the REST channel, ``/model/parse`` and the tracker API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from bot.dialogue.model import NluResult, Reply


class RasaUnavailable(Exception):
    """Rasa or its action server did not answer in time or answered with an error."""


@dataclass(frozen=True)
class RasaAnswer:
    """Replies from one REST-channel turn and the route the engine took."""

    replies: tuple[Reply, ...]
    route: str | None
    facts: dict[str, Any]


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


class RasaClient:
    """An async client for one Rasa server."""

    def __init__(self, base_url: str, token: str = "", timeout: float = 4.0) -> None:
        # Keep every connection alive (httpx keeps only 20 idle ones by default; with more turns
        # in flight the rest were closed and reopened on each turn) and let them expire before
        # Rasa's own 5 s keep-alive does, so a reused connection is never one Rasa just closed.
        # Measured in docs/performance.md.
        limits = httpx.Limits(
            max_connections=64, max_keepalive_connections=64, keepalive_expiry=4.0
        )
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout, limits=limits)
        self._params = {"token": token} if token else {}

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def _post(self, path: str, payload: dict[str, Any], params: bool = False) -> Any:
        try:
            response = await self._client.post(
                path, json=payload, params=self._params if params else None
            )
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from None

    async def send(self, sender: str, message: str, metadata: dict[str, Any]) -> RasaAnswer:
        """One turn through the REST channel; ``sender`` is the pseudonym."""
        data = await self._post(
            "/webhooks/rest/webhook", {"sender": sender, "message": message, "metadata": metadata}
        )
        replies: list[Reply] = []
        route: str | None = None
        facts: dict[str, Any] = {}
        for item in data or []:
            custom = item.get("custom")
            if isinstance(custom, dict) and "text" in custom:
                replies.append(Reply.from_json(custom))
                route = custom.get("route") or route
                facts.update(custom.get("facts") or {})
            elif item.get("text"):
                replies.append(Reply(text=str(item["text"])))
        if not replies:
            # Rasa answered but the action server did not (it returns nothing then).
            raise RasaUnavailable("no reply from the action server")
        return RasaAnswer(tuple(replies), route, facts)

    async def parse(self, text: str) -> NluResult:
        """Understanding only, without dialogue (``steunwijzer classify``)."""
        return nlu_from_parse(await self._post("/model/parse", {"text": text}, params=True))

    async def forget(self, sender: str) -> None:
        """Wipe the tracker of ``sender``: replacing its events with none deletes the history
        (a restart event would only be appended and keep the old text)."""
        try:
            response = await self._client.put(
                f"/conversations/{sender}/tracker/events", json=[], params=self._params
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from None

    async def ready(self) -> bool:
        """Whether the server is up with a model loaded."""
        try:
            response = await self._client.get("/status", params=self._params)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False
