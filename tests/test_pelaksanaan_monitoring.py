"""Monitoring for a pejabat penilai over GraphQL: one row per approved, current SKP they
appraise, with this week's and month's logging, realisation per RHK in a window, evidence
completeness; who may ask; and a query count independent of the number of subordinates."""

from __future__ import annotations

from datetime import date, time

from tortoise.timezone import now

from ekinerja.auth.principal import Role
from ekinerja.models.tenant import Indikator, ProgresHarian, Realisasi, Skp
from ekinerja.skp.enums import AspekIki
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import plan, progres_row, skp_for
from tests.support.query_counter import count_queries

MONITOR = """query($penilai: ID) { monitoringPelaksanaan(tahun: 2026, periode: "2026-T1",
  tanggal: "2026-02-05", penilaiId: $penilai, first: 100) { nodes {
  skpId pegawaiId nama nip progresTerakhir progresMingguIni progresBulanIni
  indikator indikatorTerealisasi realisasiBerbukti kelengkapanBuktiPersen
  rhk { rhkId teks indikator indikatorTerealisasi progresPeriode } } } }"""

BULK = """mutation($rows: [ProgresHarianInput!]!) { buatProgresHarianMassal(baris: $rows) {
  __typename ... on BarisDitolak { baris { baris field message } } } }"""

SAVE = """mutation($input: RealisasiInput!) { simpanRealisasi(input: $input) {
  __typename ... on RealisasiDisimpan { realisasiId } ... on MutationError { code field } } }"""

LINK = """mutation($input: TautanBuktiInput!) { tambahTautanBuktiDukung(input: $input) {
  __typename ... on BuktiDukung { id } ... on MutationError { code field } } }"""


async def monitor(portal, who, *roles, penilai=None) -> list[dict]:
    body = await portal.as_(who, MONITOR, *roles, penilai=penilai)
    assert "errors" not in body, body
    return body["data"]["monitoringPelaksanaan"]["nodes"]


async def realise(portal, team, indikator, **changes) -> str:
    body = await portal.as_(
        team.staf,
        SAVE,
        input={"indikatorId": gid_of(portal.tenant, indikator), "periode": "2026-T1"} | changes,
    )
    saved = body["data"]["simpanRealisasi"]
    assert saved["__typename"] == "RealisasiDisimpan", body
    return saved["realisasiId"]


async def test_the_penilai_sees_each_appraised_skps_progress(portal, team, tenant):
    # Thursday 2026-02-05: the week runs from Monday 2 February, the month from the 1st.
    rows = [
        progres_row(portal.tenant, team.rencana(), "2026-01-30"),  # last month
        progres_row(
            portal.tenant, team.rencana(), "2026-02-01"
        ),  # this month, last week (a Sunday)
        progres_row(portal.tenant, team.rencana(), "2026-02-02"),  # this week
        progres_row(portal.tenant, team.rencana(rhk=team.rhk_lain), "2026-02-05", satuan="Laporan"),
    ]
    logged = await portal.as_(team.staf, BULK, rows=rows)
    assert logged["data"]["buatProgresHarianMassal"]["__typename"] == "ProgresHarianDisimpan"
    # rekan's draft and kasi's own SKP are not monitored by kasi; neither is staf's T2 work.
    await portal.as_(
        team.staf, BULK, rows=[progres_row(portal.tenant, team.rencana("2026-T2"), "2026-04-06")]
    )

    (row,) = await monitor(portal, team.kasi)
    assert row["skpId"] == gid_of(portal.tenant, team.skp) and row["pegawaiId"] == gid_of(
        portal.tenant, team.staf
    )
    assert (row["nama"], row["nip"]) == ("Staf", team.staf.nip)
    assert row["progresMingguIni"] == 2
    assert row["progresBulanIni"] == 3
    assert row["indikator"] == 3
    assert row["indikatorTerealisasi"] == 0 and row["realisasiBerbukti"] == 0
    assert row["kelengkapanBuktiPersen"] is None  # nothing realised, nothing to evidence
    assert [(r["rhkId"], r["indikator"], r["progresPeriode"]) for r in row["rhk"]] == [
        (gid_of(portal.tenant, team.rhk), 2, 3),
        (gid_of(portal.tenant, team.rhk_lain), 1, 1),
    ]
    assert row["rhk"][0]["teks"] == "Dokumen analisis tersusun"

    # Realisasi for two indikator; evidence (a link) for one of them.
    dokumen = await realise(portal, team, team.dokumen, kuantitas="3")
    await realise(portal, team, team.laporan, narasi="Laporan Januari")
    linked = await portal.as_(
        team.staf,
        LINK,
        input={"realisasiId": dokumen, "nama": "Folder", "tautan": "https://drive.example/x"},
    )
    assert linked["data"]["tambahTautanBuktiDukung"]["__typename"] == "BuktiDukung", linked

    (row,) = await monitor(portal, team.kasi)
    assert row["indikatorTerealisasi"] == 2 and row["realisasiBerbukti"] == 1
    assert row["kelengkapanBuktiPersen"] == 50.0
    assert [(r["indikator"], r["indikatorTerealisasi"]) for r in row["rhk"]] == [(2, 1), (1, 1)]
    # The window asked for is what counts: T2 has no realisasi.
    body = await portal.as_(team.kasi, MONITOR.replace('"2026-T1"', '"2026-T2"'))
    (t2,) = body["data"]["monitoringPelaksanaan"]["nodes"]
    assert (t2["indikatorTerealisasi"], t2["rhk"][0]["progresPeriode"]) == (0, 1)


