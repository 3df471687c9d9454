"""The admin instansi's import jobs in GraphQL, read only (decision 0022): a job's state,
progress and report, and the latest jobs. Uploading, applying and the full error list are HTTP
(`/kepegawaian/impor/...`): a file is no GraphQL variable."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.kepegawaian.impor.jobs import ringkas
from ekinerja.models.tenant.impor import ImporKepegawaian as Job
from ekinerja.models.tenant.impor import JenisImpor as JenisImporEnum
from ekinerja.models.tenant.impor import StatusImpor as StatusImporEnum
from ekinerja.paging import DEFAULT_FIRST, Keyset
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, Connection, First
from ekinerja.schema.context import Info
from ekinerja.schema.enum_descriptions import described_enum
from ekinerja.schema.ids import gid, gid_or_none, id_or_none
from ekinerja.schema.node import Node
from ekinerja.schema.permissions import require

JenisImpor = described_enum(
    JenisImporEnum,
    description="Jenis impor: what an impor kepegawaian file holds (docs/import.md).",
    values={
        JenisImporEnum.PEGAWAI: "Pegawai with their units, jabatan and penugasan.",
        JenisImporEnum.UNOR: "Unit kerja (unor) alone, so that vacant units can exist.",
    },
)
StatusImpor = described_enum(
    StatusImporEnum,
    description="Status impor: where an import job stands.",
    values={
        StatusImporEnum.QUEUED: "Waiting for the background worker.",
        StatusImporEnum.RUNNING: "Being read, checked or written (see `fase`).",
        StatusImporEnum.SUCCEEDED: "Written; for a dry run (uji), found good and nothing kept.",
        StatusImporEnum.REJECTED: "The file or its rows were refused (see `pesan`, "
        "`kesalahan`); nothing written.",
        StatusImporEnum.FAILED: "An unexpected error, the deadline, or its worker lost too "
        "often; nothing written. Upload again.",
    },
)


@strawberry.type(description="A refused cell: its row as a spreadsheet numbers it (header = 1).")
class KesalahanImpor:
    baris: int = strawberry.field(description="The row number, the header being row 1.")
    kolom: str = strawberry.field(description="The column's header.")
    alasan: str = strawberry.field(description="Why the cell was refused.")


@strawberry.type(description="What an import created, updated or left unchanged, per kind.")
class JumlahImpor:
    jenis: str = strawberry.field(description="units, jabatan, pegawai or penugasan.")
    dibuat: int = strawberry.field(description="Created.")
    diubah: int = strawberry.field(description="Changed.")
    tetap: int = strawberry.field(description="Already as the file says: left alone.")


@strawberry.type(
    description="Impor kepegawaian: a pegawai or unit import (CSV or XLSX) run by the "
    "background worker (decision 0022). Read by the admin instansi (`kepegawaian:import`)."
)
class ImporKepegawaian(Node):
    id: strawberry.ID = strawberry.field(description="The job's id.")
    jenis: JenisImpor = strawberry.field(description="What the file holds.")
    dry_run: bool = strawberry.field(
        description="Uji (dry run): check and count only; nothing is kept.", name="uji"
    )
    status: StatusImpor = strawberry.field(description="Where the job stands.")
    fase: str = strawberry.field(
        description="queued, reading, validating, checking, writing or done."
    )
    selesai: int = strawberry.field(
        description="Done in the phase: rows while reading and validating, steps after."
    )
    total: int | None = strawberry.field(
        description="What `selesai` counts up to in the phase; null while not known."
    )
    nama_berkas: str = strawberry.field(description="The uploaded file's name.")
    pesan: str | None = strawberry.field(description="Why it was rejected or failed.")
    jumlah_baris: int | None = strawberry.field(
        description="Data rows in the file; null until it was read."
    )
    jumlah: list[JumlahImpor] = strawberry.field(
        description="What was (or, for a dry run, would be) created, changed and left alone; "
        "empty while running or when rows were refused."
    )
    kesalahan: list[KesalahanImpor] = strawberry.field(
        description="The first errors (EKINERJA_IMPORT_MAX_ERRORS); every one: "
        "GET /kepegawaian/impor/{id}/kesalahan.csv."
    )
    jumlah_kesalahan: int = strawberry.field(description="Every refused cell, counted.")
    kolom_diabaikan: list[str] = strawberry.field(
        description="Columns of the file the import does not know, ignored."
    )
    dari_uji_id: strawberry.ID | None = strawberry.field(description="The dry run it applies.")
    dibuat_oleh: str = strawberry.field(description="Who uploaded it (a NIP).")
    dibuat_pada: datetime = strawberry.field(description="When it was uploaded.")
    dimulai_pada: datetime | None = strawberry.field(
        description="When the worker started it; null while queued."
    )
    selesai_pada: datetime | None = strawberry.field(
        description="When it ended; null while queued or running."
    )

    @classmethod
    def of(cls, job: Job) -> ImporKepegawaian:
        report = job.laporan or {}
        return cls(
            id=gid("ImporKepegawaian", job.id),
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
            dari_uji_id=gid_or_none("ImporKepegawaian", job.dari_uji_id),
            dibuat_oleh=job.dibuat_oleh,
            dibuat_pada=job.dibuat_pada,
            dimulai_pada=job.dimulai_pada,
            selesai_pada=job.selesai_pada,
        )


ImporKepegawaianConnection = Connection[ImporKepegawaian]
DAFTAR_IMPOR = Keyset("Query.daftarImporKepegawaian", ("-id",), (int,))


@strawberry.type
class ImporKepegawaianQuery:
    @strawberry.field(
        permission_classes=[require(Operation.IMPORT_KEPEGAWAIAN)],
        description="Admin: one pegawai or unit import of this instansi (null: none such).",
    )
    async def impor_kepegawaian(
        self, id: Annotated[strawberry.ID, strawberry.argument(description="The job's id.")]
    ) -> ImporKepegawaian | None:
        found = id_or_none(id, "ImporKepegawaian")
        job = await ringkas().filter(id=found).first() if found is not None else None
        return ImporKepegawaian.of(job) if job else None

    @strawberry.field(
        permission_classes=[require(Operation.IMPORT_KEPEGAWAIAN)],
        description="Admin: this instansi's pegawai and unit imports, newest first.",
    )
    async def daftar_impor_kepegawaian(
        self, info: Info, first: First = DEFAULT_FIRST, after: After = None
    ) -> ImporKepegawaianConnection:
        return await conn.of_query(info, DAFTAR_IMPOR, ringkas(), first, after, ImporKepegawaian.of)
