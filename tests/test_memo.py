"""The one mechanism behind what requests remember (ekinerja/memo.py, decision 0035)."""

from __future__ import annotations

from ekinerja import memo
from ekinerja.memo import Memo
from ekinerja.tenants import registry


async def test_a_value_is_kept_until_forgotten(database):
    remembered: Memo[str] = Memo()
    remembered.keep("a", "satu", remembered.reading())
    assert remembered.get("a") == "satu"
    remembered.forget("a")
    assert remembered.get("a") is None


async def test_a_read_that_overlaps_a_forget_is_not_kept(database):
    remembered: Memo[str] = Memo()
    token = remembered.reading()
    remembered.forget("a")  # the change was announced while the row was being read
    remembered.keep("a", "lama", token)
    assert remembered.get("a") is None


async def test_the_floor_and_the_size_bound(database, monkeypatch):
    remembered: Memo[int] = Memo(size=2)
    for n in range(3):
        remembered.keep(n, n, remembered.reading())
    assert [remembered.get(n) for n in range(3)] == [None, 1, 2]  # the oldest went
    monkeypatch.setattr(memo, "FLOOR_SECONDS", 0.0)
    assert remembered.get(2) is None


async def test_a_registry_read_overlapping_a_notify_is_not_remembered(tenant, monkeypatch):
    """Regression: the registry kept a row read while its change was being announced, so a
    suspension could be served as active for up to the floor."""
    reads = []
    read = registry.get_instansi

    async def read_while_announced(kode):
        reads.append(kode)
        found = await read(kode)
        registry.forget(kode)  # the watcher hears the NOTIFY before the read is kept
        return found

    registry.forget()
    monkeypatch.setattr(registry, "get_instansi", read_while_announced)
    await registry.servable_entry(tenant.kode)
    await registry.servable_entry(tenant.kode)
    assert len(reads) == 2  # read again: nothing was kept from the overlapping read
