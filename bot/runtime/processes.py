"""Start and stop the NLU service (Rasa, NLU only) as a child process."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.runtime.logging_setup import LoggedProcess, file_handler
from bot.settings import PROJECT_ROOT, Settings

RASA_VENV = PROJECT_ROOT / ".venv-rasa"
MODEL = PROJECT_ROOT / ".models" / "current.tar.gz"


@dataclass
class Child:
    """A child process and where its output goes."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path


def _child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    # The NLU service needs its own token only; no pseudonym secret or chat-id key.
    for name in ("STEUNWIJZER_PSEUDONYM_SECRET", "STEUNWIJZER_ENCRYPTION_KEY",
                 "STEUNWIJZER_RETIRED_ENCRYPTION_KEYS", "STEUNWIJZER_TELEGRAM_TOKEN",
                 "STEUNWIJZER_WEBHOOK_SECRET"):
        env.pop(name, None)
    env["STEUNWIJZER_RASA_TOKEN"] = settings.rasa_token
    # The local server listens where the first replica URL points.
    env["RASA_PORT"] = settings.nlu_urls[0].rsplit(":", 1)[-1]
    return env


def setup_rasa(out=sys.stderr) -> None:
    """Build the Rasa environment and train the model when needed (both skip if up to date)."""
    subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "train_rasa.sh")],
        check=True,
        cwd=PROJECT_ROOT,
        stdout=out,
        stderr=out,
    )


def start_rasa(settings: Settings, log_dir: Path) -> Child:
    """The NLU service: ``rasa run --enable-api`` on the current NLU model, loopback only.

    Its output goes to ``log_dir/rasa.log`` through the bot's own log handling: redacted,
    exception messages withheld, rotated and expired like every other log
    (bot/runtime/logging_setup/)."""
    handler = file_handler(
        settings,
        "rasa",
        log_dir=log_dir,
        formatter=logging.Formatter("%(message)s"),  # Rasa's lines carry their own time
    )
    process = LoggedProcess(
        ["bash", str(PROJECT_ROOT / "scripts" / "run_rasa.sh")],
        handler=handler,
        name="nlu.rasa",
        cwd=PROJECT_ROOT,
        env=_child_env(settings),
    )
    return Child("rasa", process, handler.path)


def wait_until(
    url: str, child: Child, timeout: float, params: dict[str, str] | None = None
) -> None:
    """Poll ``url`` until it answers 200, the child dies, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise RuntimeError(f"{child.name} stopped; see {child.log_path}")
        try:
            if httpx.get(url, params=params, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)  # start-up polling, not a test
    raise TimeoutError(f"{child.name} not ready after {timeout:.0f}s; see {child.log_path}")


def stop(children: list[Child]) -> None:
    """Terminate children, then kill what does not stop."""
    for child in children:
        if child.process.poll() is None:
            child.process.terminate()
    for child in children:
        try:
            child.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.process.kill()


@contextmanager
def conversation_servers(
    settings: Settings, log_dir: Path, meanwhile: Callable[[], None] | None = None
) -> Iterator[list[Child]]:
    """The NLU service running and ready for the duration of the block. ``meanwhile`` runs
    while it loads its model (most of the start-up time), not after."""
    log_dir.mkdir(parents=True, exist_ok=True)
    children: list[Child] = []
    try:
        rasa = start_rasa(settings, log_dir)
        children.append(rasa)
        if meanwhile is not None:
            meanwhile()
        wait_until(f"{settings.nlu_urls[0]}/status", rasa, 180, {"token": settings.rasa_token})
        yield children
    finally:
        stop(children)
