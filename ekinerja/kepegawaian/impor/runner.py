"""Running import jobs: claim one per instansi, read its file in a worker thread within the
import limits, run the import service (validation, then one transaction for writing), and
record the outcome (decision 0022).

    await run_pass(tenants, settings)       # one pass; the background loop calls it

A dry run rolls its writing transaction back (its counts are what applying would do); an apply
records SUCCEEDED inside the transaction that writes, fenced by its claim, so a worker whose
lease ran out writes nothing at all. Progress is saved in short transactions of its own: at
each phase the runner reaches, and every second meanwhile. An unexpected error, or the job
deadline, ends the job FAILED with a message (the writing transaction rolled back: nothing is
half-written); the pass goes on with the next instansi.
"""

from __future__ import annotations

import asyncio
import logging
import re
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from anyio import to_thread
from tortoise.timezone import now as utc_now

from ekinerja.kepegawaian.impor import jobs, laporan
from ekinerja.kepegawaian.impor.jobs import Klaim, LeaseLost
from ekinerja.kepegawaian.importer import ImportResult, import_pegawai, import_unor, read_rows
from ekinerja.models.shared import Instansi
from ekinerja.models.tenant.impor import JenisImpor, StatusImpor
from ekinerja.observability.metrics import IMPORT_JOBS, IMPORT_ROWS
from ekinerja.refusals import RequestRefused
from ekinerja.settings import Settings
from ekinerja.tabular import Limits, ReadError
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

log = logging.getLogger(__name__)

# Jobs one process runs at once (each holds its file's rows in memory while it runs).
JOBS_AT_ONCE = 2
FLUSH_SECONDS = 1.0

# (phase, done, total): a test's window into a running job (e.g. to stop it mid-write).
Observer = Callable[[str, int, int | None], None]
# Called with the job id after each progress save the runner awaits.
Saved = Callable[[int], Awaitable[None]]


@dataclass
class Progres:
    """The running job's progress, set from the reading and validating threads and the event
    loop alike (plain attribute writes), saved by the runner."""

    observer: Observer | None = None
    fase: str = "reading"
    selesai: int = 0
    total: int | None = None
    versi: int = field(default=0)

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        self.fase, self.selesai, self.total = phase, done, total
        self.versi += 1
        if self.observer is not None:
            self.observer(phase, done, total)

    def reading(self, done: int, total: int | None) -> None:
        self("reading", done, total)


@dataclass(frozen=True)
class Akhir:
    """How a job ended, unless its apply recorded that itself (``None`` status)."""

    status: StatusImpor | None
    laporan: dict | None = None
    kesalahan: list | None = None
    pesan: str | None = None


