"""The dialogue: one engine that decides what to answer, hosted by Rasa's action server or,
when Rasa is down, by the bot itself (degraded mode)."""
