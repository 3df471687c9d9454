"""The admin instansi's import jobs in GraphQL, read only (decision 0022): a job's state,
progress and report, and the latest jobs. Uploading, applying and the full error list are HTTP
(`/kepegawaian/impor/...`): a file is no GraphQL variable."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.kepegawaian.impor.jobs import ringkas
from ekinerja.models.tenant.impor import ImporKepegawaian as Job
from ekinerja.models.tenant.impor import JenisImpor as JenisImporEnum
from ekinerja.models.tenant.impor import StatusImpor as StatusImporEnum
from ekinerja.refusals import Refusal
from ekinerja.schema.ids import id_or_none
from ekinerja.schema.permissions import require

JenisImpor = strawberry.enum(JenisImporEnum)
StatusImpor = strawberry.enum(StatusImporEnum)
MAX_JOBS = 100


@strawberry.type(description="A refused cell: its row as a spreadsheet numbers it (header = 1).")
class KesalahanImpor:
    baris: int
    kolom: str
    alasan: str


@strawberry.type(description="What an import created, updated or left unchanged, per kind.")
class JumlahImpor:
    jenis: str = strawberry.field(description="units, jabatan, pegawai or penugasan.")
    dibuat: int
    diubah: int
    tetap: int


@strawberry.type(description="A pegawai or unit import run by the background worker.")
class ImporKepegawaian:
    id: strawberry.ID
    jenis: JenisImpor
    dry_run: bool
    status: StatusImpor
    fase: str = strawberry.field(
        description="queued, reading, validating, checking, writing or done."
    )
    selesai: int = strawberry.field(
        description="Done in the phase: rows while reading and validating, steps after."
    )
    total: int | None
    nama_berkas: str
    pesan: str | None = strawberry.field(description="Why it was rejected or failed.")
    jumlah_baris: int | None
    jumlah: list[JumlahImpor]
    kesalahan: list[KesalahanImpor] = strawberry.field(
        description="The first errors (EKINERJA_IMPORT_MAX_ERRORS); every one: "
        "GET /kepegawaian/impor/{id}/kesalahan.csv."
    )
    jumlah_kesalahan: int
    kolom_diabaikan: list[str]
    dari_uji_id: strawberry.ID | None = strawberry.field(description="The dry run it applies.")
    dibuat_oleh: str
    dibuat_pada: datetime
    dimulai_pada: datetime | None
    selesai_pada: datetime | None

    @classmethod
    def of(cls, job: Job) -> ImporKepegawaian:
        report = job.laporan or {}
        return cls(
            id=strawberry.ID(str(job.id)),
            jenis=job.jenis,
            dry_run=job.dry_run,
            status=job.status,
            fase=job.fase,
            selesai=job.baris_selesai,
            total=job.baris_total,
            nama_berkas=job.nama_berkas,
            pesan=job.pesan,
            jumlah_baris=report.get("rows"),
            jumlah=[
                JumlahImpor(
                    jenis=name,
                    dibuat=c["created"],
                    diubah=c["updated"],
                    tetap=c["unchanged"],
                )
                for name, c in (report.get("counts") or {}).items()
            ],
            kesalahan=[
                KesalahanImpor(baris=e["row"], kolom=e["column"], alasan=e["reason"])
                for e in report.get("errors", [])
            ],
            jumlah_kesalahan=report.get("errorCount", 0),
            kolom_diabaikan=report.get("ignoredColumns", []),
            dari_uji_id=strawberry.ID(str(job.dari_uji_id)) if job.dari_uji_id else None,
            dibuat_oleh=job.dibuat_oleh,
            dibuat_pada=job.dibuat_pada,
            dimulai_pada=job.dimulai_pada,
            selesai_pada=job.selesai_pada,
        )


@strawberry.type
class ImporKepegawaianQuery:
    @strawberry.field(
        permission_classes=[require(Operation.IMPORT_KEPEGAWAIAN)],
        description="Admin: one pegawai or unit import of this instansi (null: none such).",
    )
    async def impor_kepegawaian(self, id: strawberry.ID) -> ImporKepegawaian | None:
        found = id_or_none(id)
        job = await ringkas().filter(id=found).first() if found is not None else None
        return ImporKepegawaian.of(job) if job else None

    @strawberry.field(
        permission_classes=[require(Operation.IMPORT_KEPEGAWAIAN)],
        description="Admin: this instansi's latest pegawai and unit imports, newest first.",
    )
    async def daftar_impor_kepegawaian(self, first: int = 20) -> list[ImporKepegawaian]:
        if not 1 <= first <= MAX_JOBS:
            raise Refusal("INVALID_INPUT", f"first must be from 1 to {MAX_JOBS}", "first")
        return [ImporKepegawaian.of(job) for job in await ringkas().order_by("-id").limit(first)]
