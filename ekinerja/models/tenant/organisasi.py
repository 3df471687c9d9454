"""The organisation: units (UNOR) with effective-dated versions, and positions (jabatan)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from ekinerja.kepegawaian.enums import JenisJabatan, JenjangFungsional


class UnitKerja(Model):
    """A unit's identity. What it is called, where it hangs and whether it is active are
    effective-dated in UnitKerjaVersi, so the tree can be read as of any date."""

    id = fields.IntField(primary_key=True)
    siasn_id = fields.CharField(max_length=64, unique=True, null=True)
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")

    class Meta:
        table = "unit_kerja"


class UnitKerjaVersi(Model):
    """The unit as it was from `berlaku_mulai` until `berlaku_sampai` (exclusive; null = still)."""

    id = fields.IntField(primary_key=True)
    unit = fields.ForeignKeyField("tenant.UnitKerja", related_name="versi")
    nama = fields.CharField(max_length=255)
    parent = fields.ForeignKeyField(
        "tenant.UnitKerja", related_name="versi_anak", null=True, on_delete=fields.RESTRICT
    )
    aktif = fields.BooleanField(default=True)
    berlaku_mulai = fields.DateField()
    berlaku_sampai = fields.DateField(null=True)

    class Meta:
        table = "unit_kerja_versi"
        indexes = (("unit_id", "berlaku_mulai"), ("parent_id", "berlaku_mulai"))


class Jabatan(Model):
    """A position in a unit. Structural heads are single seats (`kepala_unit`); a fungsional or
    pelaksana position may be held by many pegawai at once."""

    id = fields.IntField(primary_key=True)
    nama = fields.CharField(max_length=255)
    jenis = fields.CharEnumField(JenisJabatan, max_length=16)
    jenjang = fields.CharEnumField(JenjangFungsional, max_length=16, null=True)
    unit = fields.ForeignKeyField(
        "tenant.UnitKerja", related_name="jabatan", on_delete=fields.RESTRICT
    )
    kepala_unit = fields.BooleanField(default=False, description="Heads its unit.")
    atasan_jabatan = fields.ForeignKeyField(
        "tenant.Jabatan",
        related_name="bawahan_jabatan",
        null=True,
        on_delete=fields.SET_NULL,
        description="Explicit superior position, overriding the one derived from the unit tree.",
    )
    penilai_eksternal_nama = fields.CharField(
        max_length=255, null=True, description="A NON-ASN penilai outside the system (Bupati …)."
    )
    penilai_eksternal_jabatan = fields.CharField(max_length=255, null=True)
    aktif = fields.BooleanField(default=True)

    class Meta:
        table = "jabatan"
        unique_together = (("unit_id", "nama"),)
        indexes = (("atasan_jabatan_id",),)
