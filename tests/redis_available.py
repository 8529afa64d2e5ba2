"""The real Redis at 127.0.0.1:6379 for tests of what production shares through it."""

from __future__ import annotations

import os

import pytest
import redis


def require_redis(url: str) -> None:
    """Skip (or fail under CI, where Redis must be there) when Redis at ``url`` cannot be
    reached."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:  # pragma: no cover - depends on the machine
        message = f"Redis at 127.0.0.1:6379 unavailable: {type(exc).__name__}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
