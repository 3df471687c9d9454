"""Notifications to people (decision 0041): produced by the worker from the outbox and from
deadlines, read and marked over GraphQL, optionally sent by email through SMTP."""
