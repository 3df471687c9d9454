"""Employees, their effective-dated position assignments, and superior overrides."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from ekinerja.kepegawaian.enums import (
    JenisKelamin,
    JenisKepegawaian,
    JenisPenugasan,
    PeranAtasan,
    StatusPegawai,
)


class Pegawai(Model):
    id = fields.IntField(primary_key=True)
    nip = fields.CharField(max_length=18, unique=True, description="NIP (PNS) or NI PPPK.")
    nip_lama = fields.CharField(max_length=9, null=True)
    nama = fields.CharField(max_length=255)
    gelar_depan = fields.CharField(max_length=50, null=True)
    gelar_belakang = fields.CharField(max_length=100, null=True)
    jenis_kepegawaian = fields.CharEnumField(JenisKepegawaian, max_length=20)
    golongan = fields.CharField(max_length=8, null=True)
    status = fields.CharEnumField(StatusPegawai, max_length=30, default=StatusPegawai.AKTIF)
    tanggal_lahir = fields.DateField()
    jenis_kelamin = fields.CharEnumField(JenisKelamin, max_length=10, null=True)
    email = fields.CharField(max_length=255, null=True)
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "pegawai"
        indexes = (("nama", "id"),)


class Penugasan(Model):
    """Pegawai held (DEFINITIF) or acted in (PLT / PLH) a jabatan from `berlaku_mulai` until
    `berlaku_sampai` (exclusive; null = still). A mutasi ends one row and starts another."""

    id = fields.IntField(primary_key=True)
    # History is never deleted with what it refers to: pegawai leave by status, not by DELETE.
    pegawai = fields.ForeignKeyField(
        "tenant.Pegawai", related_name="penugasan", on_delete=fields.RESTRICT
    )
    jabatan = fields.ForeignKeyField(
        "tenant.Jabatan", related_name="penugasan", on_delete=fields.RESTRICT
    )
    jenis = fields.CharEnumField(JenisPenugasan, max_length=10, default=JenisPenugasan.DEFINITIF)
    berlaku_mulai = fields.DateField()
    berlaku_sampai = fields.DateField(null=True)
    nomor_sk = fields.CharField(max_length=100, null=True)

    class Meta:
        table = "penugasan"
        indexes = (("pegawai_id", "berlaku_mulai"), ("jabatan_id", "berlaku_mulai"))


class AtasanOverride(Model):
    """An admin's correction of who appraises a pegawai (or who is the appraiser's superior)
    over a period, with its reason. Every change is also written to the audit log."""

    id = fields.IntField(primary_key=True)
    pegawai = fields.ForeignKeyField(
        "tenant.Pegawai", related_name="atasan_override", on_delete=fields.RESTRICT
    )
    peran = fields.CharEnumField(PeranAtasan, max_length=20)
    atasan = fields.ForeignKeyField(
        "tenant.Pegawai",
        related_name="override_sebagai_atasan",
        null=True,
        on_delete=fields.RESTRICT,
    )
    eksternal_nama = fields.CharField(max_length=255, null=True)
    eksternal_jabatan = fields.CharField(max_length=255, null=True)
    berlaku_mulai = fields.DateField()
    berlaku_sampai = fields.DateField(null=True)
    alasan = fields.TextField()
    dibuat_oleh = fields.CharField(max_length=100)
    dibuat_pada = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "atasan_override"
        indexes = (("pegawai_id", "berlaku_mulai"), ("atasan_id", "berlaku_mulai"))
