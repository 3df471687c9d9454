"""Starting and stopping the ORM for a process (server, CLI command, test session)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tortoise import Tortoise
from tortoise.context import TortoiseContext, require_context

from ekinerja.db.config import CONNECTION, DatabaseAddress, DatabaseLimits, tortoise_config
from ekinerja.db.embedded import Progress, start_embedded
from ekinerja.db.outside import remember_root
from ekinerja.settings import Settings
from ekinerja.tenants.identifiers import role_prefix_for_database


def resolve_address(settings: Settings, progress: Progress | None = None) -> DatabaseAddress:
    """DATABASE_URL when set; otherwise the embedded PostgreSQL under ``settings.data_dir``
    (started if need be, and then stopped when this process exits: ekinerja/db/embedded.py);
    ``progress`` hears about its slow first start."""
    if settings.database_url:
        return DatabaseAddress.parse(settings.database_url)
    return start_embedded(settings.data_dir, progress=progress)


def tenant_role_prefix(settings: Settings, address: DatabaseAddress) -> str:
    return settings.tenant_role_prefix or role_prefix_for_database(address.database)


async def open_database(
    address: DatabaseAddress, settings: Settings, limits: DatabaseLimits | None = None
) -> None:
    """The ORM for the whole process. ``limits``: the service's by default; CLI commands pass
    ``DatabaseLimits.for_commands``."""
    # The global fallback makes the ORM visible to request tasks, not only to the lifespan task
    # that initialised it.
    await Tortoise.init(
        config=tortoise_config(address, settings, limits), _enable_global_fallback=True
    )
    remember_root()


@asynccontextmanager
async def database_context(
    address: DatabaseAddress, settings: Settings, limits: DatabaseLimits | None = None
) -> AsyncIterator[TortoiseContext]:
    """The ORM on ``address`` for the enclosed code only (this task and the tasks it starts),
    beside whatever the process opened: fault tests and benchmarks talking to a cluster of
    their own, with limits of their own."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(address, settings, limits))
        yield context


async def close_database() -> None:
    await Tortoise.close_connections()


def current_database() -> tuple[str, int, str]:
    """(host, port, database) of the ORM this task uses: the key of what a process remembers
    about a database's rows, since tests and benchmarks open several in one process."""
    # require_context() is what get_connections() calls, after importing it on every call.
    client = require_context().connections.get(CONNECTION)
    while not hasattr(client, "host"):  # a transaction (a savepoint: one more level): its pool's
        client = client._parent
    return (client.host, client.port, client.database)
