"""The registry entries requests read are cached in the process and dropped when the registry
changes (ekinerja/tenants/registry.py, registry_watch.py; issue 17): a change made by another
process reaches the watcher through the triggers' NOTIFY, and the watcher survives losing its
LISTEN connection."""

from __future__ import annotations

import asyncio

import pytest

from ekinerja import memo
from ekinerja.models.shared import Instansi, InstansiAdmin, StatusInstansi
from ekinerja.tenants import registry
from ekinerja.tenants.errors import TenantSuspended
from ekinerja.tenants.registry import servable_entry
from tests.support.registry_watcher import as_another_process, running_watcher


@pytest.fixture
async def watcher(database, settings, tenant):
    """Started after the test's instansi exists, so what it hears is what the test does."""
    async with running_watcher(database, settings) as running:
        yield running


async def test_an_entry_is_read_once_and_then_served_from_the_cache(tenant):
    registry.forget()
    first = await servable_entry(tenant.kode)
    again = await servable_entry(tenant.kode)
    assert again is first


async def test_a_suspension_by_another_process_is_heard_at_once(database, watcher, tenant):
    await servable_entry(tenant.kode)
    await as_another_process(
        database, "UPDATE shared.instansi SET status = $1 WHERE kode = $2",
        StatusInstansi.SUSPENDED.value, tenant.kode,
    )  # fmt: skip
    await watcher.heard_of(tenant.kode)
    with pytest.raises(TenantSuspended):
        await servable_entry(tenant.kode)
    await Instansi.filter(id=tenant.id).update(status=StatusInstansi.ACTIVE)


async def test_an_admin_grant_is_heard_at_once(database, watcher, tenant):
    nip = "198001012005011001"
    assert nip not in (await servable_entry(tenant.kode)).admins
    await InstansiAdmin.create(instansi_id=tenant.id, nip=nip)
    await watcher.heard_of(tenant.kode)
    assert nip in (await servable_entry(tenant.kode)).admins


async def test_the_watcher_listens_again_after_losing_its_connection(database, watcher, tenant):
    await as_another_process(
        database,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE query LIKE 'LISTEN %ekinerja_registry%' AND pid <> pg_backend_pid()",
    )
    await asyncio.wait_for(watcher.health.until(lambda h: h.consecutive_failures >= 1), 30)
    await asyncio.wait_for(watcher.health.until(lambda h: h.consecutive_failures == 0), 30)
    await servable_entry(tenant.kode)
    await Instansi.filter(id=tenant.id).update(nama="Dinamai ulang")
    await watcher.heard_of(tenant.kode)
    assert (await servable_entry(tenant.kode)).instansi.nama == "Dinamai ulang"


async def test_without_a_watcher_the_floor_bounds_staleness(monkeypatch, tenant):
    await servable_entry(tenant.kode)
    await Instansi.filter(id=tenant.id).update(nama="Tanpa pengamat")
    monkeypatch.setattr(memo, "FLOOR_SECONDS", 0.0)
    assert (await servable_entry(tenant.kode)).instansi.nama == "Tanpa pengamat"
