"""Models of a tenant schema. Tables are unqualified: the binding transaction's search_path
decides which tenant's schema a query reaches (see ekinerja.tenants.binding)."""

from ekinerja.models.tenant.audit import AuditEvent
from ekinerja.models.tenant.organisasi import Jabatan, UnitKerja, UnitKerjaVersi
from ekinerja.models.tenant.pegawai import AtasanOverride, Pegawai, Penugasan
from ekinerja.models.tenant.settings import TenantSetting
from ekinerja.models.tenant.skp import (
    Indikator,
    PeriodeTahun,
    RencanaAksi,
    Rhk,
    RhkTemplate,
    Skp,
    SkpLampiran,
    SkpPerilaku,
)

__all__ = [
    "AtasanOverride",
    "AuditEvent",
    "Indikator",
    "Jabatan",
    "Pegawai",
    "Penugasan",
    "PeriodeTahun",
    "RencanaAksi",
    "Rhk",
    "RhkTemplate",
    "Skp",
    "SkpLampiran",
    "SkpPerilaku",
    "TenantSetting",
    "UnitKerja",
    "UnitKerjaVersi",
]
