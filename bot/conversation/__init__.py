"""The bot's side of a conversation: safety net, language, Rasa or degraded mode."""
