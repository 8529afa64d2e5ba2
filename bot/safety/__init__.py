"""Safety: the deterministic multilingual crisis net (see shared/design/safety.md)."""

from bot.safety.crisis import (
    CATEGORIES,
    CrisisMatch,
    check_all,
    check_crisis,
    mentions_home_violence,
)

__all__ = ["CATEGORIES", "CrisisMatch", "check_all", "check_crisis", "mentions_home_violence"]
