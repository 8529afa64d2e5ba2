"""Language identification for citizen messages (nl, tr, fa, ar, en).

The languages themselves, their names and Telegram's hint are vocabulary (``bot.vocabulary``).
"""

from bot.language.detect import detect_language

__all__ = ["detect_language"]
