"""Training sessions: one run each (data, trainer, history, lock), kept in a store."""
