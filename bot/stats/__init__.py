"""Anonymous aggregate counters: topic × language × municipality × week, nothing else."""
