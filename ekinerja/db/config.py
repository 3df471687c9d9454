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


def direct_address(settings: Settings, pooled: DatabaseAddress) -> DatabaseAddress:
    """Where a connection that needs a session of its own goes (LISTEN):
    EKINERJA_DIRECT_DATABASE_URL when set, else ``pooled``, the address the pool uses. Behind
    a pooler in transaction mode (PgBouncer), a LISTEN through it would hear nothing once its
    server connection went to another client (decision 0038)."""
    if settings.direct_database_url:
        return DatabaseAddress.parse(settings.direct_database_url)
    return pooled


# The service's own deadline for a statement is the server's plus this: the server's
# statement_timeout answers first with a precise error; the client's catches a server that
# answers nothing (frozen, or a network gone silent).
CLIENT_TIMEOUT_GRACE_SECONDS = 1.0
# Connecting without an acquire timeout (CLI commands): asyncpg's own default.
CONNECT_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class DatabaseLimits:
    """How long a process waits on the database. None or 0: no limit.

    ``acquire_timeout`` bounds taking a pooled connection (and connecting); ``statement_timeout``
    and ``lock_timeout`` are set transaction-local with every tenant binding;
    ``idle_in_transaction_timeout`` is a setting of every connection."""

    acquire_timeout: float | None
    statement_timeout: float
    lock_timeout: float
    idle_in_transaction_timeout: float

    @classmethod
    def for_requests(cls, settings: Settings) -> DatabaseLimits:
        """The service and the worker: every wait bounded, as configured."""
        return cls(
            settings.db_acquire_timeout_seconds,
            settings.db_statement_timeout_seconds,
            settings.db_lock_timeout_seconds,
            settings.db_idle_in_transaction_timeout_seconds,
        )

    @classmethod
    def for_commands(cls, settings: Settings) -> DatabaseLimits:
        """CLI commands (migrations, imports, demo seeding, gc): an operator runs them and
        watches; a large tenant's migration or import may rightly take minutes, and a command
        with more tenants in flight than pooled connections waits its turn. So no acquire,
        statement or lock timeout; a session idle in a transaction is still ended."""
        return cls(None, 0, 0, settings.db_idle_in_transaction_timeout_seconds)

    @property
    def client_timeout(self) -> float | None:
        """asyncpg's command_timeout: how long the service waits for any one statement."""
        if not self.statement_timeout:
            return None
        return self.statement_timeout + CLIENT_TIMEOUT_GRACE_SECONDS

    def connect_kwargs(self) -> dict[str, Any]:
        """asyncpg.connect arguments for these limits (the pool's and the worker's LISTEN)."""
        return {
            "timeout": self.acquire_timeout or CONNECT_TIMEOUT_SECONDS,
            "command_timeout": self.client_timeout,
            "server_settings": {
                "idle_in_transaction_session_timeout": str(
                    _milliseconds(self.idle_in_transaction_timeout)
                ),
                # No JIT compilation: the service's statements are short reads whose cost
                # estimates (recursive cascades, json building) pass jit_above_cost without
                # being long; the whole-agency cascade of 10,000 nodes spent 30 ms compiling
                # to run 50 ms slower (issue 17). A connection setting, not session state.
                "jit": "off",
            },
        }


def _milliseconds(seconds: float) -> int:
    return round(seconds * 1000)


def tortoise_config(
    address: DatabaseAddress, settings: Settings, limits: DatabaseLimits | None = None
) -> dict[str, Any]:
    """The ORM on ``address``; ``limits`` default to the service's (``for_requests``)."""
    limits = limits or DatabaseLimits.for_requests(settings)
    credentials = {
        **address.asyncpg_kwargs(),
        **limits.connect_kwargs(),
        "minsize": settings.db_pool_min,
        "maxsize": settings.db_pool_max,
        "schema": UNBOUND_SCHEMA,
        "statement_cache_size": settings.db_statement_cache_size,
        "application_name": "ekinerja",
        # ekinerja.db.engine's own: the pool wait, and what the tenant binding sets.
        "acquire_timeout": limits.acquire_timeout,
        "statement_timeout_ms": _milliseconds(limits.statement_timeout),
        "lock_timeout_ms": _milliseconds(limits.lock_timeout),
    }
    return {
        "connections": {CONNECTION: {"engine": "ekinerja.db.engine", "credentials": credentials}},
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
