"""Tortoise configuration derived from a PostgreSQL URL and the process settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlparse

from ekinerja.settings import Settings

CONNECTION = "default"

# The search_path every pooled connection starts with. No schema of this name ever exists, so an
# unqualified query for a tenant table made outside a tenant binding fails with "relation does not
# exist" instead of silently reading some schema: the fail-closed half of tenant isolation.
UNBOUND_SCHEMA = "ekinerja_unbound"

SHARED_APP = "shared"
TENANT_APP = "tenant"
SHARED_SCHEMA = "shared"

MIGRATION_MODULES = {
    SHARED_APP: "ekinerja.models.migrations.shared",
    TENANT_APP: "ekinerja.models.migrations.tenant",
}


class DatabaseUrlError(ValueError):
    pass


@dataclass(frozen=True)
class DatabaseAddress:
    host: str
    port: int
    user: str
    password: str | None
    database: str

    @classmethod
    def parse(cls, url: str) -> DatabaseAddress:
        parsed = urlparse(url)
        if parsed.scheme not in {"postgres", "postgresql"}:
            raise DatabaseUrlError(
                f"DATABASE_URL must start with postgresql:// (got {parsed.scheme or 'nothing'}://)"
            )
        query = parse_qs(parsed.query)
        host = query.get("host", [parsed.hostname or "127.0.0.1"])[0]
        database = unquote(parsed.path.lstrip("/"))
        if not database:
            raise DatabaseUrlError("DATABASE_URL names no database (postgresql://…/NAME)")
        return cls(
            host=host,
            port=parsed.port or 5432,
            user=unquote(parsed.username or "postgres"),
            password=unquote(parsed.password) if parsed.password else None,
            database=database,
        )

    def url(self) -> str:
        password = f":{quote(self.password, safe='')}" if self.password else ""
        user = quote(self.user, safe="")
        if self.host.startswith("/"):  # a unix socket directory
            return f"postgresql://{user}{password}@/{self.database}?host={self.host}"
        return f"postgresql://{user}{password}@{self.host}:{self.port}/{self.database}"

    def with_database(self, database: str) -> DatabaseAddress:
        return DatabaseAddress(self.host, self.port, self.user, self.password, database)

    def asyncpg_kwargs(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "database": self.database,
        }


def tortoise_config(address: DatabaseAddress, settings: Settings) -> dict[str, Any]:
    credentials = {
        **address.asyncpg_kwargs(),
        "minsize": settings.db_pool_min,
        "maxsize": settings.db_pool_max,
        "schema": UNBOUND_SCHEMA,
        "statement_cache_size": settings.db_statement_cache_size,
        "application_name": "ekinerja",
    }
    return {
        "connections": {
            CONNECTION: {"engine": "tortoise.backends.asyncpg", "credentials": credentials}
        },
        "apps": {
            app: {
                "models": [f"ekinerja.models.{app}"],
                "default_connection": CONNECTION,
                "migrations": module,
            }
            for app, module in MIGRATION_MODULES.items()
        },
        "use_tz": True,
        "timezone": "UTC",
    }
