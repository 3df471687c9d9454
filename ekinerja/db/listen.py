"""A connection of its own listening on a NOTIFY channel, for the background loops (webhooks on
the outbox's channel, import jobs on theirs). Each notification names a tenant schema."""

from __future__ import annotations

import asyncio

import asyncpg

from ekinerja.db.config import DatabaseAddress, DatabaseLimits, direct_address
from ekinerja.db.errors import raise_translated
from ekinerja.settings import Settings


async def listen(
    address: DatabaseAddress,
    settings: Settings,
    channel: str,
    woken: set[str],
    wake: asyncio.Event,
) -> asyncpg.Connection:
    """Listen on ``channel`` with the service's limits: each payload (a schema name) is added to
    ``woken`` and ``wake`` is set. When the connection is lost (a database restart), ``wake``
    is set too, so the loop notices at once (it checks ``is_closed()``).

    The connection goes to the direct address (EKINERJA_DIRECT_DATABASE_URL, else ``address``):
    LISTEN is session state, which a transaction-mode pooler does not keep."""

    def on_notify(_conn, _pid, _channel, schema_name: str) -> None:
        woken.add(schema_name)
        wake.set()

    limits = DatabaseLimits.for_requests(settings)
    try:
        listener = await asyncpg.connect(
            **direct_address(settings, address).asyncpg_kwargs(), **limits.connect_kwargs()
        )
    except Exception as error:
        raise_translated(error)
    try:
        await listener.add_listener(channel, on_notify)
    except BaseException as error:
        listener.terminate()
        raise_translated(error)
    listener.add_termination_listener(lambda _conn: wake.set())
    return listener
