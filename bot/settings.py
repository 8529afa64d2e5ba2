"""One typed settings object, read from the environment (prefix ``STEUNWIJZER_``).

Everything configurable lives here so that no module reads ``os.environ`` on its own. A
missing or malformed value stops start-up with one clear line (see :func:`load_settings`).
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

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
    """All runtime configuration. Secrets never have a usable default in production.

    Every field is one ``STEUNWIJZER_<NAME>`` environment variable; its ``description`` is the
    help text that ``steunwijzer settings`` prints and docs/settings.md shows (a test keeps
    that page complete).
    """

    model_config = SettingsConfigDict(env_prefix="STEUNWIJZER_", extra="ignore")

    # ---------------------------------------------------------------- storage and place
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description=(
        "The data folder: the SQLite database (when no database URL is set), the first-run "
        "secrets file and the log files. Change it to keep data outside the project folder."))
    database_url: str = Field(default="", description=(
        "SQLAlchemy URL of the database, e.g. `postgresql+psycopg://user@host/steunwijzer` "
        "(production). Empty: the SQLite file `steunwijzer.sqlite3` in the data folder."))
    timezone: str = Field(default="Europe/Amsterdam", description=(
        "IANA time zone in which meetings are planned, shown, imported and put in calendar "
        "feeds. Set it before the first meetings exist: stored series are local wall-clock "
        "times in this zone."))

    # ---------------------------------------------------------------- Telegram
    telegram_token: str | None = Field(default=None, repr=False, description=(
        "The bot token from @BotFather (`123456:ABC...`). Unset: `steunwijzer run` starts the "
        "terminal chat instead of Telegram."))
    telegram_api_base_url: str = Field(default="https://api.telegram.org/bot", description=(
        "Base URL of the Bot API; change it for a self-hosted `telegram-bot-api` server "
        "(the tests point it at a fake one)."))
    telegram_bot_username: str = Field(default="SteunwijzerBot", description=(
        "The bot's username without @, used in deep links, invitations and posters. Set it "
        "to your own bot's name."))
    webhook_url: str | None = Field(default=None, description=(
        "Public HTTPS URL Telegram posts updates to (webhook mode, behind your TLS proxy). "
        "Unset: long polling. Requires the webhook secret."))
    # The bot refuses updates without the secret, so whoever merely reaches the webhook cannot
    # post forged updates.
    webhook_secret: str = Field(default="", repr=False, description=(
        "Webhook mode: the secret Telegram sends with every update (setWebhook's "
        "`secret_token`, header `X-Telegram-Bot-Api-Secret-Token`); updates without it get "
        "403. 32-256 characters of `A-Z a-z 0-9 _ -`, at least 16 different. Required with "
        "a webhook URL."))

    # ---------------------------------------------------------------- environment and secrets
    environment: Literal["development", "production"] = Field(
        default="development", description=(
            "`production` refuses weak secrets (32+ characters, 16+ different; random keys) "
            "and a secrets file in the data folder (a backup of the database would be a "
            "backup of the keys); `development` writes `data/secrets.env` on a first run."))
    # Declared before the secrets, whose validators read it (pydantic validates in order).
    allow_secrets_in_data_dir: bool = Field(default=False, description=(
        "Production only: use `data/secrets.env` anyway, e.g. on a single machine whose data "
        "folder is never backed up or copied."))
    pseudonym_secret: str = Field(default="", repr=False, description=(
        "HMAC key that turns a Telegram id into a pseudonym (privacy.md). A new one gives "
        "everybody a new pseudonym (docs/security.md). Development: generated."))
    encryption_key: str = Field(default="", repr=False, description=(
        "32-byte url-safe base64 key that seals stored chat ids (`steunwijzer keys "
        "generate`); sealed ids carry the id of their key. Development: generated."))
    retired_encryption_keys: str = Field(default="", repr=False, description=(
        "Old encryption keys, comma-separated, that only open chat ids sealed before a "
        "rotation, until `steunwijzer keys rotate` has re-sealed everything under the "
        "current key."))

    # ---------------------------------------------------------------- the NLU service
    rasa_url: str = Field(default="http://127.0.0.1:5005", description=(
        "The NLU service (Rasa, NLU only): one URL, or several comma-separated replicas the "
        "bot spreads its texts over in turn, skipping one that fails; `steunwijzer run` starts "
        "a server at the first."))
    rasa_token: str = Field(default="", repr=False, description=(
        "API token of the NLU service (required by it). Development: generated."))
    rasa_timeout_seconds: float = Field(default=4.0, description=(
        "Seconds one NLU request may take before the next replica (or degraded mode, "
        "keyword understanding) answers."))
    nlu_retry_seconds: float = Field(default=10.0, ge=0, description=(
        "Seconds a replica that failed is left alone before it is asked again (the others, "
        "or degraded mode, answer meanwhile)."))

    # ---------------------------------------------------------------- conversations
    conversation_expiry_seconds: int = Field(default=24 * 60 * 60, gt=0, description=(
        "Seconds after which an idle conversation's state is deleted (privacy.md); checked "
        "on every read. The /privacy text states it in hours."))
    conversation_purge_seconds: int = Field(default=60, gt=0, description=(
        "Seconds between runs of the job that deletes expired conversation states (and the "
        "ids of Telegram updates answered longer ago than `update_memory_hours`)."))
    flood_messages: int = Field(default=8, description=(
        "Messages per person per flood window; beyond that, one notice and then silence (a "
        "crisis always gets through)."))
    # Counted apart from messages: people tap faster than they type (a guided step is one
    # tap), but mashing a button is held back too.
    flood_presses: int = Field(default=20, gt=0, description=(
        "Button presses and commands per person per flood window, counted apart from "
        "messages."))
    flood_window_seconds: float = Field(default=10.0, description=(
        "Length of the flood window in seconds."))
    results_per_page: int = Field(default=3, description=(
        "Search results shown at once, with a \"Show more\" button for the rest."))
    outbox_interval_seconds: float = Field(default=5.0, description=(
        "Seconds between runs of the job that delivers queued messages (reminders, answers "
        "to requests, feedback questions)."))

    # ---------------------------------------------------------------- several bot workers
    # (docs/operations.md)
    webhook_listen: str = Field(default="127.0.0.1", description=(
        "Address each worker's webhook server listens on, behind the TLS proxy that spreads "
        "Telegram's updates over the workers."))
    webhook_port: int = Field(default=8443, gt=0, lt=65536, description=(
        "Port of that webhook server (one per worker)."))
    redis_url: str = Field(default="", description=(
        "Redis URL shared by every worker for the flood limits, unconfirmed question drafts and "
        "the facts kept after a crisis answer (sealed, expiring after 30 minutes; run Redis "
        "without persistence), e.g. `redis://127.0.0.1:6379/0`. Empty: kept in the process's "
        "memory (right for one worker, `make run`)."))
    # The outbox sender runs in one worker at a time, so this is the whole bot's rate.
    telegram_messages_per_second: float = Field(default=25.0, gt=0, le=30, description=(
        "Messages per second the whole bot sends at most (Telegram allows about 30 per bot)."))
    update_memory_hours: float = Field(default=24.0, gt=0, description=(
        "Hours handled update ids are kept, so an update Telegram sends again (to another "
        "worker, after one died before answering) is answered once."))

    # ---------------------------------------------------------------- facilitators, reminders
    reminder_lead_minutes: str = Field(default="1440,120", description=(
        "When meeting reminders go: minutes before the meeting, comma-separated (default a "
        "day and two hours before)."))
    reminder_interval_seconds: float = Field(default=60.0, description=(
        "Seconds between runs of the reminder job."))
    series_weeks_ahead: int = Field(default=12, description=(
        "Weeks ahead for which the meetings of a recurring series are planned."))
    invitation_hours: int = Field(default=72, description=(
        "Hours a facilitator invitation link stays valid (`steunwijzer invite` can override "
        "it per invitation)."))

    # ---------------------------------------------------------------- requests and feedback
    request_expiry_days: int = Field(default=30, gt=0, description=(
        "Days an anonymous request stays open after it was made or last answered or "
        "replied to; then it expires."))
    feedback_delay_days: float = Field(default=7.0, description=(
        "Days after someone agreed to be asked (\"Ask me in a week if this helped\") "
        "before the question is sent."))

    # ---------------------------------------------------------------- retention
    # (privacy.md, docs/security.md), enforced by the retention job.
    request_retention_days: int = Field(default=30, gt=0, description=(
        "Days after a request ended (closed, withdrawn, or expired) before its text, "
        "pseudonym and thread are deleted."))
    profile_inactive_days: int = Field(default=180, gt=0, description=(
        "Days without a message after which a person's profile (their language) is "
        "deleted."))
    subscription_inactive_days: int = Field(default=365, gt=0, description=(
        "Days without a message after which a reminder subscription (with its sealed chat "
        "id) is deleted."))
    backup_max_age_days: int = Field(default=30, gt=0, description=(
        "Age in days of the oldest backup that may still be restored: /forget and \"stop "
        "reminders\" leave a tombstone (a hash, never the pseudonym) this long, so the "
        "retention job can apply them again after a restore."))
    tombstone_file: Path | None = Field(default=None, description=(
        "A file, outside what a restore puts back, where tombstones are mirrored as well "
        "as in the database. Unset: database only."))
    log_max_age_days: int = Field(default=14, gt=0, description=(
        "Log files (one per process under `data/logs/`, the NLU service's too) are deleted "
        "once the day of their lines is more than this many days ago."))
    log_max_file_mb: int = Field(default=20, gt=0, description=(
        "Size in MB at which a log file starts afresh (it also does at midnight UTC)."))

    # ---------------------------------------------------------------- the dashboard
    web_host: str = Field(default="127.0.0.1", description=(
        "Address the coordinators' dashboard listens on (`steunwijzer web --host` "
        "overrides it)."))
    web_port: int = Field(default=8000, description=(
        "Port of the dashboard (`steunwijzer web --port` overrides it)."))
    web_secure_cookies: bool = Field(default=False, description=(
        "Set to true behind TLS: Secure cookies and HSTS."))
    web_session_hours: float = Field(default=12.0, description=(
        "Hours a dashboard login lasts at most, however busy."))
    web_session_idle_minutes: float = Field(default=30.0, gt=0, description=(
        "Minutes after which an unused dashboard login ends (idle timeout)."))
    # The login throttle lives in the database so that every dashboard process shares it
    # (bot/staff/throttle.py).
    web_login_max_failures: int = Field(default=5, gt=0, description=(
        "Failed logins per username and source address that are free; each further one "
        "blocks that pair, for the backoff time doubling up to the lockout time."))
    web_login_lockout_minutes: float = Field(default=15.0, gt=0, description=(
        "The longest block, in minutes, after repeated failed logins."))
    web_login_source_max_failures: int = Field(default=20, gt=0, description=(
        "Failed logins per source address, across usernames, that are free before that "
        "address is blocked the same way."))
    web_login_backoff_seconds: float = Field(default=30.0, gt=0, description=(
        "The first block, in seconds, after the free failed logins."))
    web_login_memory_hours: float = Field(default=24.0, gt=0, description=(
        "Hours after the last failed login when the failures are forgotten."))
    web_login_throttle_rows: int = Field(default=10_000, gt=0, description=(
        "Most login-throttle rows kept (the ones closest to expiry go first)."))
    web_max_upload_mb: float = Field(default=5.0, gt=0, description=(
        "Largest request body (an import file) the dashboard reads, in MB; larger gets 413."))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        # ZoneInfoNotFoundError is a KeyError, which pydantic would let through as a
        # traceback instead of the one-line configuration error.
        try:
            ZoneInfo(value)
        except (ValueError, KeyError):
            raise ValueError("is not a known IANA time zone (e.g. Europe/Amsterdam)") from None
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
    def zone(self) -> ZoneInfo:
        """The configured time zone (``timezone``), for local dates and times."""
        return ZoneInfo(self.timezone)  # ZoneInfo caches its instances

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


@dataclass(frozen=True)
class SettingHelp:
    """One setting as an operator reads about it (``steunwijzer settings``, docs/settings.md)."""

    name: str
    env: str
    default: str
    description: str
    secret: bool


def _shown_default(value: object) -> str:
    """A default as it would be written in the environment (paths relative to the project;
    ``""`` for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Path) and value.is_relative_to(PROJECT_ROOT):
        return f"./{value.relative_to(PROJECT_ROOT)}"
    return str(value)


def settings_help() -> tuple[SettingHelp, ...]:
    """Every setting with its environment variable, default and help text, in declared order.

    Secret settings (``repr=False``) are marked so that no caller prints their values.
    """
    prefix = Settings.model_config.get("env_prefix", "")
    return tuple(
        SettingHelp(name=name, env=f"{prefix}{name}".upper(), default=_shown_default(field.default),
                    description=field.description or "", secret=not field.repr)
        for name, field in Settings.model_fields.items()
    )


def settings_table() -> str:
    """The Markdown table of every setting that docs/settings.md carries (kept equal by a test)."""
    lines = ["| variable | default | what it does |", "|---|---|---|"]
    for item in settings_help():
        description = item.description.replace("|", "\\|")
        if item.secret:
            description += " **Secret.**"
        default = f"`{item.default}`" if item.default else "—"
        lines.append(f"| `{item.env}` | {default} | {description} |")
    return "\n".join(lines) + "\n"
