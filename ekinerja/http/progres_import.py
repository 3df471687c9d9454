"""POST /pelaksanaan/progres-harian/import: a pegawai's (or an integrator's) daily log from a
CSV or XLSX file, all rows or none.

The file is the request body, its type named by Content-Type (`text/csv` or the XLSX type)
or by `?format=csv|xlsx`; `?dryRun=true` checks without writing. Authenticated like /graphql,
bound to the instansi, authorized by `pelaksanaan:write`. Answers 200 with the count, 422 with
the first bad rows and their count, 400 for a file that is not a table (BINARY_FILE for
control bytes), 413 when too large or too long, 408 BODY_TIMEOUT when the body does not arrive
within the deadline, 422 IMPORT_TIMEOUT when parsing passes it, 429
when the instansi already runs its share of imports.

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
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.errors import AccessDenied
from ekinerja.auth.policy import Operation, Relation, allows
from ekinerja.auth.principal import Principal
from ekinerja.http.bound_request import bound_request
from ekinerja.http.per_key_limit import LimitReached, PerKeyLimit
from ekinerja.http.uploads import (
    RETRY_AFTER_SECONDS,  # noqa: F401  (re-exported: the hostile tests read it here)
    UNSUPPORTED_TYPE,
    announced_too_large,
    json_error,
    receive_body,
    too_many_imports,
    upload_suffix,
    wants_dry_run,
)
from ekinerja.models.tenant import Pegawai
from ekinerja.pelaksanaan.progres_import import import_parsed, parse_file
from ekinerja.refusals import Refusal, RequestRefused, RowsRefused
from ekinerja.settings import Settings
from ekinerja.skp.lifecycle import Caller
from ekinerja.tabular import Limits, ReadError
from ekinerja.tenants.binding import tenant_transaction

# Imports running per instansi in this process (EKINERJA_IMPORT_CONCURRENCY_PER_INSTANSI).
RUNNING = PerKeyLimit()


async def _authorized_caller(principal: Principal) -> Caller:
    """The caller as the progres rules see it; AccessDenied without `pelaksanaan:write`."""
    me = None
    if principal.is_person:
        me = await Pegawai.get_or_none(nip=principal.nip).values_list("id", flat=True)
    relation = Relation.OWN if me is not None else Relation.OTHER_IN_TENANT
    if not allows(principal, Operation.REPORT_PELAKSANAAN, relation):
        raise AccessDenied("not allowed: pelaksanaan:write")
    return Caller(me, principal.subject)


def progres_import_endpoint(authenticator: Authenticator, settings: Settings):
    limits = Limits.from_settings(settings, deadline=True)

    async def endpoint(request: Request) -> Response:
        suffix = upload_suffix(request)
        if suffix is None:
            return json_error("UNSUPPORTED_TYPE", UNSUPPORTED_TYPE, 415)
        dry_run = wants_dry_run(request)
        try:
            principal, tenant = await bound_request(authenticator, request)
            if refused := announced_too_large(request, limits.max_bytes):
                return refused
            with RUNNING.claim(tenant.kode, settings.import_concurrency_per_instansi):
                async with tenant_transaction(tenant):
                    caller = await _authorized_caller(principal)
                with tempfile.TemporaryDirectory() as directory:
                    path = Path(directory) / f"progres{suffix}"
                    refused = await receive_body(
                        request, path, limits.max_bytes, settings.import_seconds
                    )
                    if refused:
                        return refused
                    parsed = await to_thread.run_sync(parse_file, path, limits)
                sumber = "import" if principal.is_person else f"api:{principal.subject}"
                async with tenant_transaction(tenant):
                    count = await import_parsed(parsed, caller, sumber[:100], dry_run)
        except LimitReached as busy:
            return too_many_imports(busy)
        except ReadError as error:
            return json_error(error.code, str(error), error.http_status, field="file")
        except RequestRefused as error:
            return json_error(error.code, error.message, error.http_status)
        except RowsRefused as refused:
            rows = [
                {"row": p.row, "field": p.field, "message": p.message} for p in refused.problems
            ]
            return json_error(
                refused.code, refused.message, 422, rows=rows, problemCount=refused.total
            )
        except Refusal as refused:
            return json_error(refused.code, refused.message, 400, field=refused.field)
        return JSONResponse({"imported": count, "dryRun": dry_run})

    return endpoint
