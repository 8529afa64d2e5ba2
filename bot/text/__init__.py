"""Text helpers shared by language detection, the crisis net and search."""

from bot.text.normalize import bidi_isolate, fold

__all__ = ["bidi_isolate", "fold"]
