"""Anonymity building blocks: pseudonyms, encrypted chat ids, scrubbing (privacy.md)."""
