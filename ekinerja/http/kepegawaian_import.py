"""The pegawai and unit imports over HTTP, for the admin instansi (decision 0022):

    POST /kepegawaian/impor/pegawai[?dryRun=true&nama=FILE]   body: the CSV or XLSX file
    POST /kepegawaian/impor/unor[?dryRun=true&nama=FILE]
    GET  /kepegawaian/impor/{id}                     status, progress, report
    GET  /kepegawaian/impor/{id}/kesalahan.csv       every row error
    POST /kepegawaian/impor/{id}/terapkan            apply a dry run that passed

An upload is checked (type, size, body deadline, that it is a table with a usable header)
and queued: 202 with the job and its Location; the background worker runs it
(ekinerja/kepegawaian/impor/runner.py). Authenticated like /graphql, bound to the instansi,
authorized by `kepegawaian:import` (the admin instansi), every request traced when it crosses
instansi. A job is looked up in the bound instansi's schema only, so another instansi's id is
simply not found (404). Errors are JSON `{"error", "message", ...}`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.errors import AccessDenied
from ekinerja.auth.policy import Operation, Relation, allows
from ekinerja.auth.principal import Principal
from ekinerja.http.bound_request import bound_request
from ekinerja.http.per_key_limit import LimitReached, PerKeyLimit
from ekinerja.http.uploads import (
    UNSUPPORTED_TYPE,
    announced_too_large,
    json_error,
    receive_body,
    too_many_imports,
    upload_suffix,
    wants_dry_run,
)
from ekinerja.kepegawaian.impor import jobs, laporan
from ekinerja.kepegawaian.importer.reader import iter_rows
from ekinerja.models.tenant.impor import ImporKepegawaian, JenisImpor, StatusImpor
from ekinerja.refusals import Refusal, RequestRefused
from ekinerja.settings import Settings
from ekinerja.tabular import Limits, ReadError
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.context import BoundTenant

BASE = "/kepegawaian/impor"
# Uploads being received per instansi in this process (EKINERJA_IMPORT_CONCURRENCY_PER_INSTANSI).
RECEIVING = PerKeyLimit()


class _NotFound(Exception):
    pass


_MAX_ID = 2**63 - 1


def _job_id(request: Request) -> int:
    job_id = request.path_params["job_id"]
    if job_id > _MAX_ID:  # no such row, and a number PostgreSQL would refuse
        raise _NotFound()
    return job_id


async def _admin(authenticator: Authenticator, request: Request) -> tuple[Principal, BoundTenant]:
    principal, tenant = await bound_request(authenticator, request)
    if not allows(principal, Operation.IMPORT_KEPEGAWAIAN, Relation.OTHER_IN_TENANT):
        raise AccessDenied(f"not allowed: {Operation.IMPORT_KEPEGAWAIAN.value}")
    return principal, tenant


def _check_table(path: Path, limits: Limits) -> None:
    """Raise ReadError unless the file is a table within the limits with a usable header: a
    file that is no table at all is refused now (400), its rows are the job's business."""
    rows = iter_rows(path, limits=limits)
    try:
        next(rows, None)
    finally:
        rows.close()


def _name(request: Request, jenis: JenisImpor, suffix: str) -> str:
    given = Path(request.query_params.get("nama", "")).name.strip()
    return (given or f"{jenis.value.lower()}{suffix}")[:255]


def job_json(job: ImporKepegawaian) -> dict[str, Any]:
    link = f"{BASE}/{job.id}"
    return {
        "id": job.id,
        "jenis": job.jenis.value,
        "dryRun": job.dry_run,
        "status": job.status.value,
        "progress": {"phase": job.fase, "done": job.baris_selesai, "total": job.baris_total},
        "report": job.laporan,
        "message": job.pesan,
        "file": {
            "name": job.nama_berkas,
            "format": job.format,
            "bytes": job.ukuran_berkas,
        },
        "appliesDryRun": job.dari_uji_id,
        "createdBy": job.dibuat_oleh,
        "createdAt": job.dibuat_pada.isoformat(),
        "startedAt": job.dimulai_pada.isoformat() if job.dimulai_pada else None,
        "finishedAt": job.selesai_pada.isoformat() if job.selesai_pada else None,
        "attempts": job.percobaan,
        "links": {"self": link, "errorsCsv": f"{link}/kesalahan.csv", "apply": f"{link}/terapkan"},
    }


def _queued(job: ImporKepegawaian) -> JSONResponse:
    return JSONResponse(job_json(job), status_code=202, headers={"Location": f"{BASE}/{job.id}"})


