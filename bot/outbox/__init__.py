"""Messages the bot must send later (a coordinator's answer, a reminder), kept until sent."""