def _file_name(klaim: Klaim) -> str:
    """The uploaded name, made safe as a file name, with the suffix of its format (the reader
    chooses by suffix; messages name the file)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(klaim.nama_berkas).stem)[:100] or "impor"
    return f"{stem}.{klaim.format}"


async def _import(
    instansi: Instansi,
    klaim: Klaim,
    settings: Settings,
    progres: Progres,
    save: Callable[[], Awaitable[bool]],
) -> Akhir:
    limits = Limits.from_settings(settings, deadline=True)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / _file_name(klaim)
        path.write_bytes(klaim.berkas)
        try:
            rows = await to_thread.run_sync(read_rows, path, progres.reading, limits)
        except ReadError as error:
            return Akhir(StatusImpor.REJECTED, laporan.dari_berkas(error), pesan=str(error))
    progres("validating", 0, len(rows))
    await save()
    shown = settings.import_max_errors

    async def record_success(result: ImportResult) -> None:
        # In the writing transaction: the pegawai and "SUCCEEDED" commit together.
        report = laporan.dari_hasil(result, shown)
        await jobs.selesai(klaim, StatusImpor.SUCCEEDED, utc_now(), report)

    importer = import_pegawai if klaim.jenis is JenisImpor.PEGAWAI else import_unor
    result = await importer(
        instansi.kode,
        rows,
        actor=klaim.dibuat_oleh,
        source=klaim.nama_berkas,
        on_progress=progres,
        max_errors=jobs.MAX_STORED_ERRORS,
        dry_run=klaim.dry_run,
        before_commit=record_success,
    )
    report = laporan.dari_hasil(result, shown)
    outcome = "rejected" if not result.ok else "checked" if klaim.dry_run else "written"
    IMPORT_ROWS.labels(klaim.jenis.value, outcome).inc(len(rows))
    if not result.ok:
        pesan = f"{result.error_count} errors; nothing was written"
        return Akhir(StatusImpor.REJECTED, report, laporan.semua_kesalahan(result), pesan)
    if klaim.dry_run:
        return Akhir(StatusImpor.SUCCEEDED, report)
    return Akhir(None)  # recorded by record_success


async def _flush_every_second(progres: Progres, save: Callable[[], Awaitable[bool]]) -> None:
    saved = progres.versi
    while True:
        await asyncio.sleep(FLUSH_SECONDS)
        if progres.versi != saved:
            saved = progres.versi
            await save()


async def jalankan(
    instansi: Instansi,
    klaim: Klaim,
    settings: Settings,
    *,
    job_seconds: float = jobs.JOB_SECONDS,
    observer: Observer | None = None,
    saved: Saved | None = None,
) -> StatusImpor | None:
    """Run one claimed job to its end; the status it ended with, or None when its claim was
    lost meanwhile (another worker has it: this one wrote nothing). A database failure while
    recording the outcome propagates: the job keeps its lease and is claimed again after it."""
    bound = as_bound(instansi)
    progres = Progres(observer)

    async def save() -> bool:
        async with tenant_transaction(bound):
            kept = await jobs.simpan_progres(klaim, progres.fase, progres.selesai, progres.total)
        if saved is not None:
            await saved(klaim.id)
        return kept

    flusher = asyncio.create_task(_flush_every_second(progres, save))
    try:
        async with asyncio.timeout(job_seconds):
            akhir = await _import(instansi, klaim, settings, progres, save)
    except LeaseLost:
        log.warning("import job lost its lease", extra={"instansi": instansi.kode, "job": klaim.id})
        return None
    except asyncio.CancelledError:  # the worker is stopping: the next one takes the job at once
        await asyncio.shield(_give_back(bound, klaim))
        raise
    except TimeoutError:
        akhir = Akhir(
            StatusImpor.FAILED,
            pesan=f"not finished within {job_seconds:g} s; nothing was written. Split the file",
        )
    except RequestRefused as refused:  # the instansi suspended meanwhile, say
        akhir = Akhir(StatusImpor.FAILED, pesan=f"{refused.code}: {refused.message}")
    except Exception as error:  # a bug or a database failure: the job must end, the loop go on
        log.exception("import job failed", extra={"instansi": instansi.kode, "job": klaim.id})
        akhir = Akhir(
            StatusImpor.FAILED,
            pesan=f"unexpected error ({type(error).__name__}); nothing was written. "
            "Try again; if it fails again, tell the service's operators",
        )
    finally:
        flusher.cancel()
    if akhir.status is None:
        IMPORT_JOBS.labels(klaim.jenis.value, StatusImpor.SUCCEEDED.value).inc()
        return StatusImpor.SUCCEEDED
    try:
        async with tenant_transaction(bound):
            await jobs.selesai(
                klaim, akhir.status, utc_now(), akhir.laporan, akhir.kesalahan, akhir.pesan
            )
    except LeaseLost:
        log.warning("import job lost its lease", extra={"instansi": instansi.kode, "job": klaim.id})
        return None
    IMPORT_JOBS.labels(klaim.jenis.value, akhir.status.value).inc()
    return akhir.status


async def _give_back(bound, klaim: Klaim) -> None:
    try:
        async with asyncio.timeout(5), tenant_transaction(bound):
            await jobs.lepas(klaim)
    except Exception:  # then its lease runs out and it is claimed again
        log.warning("import job not given back", extra={"job": klaim.id}, exc_info=True)


async def _claim(instansi: Instansi, now: datetime | None) -> Klaim | None:
    async with tenant_transaction(as_bound(instansi)):
        await jobs.buang_berkas_lama(now or utc_now())
        return await jobs.klaim(now or utc_now())


async def run_pass(
    tenants: list[Instansi],
    settings: Settings,
    now: datetime | None = None,
    *,
    observer: Observer | None = None,
    saved: Saved | None = None,
) -> int:
    """One pass: in each instansi, claim its next job (if any) and run it, JOBS_AT_ONCE at a
    time. ``now`` is the claims' clock (tests move it past a lease). Returns the jobs run. One
    instansi's failure does not stop the others; the first is raised once all have run."""
    gate = asyncio.Semaphore(JOBS_AT_ONCE)

    async def one(instansi: Instansi) -> int:
        async with gate:
            klaim = await _claim(instansi, now)
            if klaim is None:
                return 0
            await jalankan(instansi, klaim, settings, observer=observer, saved=saved)
            return 1

    outcomes = await asyncio.gather(*(one(i) for i in tenants), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return sum(outcomes)
