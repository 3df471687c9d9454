"""A release rolls out while the fleet is served (issue 18): the new release's setup migrates
the tenants first, and the code still running goes on serving every tenant whose migrations
since its own version only added (ADDITIVE = True in the migration module). The defect, found
by bench/scale.py's rollout: a process served a tenant only at exactly its own schema version,
so every request to a tenant migrated by the new release's setup was refused until the new
code replaced the old (671 failed requests in a 6 s rollout of 630 small tenants), and an old
process's `migrate` would have written its older version over the newer one."""

from __future__ import annotations

import pytest

from ekinerja.models.shared import Instansi
from ekinerja.tenants.errors import TenantNotMigrated
from ekinerja.tenants.migrations import Outcome, migrate_tenant, tenants_behind
from ekinerja.tenants.registry import forget, get_servable_instansi
from ekinerja.tenants.schema_versions import (
    is_additive,
    latest_tenant_version,
    oldest_serving_version,
    serves,
    versions,
)
from ekinerja.webhooks.worker import servable

CODE = latest_tenant_version()
NEXT = "9999_the_next_release"  # a schema one release ahead of this code


@pytest.mark.parametrize(
    ("schema", "floor", "served"),
    [
        (CODE, CODE, True),  # the same version
        (CODE, None, True),  # the same version, registered before floors existed
        (NEXT, CODE, True),  # ahead, and only added since this code
        (NEXT, NEXT, False),  # ahead with a change this code cannot read
        (NEXT, None, False),  # ahead, nothing known: only exact code
        ("0001_initial", "0001_initial", False),  # behind: this code needs its migrations
        (None, None, False),  # never migrated
    ],
)
def test_which_schemas_this_code_serves(schema, floor, served):
    assert serves(schema, floor, CODE) is served


def test_the_floor_is_the_newest_migration_that_is_not_additive():
    floor = None
    for name in versions("tenant"):
        if floor is None or not is_additive(name):
            floor = name
        assert oldest_serving_version(name) == floor
    # 0022_pemberitahuan only adds (its tables): the release before it serves its schema.
    assert is_additive("0022_pemberitahuan")
    assert oldest_serving_version("0022_pemberitahuan") == "0021_pemberitahuan_pengaturan"


async def _ahead(tenant, floor: str | None) -> None:
    await Instansi.filter(id=tenant.id).update(schema_version=NEXT, oldest_serving_version=floor)
    forget(tenant.kode)  # what the registry watcher does on the trigger's NOTIFY


async def test_a_tenant_the_next_release_migrated_additively_is_still_served(portal, team):
    await _ahead(portal.tenant, CODE)
    body = await portal.as_(team.staf, "{ saya { nip } }")
    assert body == {"data": {"saya": {"nip": team.staf.nip}}}
    assert portal.tenant.kode in {i.kode for i in await servable()}  # the worker's too


async def test_a_tenant_past_what_this_code_can_read_is_refused_clearly(portal, team):
    await _ahead(portal.tenant, NEXT)
    with pytest.raises(TenantNotMigrated, match="newer than this code .* finish rolling out"):
        await get_servable_instansi(portal.tenant.kode)
    body = await portal.as_(team.staf, "{ saya { nip } }")
    assert "data" not in body or body.get("data") is None
    assert portal.tenant.kode not in {i.kode for i in await servable()}


async def test_an_older_migrate_never_writes_its_version_over_a_newer_one(tenant):
    await _ahead(tenant, CODE)
    assert tenant.kode not in {i.kode for i in await tenants_behind()}
    result = await migrate_tenant(await Instansi.get(id=tenant.id))
    assert result.outcome is Outcome.UP_TO_DATE
    row = await Instansi.get(id=tenant.id)
    assert (row.schema_version, row.oldest_serving_version) == (NEXT, CODE)


async def test_migrate_writes_the_floor_with_the_version(tenant):
    await Instansi.filter(id=tenant.id).update(oldest_serving_version=None)
    row = await Instansi.get(id=tenant.id)
    assert row.schema_version == CODE  # a fresh tenant is migrated at creation
    fresh = await Instansi.get(kode=tenant.kode)
    await Instansi.filter(id=tenant.id).update(schema_version=versions("tenant")[-2])
    result = await migrate_tenant(fresh)
    assert result.outcome is Outcome.MIGRATED
    assert (await Instansi.get(id=tenant.id)).oldest_serving_version == oldest_serving_version(CODE)
