"""The dialogue: one engine that decides what to answer, called by the conversation core with
the meaning of each turn (from the NLU service, or from the bot's keywords when it is down)."""
