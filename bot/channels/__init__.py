"""Where people talk to the bot: Telegram, or a terminal chat for trying it out.

Thin adapters: each turns its input into a turn for ``router.Router`` (crisis net, then the
facilitator dialogue, then the citizen pipeline) and renders the replies. Nothing in
``bot.facilitators`` or ``bot.conversation`` imports from here.
"""
