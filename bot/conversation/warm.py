"""Load, before the first message, what every message needs."""

from __future__ import annotations

from bot.conversation.local_nlu import keyword_tables
from bot.language.detect import warm_up as warm_up_language
from bot.safety.crisis import check_all


def warm_up() -> None:
    """Load the language models, compile the crisis lexicons and the everyday words now: the
    first person (perhaps one in crisis) does not wait for them, and a broken data file stops
    start-up instead of a crisis answer."""
    warm_up_language()
    check_all("steunwijzer")
    keyword_tables()
