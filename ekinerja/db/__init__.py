"""Database access: connection settings, the embedded server, Tortoise start-up and shutdown."""
