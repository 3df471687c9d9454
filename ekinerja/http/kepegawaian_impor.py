"""The pegawai and unit imports over HTTP, for the admin instansi (decision 0022):

    POST /kepegawaian/impor/pegawai[?uji=true&nama=FILE]   body: the CSV or XLSX file
    POST /kepegawaian/impor/unor[?uji=true&nama=FILE]
    GET  /kepegawaian/impor/{id}                     status, progress (fase), report
    GET  /kepegawaian/impor/{id}/kesalahan.csv       every row error
    POST /kepegawaian/impor/{id}/terapkan            apply a dry run that passed

An upload is checked (type, size, body deadline, that it is a table with a usable header)
and queued: 202 with the job and its Location; the background worker runs it
(ekinerja/kepegawaian/impor/runner.py). Authenticated like /graphql, bound to the instansi,
authorized by `kepegawaian:import` (the admin instansi), every request traced when it crosses
instansi. A job is looked up in the bound instansi's schema only, so another instansi's id is
simply not found (404). Every endpoint runs through the shared pipeline (bound_request.py) and
refuses in the one error envelope (decision 0031).
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
from ekinerja.auth.policy import Operation
from ekinerja.http.bound_request import Bound, bound_endpoint, path_id, too_busy
from ekinerja.http.envelope import HttpRefusal
from ekinerja.http.per_key_limit import LimitReached, PerKeyLimit
from ekinerja.http.unggahan import accepts_table, receive_body, upload_suffix, wants_dry_run
from ekinerja.kepegawaian.impor import jobs, laporan
from ekinerja.kepegawaian.importer.reader import iter_rows
from ekinerja.models.tenant.impor import ImporKepegawaian, JenisImpor, StatusImpor
from ekinerja.refusals import Refusal
from ekinerja.schema.ids import encode_id
from ekinerja.settings import Settings
from ekinerja.tabular import Limits
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.context import BoundTenant

BASE = "/kepegawaian/impor"
# Uploads being received per instansi in this process (EKINERJA_IMPORT_CONCURRENCY_PER_INSTANSI).
RECEIVING = PerKeyLimit()
JOB_RETRY_AFTER_SECONDS = 30  # a queued job takes about that long to start
JOB_TYPE = "ImporKepegawaian"  # the GraphQL type: a job's id here is its global id there


def _not_found() -> Refusal:
    return Refusal("NOT_FOUND", "no such import in this instansi", "id")


def _job_id(bound: Bound) -> int:
    return path_id(bound, "job_id", JOB_TYPE)


def _admin_endpoint(authenticator: Authenticator, handler, **options):
    """Through the pipeline, authorized by `kepegawaian:import` over the whole instansi; a
    refusal about a job's state is 409."""
    return bound_endpoint(
        authenticator,
        handler,
        operation=Operation.IMPORT_KEPEGAWAIAN,
        refusal_status=409,
        **options,
    )


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


def job_json(job: ImporKepegawaian, instansi_kode: str) -> dict[str, Any]:
    """The job as the endpoints answer it: the `ImporKepegawaian` GraphQL type's fields, named
    and valued as GraphQL answers them (global ids, decision 0028; ISO 8601 times; the report's
    fields from laporan.untuk_api), then what only this body has, named by the same rule
    (decision 0034): the file's `format` and `ukuranBerkas`, the report's extras, `percobaan`
    (the worker's claims so far) and `links` (`self`, `kesalahanCsv`, `terapkan`)."""
    job_id = encode_id(JOB_TYPE, job.id, instansi_kode)
    link = f"{BASE}/{job_id}"
    report = laporan.untuk_api(job.laporan)
    return {
        "id": job_id,
        "jenis": job.jenis.value,
        "uji": job.dry_run,
        "status": job.status.value,
        "fase": job.fase,
        "selesai": job.baris_selesai,
        "total": job.baris_total,
        "namaBerkas": job.nama_berkas,
        "pesan": job.pesan,
        **{key: report.pop(key) for key in laporan.SCHEMA_KEYS},
        "dariUjiId": None
        if job.dari_uji_id is None
        else encode_id(JOB_TYPE, job.dari_uji_id, instansi_kode),
        "dibuatOleh": job.dibuat_oleh,
        "dibuatPada": job.dibuat_pada.isoformat(),
        "dimulaiPada": job.dimulai_pada.isoformat() if job.dimulai_pada else None,
        "selesaiPada": job.selesai_pada.isoformat() if job.selesai_pada else None,
        "format": job.format,
        "ukuranBerkas": job.ukuran_berkas,
        **report,
        "percobaan": job.percobaan,
        "links": {
            "self": link,
            "kesalahanCsv": f"{link}/kesalahan.csv",
            "terapkan": f"{link}/terapkan",
        },
    }


