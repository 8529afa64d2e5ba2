"""Facilitators: staff who run a peer group and post its meetings through the bot."""