def _refusal(error: Exception) -> JSONResponse:
    """The JSON answer of every refusal the import endpoints share."""
    if isinstance(error, _NotFound):
        return json_error("NOT_FOUND", "no such import in this instansi", 404)
    if isinstance(error, jobs.TooManyJobs):
        return json_error(
            "TOO_MANY_IMPORTS",
            f"{error.limit} imports are already queued or running for this instansi; retry "
            "when one has finished",
            429,
            headers={"Retry-After": "30"},
        )
    if isinstance(error, LimitReached):
        return too_many_imports(error, "uploads are already being received")
    if isinstance(error, ReadError):
        return json_error(error.code, str(error), error.http_status, field="file")
    if isinstance(error, RequestRefused):
        return json_error(error.code, error.message, error.http_status)
    if isinstance(error, Refusal):
        status = {"NOT_FOUND": 404, "FILE_EXPIRED": 410}.get(error.code, 409)
        return json_error(error.code, error.message, status, field=error.field)
    raise error


_REFUSALS = (_NotFound, jobs.TooManyJobs, LimitReached, ReadError, RequestRefused, Refusal)


def upload_endpoint(authenticator: Authenticator, settings: Settings, jenis: JenisImpor):
    limits = Limits.from_settings(settings, deadline=True)

    async def endpoint(request: Request) -> Response:
        suffix = upload_suffix(request)
        if suffix is None:
            return json_error("UNSUPPORTED_TYPE", UNSUPPORTED_TYPE, 415)
        try:
            principal, tenant = await _admin(authenticator, request)
            if refused := announced_too_large(request, limits.max_bytes):
                return refused
            with RECEIVING.claim(tenant.kode, settings.import_concurrency_per_instansi):
                with tempfile.TemporaryDirectory() as directory:
                    path = Path(directory) / f"upload{suffix}"
                    refused = await receive_body(
                        request, path, limits.max_bytes, settings.import_seconds
                    )
                    if refused:
                        return refused
                    await to_thread.run_sync(_check_table, path, limits)
                    berkas = path.read_bytes()
            async with tenant_transaction(tenant):
                job = await jobs.antrekan(
                    jenis,
                    wants_dry_run(request),
                    _name(request, jenis, suffix),
                    suffix.lstrip("."),
                    berkas,
                    principal.subject,
                )
        except _REFUSALS as error:
            return _refusal(error)
        return _queued(job)

    return endpoint


async def _job(tenant: BoundTenant, job_id: int) -> ImporKepegawaian:
    async with tenant_transaction(tenant):
        job = await jobs.ringkas().filter(id=job_id).first()
    if job is None:
        raise _NotFound()
    return job


def read_endpoint(authenticator: Authenticator):
    async def endpoint(request: Request) -> Response:
        try:
            _, tenant = await _admin(authenticator, request)
            job = await _job(tenant, _job_id(request))
        except _REFUSALS as error:
            return _refusal(error)
        return JSONResponse(job_json(job))

    return endpoint


def errors_csv_endpoint(authenticator: Authenticator):
    async def endpoint(request: Request) -> Response:
        try:
            _, tenant = await _admin(authenticator, request)
            job_id = _job_id(request)
            async with tenant_transaction(tenant):
                rows = await ImporKepegawaian.filter(id=job_id).values(
                    "status", "laporan", "kesalahan", "selesai_pada"
                )
            if not rows:
                raise _NotFound()
            [row] = rows
            if row["status"] in (StatusImpor.QUEUED, StatusImpor.RUNNING):
                raise Refusal("NOT_FINISHED", "the import has not finished yet", "id")
            report = row["laporan"] or {}
            kesalahan = row["kesalahan"]
            if kesalahan is None and report.get("errorCount"):
                raise Refusal("FILE_EXPIRED", "the full error list is no longer kept", "id")
        except _REFUSALS as error:
            return _refusal(error)
        total, kept = report.get("errorCount", 0), report.get("errorsKept", 0)
        chunks = laporan.csv_kesalahan(kesalahan or [], total, kept)
        return StreamingResponse(
            (chunk.encode("utf-8") for chunk in _with_bom(chunks)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="impor-{job_id}-kesalahan.csv"'},
        )

    return endpoint


def _with_bom(chunks):
    yield "\ufeff"  # Excel reads UTF-8 only with its mark
    yield from chunks


def apply_endpoint(authenticator: Authenticator):
    async def endpoint(request: Request) -> Response:
        try:
            principal, tenant = await _admin(authenticator, request)
            async with tenant_transaction(tenant):
                job = await jobs.terapkan(_job_id(request), principal.subject)
        except _REFUSALS as error:
            return _refusal(error)
        return _queued(job)

    return endpoint


def kepegawaian_import_routes(authenticator: Authenticator, settings: Settings) -> list[Route]:
    return [
        *(
            Route(
                f"{BASE}/{jenis.value.lower()}",
                upload_endpoint(authenticator, settings, jenis),
                methods=["POST"],
            )
            for jenis in JenisImpor
        ),
        Route(f"{BASE}/{{job_id:int}}", read_endpoint(authenticator)),
        Route(f"{BASE}/{{job_id:int}}/kesalahan.csv", errors_csv_endpoint(authenticator)),
        Route(f"{BASE}/{{job_id:int}}/terapkan", apply_endpoint(authenticator), methods=["POST"]),
    ]
