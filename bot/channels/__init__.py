"""Where citizens talk to the bot: Telegram, or a terminal chat for trying it out."""
