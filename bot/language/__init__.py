"""Language identification for citizen messages (nl, tr, fa, ar, en)."""

from bot.language.detect import LANGUAGE_NAMES, SUPPORTED, detect_language, normalize_hint

__all__ = ["LANGUAGE_NAMES", "SUPPORTED", "detect_language", "normalize_hint"]
