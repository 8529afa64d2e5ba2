"""First-run secrets: created once in the data folder so ``make run`` works on a fresh machine.

Production sets ``STEUNWIJZER_PSEUDONYM_SECRET``, ``STEUNWIJZER_ENCRYPTION_KEY`` and
``STEUNWIJZER_RASA_TOKEN`` in the environment instead; the environment always wins.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.privacy.sealed import generate_key

SECRETS_NAME = "secrets.env"


def ensure_secrets(data_dir: Path) -> Path:
    """Create ``data_dir/secrets.env`` (mode 600) with fresh secrets if it does not exist."""
    path = data_dir / SECRETS_NAME
    if path.exists():
        return path
    data_dir.mkdir(parents=True, exist_ok=True)
    content = (
        "# Generated on first run. Keep private: losing it makes old pseudonyms unmatchable.\n"
        f"STEUNWIJZER_PSEUDONYM_SECRET={secrets.token_urlsafe(32)}\n"
        f"STEUNWIJZER_ENCRYPTION_KEY={generate_key()}\n"
        f"STEUNWIJZER_RASA_TOKEN={secrets.token_urlsafe(24)}\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    return path


def read_secrets(path: Path) -> dict[str, str]:
    """The KEY=value pairs of a secrets file (comments and blanks skipped)."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def export_secrets(path: Path) -> None:
    """Put the file's secrets into this process's environment unless already set there."""
    for key, value in read_secrets(path).items():
        os.environ.setdefault(key, value)
