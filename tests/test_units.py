"""The unit tree read as of a date."""

from __future__ import annotations

from datetime import date

from ekinerja.kepegawaian import units
from ekinerja.models.tenant import UnitKerjaVersi
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.org import Org

JAN, JUL, AUG = date(2026, 1, 15), date(2026, 7, 1), date(2026, 8, 1)


async def test_tree_follows_effective_dated_changes(tenant):
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        root = await org.unit("Sekretariat Daerah")
        dinas_a = await org.unit("Dinas A", root)
        dinas_b = await org.unit("Dinas B", root)
        bidang = await org.unit("Bidang Lama", dinas_a)
        # On 1 July the bidang is renamed and moves from Dinas A to Dinas B.
        await UnitKerjaVersi.filter(unit=bidang).update(berlaku_sampai=JUL)
        await UnitKerjaVersi.create(
            unit=bidang, nama="Bidang Baru", parent=dinas_b, berlaku_mulai=JUL
        )
        staf = await org.jabatan("Staf", bidang)
        await org.pegawai("Ani", staf)

        assert [u.nama for u in await units.roots(JAN)] == ["Sekretariat Daerah"]
        before = await units.children_of([dinas_a.id, dinas_b.id], JAN)
        after = await units.children_of([dinas_a.id, dinas_b.id], AUG)
        assert [u.nama for u in before[dinas_a.id]] == ["Bidang Lama"] and dinas_b.id not in before
        assert [u.nama for u in after[dinas_b.id]] == ["Bidang Baru"] and dinas_a.id not in after

        chain = await units.ancestors_of([bidang.id], AUG)
        assert [u.nama for u in chain[bidang.id]] == ["Sekretariat Daerah", "Dinas B"]
        assert (await units.depth_of([bidang.id, root.id], AUG)) == {bidang.id: 3, root.id: 1}

        totals_jan = await units.headcounts([dinas_a.id, dinas_b.id], JAN, subtree=True)
        totals_aug = await units.headcounts([dinas_a.id, dinas_b.id], AUG, subtree=True)
        assert totals_jan == {dinas_a.id: 1, dinas_b.id: 0}
        assert totals_aug == {dinas_a.id: 0, dinas_b.id: 1}
        # Before it existed, a unit is not in the tree at all.
        assert await units.units_by_id([bidang.id], date(2025, 12, 31)) == {}
