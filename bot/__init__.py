"""Steunwijzer: anonymous, multilingual signposting bot."""
