"""POST /pelaksanaan/progres-harian/import: a pegawai's (or an integrator's) daily log from a
CSV or XLSX file, all rows or none.

The file is the request body, its type named by Content-Type (`text/csv` or the XLSX type)
or by `?format=csv|xlsx`; `?uji=true` checks without writing. Authenticated like /graphql,
bound to the instansi, authorized by `pelaksanaan:write`. Answers 200 `{"jumlah", "uji"}` (the
entries written, or that would be); refusals in the one error envelope (decision 0031): 422
INVALID_ROWS with the first bad rows (`baris`: `baris`, `field`, `message`, as GraphQL's
KesalahanBaris) and their count (`jumlahKesalahan`) in `extensions`, 400 for a file that is not
a table (BINARY_FILE for control bytes), 413 when too large or too long, 408 BODY_TIMEOUT when
the body does not arrive within the deadline, 422 IMPORT_TIMEOUT when parsing passes it, 429
when the instansi already runs its share of imports. Served through the shared pipeline
(bound_request.py).

One import must not stall the others: the body is refused early when its Content-Length is
too large and stops being read once it passes the limit; the file is parsed in a worker thread
(never on the event loop) a row at a time, with a deadline checked on every row; the database
is held only to authorize and to check and write, never while the body is read or parsed; and
each instansi may run only a few imports at once per process.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from anyio import to_thread
from starlette.responses import JSONResponse, Response

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.policy import Operation, Relation
from ekinerja.auth.principal import Principal
from ekinerja.http.bound_request import (
    RETRY_AFTER_SECONDS,  # noqa: F401  (re-exported: the hostile tests read it here)
    Bound,
    authorize,
    bound_endpoint,
)
from ekinerja.http.per_key_limit import PerKeyLimit
from ekinerja.http.unggahan import accepts_table, receive_body, upload_suffix, wants_dry_run
from ekinerja.models.tenant import Pegawai
from ekinerja.pelaksanaan.progres_impor import import_parsed, parse_file
from ekinerja.settings import Settings
from ekinerja.skp.lifecycle import Caller
from ekinerja.tabular import Limits
from ekinerja.tenants.binding import tenant_transaction

# Imports running per instansi in this process (EKINERJA_IMPORT_CONCURRENCY_PER_INSTANSI).
RUNNING = PerKeyLimit()


async def _authorized_caller(principal: Principal) -> Caller:
    """The caller as the progres rules see it; AccessDenied without `pelaksanaan:write`."""
    me = None
    if principal.is_person:
        me = await Pegawai.get_or_none(nip=principal.nip).values_list("id", flat=True)
    relation = Relation.OWN if me is not None else Relation.OTHER_IN_TENANT
    authorize(principal, Operation.REPORT_PELAKSANAAN, relation)
    return Caller(me, principal.subject)


def progres_import_endpoint(authenticator: Authenticator, settings: Settings):
    limits = Limits.from_settings(settings, deadline=True)

    async def handler(bound: Bound) -> Response:
        request, principal, tenant = bound.request, bound.principal, bound.tenant
        suffix = upload_suffix(request)
        dry_run = wants_dry_run(request)
        with RUNNING.claim(tenant.kode, settings.import_concurrency_per_instansi):
            async with tenant_transaction(tenant):
                caller = await _authorized_caller(principal)
            with tempfile.TemporaryDirectory() as directory:
                path = Path(directory) / f"progres{suffix}"
                await receive_body(request, path, limits.max_bytes, settings.import_seconds)
                parsed = await to_thread.run_sync(parse_file, path, limits, tenant.kode)
            sumber = "import" if principal.is_person else f"api:{principal.subject}"
            async with tenant_transaction(tenant):
                count = await import_parsed(parsed, caller, sumber[:100], dry_run)
        return JSONResponse({"jumlah": count, "uji": dry_run})

    return bound_endpoint(
        authenticator, handler, max_body_bytes=limits.max_bytes, accepts=accepts_table
    )
