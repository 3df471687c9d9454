"""Tenancy: identifiers, the registry, request binding, provisioning and migration fan-out."""
