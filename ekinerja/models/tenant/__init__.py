"""Models of a tenant schema. Tables are unqualified: the binding transaction's search_path
decides which tenant's schema a query reaches (see ekinerja.tenants.binding)."""

from ekinerja.models.tenant.audit import AuditEvent
from ekinerja.models.tenant.organisasi import Jabatan, UnitKerja, UnitKerjaVersi
from ekinerja.models.tenant.pegawai import AtasanOverride, Pegawai, Penugasan
from ekinerja.models.tenant.settings import TenantSetting

__all__ = [
    "AtasanOverride",
    "AuditEvent",
    "Jabatan",
    "Pegawai",
    "Penugasan",
    "TenantSetting",
    "UnitKerja",
    "UnitKerjaVersi",
]
