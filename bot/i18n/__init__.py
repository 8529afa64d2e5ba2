"""Translations and locale-aware formatting (Babel), for every citizen-facing string."""