async def test_the_last_progress_date_is_shown_once_there_is_one(portal, team, tenant):
    (row,) = await monitor(portal, team.kasi)
    assert row["progresTerakhir"] is None
    assert (row["progresMingguIni"], row["progresBulanIni"]) == (0, 0)

    rows = [
        progres_row(portal.tenant, team.rencana(), d)
        for d in ("2026-01-05", "2026-01-27", "2026-02-03")
    ]
    await portal.as_(team.staf, BULK, rows=rows)
    (row,) = await monitor(portal, team.kasi)
    assert row["progresTerakhir"] == "2026-02-03"
    assert (row["progresMingguIni"], row["progresBulanIni"]) == (1, 1)
    # As of an earlier date, later entries are not yet there.
    earlier = await portal.as_(team.kasi, MONITOR.replace("2026-02-05", "2026-01-30"))
    (row,) = earlier["data"]["monitoringPelaksanaan"]["nodes"]
    assert row["progresTerakhir"] == "2026-01-27"


async def test_only_approved_current_skps_of_the_penilai_are_listed(portal, team, tenant):
    async with tenant_transaction(as_bound(tenant)):
        # staf's superseded earlier version, and an SKP of another year, are not listed.
        old = await skp_for(team.staf, team.kasi)
        old.digantikan_pada = now()
        await old.save()
        await Skp.filter(id=(await skp_for(team.staf, team.kasi)).id).update(tahun=2025)
    rows = await monitor(portal, team.kasi)
    assert [r["skpId"] for r in rows] == [gid_of(portal.tenant, team.skp)]
    # staf appraises nobody; rekan's draft is nobody's monitored SKP.
    assert await monitor(portal, team.staf) == []
    assert await monitor(portal, team.rekan) == []


async def test_who_may_monitor_whom(portal, team, tenant):
    asked = await portal.as_(team.staf, MONITOR, penilai=gid_of(portal.tenant, team.kasi))
    assert asked["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert asked["data"] is None or asked["data"]["monitoringPelaksanaan"] is None
    rekan = await portal.as_(team.rekan, MONITOR, penilai=gid_of(portal.tenant, team.kasi))
    assert rekan["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # kasi may name themself; an admin instansi may ask for anyone.
    mine = await monitor(portal, team.kasi, penilai=gid_of(portal.tenant, team.kasi))
    assert [r["pegawaiId"] for r in mine] == [gid_of(portal.tenant, team.staf)]
    admin = await monitor(
        portal, team.rekan, Role.ADMIN_INSTANSI, penilai=gid_of(portal.tenant, team.kasi)
    )
    assert admin == mine


async def test_monitoring_costs_the_same_queries_for_one_or_many_subordinates(portal, team, tenant):
    async def statements() -> tuple[int, list[dict]]:
        with count_queries() as sent:
            rows = await monitor(portal, team.kasi)
        return len(sent), rows

    await statements()  # the first request warms the app's caches (identity provider)
    few, rows = await statements()
    assert len(rows) == 1

    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        for n in range(4):
            pegawai = await org.pegawai(f"Bawahan {n}")
            skp = await skp_for(pegawai, team.kasi)
            for m in range(2):
                rhk, ra = await plan(skp, f"Hasil {n}.{m}")
                indikator = await Indikator.create(
                    rhk=rhk, teks="Jumlah", aspek=AspekIki.KUANTITAS, target_min=4, satuan="X"
                )
                await Realisasi.create(indikator=indikator, skp=skp, periode="2026-T1", kuantitas=1)
                await ProgresHarian.create(
                    rencana_aksi_id=ra[(rhk.id, "2026-T1")],
                    skp=skp,
                    pegawai_id=pegawai.id,
                    periode="2026-T1",
                    tanggal=date(2026, 2, 4),
                    jam_mulai=time(8),
                    jam_selesai=time(9),
                    kegiatan="Kerja",
                    realisasi=1,
                    satuan="X",
                )
    many, rows = await statements()
    assert len(rows) == 5
    assert many == few
    bawahan = [r for r in rows if r["nama"].startswith("Bawahan")]
    assert [r["nama"] for r in bawahan] == [f"Bawahan {n}" for n in range(4)]
    assert all(
        (r["progresMingguIni"], r["indikatorTerealisasi"], len(r["rhk"])) == (2, 2, 2)
        for r in bawahan
    )
