"""Facilitators: staff who run a peer group and post its meetings through the bot.

``dialogue`` answers their turns on any channel (``steps``, ``questions`` and ``saving`` are
its parts, ``state`` is where a guided conversation is kept); ``membership``, ``meetings`` and
``recognition`` are the services, ``texts`` what facilitators read.
"""
