"""POST /pelaksanaan/progres-harian/import: a pegawai's (or an integrator's) daily log from a
CSV or XLSX file, all rows or none.

The file is the request body, its type named by Content-Type (`text/csv` or the XLSX type)
or by `?format=csv|xlsx`; `?dryRun=true` checks without writing. Authenticated like /graphql,
bound to the instansi, authorized by `pelaksanaan:write`. Answers 200 with the count, 422 with
every bad row, 400 for a file that is not a table, 413 when too large.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.errors import AccessDenied
from ekinerja.auth.policy import Operation, Relation, allows
from ekinerja.models.tenant import Pegawai
from ekinerja.pelaksanaan.progres_import import import_progres
from ekinerja.refusals import Refusal, RequestRefused, RowsRefused
from ekinerja.skp.lifecycle import Caller
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

MAX_IMPORT_BYTES = 50 * 1024 * 1024
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SUFFIX = {"text/csv": ".csv", "application/csv": ".csv", _XLSX: ".xlsx"}


def _suffix(request: Request) -> str | None:
    named = request.query_params.get("format")
    if named in ("csv", "xlsx"):
        return f".{named}"
    return _SUFFIX.get(request.headers.get("content-type", "").split(";")[0].strip().lower())


async def _body_to(path: Path, request: Request) -> bool:
    """Stream the body to ``path``; False when it is larger than allowed."""
    size = 0
    with path.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_IMPORT_BYTES:
                return False
            out.write(chunk)
    return True


def _error(code: str, message: str, status: int, **extra) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status)


def progres_import_endpoint(authenticator: Authenticator):
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
            with tempfile.TemporaryDirectory() as directory:
                path = Path(directory) / f"progres{suffix}"
                if not await _body_to(path, request):
                    return _error("TOO_LARGE", f"at most {MAX_IMPORT_BYTES} bytes", 413)
                async with tenant_transaction(as_bound(authenticated.instansi)):
                    me = None
                    if principal.is_person:
                        me = await Pegawai.get_or_none(nip=principal.nip).values_list(
                            "id", flat=True
                        )
                    relation = Relation.OWN if me is not None else Relation.OTHER_IN_TENANT
                    if not allows(principal, Operation.REPORT_PELAKSANAAN, relation):
                        raise AccessDenied("not allowed: pelaksanaan:write")
                    sumber = "import" if principal.is_person else f"api:{principal.subject}"
                    count = await import_progres(
                        path, Caller(me, principal.subject), sumber[:100], dry_run
                    )
        except RequestRefused as error:
            return _error(error.code, error.message, error.http_status)
        except RowsRefused as refused:
            rows = [
                {"row": p.row, "field": p.field, "message": p.message} for p in refused.problems
            ]
            return _error(refused.code, refused.message, 422, rows=rows)
        except Refusal as refused:
            return _error(refused.code, refused.message, 400, field=refused.field)
        return JSONResponse({"imported": count, "dryRun": dry_run})

    return endpoint
