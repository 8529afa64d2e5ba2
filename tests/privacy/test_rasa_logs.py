"""privacy.md: message text never reaches a log file. Rasa's REST channel logs the whole message
at ERROR when a turn is cut off (the bot's time-out); rasa_project/logging.yml silences that.
This starts the real Rasa server as `steunwijzer run` does and cuts turns off on purpose."""

from __future__ import annotations

import socket

import httpx
import pytest
from rasa_probe import require_rasa_env

from bot.runtime.processes import MODEL, setup_rasa, start_rasa, stop, wait_until
from bot.settings import Settings

pytestmark = pytest.mark.rasa

SECRET = "mijn nummer is 0612345678 en ik heet Fatima"


def free_tcp_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_cut_off_turn_leaves_no_message_text_in_the_rasa_log(tmp_path) -> None:
    require_rasa_env()
    setup_rasa()
    assert MODEL.exists()
    settings = Settings(
        rasa_url=f"http://127.0.0.1:{free_tcp_port()}",
        rasa_token="log-test",
        action_server_port=free_tcp_port(),  # nothing listens: the turn ends with no answer
    )
    rasa = start_rasa(settings, tmp_path)
    try:
        wait_until(f"{settings.rasa_url}/status", rasa, 180, {"token": settings.rasa_token})
        webhook = f"{settings.rasa_url}/webhooks/rest/webhook"
        for i in range(3):
            with pytest.raises(httpx.TimeoutException):  # the client gives up: Rasa cancels
                httpx.post(webhook, json={"sender": f"cut-{i}", "message": SECRET}, timeout=0.001)
        # A turn that completes, so the cancelled ones have certainly been handled (and logged).
        assert httpx.post(webhook, json={"sender": "ok", "message": "hallo"}, timeout=30).is_success
    finally:
        stop([rasa])
    log = rasa.log_path.read_text(encoding="utf-8")
    assert "Starting Rasa server" in log  # the log is really Rasa's
    assert "0612345678" not in log and "Fatima" not in log
