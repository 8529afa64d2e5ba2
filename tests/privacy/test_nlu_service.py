"""The NLU service as `steunwijzer run` starts it (architecture.md, privacy.md): Rasa's HTTP
API on loopback only, refusing any request without the token, with no dialogue layer to keep
what people write, and no message text in its log."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from rasa_probe import require_rasa_env

from bot.runtime.processes import MODEL, setup_rasa, start_rasa, stop, wait_until
from bot.settings import Settings

pytestmark = pytest.mark.rasa

SECRET = "mijn nummer is 0612345678 en ik heet Fatima, ik voel me zo alleen"


def free_tcp_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_nlu_service_answers_only_with_the_token_and_only_on_loopback(tmp_path) -> None:
    require_rasa_env()
    setup_rasa()
    assert MODEL.exists()
    settings = Settings(rasa_url=f"http://127.0.0.1:{free_tcp_port()}", rasa_token="nlu-test")
    url = settings.nlu_urls[0]
    rasa = start_rasa(settings, tmp_path)
    try:
        wait_until(f"{url}/status", rasa, 180, {"token": settings.rasa_token})
        parse = f"{url}/model/parse"
        refused = httpx.post(parse, json={"text": SECRET}, timeout=30)
        assert refused.status_code in (401, 403)
        wrong = httpx.post(parse, json={"text": SECRET}, params={"token": "guess"}, timeout=30)
        assert wrong.status_code in (401, 403)
        answer = httpx.post(parse, json={"text": SECRET}, params={"token": "nlu-test"}, timeout=30)
        assert answer.is_success and answer.json()["intent"]["name"]
        # No dialogue layer: no REST channel to talk to, no tracker that could hold the text.
        webhook = httpx.post(f"{url}/webhooks/rest/webhook",
                             json={"sender": "x", "message": SECRET}, timeout=30)
        assert webhook.status_code == 404
        tracker = httpx.get(f"{url}/conversations/x/tracker", params={"token": "nlu-test"},
                            timeout=30)
        assert SECRET not in tracker.text
        port = int(url.rsplit(":", 1)[1])
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
    finally:
        stop([rasa])
    log = rasa.log_path.read_text(encoding="utf-8")
    assert "Starting Rasa server" in log  # the log is really Rasa's
    assert "0612345678" not in log and "Fatima" not in log and "alleen" not in log


def test_the_nlu_service_does_not_start_without_a_token(tmp_path) -> None:
    require_rasa_env()
    setup_rasa()
    settings = Settings(rasa_url=f"http://127.0.0.1:{free_tcp_port()}", rasa_token="")
    rasa = start_rasa(settings, tmp_path)
    assert rasa.process.wait(timeout=60) != 0
    assert "refusing to start without" in rasa.log_path.read_text(encoding="utf-8")