def _queued(job: ImporKepegawaian, instansi_kode: str) -> JSONResponse:
    body = job_json(job, instansi_kode)
    return JSONResponse(body, status_code=202, headers={"Location": body["links"]["self"]})


async def _queue(tenant: BoundTenant, queue, *args) -> ImporKepegawaian:
    """``queue(*args)`` (a new job, or a dry run's apply) in the instansi's transaction; 429
    when the instansi has its share of jobs waiting already."""
    try:
        async with tenant_transaction(tenant):
            return await queue(*args)
    except jobs.TooManyJobs as error:
        raise HttpRefusal(
            "TOO_MANY_IMPORTS",
            f"{error.limit} imports are already queued or running for this instansi; retry "
            "when one has finished",
            429,
            headers={"Retry-After": str(JOB_RETRY_AFTER_SECONDS)},
        ) from None


def upload_endpoint(authenticator: Authenticator, settings: Settings, jenis: JenisImpor):
    limits = Limits.from_settings(settings, deadline=True)

    async def handler(bound: Bound) -> Response:
        request, tenant = bound.request, bound.tenant
        suffix = upload_suffix(request)
        try:
            with RECEIVING.claim(tenant.kode, settings.import_concurrency_per_instansi):
                with tempfile.TemporaryDirectory() as directory:
                    path = Path(directory) / f"upload{suffix}"
                    await receive_body(request, path, limits.max_bytes, settings.import_seconds)
                    await to_thread.run_sync(_check_table, path, limits)
                    berkas = path.read_bytes()
        except LimitReached as busy:
            raise too_busy(busy, "uploads are already being received") from None
        job = await _queue(
            tenant,
            jobs.antrekan,
            jenis,
            wants_dry_run(request),
            _name(request, jenis, suffix),
            suffix.lstrip("."),
            berkas,
            bound.principal.subject,
        )
        return _queued(job, tenant.kode)

    return _admin_endpoint(
        authenticator, handler, max_body_bytes=limits.max_bytes, accepts=accepts_table
    )


async def _job(tenant: BoundTenant, job_id: int) -> ImporKepegawaian:
    async with tenant_transaction(tenant):
        job = await jobs.ringkas().filter(id=job_id).first()
    if job is None:
        raise _not_found()
    return job


def read_endpoint(authenticator: Authenticator):
    async def handler(bound: Bound) -> Response:
        job = await _job(bound.tenant, _job_id(bound))
        return JSONResponse(job_json(job, bound.tenant.kode))

    return _admin_endpoint(authenticator, handler)


def errors_csv_endpoint(authenticator: Authenticator):
    async def handler(bound: Bound) -> Response:
        job_id = _job_id(bound)
        async with tenant_transaction(bound.tenant):
            rows = await ImporKepegawaian.filter(id=job_id).values(
                "status", "laporan", "kesalahan", "selesai_pada"
            )
        if not rows:
            raise _not_found()
        [row] = rows
        if row["status"] in (StatusImpor.QUEUED, StatusImpor.RUNNING):
            raise Refusal("NOT_FINISHED", "the import has not finished yet", "id")
        report = row["laporan"] or {}
        kesalahan = row["kesalahan"]
        if kesalahan is None and report.get("errorCount"):
            raise Refusal("FILE_EXPIRED", "the full error list is no longer kept", "id")
        total, kept = report.get("errorCount", 0), report.get("errorsKept", 0)
        chunks = laporan.csv_kesalahan(kesalahan or [], total, kept)
        return StreamingResponse(
            (chunk.encode("utf-8") for chunk in _with_bom(chunks)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="impor-{job_id}-kesalahan.csv"'},
        )

    return _admin_endpoint(authenticator, handler)


def _with_bom(chunks):
    yield "\ufeff"  # Excel reads UTF-8 only with its mark
    yield from chunks


def apply_endpoint(authenticator: Authenticator):
    async def handler(bound: Bound) -> Response:
        job_id = _job_id(bound)
        job = await _queue(bound.tenant, jobs.terapkan, job_id, bound.principal.subject)
        return _queued(job, bound.tenant.kode)

    return _admin_endpoint(authenticator, handler)


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
        Route(f"{BASE}/{{job_id}}", read_endpoint(authenticator)),
        Route(f"{BASE}/{{job_id}}/kesalahan.csv", errors_csv_endpoint(authenticator)),
        Route(f"{BASE}/{{job_id}}/terapkan", apply_endpoint(authenticator), methods=["POST"]),
    ]
