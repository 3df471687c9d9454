"""Demo SKPs: everyone in the demo agency gets an approved SKP wired into one cascade."""

from __future__ import annotations

from ekinerja.kepegawaian.calendar import today
from ekinerja.kepegawaian.demo import MIN_PEGAWAI, generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.models.tenant import (
    AngkaKredit,
    BuktiDukung,
    EvaluasiPeriodik,
    Keberatan,
    KinerjaOrganisasi,
    Pegawai,
    ProgresHarian,
    Realisasi,
    RencanaAksi,
    Rhk,
    Skp,
    UmpanBalik,
)
from ekinerja.penilaian.enums import HasilKurva, StatusKeberatan
from ekinerja.penilaian.periode import leader_above, window_of
from ekinerja.skp.cascade import cascade_down
from ekinerja.skp.demo import seed_demo_skp
from ekinerja.skp.demo_tahun import seed_demo_year
from ekinerja.skp.enums import StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of, row_of
from tests.support.penilaian import EVALUASI, RATE, SET_PREDIKAT, SUBMIT, TETAPKAN
from tests.test_penilaian_keberatan import AJUKAN


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


async def test_demo_skps_name_the_atasan_penilai_so_a_keberatan_can_be_filed(portal, tenant):
    """Issue 15 defect 6: the demo recorded no atasan pejabat penilai, so every demo result
    was final at once and `ajukanKeberatan` answered NO_ATASAN."""
    assert (await import_pegawai(tenant.kode, generate_demo_rows(MIN_PEGAWAI), "t", "t")).ok
    async with tenant_transaction(as_bound(tenant)):
        await seed_demo_skp(2026)
        # Someone two levels down: penilai and atasan penilai are both in the system.
        skp = await Skp.filter(atasan_penilai_pegawai_id__isnull=False).order_by("-id").first()
        assert skp is not None
        assert skp.snapshot_atasan_penilai["pegawaiId"] == skp.atasan_penilai_pegawai_id
        assert skp.snapshot_penilai["pegawaiId"] == skp.penilai_pegawai_id
        without = await Skp.filter(atasan_penilai_pegawai_id__isnull=True).count()
        assert without < await Skp.all().count() / 10  # only the top of the tree
        me, penilai = (
            await Pegawai.get(id=skp.pegawai_id),
            await Pegawai.get(id=skp.penilai_pegawai_id),
        )
    submitted = await portal.as_(me, SUBMIT, skp=gid_of(portal.tenant, skp), periode="2026-T1")
    assert submitted["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan"
    found = (
        await portal.as_(penilai, EVALUASI, skp=gid_of(portal.tenant, skp), periode="2026-T1")
    )["data"]
    evaluasi = found["evaluasi"]
    rated = await portal.as_(penilai, RATE, id=evaluasi["id"], v=evaluasi["versiKunci"],
                             hasil="SESUAI_EKSPEKTASI", perilaku="SESUAI_EKSPEKTASI")  # fmt: skip
    assert rated["data"]["nilaiEvaluasi"]["status"] == "DINILAI", rated
    async with tenant_transaction(as_bound(tenant)):
        unit = evaluasi["unitId"]
        window = await window_of("2026-T1")
        leader = await Pegawai.get(id=await leader_above(row_of(unit), window.akhir))
    set_ = await portal.as_(leader, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    assert set_["data"]["aturPredikatOrganisasi"]["predikat"] == "BAIK", set_
    done = await portal.as_(leader, TETAPKAN, unit=unit, periode="2026-T1")
    assert done["data"]["tetapkanKinerjaUnit"]["jumlahDitetapkan"] == 1, done
    filed = await portal.as_(me, AJUKAN, id=evaluasi["id"], alasan="Bukti belum dipertimbangkan")
    assert filed["data"]["ajukanKeberatan"]["status"] == "DIAJUKAN", filed


async def test_the_demo_year_is_walkable(tenant):
    """Issue 15 defect 6: nothing after the plan was seeded."""
    assert (await import_pegawai(tenant.kode, generate_demo_rows(MIN_PEGAWAI), "t", "t")).ok
    tahun = today().year
    async with tenant_transaction(as_bound(tenant)):
        await seed_demo_skp(tahun)
        year = await seed_demo_year(tahun)
        assert year is not None and year.pegawai >= 3
        team = await Skp.filter(
            id__in=await EvaluasiPeriodik.all().values_list("skp_id", flat=True)
        )
        assert len(team) == year.pegawai
        assert await ProgresHarian.filter(skp_id__in=[s.id for s in team]).count() > 0
        assert await BuktiDukung.filter(realisasi_id__isnull=False).count() > 0
        assert await Realisasi.all().count() > 0 and await UmpanBalik.all().count() > 0
        predikat = set(await EvaluasiPeriodik.all().values_list("predikat", flat=True))
        assert len(predikat - {None}) > 1
        hasil = set(await KinerjaOrganisasi.all().values_list("hasil_kurva", flat=True))
        assert HasilKurva.WARNING in hasil
        assert await Keberatan.filter(status=StatusKeberatan.DIAJUKAN).count() == 1
        assert await AngkaKredit.all().count() > 0
        assert year.keberatan == 1 and year.angka_kredit > 0
        assert await seed_demo_year(tahun) is None  # walked once
