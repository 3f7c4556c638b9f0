"""What every part shares: the typed settings, error types, the users store."""
