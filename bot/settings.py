"""One typed settings object, read from the environment (prefix ``STEUNWIJZER_``).

Everything configurable lives here so that no module reads ``os.environ`` on its own. A
missing or malformed value stops start-up with one clear line (see :func:`load_settings`).
"""

from __future__ import annotations

import base64
import math
import re
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

#: The webhook secret: the Bot API allows 1-256 characters of A-Z a-z 0-9 _ - in setWebhook's
#: secret_token; fewer than 32 would be guessable (secrets.token_urlsafe(32) gives 43).
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}")
WEBHOOK_SECRET_DISTINCT = 16  # a random one has about 30 different characters; "aaaa…" has 1
WEBHOOK_SECRET_RULE = ("must be 32-256 characters of A-Z a-z 0-9 _ -, at least 16 of them "
                       "different")


#: Production secrets: at least this long and with this many different characters (a random
#: token_urlsafe(32) has 43 characters and about 30 different ones).
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 16


class SettingsError(SystemExit):
    """Raised (as a clean exit) when the environment holds a bad value."""


def secret_weakness(value: str) -> str | None:
    """Why ``value`` is too weak for a production secret, or ``None`` when it is strong enough.

    A length and variety check, not a proof of randomness: it refuses placeholders, words
    repeated to length and anything short; generated secrets always pass.
    """
    if len(value) < MIN_SECRET_LENGTH:
        return (f"is too short for production (at least {MIN_SECRET_LENGTH} characters; "
                "generate one with `steunwijzer keys generate`)")
    if len(set(value)) < MIN_SECRET_DISTINCT:
        return (f"is too regular for production (at least {MIN_SECRET_DISTINCT} different "
                "characters; generate one with `steunwijzer keys generate`)")
    return None


