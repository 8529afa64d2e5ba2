"""The conversation's actions: what a turn does, one module each, called by the core.

The dialogue engine (``bot/dialogue/engine.py``) decides *what* to do; these modules do it
through the service layer: search the directory (:mod:`actions.search`), relay a question to
the coordinators (:mod:`actions.relay`), subscribe to reminders and calendars
(:mod:`actions.remind`), show a "help me ask" draft and count it (:mod:`actions.ask_network`),
and forget a person (:mod:`actions.forget`). They are synchronous (the services are) and
never talk to the channel.
"""
