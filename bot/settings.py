"""One typed settings object, read from the environment (prefix ``STEUNWIJZER_``).

Everything configurable lives here so that no module reads ``os.environ`` on its own. A
missing or malformed value stops start-up with one clear line (see :func:`load_settings`).
"""

from __future__ import annotations

import base64
import math
from datetime import timedelta
from functools import cached_property
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


class SettingsError(SystemExit):
    """Raised (as a clean exit) when the environment holds a bad value."""


class Settings(BaseSettings):
    """All runtime configuration. Secrets never have a usable default in production."""

    model_config = SettingsConfigDict(env_prefix="STEUNWIJZER_", extra="ignore")

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    timezone: str = "Europe/Amsterdam"

    # Telegram. No token means: run the terminal chat instead of Telegram.
    telegram_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_bot_username: str = "SteunwijzerBot"
    webhook_url: str | None = None

    # Secrets (privacy.md): HMAC key for pseudonyms, AEAD key for stored chat ids.
    pseudonym_secret: str = Field(default="", repr=False)
    encryption_key: str = Field(default="", repr=False)

    # The NLU service (Rasa, NLU only). One URL, or several comma-separated replicas that the
    # bot fails over between in order; `steunwijzer run` starts a server at the first one.
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = Field(default="", repr=False)
    rasa_timeout_seconds: float = 4.0
    # After a replica failed, it is left alone this long (the others, or degraded mode, answer).
    nlu_retry_seconds: float = Field(default=10.0, ge=0)
    # The dialogue state of an idle conversation is deleted after this long (privacy.md),
    # checked on every read and by a purge job this often.
    conversation_expiry_seconds: int = Field(default=24 * 60 * 60, gt=0)
    conversation_purge_seconds: int = Field(default=60, gt=0)

    # Conversation limits.
    flood_messages: int = 8
    flood_window_seconds: float = 10.0
    results_per_page: int = 3
    outbox_interval_seconds: float = 5.0

    # Facilitators and reminders (issue 4).
    reminder_lead_minutes: str = "1440,120"  # a day and two hours before, comma-separated
    reminder_interval_seconds: float = 60.0
    series_weeks_ahead: int = 12  # how far recurring meetings are materialised
    invitation_hours: int = 72

    # Anonymous requests and feedback (issue 5).
    request_expiry_days: int = 30
    feedback_delay_days: float = 7.0

    # The coordinators' dashboard (issue 5).
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    web_secure_cookies: bool = False  # set to true behind TLS
    web_session_hours: float = 12.0
    web_login_max_failures: int = 5
    web_login_lockout_minutes: float = 15.0

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        ZoneInfo(value)  # raises for an unknown zone
        return value

    @field_validator("reminder_lead_minutes")
    @classmethod
    def _lead_minutes(cls, value: str) -> str:
        minutes = [int(part) for part in value.split(",") if part.strip()]
        if not minutes or any(m <= 0 for m in minutes):
            raise ValueError("must be positive minutes, comma-separated, e.g. 1440,120")
        return ",".join(str(m) for m in sorted(set(minutes), reverse=True))

    @field_validator("encryption_key")
    @classmethod
    def _key_is_32_bytes(cls, value: str) -> str:
        if value and len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))) != 32:
            raise ValueError("must be 32 bytes, url-safe base64 encoded")
        return value

    @property
    def conversation_expiry_hours(self) -> int:
        """The conversation expiry in whole hours (rounded up), as /privacy states it."""
        return max(1, math.ceil(self.conversation_expiry_seconds / 3600))

    @property
    def conversation_expiry(self) -> timedelta:
        """How long an idle conversation's state is kept."""
        return timedelta(seconds=self.conversation_expiry_seconds)

    @property
    def nlu_urls(self) -> tuple[str, ...]:
        """The NLU replicas from ``rasa_url``, in the order they are tried."""
        return tuple(u.strip().rstrip("/") for u in self.rasa_url.split(",") if u.strip())

    @cached_property
    def effective_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'steunwijzer.sqlite3'}"

    def require_telegram(self) -> None:
        """Stop with one clear line when the secrets Telegram mode needs are missing."""
        for name in ("telegram_token", "pseudonym_secret", "encryption_key"):
            if not getattr(self, name):
                raise SettingsError(f"steunwijzer: STEUNWIJZER_{name.upper()} is not set")
        if ":" not in (self.telegram_token or ""):
            raise SettingsError(
                "steunwijzer: STEUNWIJZER_TELEGRAM_TOKEN does not look like a "
                "bot token (expected 123456:ABC...)"
            )


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; on a bad value exit with one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "STEUNWIJZER_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"steunwijzer: configuration error in {name}: {first['msg']}") from None
