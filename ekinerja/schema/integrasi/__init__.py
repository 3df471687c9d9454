"""What integrators use: the change feed, webhooks and API-client administration."""
