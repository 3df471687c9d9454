"""What machine-to-machine callers (API clients) get beyond plain GraphQL: trusted documents
and idempotency keys (decision 0015)."""
