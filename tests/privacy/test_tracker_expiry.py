"""privacy.md: Rasa's tracker store deletes idle conversations (default 24 hours), by a job.

The store is the one rasa_project/endpoints.yml configures, built the way the Rasa server
builds it, in the real Rasa environment; time is a fake clock so nothing waits an hour."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_probe import run_probe

from bot.settings import Settings

pytestmark = pytest.mark.rasa

PROBE = Path(__file__).with_name("tracker_store_probe.py")


@pytest.fixture(scope="module")
def probe() -> dict:
    return run_probe(
        PROBE,
        env={
            "STEUNWIJZER_CONVERSATION_EXPIRY_SECONDS": "7200",
            "STEUNWIJZER_CONVERSATION_PURGE_SECONDS": "30",
        },
    )


def test_the_server_is_configured_with_the_expiring_store(probe: dict) -> None:
    # Rasa silently falls back to its plain in-memory store when a configured class is missing.
    assert probe["configured_type"] == "ExpiringInMemoryTrackerStore"
    assert probe["configured_record_exp"] == 7200
    assert probe["configured_purge_interval"] == 30


def test_an_idle_conversation_is_gone_and_an_active_one_stays(probe: dict) -> None:
    assert probe["keys_after_an_hour"] == ["pseudonym-b"]
    assert probe["a_gone_after_an_hour"] is True
    assert probe["b_texts"] == ["ben ik anoniem?"]


def test_a_new_message_restarts_the_idle_clock(probe: dict) -> None:
    assert probe["b_alive_after_new_message"] is True


def test_the_purge_job_deletes_without_any_request(probe: dict) -> None:
    assert probe["purge_job_running"] is True
    assert probe["store_after_purge_job"] == []


def test_the_default_expiry_is_24_hours() -> None:
    settings = Settings()
    assert settings.conversation_expiry_seconds == 24 * 60 * 60
    assert settings.conversation_purge_seconds == 60
