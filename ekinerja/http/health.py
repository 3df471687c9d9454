"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
import os
import time
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
    WHERE versi_schema IS NULL OR versi_schema < $2) AS tenants_behind,
  -- migrated by a newer release past what this code can serve (schema_versions.serves)
  (SELECT count(*) FROM shared.instansi
    WHERE versi_schema > $2 AND (versi_kode_terlama IS NULL OR versi_kode_terlama > $2))
    AS tenants_ahead
"""


async def healthz(_: Request) -> JSONResponse:
    """Alive: the process answers. Nothing else is checked. ``pid`` says which process answered
    (`serve --workers N` runs several on one socket)."""
    return JSONResponse({"status": "ok", "pid": os.getpid()})


def _background() -> dict[str, Any]:
    """The background loops running in this process (the worker inside `serve`), if any: shown,
    but not part of the API's readiness, which is about serving requests."""
    loops = running_loops()
    return {"background": {h.name: h.as_json() for h in loops}} if loops else {}


async def _database(settings: Settings) -> dict[str, Any]:
    """``database``: ``ok`` or the failure's code; when it answered, whether the shared schema
    is current and how many tenants are behind."""
    try:
        async with asyncio.timeout(settings.readyz_timeout_seconds):
            _, rows = await get_connection(CONNECTION).execute_query(
                _STATE_SQL, [latest_shared_version(), latest_tenant_version()]
            )
    except TimeoutError:  # our own deadline: a frozen database, or no free connection
        return {"database": DatabaseTimeout.code}
    except Exception as exc:  # unreachable database or shared schema missing
        return {"database": error_kind(exc)}
    return {
        "database": "ok",
        "sharedSchemaCurrent": rows[0]["shared_current"] == 1,
        "tenantsBehind": rows[0]["tenants_behind"],
        "tenantsAhead": rows[0]["tenants_ahead"],
    }


STORE_CHECK_SECONDS = 5.0  # a probe every few seconds must not become a HEAD every few seconds


class StoreCheck:
    """The object store's bucket answers (a HEAD of it, within the readiness timeout): ``ok``,
    ``timeout`` or ``unavailable (<kind of error>)``. The outcome is kept STORE_CHECK_SECONDS,
    and probes arriving while a check runs wait for that one."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.outcome: str | None = None
        self.checked_at = 0.0
        self._lock = asyncio.Lock()

    def _fresh(self) -> str | None:
        if self.outcome is not None and time.monotonic() - self.checked_at < STORE_CHECK_SECONDS:
            return self.outcome
        return None

    async def __call__(self, store: Any) -> str:
        check = getattr(store, "check", None)
        if check is None:  # a store without a check (a test double): nothing to say
            return "ok"
        outcome = self._fresh()
        if outcome is not None:
            return outcome
        async with self._lock:
            outcome = self._fresh()
            if outcome is None:
                outcome = await self._check(check)
                self.outcome, self.checked_at = outcome, time.monotonic()
            return outcome

    async def _check(self, check) -> str:
        try:
            async with asyncio.timeout(self.timeout):
                await check()
        except TimeoutError:
            return "timeout"
        except Exception as error:  # the kind only: health is public
            return f"unavailable ({type(error.__cause__ or error).__name__})"
        return "ok"


def readyz_endpoint(settings: Settings):
    store_check = StoreCheck(settings.readyz_timeout_seconds)

    async def readyz(request: Request) -> JSONResponse:
        """Ready: the database answers within ``readyz_timeout_seconds`` and the shared schema
        is current, and the object store's bucket answers (checked at most every
        STORE_CHECK_SECONDS). Each is reported on its own, and ``failed`` names those that
        failed. Tenants whose schema is behind are reported but do not make the whole service
        unready: each of them is refused on its own (TENANT_MIGRATION_PENDING) while the others
        are served. Liveness (/healthz) checks none of this."""
        store = getattr(request.app.state, "evidence_store", None)
        database, object_store = await asyncio.gather(
            _database(settings), store_check(store) if store is not None else _ok()
        )
        failed = [] if database["database"] == "ok" else ["database"]
        if object_store != "ok":
            failed.append("objectStore")
        migrations_pending = database.get("sharedSchemaCurrent") is False
        if failed:
            status = "unavailable"
        else:
            status = "migrations_pending" if migrations_pending else "ready"
        body = {
            "status": status,
            **database,
            "objectStore": object_store,
            "failed": failed,
            **_background(),
        }
        return JSONResponse(body, 200 if status == "ready" else 503)

    return readyz


async def _ok() -> str:
    return "ok"


def worker_readyz_endpoint(settings: Settings):
    """`ekinerja worker`'s readiness (its metrics port): the database, and each of its loops
    (``worker``: webhooks; ``worker.impor``: import jobs; ``worker.upkeep``: the national
    figures and pruning) up, its last pass good. A loop starting (no pass yet) or failing makes
    the worker unready; ``failed`` names the checks that failed."""

    async def readyz(_: Request) -> JSONResponse:
        database = await _database(settings)
        loops = {h.name: h for h in running_loops()}
        failed = [] if database["database"] == "ok" else ["database"]
        failed += [f"loop:{name}" for name, h in sorted(loops.items()) if not h.up]
        if not loops:
            failed.append("loops")
        body = {
            "status": "unavailable" if failed else "ready",
            **database,
            "loops": {name: h.as_json() for name, h in sorted(loops.items())},
            "failed": failed,
        }
        return JSONResponse(body, 503 if failed else 200)

    return readyz
