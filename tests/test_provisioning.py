"""Creating tenants: complete or not at all, with clear refusals."""

from __future__ import annotations

import pytest

from ekinerja.models.shared import Instansi, JenisInstansi, StatusInstansi
from ekinerja.tenants.errors import (
    InvalidTenantCode,
    TenantAlreadyExists,
    TenantNotFound,
    TenantNotMigrated,
    TenantSuspended,
)
from ekinerja.tenants.provisioning import (
    InvalidTenantField,
    TenantProvisioningFailed,
    create_tenant,
)
from ekinerja.tenants.registry import get_servable_instansi, set_status
from ekinerja.tenants.schema_versions import latest_tenant_version
from tests.support.tenants import fresh_kode, superuser_sql


async def test_created_tenant_has_schema_role_and_current_version(database, role_prefix):
    kode = fresh_kode("P")
    instansi, migration = await create_tenant(kode, "Kota Uji", "kota", role_prefix)
    assert instansi.kode == kode
    assert instansi.jenis is JenisInstansi.KOTA
    assert instansi.status is StatusInstansi.ACTIVE
    assert instansi.schema_name == f"t_{kode.lower()}"
    assert instansi.role_name == f"{role_prefix}t_{kode.lower()}"
    assert migration.applied[-1] == latest_tenant_version()
    assert migration.applied[0] == "0001_initial"
    owner = await superuser_sql(
        database,
        "SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1",
        instansi.schema_name,
    )
    assert owner[0]["owner"] == instansi.role_name
    login = await superuser_sql(
        database, "SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", instansi.role_name
    )
    assert login[0]["rolcanlogin"] is False


async def test_duplicate_kode_is_refused(tenant, role_prefix):
    with pytest.raises(TenantAlreadyExists, match=f"{tenant.kode} already exists"):
        await create_tenant(tenant.kode.lower(), "Lagi", "KOTA", role_prefix)


@pytest.mark.parametrize(
    ("kode", "nama", "jenis", "error", "message"),
    [
        ("bad kode", "X", "KOTA", InvalidTenantCode, "kode instansi"),
        ("OK01", "  ", "KOTA", InvalidTenantField, "nama instansi"),
        ("OK02", "X" * 256, "KOTA", InvalidTenantField, "nama instansi"),
        ("OK03", "X", "DESA", InvalidTenantField, "jenis instansi 'DESA' is invalid"),
    ],
)
async def test_bad_input_is_refused_before_anything_is_written(
    role_prefix, kode, nama, jenis, error, message
):
    with pytest.raises(error, match=message):
        await create_tenant(kode, nama, jenis, role_prefix)
    assert not await Instansi.filter(kode=kode.upper()).exists()


async def test_failure_midway_leaves_nothing_behind(database, role_prefix):
    kode = fresh_kode("P")
    schema = f"t_{kode.lower()}"
    # A leftover schema of that name makes CREATE SCHEMA fail after the role was created.
    await superuser_sql(database, f'CREATE SCHEMA "{schema}"')
    try:
        with pytest.raises(TenantProvisioningFailed, match=kode):
            await create_tenant(kode, "Gagal", "KOTA", role_prefix)
        assert not await Instansi.filter(kode=kode).exists()
        roles = await superuser_sql(
            database, "SELECT 1 FROM pg_roles WHERE rolname = $1", f"{role_prefix}{schema}"
        )
        assert roles == []
    finally:
        await superuser_sql(database, f'DROP SCHEMA "{schema}"')


async def test_servable_lookup_refuses_unknown_suspended_and_unmigrated(tenant):
    with pytest.raises(TenantNotFound, match="ZZ999 is not registered"):
        await get_servable_instansi("zz999")

    await set_status(tenant.kode, StatusInstansi.SUSPENDED)
    with pytest.raises(TenantSuspended, match=f"{tenant.kode} is suspended"):
        await get_servable_instansi(tenant.kode)
    await set_status(tenant.kode, StatusInstansi.ACTIVE)
    assert (await get_servable_instansi(tenant.kode)).id == tenant.id

    await Instansi.filter(id=tenant.id).update(schema_version=None)
    with pytest.raises(TenantNotMigrated, match="run `ekinerja migrate`"):
        await get_servable_instansi(tenant.kode)
