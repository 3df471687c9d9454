"""Tortoise models: the `shared` app (one schema for all tenants) and the `tenant` app (one schema
per instansi). Tenant models never reference shared models or other tenants with foreign keys, so
each tenant schema stays self-contained (and distributable with Citus schema-based sharding)."""
