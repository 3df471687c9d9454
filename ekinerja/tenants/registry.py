"""Reading and changing the tenant registry (`shared.instansi`).

Registry queries run outside any tenant binding: a tenant role has no rights on `shared`.
"""

from __future__ import annotations

from ekinerja.models.shared import Instansi, StatusInstansi
from ekinerja.tenants.context import BoundTenant
from ekinerja.tenants.errors import TenantNotFound, TenantNotMigrated, TenantSuspended
from ekinerja.tenants.identifiers import normalize_kode
from ekinerja.tenants.schema_versions import latest_tenant_version


def as_bound(instansi: Instansi) -> BoundTenant:
    return BoundTenant(
        kode=instansi.kode, schema_name=instansi.schema_name, role_name=instansi.role_name
    )


async def get_instansi(kode: str) -> Instansi:
    kode = normalize_kode(kode)
    instansi = await Instansi.get_or_none(kode=kode)
    if instansi is None:
        raise TenantNotFound(f"instansi {kode} is not registered")
    return instansi


async def get_servable_instansi(kode: str) -> Instansi:
    """The registry entry of a tenant that may be served now, or a clear refusal."""
    instansi = await get_instansi(kode)
    if instansi.status is not StatusInstansi.ACTIVE:
        raise TenantSuspended(f"instansi {instansi.kode} is suspended")
    if instansi.schema_version != latest_tenant_version():
        raise TenantNotMigrated(
            f"instansi {instansi.kode} is at schema version {instansi.schema_version or 'none'}, "
            f"the service needs {latest_tenant_version()}: run `ekinerja migrate`"
        )
    return instansi


async def list_instansi() -> list[Instansi]:
    return await Instansi.all().order_by("kode")


async def set_status(kode: str, status: StatusInstansi) -> Instansi:
    instansi = await get_instansi(kode)
    instansi.status = status
    await instansi.save(update_fields=["status", "updated_at"])
    return instansi
