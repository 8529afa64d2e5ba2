"""Anonymous questions to a coordinator, answered through the bot."""