def _check_key(value: str, *, production: bool) -> None:
    """Refuse an encryption key that is not 32 bytes, or (production) not random-looking."""
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    if len(raw) != 32:
        raise ValueError("must be 32 bytes, url-safe base64 encoded")
    if production and len(set(raw)) < MIN_SECRET_DISTINCT:
        # 32 random bytes have about 30 different values; a key of zeros or a repeated
        # pattern is guessable (generate one with bot.privacy.sealed.generate_key()).
        raise ValueError("is not a random key (generate one with `steunwijzer keys generate`)")


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
    # Webhook mode: Telegram sends this with every update (setWebhook's secret_token, header
    # X-Telegram-Bot-Api-Secret-Token) and the bot refuses updates without it, so nobody who
    # merely reaches the webhook can post forged updates. Required when webhook_url is set.
    webhook_secret: str = Field(default="", repr=False)

    # "production" refuses weak secrets and a secrets file in the data folder (a backup of the
    # database would be a backup of the keys); "development" creates that file on a first run.
    environment: Literal["development", "production"] = "development"
    # Production only: use data_dir/secrets.env anyway (e.g. a single machine whose data folder
    # is never backed up or copied). Declared before the secrets, whose checks read it.
    allow_secrets_in_data_dir: bool = False

    # Secrets (privacy.md): HMAC key for pseudonyms, AEAD key for stored chat ids. The chat ids
    # carry the id of their key; retired keys (comma-separated) only open them, until
    # `steunwijzer keys rotate` has re-sealed everything under the current key.
    pseudonym_secret: str = Field(default="", repr=False)
    encryption_key: str = Field(default="", repr=False)
    retired_encryption_keys: str = Field(default="", repr=False)

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
    # Button presses and commands per flood window, counted apart from messages: people tap
    # faster than they type (a guided step is one tap), but mashing a button is held back too.
    flood_presses: int = Field(default=20, gt=0)
    flood_window_seconds: float = 10.0
    results_per_page: int = 3
    outbox_interval_seconds: float = 5.0

    # Several bot workers (docs/operations.md). Each worker's webhook server listens here, behind
    # the TLS proxy that spreads Telegram's updates over the workers.
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, gt=0, lt=65536)
    # Redis, shared by every worker for the flood limits; empty: in the process's memory
    # (right for one worker, `make run`).
    redis_url: str = ""
    # Messages per second the bot sends in all (Telegram allows about 30 per bot); the outbox
    # sender runs in one worker at a time, so this is the whole bot's rate.
    telegram_messages_per_second: float = Field(default=25.0, gt=0, le=30)
    # Handled update ids are kept this long, so an update Telegram sends again (to another
    # worker, after a worker died before answering 200) is answered once.
    update_memory_hours: float = Field(default=24.0, gt=0)

    # Facilitators and reminders (issue 4).
    reminder_lead_minutes: str = "1440,120"  # a day and two hours before, comma-separated
    reminder_interval_seconds: float = 60.0
    series_weeks_ahead: int = 12  # how far recurring meetings are materialised
    invitation_hours: int = 72

    # Anonymous requests and feedback (issue 5).
    request_expiry_days: int = 30
    feedback_delay_days: float = 7.0

    # Retention (privacy.md, docs/security.md), enforced by the retention job. A request's
    # text, pseudonym and thread are deleted this many days after it ended (closed, withdrawn,
    # or expired after an answer or silence); a profile (language) and a reminder subscription
    # (with its sealed chat id) after this many days in which the person did not write.
    request_retention_days: int = Field(default=30, gt=0)
    profile_inactive_days: int = Field(default=180, gt=0)
    subscription_inactive_days: int = Field(default=365, gt=0)
    # Backups: the oldest backup that may still be restored. /forget and "stop reminders" leave
    # a tombstone (a hash, never the pseudonym) this long, so the retention job can apply them
    # again after a restore; kept in the database and, when set, in tombstone_file, which must
    # live outside what a restore puts back.
    backup_max_age_days: int = Field(default=30, gt=0)
    tombstone_file: Path | None = None
    # Logs (bot/runtime/logging_setup.py): one file per process under data_dir/logs (the NLU
    # service's too), started afresh at midnight UTC and at this size; a rotated file is
    # deleted once the day of its lines is more than log_max_age_days ago.
    log_max_age_days: int = Field(default=14, gt=0)
    log_max_file_mb: int = Field(default=20, gt=0)

    # The coordinators' dashboard (issue 5).
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    web_secure_cookies: bool = False  # set to true behind TLS (Secure cookies and HSTS)
    web_session_hours: float = 12.0  # the longest a login lasts, however busy
    # A login not used for this long ends (idle timeout).
    web_session_idle_minutes: float = Field(default=30.0, gt=0)
    # Login throttle, in the database so every dashboard process shares it (bot/staff/throttle.py):
    # per username and source address this many failures are free, then each further one
    # blocks that pair for web_login_backoff_seconds, doubling up to web_login_lockout_minutes;
    # per source address across usernames the same after web_login_source_max_failures. Failures
    # are forgotten web_login_memory_hours after the last one; at most web_login_throttle_rows
    # are kept (the ones closest to expiry go first).
    web_login_max_failures: int = Field(default=5, gt=0)
    web_login_lockout_minutes: float = Field(default=15.0, gt=0)
    web_login_source_max_failures: int = Field(default=20, gt=0)
    web_login_backoff_seconds: float = Field(default=30.0, gt=0)
    web_login_memory_hours: float = Field(default=24.0, gt=0)
    web_login_throttle_rows: int = Field(default=10_000, gt=0)
    # The largest request body (an import file) the dashboard reads, in MB; larger gets 413.
    web_max_upload_mb: float = Field(default=5.0, gt=0)

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

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_shape(cls, value: str) -> str:
        if value and (not WEBHOOK_SECRET.fullmatch(value)
                      or len(set(value)) < WEBHOOK_SECRET_DISTINCT):
            raise ValueError(WEBHOOK_SECRET_RULE)
        return value

    @field_validator("pseudonym_secret")
    @classmethod
    def _strong_pseudonym_secret(cls, value: str, info: ValidationInfo) -> str:
        if value and info.data.get("environment") == "production":
            problem = secret_weakness(value)
            if problem:
                raise ValueError(problem)
        return value

    @field_validator("encryption_key")
    @classmethod
    def _key_is_32_bytes(cls, value: str, info: ValidationInfo) -> str:
        if value:
            _check_key(value, production=info.data.get("environment") == "production")
        return value

    @field_validator("retired_encryption_keys")
    @classmethod
    def _retired_keys(cls, value: str, info: ValidationInfo) -> str:
        keys = [k.strip() for k in value.split(",") if k.strip()]
        for key in keys:
            _check_key(key, production=info.data.get("environment") == "production")
        return ",".join(keys)

    @property
    def production(self) -> bool:
        """Whether this is a production installation (strict about secrets)."""
        return self.environment == "production"

    @property
    def retired_keys(self) -> tuple[str, ...]:
        """The retired encryption keys, which only open chat ids sealed before a rotation."""
        return tuple(k for k in self.retired_encryption_keys.split(",") if k)

    def without_secrets(self) -> Settings:
        """These settings without the pseudonym secret, the encryption keys and the Telegram
        and NLU tokens: for the dashboard, which uses none of them (docs/security.md)."""
        return self.model_copy(update={
            "pseudonym_secret": "", "encryption_key": "", "retired_encryption_keys": "",
            "telegram_token": None, "webhook_secret": "", "rasa_token": "",
        })

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
        if self.webhook_url and not self.webhook_secret:
            raise SettingsError(
                "steunwijzer: STEUNWIJZER_WEBHOOK_SECRET is required when "
                f"STEUNWIJZER_WEBHOOK_URL is set ({WEBHOOK_SECRET_RULE}; e.g. the output of "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; on a bad value exit with one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "STEUNWIJZER_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"steunwijzer: configuration error in {name}: {first['msg']}") from None
