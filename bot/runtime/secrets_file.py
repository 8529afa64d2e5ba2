"""First-run secrets: created once in the data folder so ``make run`` works on a fresh machine.

Production (``STEUNWIJZER_ENVIRONMENT=production``) sets ``STEUNWIJZER_PSEUDONYM_SECRET``,
``STEUNWIJZER_ENCRYPTION_KEY`` and ``STEUNWIJZER_RASA_TOKEN`` in the environment instead and
refuses a secrets file in the data folder, because a backup or copy of the database would then
be one of the keys too (unless ``STEUNWIJZER_ALLOW_SECRETS_IN_DATA_DIR`` says otherwise). The
environment always wins over the file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.privacy.sealed import generate_key
from bot.settings import Settings, SettingsError, load_settings

SECRETS_NAME = "secrets.env"


def load_runtime_settings(*, create: bool = False, with_secrets: bool = True) -> Settings:
    """The settings of a process: the environment, plus (development, or production when
    explicitly allowed) the secrets file in the data folder, created first when ``create``.

    The file's values are passed to the settings object only, never put into
    ``os.environ``, so child processes (the NLU service) do not inherit them.
    ``with_secrets=False`` gives settings without any key or token, for the dashboard.
    """
    base = load_settings()
    if not with_secrets:
        return base.without_secrets()
    path = base.data_dir / SECRETS_NAME
    if base.production and not base.allow_secrets_in_data_dir:
        if path.exists():
            raise SettingsError(
                f"steunwijzer: {path} keeps secrets next to the database, so a backup of one "
                "is a backup of both. Set them in the environment instead (e.g. a systemd "
                "EnvironmentFile outside the data folder) and delete the file, or set "
                "STEUNWIJZER_ALLOW_SECRETS_IN_DATA_DIR=true to accept this."
            )
        return base
    if create:
        ensure_secrets(base.data_dir)
    if not path.exists():
        return base
    from_file = {
        key.removeprefix("STEUNWIJZER_").lower(): value
        for key, value in read_secrets(path).items()
        if key.startswith("STEUNWIJZER_") and key not in os.environ
    }
    return load_settings(**from_file) if from_file else base


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
