"""The application context: settings, database and helpers that every host passes down.

Built once per process (bot, dashboard, CLI) and handed to services
explicitly, so there is no global mutable state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy.exc import SQLAlchemyError

from bot.db.base import utcnow
from bot.db.session import Database
from bot.directory.gazetteer import Gazetteer
from bot.privacy.sealed import ChatIdSealer
from bot.settings import Settings


@dataclass
class AppContext:
    """Everything a service call needs besides its arguments."""

    settings: Settings
    database: Database
    clock: Callable[[], datetime] = field(default=utcnow)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        """The municipality gazetteer, loaded once from the database.

        With the database down it falls back to the bundled reference data, so places are
        still understood in degraded mode.
        """
        try:
            with self.database.session() as session:
                return Gazetteer.load(session)
        except SQLAlchemyError:
            return Gazetteer.bundled()

    def gazetteer_if_loaded(self) -> Gazetteer:
        """The loaded gazetteer, or the bundled one when it has not been loaded yet: for
        paths that may not wait for the database (the crisis answer)."""
        loaded = self.__dict__.get("gazetteer")  # where cached_property keeps it
        return loaded if isinstance(loaded, Gazetteer) else Gazetteer.bundled()

    @cached_property
    def sealer(self) -> ChatIdSealer | None:
        """Seals chat ids, or ``None`` when no encryption key is configured."""
        key = self.settings.encryption_key
        return ChatIdSealer(key, self.settings.retired_keys) if key else None

    def without_secrets(self) -> AppContext:
        """The same database and clock without the pseudonym secret and encryption keys: what
        the dashboard runs on (it never needs to make a pseudonym or open a chat id)."""
        return AppContext(settings=self.settings.without_secrets(), database=self.database,
                          clock=self.clock)

    @classmethod
    def from_settings(cls, settings: Settings) -> AppContext:
        """A context with a database for the configured URL."""
        return cls(settings=settings, database=Database(settings.effective_database_url))
