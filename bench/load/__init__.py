"""Load benchmark through the real processes (``make bench``)."""
