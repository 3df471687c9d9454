"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise.connection import get_connection

from ekinerja.db.config import CONNECTION
from ekinerja.db.errors import DatabaseTimeout
from ekinerja.settings import Settings
from ekinerja.supervision import error_kind, running_loops
from ekinerja.tenants.schema_versions import latest_shared_version, latest_tenant_version

_STATE_SQL = """
SELECT
  (SELECT count(*) FROM shared.tortoise_migrations
    WHERE app = 'shared' AND name = $1) AS shared_current,
  (SELECT count(*) FROM shared.instansi
    WHERE versi_schema IS DISTINCT FROM $2) AS tenants_behind
"""


async def healthz(_: Request) -> JSONResponse:
    """Alive: the process answers. Nothing else is checked. ``pid`` says which process answered
    (`serve --workers N` runs several on one socket)."""
    return JSONResponse({"status": "ok", "pid": os.getpid()})


def _background() -> dict[str, Any]:
    """The background loops running in this process (the worker inside `serve`), if any: shown,
    but not part of readiness, which is about serving requests."""
    loops = running_loops()
    return {"background": {h.name: h.as_json() for h in loops}} if loops else {}


def readyz_endpoint(settings: Settings):
    async def readyz(_: Request) -> JSONResponse:
        """Ready: the database answers within ``readyz_timeout_seconds`` and the shared schema
        is current. Tenants whose schema is behind are reported but do not make the whole
        service unready: each of them is refused on its own (TENANT_MIGRATION_PENDING) while
        the others are served."""
        try:
            async with asyncio.timeout(settings.readyz_timeout_seconds):
                _, rows = await get_connection(CONNECTION).execute_query(
                    _STATE_SQL, [latest_shared_version(), latest_tenant_version()]
                )
        except TimeoutError:  # our own deadline: a frozen database, or no free connection
            body = {"status": "unavailable", "database": DatabaseTimeout.code, **_background()}
            return JSONResponse(body, 503)
        except Exception as exc:  # unreachable database or shared schema missing
            body = {"status": "unavailable", "database": error_kind(exc), **_background()}
            return JSONResponse(body, 503)
        shared_current = rows[0]["shared_current"] == 1
        body = {
            "status": "ready" if shared_current else "migrations_pending",
            "database": "ok",
            "sharedSchemaCurrent": shared_current,
            "tenantsBehind": rows[0]["tenants_behind"],
            **_background(),
        }
        return JSONResponse(body, 200 if shared_current else 503)

    return readyz
