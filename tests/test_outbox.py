"""The outbox and its feed: an event lands exactly when its transaction commits, and the feed
hands every committed event out once, in order, even when transactions commit out of order."""

from __future__ import annotations

import asyncio

import pytest

from ekinerja.db.sql import fetch
from ekinerja.models.tenant import OutboxEvent
from ekinerja.peristiwa import feed
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

SKP = JenisPeristiwa.SKP_DISETUJUI


class Boom(Exception):
    pass


async def read_all(tenant, since=feed.AWAL, first=100, jenis=None):
    async with tenant_transaction(as_bound(tenant)):
        return await feed.baca(since, first, jenis)


async def test_a_rolled_back_transaction_emits_nothing(tenant):
    with pytest.raises(Boom):
        async with tenant_transaction(as_bound(tenant)):
            await emit(SKP, "skp", 1, {"nip": "1"})
            raise Boom
    async with tenant_transaction(as_bound(tenant)):
        await emit(SKP, "skp", 2, {"nip": "2"})
    page = await read_all(tenant)
    assert [(e.entitas_id, e.data) for e in page.peristiwa] == [("2", {"nip": "2"})]
    async with tenant_transaction(as_bound(tenant)):
        assert await OutboxEvent.all().count() == 1


async def test_an_event_of_an_older_open_transaction_is_not_skipped(tenant):
    """B starts after A but commits first. While A is open the feed shows neither (A might
    still write before B); once A commits, A's event comes first, then B's, after the cursor
    the feed gave while A was open. A feed by id alone would have handed out B and skipped A."""
    a_has_txid, b_done, a_may_write = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def a():
        async with tenant_transaction(as_bound(tenant)):
            await fetch("SELECT pg_current_xact_id()")  # A's transaction id is taken now
            a_has_txid.set()
            await a_may_write.wait()
            await emit(SKP, "skp", "A", {})

    async def b():
        await a_has_txid.wait()
        async with tenant_transaction(as_bound(tenant)):
            await emit(SKP, "skp", "B", {})
        b_done.set()

    task_a, task_b = asyncio.create_task(a()), asyncio.create_task(b())
    await b_done.wait()
    while_open = await read_all(tenant)
    assert while_open.peristiwa == [] and not while_open.ada_lagi
    a_may_write.set()
    await asyncio.gather(task_a, task_b)
    after = await read_all(tenant, while_open.akhir)
    assert [e.entitas_id for e in after.peristiwa] == ["A", "B"]
    # A's row was inserted last, so its id is the larger one: an id cursor would have lost it.
    assert after.peristiwa[0].id > after.peristiwa[1].id


async def test_concurrent_writers_and_a_polling_reader_see_each_event_once(tenant):
    writers, per_writer = 12, 5
    written: list[int] = []
    done = asyncio.Event()

    async def writer(n: int):
        for k in range(per_writer):
            async with tenant_transaction(as_bound(tenant)):
                first = await emit(SKP, "skp", f"{n}-{k}", {"n": n})
                second = await emit(JenisPeristiwa.PEGAWAI_DIUBAH, "pegawai", f"{n}-{k}", {})
            written.extend([first, second])

    async def reader() -> list[int]:
        seen: list[int] = []
        since, settled = feed.AWAL, False
        while not settled:
            finished = done.is_set()  # read before the page, so the last page follows it
            page = await read_all(tenant, since, first=7)
            seen += [e.id for e in page.peristiwa]
            since = page.akhir
            settled = finished and not page.ada_lagi and not page.peristiwa
        return seen

    async def writers_then_done():
        await asyncio.gather(*(writer(n) for n in range(writers)))
        done.set()

    seen, _ = await asyncio.gather(reader(), writers_then_done())
    assert len(seen) == len(set(seen)) == writers * per_writer * 2
    assert sorted(seen) == sorted(written)


async def test_filter_and_idle_cursor_move_on_without_rescanning(tenant):
    async with tenant_transaction(as_bound(tenant)):
        for n in range(3):
            await emit(SKP, "skp", n, {})
        await emit(JenisPeristiwa.KEBERATAN_DIAJUKAN, "keberatan", 9, {})
    only = await read_all(tenant, jenis=["keberatan.diajukan"])
    assert [e.entitas_id for e in only.peristiwa] == ["9"] and not only.ada_lagi
    assert (await read_all(tenant, only.akhir)).peristiwa == []
    pages, since = [], feed.AWAL
    while True:
        page = await read_all(tenant, since, first=2)
        pages.append([e.entitas_id for e in page.peristiwa])
        since = page.akhir
        if not page.ada_lagi:
            break
    assert pages == [["0", "1"], ["2", "9"]]
    idle = await read_all(tenant, since)
    assert idle.peristiwa == [] and idle.akhir == since


def test_cursors_name_their_instansi():
    where = feed.Posisi(123, 45)
    assert feed.decode("A1", feed.encode("A1", where)) == where
    assert feed.decode("A1", None) == feed.AWAL
    for bad in ("zz", feed.encode("B2", where), "bm90OmEgY3Vyc29y"):
        with pytest.raises(Exception) as refused:
            feed.decode("A1", bad)
        assert refused.value.code == "INVALID_CURSOR" and refused.value.field == "since"
