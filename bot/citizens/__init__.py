"""What a citizen chose to keep, keyed by pseudonym only."""
