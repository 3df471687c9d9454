"""Demo SKPs: everyone in the demo agency gets an approved SKP wired into one cascade."""

from __future__ import annotations

from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.models.tenant import Pegawai, RencanaAksi, Rhk, Skp
from ekinerja.skp.cascade import cascade_down
from ekinerja.skp.demo import seed_demo_skp
from ekinerja.skp.enums import StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound


async def test_demo_skps_cascade_through_the_whole_agency(tenant):
    assert (await import_pegawai(tenant.kode, generate_demo_rows(150), "t", "t")).ok
    async with tenant_transaction(as_bound(tenant)):
        created = await seed_demo_skp(2026)
        people = await Pegawai.all().count()
        assert created == people == await Skp.filter(status=StatusSkp.DISETUJUI).count()
        top = await Rhk.filter(urutan=1, intervensi_id__isnull=True).select_related("skp")
        assert len(top) == 1  # only the Sekretaris Daerah's first RHK starts the cascade
        assert len(await cascade_down(top[0].id)) == people - 1
        # Every RHK has a rencana aksi in each of the year's four windows, ready for progres.
        rhk = await Rhk.all().count()
        assert await RencanaAksi.all().count() == 4 * rhk
        assert set(await RencanaAksi.all().distinct().values_list("periode", flat=True)) == {
            "2026-T1",
            "2026-T2",
            "2026-T3",
            "2026-T4",
        }
        assert await seed_demo_skp(2026) == 0  # nobody is given a second SKP
        assert await RencanaAksi.all().count() == 4 * rhk
