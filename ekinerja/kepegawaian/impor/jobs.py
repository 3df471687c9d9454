"""Import jobs in the database: queueing an upload, claiming the next job with a lease, saving
progress, and ending a job. Every function runs inside the caller's tenant-bound transaction
(decision 0022).

A claim is fenced: it raises ``percobaan`` by one, and every later write of the claim (progress,
the outcome) names the ``percobaan`` it was given and the RUNNING status. A worker that died, or
stalled past its lease, and comes back finds the job taken again and writes nothing. The
apply's outcome is written in the very transaction that writes the pegawai (`selesai` as the
import service's ``before_commit``), so the data and "SUCCEEDED" commit together or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ekinerja.db.locks import serialize
from ekinerja.db.sql import fetch
from ekinerja.models.tenant.impor import ImporKepegawaian, JenisImpor, StatusImpor
from ekinerja.refusals import Refusal

# A job is given this long to run (reading, checking and writing); past it, it ends FAILED.
JOB_SECONDS = 600
# Its lease outlives the deadline a little: a live worker's job is never taken from it.
LEASE = timedelta(seconds=JOB_SECONDS + 60)
# Claims of one job before it is failed: a file that kills its worker must not kill them all.
MAX_ATTEMPTS = 3
# Queued or running jobs per instansi (across all processes): more uploads are refused (429).
MAX_UNFINISHED = 3
# A finished job's file (and its full error list) is kept this long: long enough to apply a
# dry run or fetch its errors, not forever (it holds personal data).
RETENTION = timedelta(days=7)
# Row errors kept for kesalahan.csv; a file with more gets the first ones and their total.
MAX_STORED_ERRORS = 200_000

UNFINISHED = (StatusImpor.QUEUED, StatusImpor.RUNNING)
# Sent on commit of a queued job, naming the schema: the worker starts it at once.
CHANNEL = "ekinerja_impor"


class TooManyJobs(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} imports are already queued or running")
        self.limit = limit


class LeaseLost(Exception):
    """The job was taken by another claim (its lease ran out): this one must write nothing."""


@dataclass(frozen=True)
class Klaim:
    """A job taken by one worker, with what running it needs."""

    id: int
    percobaan: int
    jenis: JenisImpor
    dry_run: bool
    nama_berkas: str
    format: str
    berkas: bytes
    dibuat_oleh: str


def ringkas():
    """Jobs without their file and full error list (what reading a job shows)."""
    # Field names, not column names: .only() takes fields, and `dry_run` is stored as `uji`.
    names = ImporKepegawaian._meta.fields_db_projection
    fields = [name for name in names if name not in _BULKY]
    return ImporKepegawaian.all().only(*fields)


_BULKY = ("berkas", "kesalahan")


async def _notify() -> None:
    await fetch("SELECT pg_notify($1, current_schema())", CHANNEL)


async def _count_unfinished() -> int:
    return await ImporKepegawaian.filter(status__in=UNFINISHED).count()


async def antrekan(
    jenis: JenisImpor,
    dry_run: bool,
    nama_berkas: str,
    format: str,
    berkas: bytes,
    oleh: str,
) -> ImporKepegawaian:
    """Queue an uploaded file; TooManyJobs when the instansi already has its share waiting."""
    await serialize("impor-kepegawaian")  # count and insert as one step (concurrent uploads)
    if await _count_unfinished() >= MAX_UNFINISHED:
        raise TooManyJobs(MAX_UNFINISHED)
    job = await ImporKepegawaian.create(
        jenis=jenis,
        dry_run=dry_run,
        nama_berkas=nama_berkas[:255],
        format=format,
        ukuran_berkas=len(berkas),
        berkas=berkas,
        dibuat_oleh=oleh[:255],
    )
    await _notify()
    return job


async def terapkan(uji_id: int, oleh: str) -> ImporKepegawaian:
    """Queue the apply of dry run ``uji_id``: its file, copied in the database. Refused unless
    the dry run succeeded, still has its file, and was not applied before (an apply that
    FAILED wrote nothing and does not count)."""
    await serialize("impor-kepegawaian")
    uji = await ImporKepegawaian.get_or_none(id=uji_id)
    if uji is None:
        raise Refusal("NOT_FOUND", f"no import with id {uji_id}", "id")
    if not uji.dry_run:
        raise Refusal("NOT_A_DRY_RUN", "only a dry run is applied; this import wrote already", "id")
    if uji.status is not StatusImpor.SUCCEEDED:
        raise Refusal(
            "DRY_RUN_NOT_PASSED",
            f"the dry run is {uji.status.value}; only one that succeeded without errors is applied",
            "id",
        )
    # Applied once: again only when every apply of it FAILED (a crash, the deadline), since
    # then nothing was written. The advisory lock above makes check and insert one step.
    if (
        await ImporKepegawaian.filter(dari_uji_id=uji.id)
        .exclude(status=StatusImpor.FAILED)
        .exists()
    ):
        raise Refusal("ALREADY_APPLIED", "this dry run was applied already", "id")
    if uji.berkas is None:
        raise Refusal("FILE_EXPIRED", "the dry run's file is no longer kept; upload it again", "id")
    if await _count_unfinished() >= MAX_UNFINISHED:
        raise TooManyJobs(MAX_UNFINISHED)
    rows = await fetch(
        """INSERT INTO impor_kepegawaian (jenis, uji, status, dari_uji_id, nama_berkas,
             format, ukuran_berkas, berkas, fase, baris_selesai, dibuat_oleh, dibuat_pada,
             percobaan)
           SELECT jenis, false, $2, id, nama_berkas, format, ukuran_berkas, berkas, 'queued', 0,
             $3, now(), 0 FROM impor_kepegawaian WHERE id = $1
           RETURNING id""",
        uji.id,
        StatusImpor.QUEUED.value,
        oleh[:255],
    )
    await _notify()
    return await ImporKepegawaian.get(id=rows[0]["id"])


async def _fail_exhausted(now: datetime) -> None:
    await fetch(
        """UPDATE impor_kepegawaian SET status = $2, selesai_pada = $1, sewa_sampai = NULL,
             fase = 'done', pesan = $4
           WHERE status = $3 AND sewa_sampai <= $1 AND percobaan >= $5""",
        now,
        StatusImpor.FAILED.value,
        StatusImpor.RUNNING.value,
        f"the worker running it stopped {MAX_ATTEMPTS} times before it finished; nothing was "
        "written. Check the file (a much smaller one?) and upload it again",
        MAX_ATTEMPTS,
    )


async def klaim(now: datetime, lease: timedelta = LEASE) -> Klaim | None:
    """Take the instansi's next job: the oldest queued one, or one whose worker's lease ran out
    (a crash). One job of an instansi runs at a time (its imports would wait on each other's
    lock anyway); one that has lost its worker MAX_ATTEMPTS times ends FAILED instead."""
    await serialize("impor-kepegawaian-klaim")  # concurrent claims: one after the other
    await _fail_exhausted(now)
    rows = await fetch(
        """UPDATE impor_kepegawaian SET status = $3, percobaan = percobaan + 1,
             sewa_sampai = $2, dimulai_pada = coalesce(dimulai_pada, $1), fase = 'reading',
             baris_selesai = 0, baris_total = NULL
           WHERE id = (
             SELECT id FROM impor_kepegawaian
             WHERE (status = $4 OR (status = $3 AND sewa_sampai <= $1))
               AND NOT EXISTS (SELECT 1 FROM impor_kepegawaian r
                               WHERE r.status = $3 AND r.sewa_sampai > $1)
             ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING id, percobaan, jenis, uji, nama_berkas, format, berkas, dibuat_oleh""",
        now,
        now + lease,
        StatusImpor.RUNNING.value,
        StatusImpor.QUEUED.value,
    )
    if not rows:
        return None
    row = rows[0]
    return Klaim(
        id=row["id"],
        percobaan=row["percobaan"],
        jenis=JenisImpor(row["jenis"]),
        dry_run=row["uji"],
        nama_berkas=row["nama_berkas"],
        format=row["format"],
        berkas=bytes(row["berkas"] or b""),
        dibuat_oleh=row["dibuat_oleh"],
    )


async def simpan_progres(klaim: Klaim, fase: str, selesai: int, total: int | None) -> bool:
    """Record progress; False when the claim is no longer the job's (nothing written)."""
    rows = await fetch(
        """UPDATE impor_kepegawaian SET fase = $3, baris_selesai = $4, baris_total = $5
           WHERE id = $1 AND percobaan = $2 AND status = $6 RETURNING id""",
        klaim.id,
        klaim.percobaan,
        fase,
        selesai,
        total,
        StatusImpor.RUNNING.value,
    )
    return bool(rows)


async def selesai(
    klaim: Klaim,
    status: StatusImpor,
    now: datetime,
    laporan: dict[str, Any] | None,
    kesalahan: list[list[Any]] | None = None,
    pesan: str | None = None,
) -> None:
    """End the claimed job; LeaseLost (write nothing, roll back) when the claim is stale."""
    rows = await fetch(
        """UPDATE impor_kepegawaian SET status = $3, selesai_pada = $4, sewa_sampai = NULL,
             fase = 'done', laporan = $5::jsonb, kesalahan = $6::jsonb, pesan = $7,
             baris_selesai = coalesce(baris_total, baris_selesai)
           WHERE id = $1 AND percobaan = $2 AND status = $8 RETURNING id""",
        klaim.id,
        klaim.percobaan,
        status.value,
        now,
        None if laporan is None else json.dumps(laporan, ensure_ascii=False),
        None if kesalahan is None else json.dumps(kesalahan, ensure_ascii=False),
        pesan,
        StatusImpor.RUNNING.value,
    )
    if not rows:
        raise LeaseLost(f"import {klaim.id}: claim {klaim.percobaan} is no longer the job's")


async def lepas(klaim: Klaim) -> None:
    """Give a claimed job back to the queue (its worker is stopping): the next worker takes it
    at once instead of after the lease. The claim still counts towards MAX_ATTEMPTS."""
    await fetch(
        """UPDATE impor_kepegawaian SET status = $3, sewa_sampai = NULL, fase = 'queued',
             baris_selesai = 0, baris_total = NULL
           WHERE id = $1 AND percobaan = $2 AND status = $4""",
        klaim.id,
        klaim.percobaan,
        StatusImpor.QUEUED.value,
        StatusImpor.RUNNING.value,
    )


async def buang_berkas_lama(now: datetime, retention: timedelta = RETENTION) -> int:
    """Drop the file and the full error list of jobs finished before the retention."""
    rows = await fetch(
        """UPDATE impor_kepegawaian SET berkas = NULL, kesalahan = NULL
           WHERE selesai_pada < $1 AND (berkas IS NOT NULL OR kesalahan IS NOT NULL)
           RETURNING id""",
        now - retention,
    )
    return len(rows)
