"""Rasa custom actions (served by rasa-sdk from the app environment)."""
