"""Liveness and readiness probes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise.connection import get_connection

from ekinerja.db.config import CONNECTION
from ekinerja.tenants.schema_versions import latest_shared_version, latest_tenant_version

_STATE_SQL = """
SELECT
  (SELECT count(*) FROM shared.tortoise_migrations
    WHERE app = 'shared' AND name = $1) AS shared_current,
  (SELECT count(*) FROM shared.instansi
    WHERE schema_version IS DISTINCT FROM $2) AS tenants_behind
"""


async def healthz(_: Request) -> JSONResponse:
    """Alive: the process answers. Nothing else is checked."""
    return JSONResponse({"status": "ok"})


async def readyz(_: Request) -> JSONResponse:
    """Ready: the database answers and the shared schema is current. Tenants whose schema is
    behind are reported but do not make the whole service unready: each of them is refused on
    its own (TENANT_MIGRATION_PENDING) while the others are served."""
    try:
        _, rows = await get_connection(CONNECTION).execute_query(
            _STATE_SQL, [latest_shared_version(), latest_tenant_version()]
        )
    except Exception as exc:  # unreachable database or shared schema missing
        return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, 503)
    shared_current = rows[0]["shared_current"] == 1
    body = {
        "status": "ready" if shared_current else "migrations_pending",
        "database": "ok",
        "sharedSchemaCurrent": shared_current,
        "tenantsBehind": rows[0]["tenants_behind"],
    }
    return JSONResponse(body, 200 if shared_current else 503)
