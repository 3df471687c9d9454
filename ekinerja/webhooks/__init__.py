"""Webhooks for API clients: subscriptions per event type, deliveries fanned out from the
outbox, signed with HMAC-SHA256, retried with exponential backoff, dead-lettered after the
last attempt, replayable; sent by `ekinerja worker` (decision 0013)."""
