"""ekinerja: performance management for Indonesia's civil service (ASN) as one GraphQL API."""

__version__ = "0.1.0"
