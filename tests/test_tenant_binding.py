"""Tenant isolation on real PostgreSQL: separation, fail-closed, database-enforced walls."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.connection import get_connection
from tortoise.exceptions import OperationalError

from ekinerja.db.config import CONNECTION
from ekinerja.models.tenant import TenantSetting
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.context import current_tenant
from ekinerja.tenants.errors import TenantNotBound
from ekinerja.tenants.registry import as_bound

# Explicit ids far above what the tables' sequences hand out in a test.
OWNER_ID, SECOND_ID = 900_001, 900_002


async def _seed_same_ids(tenant, other_tenant):
    for instansi in (tenant, other_tenant):
        async with tenant_transaction(as_bound(instansi)):
            await TenantSetting.create(id=OWNER_ID, key="owner", value={"kode": instansi.kode})
            await TenantSetting.create(id=SECOND_ID, key="second", value={"kode": instansi.kode})


async def test_same_primary_keys_never_mix(tenant, other_tenant):
    await _seed_same_ids(tenant, other_tenant)

    async with tenant_transaction(as_bound(tenant)):
        rows = await TenantSetting.all().order_by("id")
        assert [(r.id, r.value["kode"]) for r in rows] == [
            (OWNER_ID, tenant.kode),
            (SECOND_ID, tenant.kode),
        ]
        await TenantSetting.filter(id=OWNER_ID).update(value={"kode": "changed-through-A"})
        await TenantSetting.filter(id=SECOND_ID).delete()

    async with tenant_transaction(as_bound(other_tenant)):
        rows = await TenantSetting.all().order_by("id")
        assert [(r.id, r.value["kode"]) for r in rows] == [
            (OWNER_ID, other_tenant.kode),
            (SECOND_ID, other_tenant.kode),
        ]


async def test_thousand_interleaved_concurrent_operations_never_mix(tenant, other_tenant, settings):
    await _seed_same_ids(tenant, other_tenant)
    tenants = [tenant, other_tenant]

    async def operation(i: int) -> None:
        mine = tenants[i % 2]
        async with tenant_transaction(as_bound(mine)):
            owner = await TenantSetting.get(id=OWNER_ID)
            assert owner.value["kode"] == mine.kode
            await asyncio.sleep(0)  # yield mid-transaction so operations really interleave
            await TenantSetting.create(key=f"op-{i}", value={"kode": mine.kode})
            assert current_tenant().kode == mine.kode

    await asyncio.gather(*(operation(i) for i in range(1000)))

    for instansi in tenants:
        async with tenant_transaction(as_bound(instansi)):
            written = await TenantSetting.filter(key__startswith="op-").values_list(
                "value", flat=True
            )
            assert len(written) == 500
            assert {v["kode"] for v in written} == {instansi.kode}

    _, rows = await get_connection(CONNECTION).execute_query(
        "SELECT count(*) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = 'ekinerja'"
    )
    assert rows[0]["n"] <= settings.db_pool_max


async def test_tenant_query_without_binding_fails_closed(tenant):
    with pytest.raises(OperationalError, match="does not exist"):
        await TenantSetting.all()
    with pytest.raises(TenantNotBound):
        current_tenant()


async def test_raw_sql_on_another_tenants_schema_is_refused_by_postgres(tenant, other_tenant):
    target = f'"{other_tenant.schema_name}".tenant_setting'
    statements = [
        f"SELECT * FROM {target}",
        f"INSERT INTO {target} (key, value, diubah_pada) VALUES ('x', '1', now())",
        f"DELETE FROM {target}",
        f'CREATE TABLE "{other_tenant.schema_name}".planted (id int)',
    ]
    for sql in statements:
        with pytest.raises(OperationalError, match="permission denied for schema"):
            async with tenant_transaction(as_bound(tenant)) as connection:
                await connection.execute_query(sql)


async def test_bound_tenant_cannot_read_the_registry(tenant):
    with pytest.raises(OperationalError, match="permission denied for schema shared"):
        async with tenant_transaction(as_bound(tenant)) as connection:
            await connection.execute_query("SELECT kode FROM shared.instansi")


async def test_binding_ends_with_the_transaction(tenant):
    async with tenant_transaction(as_bound(tenant)) as connection:
        _, rows = await connection.execute_query("SELECT current_schema() AS s, current_user AS u")
        assert rows[0]["s"] == tenant.schema_name
        assert rows[0]["u"] == tenant.role_name
    _, rows = await get_connection(CONNECTION).execute_query(
        "SELECT current_setting('search_path') AS p, current_user = session_user AS same"
    )
    assert rows[0]["p"] == "ekinerja_unbound"
    assert rows[0]["same"] is True


async def test_the_binding_sets_the_request_timeouts_for_its_transaction_only(tenant):
    """The session's statement and lock timeouts (defaults 30 s and 5 s) ride along with the
    binding and end with the transaction, like the binding itself."""
    timeouts = (
        "SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l"
    )
    async with tenant_transaction(as_bound(tenant)) as connection:
        _, rows = await connection.execute_query(timeouts)
        assert (rows[0]["s"], rows[0]["l"]) == ("30s", "5s")
    _, rows = await get_connection(CONNECTION).execute_query(timeouts)
    assert (rows[0]["s"], rows[0]["l"]) == ("0", "0")


async def test_failed_operation_writes_nothing(tenant):
    with pytest.raises(RuntimeError):
        async with tenant_transaction(as_bound(tenant)):
            await TenantSetting.create(key="half-written", value=1)
            raise RuntimeError("boom")
    async with tenant_transaction(as_bound(tenant)):
        assert not await TenantSetting.filter(key="half-written").exists()
