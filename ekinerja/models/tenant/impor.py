"""Pegawai and unit imports run as background jobs for the admin instansi (decision 0022): the
uploaded file, the job's state and progress, its lease, and the report it ends with."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class JenisImpor(StrEnum):
    PEGAWAI = "PEGAWAI"
    UNOR = "UNOR"


class StatusImpor(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"  # written (or, for a dry run, found good)
    REJECTED = "REJECTED"  # the file or its rows were refused; nothing written
    FAILED = "FAILED"  # an unexpected error, the deadline, or its worker lost too often


class ImporKepegawaian(Model):
    """One import job of a pegawai or unit file, run by the background worker."""

    id = fields.BigIntField(primary_key=True)
    jenis = fields.CharEnumField(JenisImpor, max_length=10)
    dry_run = fields.BooleanField(
        description="Check (and count) only; nothing is kept.", source_field="uji"
    )
    status = fields.CharEnumField(StatusImpor, max_length=10, default=StatusImpor.QUEUED)
    dari_uji_id = fields.BigIntField(
        null=True,
        db_index=True,
        description="The dry run this job applies (again only after a FAILED apply).",
    )
    nama_berkas = fields.CharField(max_length=255)
    format = fields.CharField(max_length=4, description="csv or xlsx")
    ukuran_berkas = fields.BigIntField()
    berkas = fields.BinaryField(null=True, description="The file; dropped after the retention.")
    fase = fields.CharField(max_length=20, default="queued")
    baris_selesai = fields.IntField(default=0)
    baris_total = fields.IntField(null=True)
    laporan = fields.JSONField(null=True, description="Counts, the first errors and their total.")
    kesalahan = fields.JSONField(null=True, description="Every row error: [row, column, reason].")
    pesan = fields.TextField(null=True, description="Why the job was rejected or failed.")
    dibuat_oleh = fields.CharField(max_length=255, description="The subject who uploaded.")
    dibuat_pada = fields.DatetimeField(auto_now_add=True)
    dimulai_pada = fields.DatetimeField(null=True)
    selesai_pada = fields.DatetimeField(null=True)
    percobaan = fields.IntField(default=0, description="Claims so far: the lease's fencing token.")
    sewa_sampai = fields.DatetimeField(null=True, description="The running claim's lease end.")

    class Meta:
        table = "impor_kepegawaian"
        indexes = (("status", "sewa_sampai"), ("dibuat_pada",))
