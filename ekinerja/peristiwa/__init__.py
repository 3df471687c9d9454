"""Domain events: written to the tenant's outbox with the change they describe
(`outbox.emit`), read in commit-safe order by the change feed (`feed`) and the webhook worker."""
