"""Models of the `shared` schema: what spans tenants."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from ekinerja.db.config import SHARED_SCHEMA


class JenisInstansi(StrEnum):
    PUSAT = "PUSAT"
    PROVINSI = "PROVINSI"
    KABUPATEN = "KABUPATEN"
    KOTA = "KOTA"


class StatusInstansi(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"


class Instansi(Model):
    """The tenant registry: one row per agency and the PostgreSQL schema holding its data."""

    id = fields.IntField(primary_key=True)
    kode = fields.CharField(max_length=16, unique=True, description="Kode instansi (BKN).")
    nama = fields.CharField(max_length=255)
    jenis = fields.CharEnumField(JenisInstansi, max_length=16)
    schema_name = fields.CharField(max_length=63, unique=True)
    role_name = fields.CharField(max_length=63, unique=True)
    status = fields.CharEnumField(StatusInstansi, max_length=16, default=StatusInstansi.ACTIVE)
    schema_version = fields.CharField(
        max_length=100, null=True, description="Latest tenant migration applied to the schema."
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        schema = SHARED_SCHEMA
        table = "instansi"
        ordering = ("kode",)

    @property
    def is_active(self) -> bool:
        return self.status is StatusInstansi.ACTIVE
