"""`evaluasi.final`: exactly one per result, when it can no longer change — at penetapan when
no keberatan is possible, when a keberatan is decided, or (the sweep) once the keberatan period
ran out; the annual copy of a year's last window with it; never twice; per tenant."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from ekinerja.kepegawaian.calendar import WIB, today
from ekinerja.models.tenant import EvaluasiPeriodik, OutboxEvent, Skp
from ekinerja.penilaian.pengumuman import umumkan_final
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid, row_of
from tests.support.penilaian import build_bidang, fix

SESUAI, ATAS = "SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"


async def finals(tenant) -> list[tuple[str, str | None, str]]:
    async with tenant_transaction(as_bound(tenant)):
        rows = await OutboxEvent.filter(jenis="evaluasi.final").order_by("id")
    # As the feed gives them: the evaluation's global id (the outbox keeps its row number).
    return [
        (gid(tenant, "EvaluasiPeriodik", r.entitas_id), r.data["predikat"], r.data["periode"])
        for r in rows
    ]


async def sweep(tenant, on=None) -> int:
    async with tenant_transaction(as_bound(tenant)):
        return await umumkan_final(on)


async def age(tenant, ids, days: int) -> None:
    moment = datetime.combine(today() - timedelta(days=days), time(12), WIB)
    async with tenant_transaction(as_bound(tenant)):
        await EvaluasiPeriodik.filter(id__in=[row_of(i) for i in ids]).update(
            ditetapkan_pada=moment
        )


async def test_the_period_running_out_makes_a_result_final_once(portal, tenant, other_tenant):
    bidang = await build_bidang(tenant, analis=2)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI), (ATAS, SESUAI)])
    assert await finals(tenant) == []  # fixed, but a keberatan is still possible
    assert await sweep(tenant) == 0
    await age(tenant, ids[:1], 14)  # day 14: still inside the period
    assert await sweep(tenant) == 0
    await age(tenant, ids[:1], 15)
    assert await sweep(tenant) == 1
    assert await finals(tenant) == [(ids[0], "BAIK", "2026-T1")]
    assert await sweep(tenant) == 0  # never twice
    await age(tenant, ids[1:], 30)
    assert await sweep(tenant) == 1
    assert [f[0] for f in await finals(tenant)] == ids
    assert await finals(other_tenant) == [] and await sweep(other_tenant) == 0


async def test_without_an_atasan_the_result_is_final_at_penetapan(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=bidang.skp_of(bidang.analis[0]).id).update(
            atasan_penilai_pegawai_id=None
        )
    [evaluasi_id] = await fix(portal, bidang, [(ATAS, ATAS)])
    assert await finals(tenant) == [(evaluasi_id, "SANGAT_BAIK", "2026-T1")]
    assert await sweep(tenant) == 0


async def test_the_annual_copy_is_final_with_the_last_window(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    [last] = await fix(portal, bidang, [(SESUAI, SESUAI)], periode="2026-T4")
    await age(tenant, [last], 20)
    assert await sweep(tenant) == 2
    announced = await finals(tenant)
    assert [(p, k) for _, p, k in announced] == [("BAIK", "2026-T4"), ("BAIK", "2026-THN")]


async def test_an_announced_final_stays_final_when_the_period_is_lengthened(portal, tenant):
    from ekinerja.pengaturan import tetapkan
    from ekinerja.penilaian.finalitas import is_final
    from ekinerja.penilaian.keberatan import kesempatan

    bidang = await build_bidang(tenant, analis=1)
    [evaluasi_id] = await fix(portal, bidang, [(SESUAI, SESUAI)])
    await age(tenant, [evaluasi_id], 15)
    assert await sweep(tenant) == 1
    async with tenant_transaction(as_bound(tenant)):
        await tetapkan("keberatan.batas_hari", 30, "admin")
        evaluasi = await EvaluasiPeriodik.get(id=row_of(evaluasi_id))
        skp = await Skp.get(id=evaluasi.skp_id)
        assert await is_final(evaluasi, skp)
        chance = await kesempatan(evaluasi, skp)
    assert chance.tersedia is False and "announced final" in chance.alasan
    filed = await portal.as_(bidang.analis[0], """mutation($id: ID!) { ajukanKeberatan(
      evaluasiId: $id, alasan: "Terlambat") { __typename ... on MutationError { code } } }""",
                             id=evaluasi_id)  # fmt: skip
    assert filed["data"]["ajukanKeberatan"]["code"] == "KEBERATAN_CLOSED"
