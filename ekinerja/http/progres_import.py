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

import asyncio
import tempfile
from pathlib import Path

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.errors import AccessDenied
from ekinerja.auth.policy import Operation, Relation, allows
from ekinerja.auth.principal import Principal
from ekinerja.http.cross_tenant import audit_cross_tenant_request
from ekinerja.http.per_key_limit import LimitReached, PerKeyLimit
from ekinerja.models.tenant import Pegawai
from ekinerja.pelaksanaan.progres_import import import_parsed, parse_file
from ekinerja.refusals import Refusal, RequestRefused, RowsRefused
from ekinerja.settings import Settings
from ekinerja.skp.lifecycle import Caller
from ekinerja.tabular import Limits, ReadError
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

# Imports running per instansi in this process (EKINERJA_IMPORT_CONCURRENCY_PER_INSTANSI).
RUNNING = PerKeyLimit()
RETRY_AFTER_SECONDS = 10  # a guess at when a place frees up; imports take seconds
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SUFFIX = {"text/csv": ".csv", "application/csv": ".csv", _XLSX: ".xlsx"}


def _suffix(request: Request) -> str | None:
    named = request.query_params.get("format")
    if named in ("csv", "xlsx"):
        return f".{named}"
    return _SUFFIX.get(request.headers.get("content-type", "").split(";")[0].strip().lower())


def _declared_length(request: Request) -> int | None:
    try:
        return int(request.headers["content-length"])
    except (KeyError, ValueError):
        return None  # chunked or malformed: the streamed count still applies


async def _body_to(path: Path, request: Request, max_bytes: int) -> bool:
    """Stream the body to ``path``; False as soon as it is larger than ``max_bytes``."""
    size = 0
    with path.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                return False
            out.write(chunk)
    return True


async def _authorized_caller(principal: Principal) -> Caller:
    """The caller as the progres rules see it; AccessDenied without `pelaksanaan:write`."""
    me = None
    if principal.is_person:
        me = await Pegawai.get_or_none(nip=principal.nip).values_list("id", flat=True)
    relation = Relation.OWN if me is not None else Relation.OTHER_IN_TENANT
    if not allows(principal, Operation.REPORT_PELAKSANAAN, relation):
        raise AccessDenied("not allowed: pelaksanaan:write")
    return Caller(me, principal.subject)


def _error(
    code: str, message: str, status: int, headers: dict[str, str] | None = None, **extra
) -> JSONResponse:
    body = {"error": code, "message": message, **extra}
    return JSONResponse(body, status_code=status, headers=headers)


def progres_import_endpoint(authenticator: Authenticator, settings: Settings):
    limits = Limits.from_settings(settings, deadline=True)
    too_large = f"at most {limits.max_bytes} bytes"

    async def endpoint(request: Request) -> Response:
        suffix = _suffix(request)
        if suffix is None:
            return _error(
                "UNSUPPORTED_TYPE", "send text/csv or an XLSX file (or ?format=csv|xlsx)", 415
            )
        dry_run = request.query_params.get("dryRun", "").lower() in ("1", "true", "yes")
        try:
            authenticated = await authenticator.authenticate(request)
            if authenticated.instansi is None:
                raise AccessDenied("no instansi selected: send its kode in X-Instansi")
            principal = authenticated.principal
            tenant = as_bound(authenticated.instansi)
            await audit_cross_tenant_request(principal, tenant, request)
            declared = _declared_length(request)
            if declared is not None and declared > limits.max_bytes:
                return _error("TOO_LARGE", too_large, 413)  # before reading any of it
            with RUNNING.claim(tenant.kode, settings.import_concurrency_per_instansi):
                async with tenant_transaction(tenant):
                    caller = await _authorized_caller(principal)
                with tempfile.TemporaryDirectory() as directory:
                    path = Path(directory) / f"progres{suffix}"
                    try:
                        # A sender trickling its body would hold one of the instansi's places
                        # for as long as it likes: the body must arrive within the deadline.
                        async with asyncio.timeout(settings.import_seconds):
                            complete = await _body_to(path, request, limits.max_bytes)
                    except TimeoutError:
                        return _error(
                            "BODY_TIMEOUT",
                            f"the file did not arrive within {settings.import_seconds:g} s",
                            408,
                        )
                    if not complete:
                        return _error("TOO_LARGE", too_large, 413)
                    parsed = await to_thread.run_sync(parse_file, path, limits)
                sumber = "import" if principal.is_person else f"api:{principal.subject}"
                async with tenant_transaction(tenant):
                    count = await import_parsed(parsed, caller, sumber[:100], dry_run)
        except LimitReached as busy:
            return _error(
                "TOO_MANY_IMPORTS",
                f"{busy.limit} imports are already running for this instansi; retry later",
                429,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        except ReadError as error:
            return _error(error.code, str(error), error.http_status, field="file")
        except RequestRefused as error:
            return _error(error.code, error.message, error.http_status)
        except RowsRefused as refused:
            rows = [
                {"row": p.row, "field": p.field, "message": p.message} for p in refused.problems
            ]
            return _error(refused.code, refused.message, 422, rows=rows, problemCount=refused.total)
        except Refusal as refused:
            return _error(refused.code, refused.message, 400, field=refused.field)
        return JSONResponse({"imported": count, "dryRun": dry_run})

    return endpoint
