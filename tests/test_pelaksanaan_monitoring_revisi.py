"""The penilai's monitoring across a revision of the SKP (issue 19, a seam of the year): the
weeks before a mid-year perubahan were logged, and the window's realisasi recorded, on the
replaced version; once the revision is approved the monitoring lists the version in force and
counts them, as `pelaksanaan` on that version shows them (realisasi through the indikator's
lineage). Before, it counted only rows on the new version's id: nothing logged, nothing
realised. The compiled read path answers the same, in one statement, and the resolvers' count
of statements does not grow with the revision."""

from __future__ import annotations

from ekinerja.models.tenant import Indikator, Skp
from ekinerja.skp.enums import StatusSkp
from ekinerja.skp.lifecycle import Caller, approve, revise
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.pelaksanaan import progres_row
from tests.test_compiled_reads_monitoring import MONITOR
from tests.test_pelaksanaan_monitoring import BULK, LINK
from tests.test_pelaksanaan_realisasi import save

WINDOW = """query($skp: ID!) { pelaksanaan(skpId: $skp, periode: "2026-T1") {
  realisasi { indikatorId realisasiId } } }"""


async def _revised(tenant, team) -> tuple[Skp, Indikator]:
    """staf's perubahan, approved by kasi: the new version and its copy of `dokumen`."""
    async with tenant_transaction(as_bound(tenant)):
        staf, kasi = Caller(team.staf.id, team.staf.nip), Caller(team.kasi.id, team.kasi.nip)
        skp = await Skp.get(id=team.skp.id)
        revision = await revise(skp.id, skp.lock_version, staf)
        await Skp.filter(id=revision.id).update(status=StatusSkp.DIAJUKAN)
        revision = await approve(revision.id, (await Skp.get(id=revision.id)).lock_version, kasi)
        copy = await Indikator.get(asal_id=team.dokumen.id, rhk__skp_id=revision.id)
        return revision, copy


def _staf_row(body: dict) -> dict:
    (row,) = body["data"]["monitoringPelaksanaan"]["nodes"]
    return row


async def test_the_monitoring_counts_what_was_logged_before_a_revision(portal, twins, tenant, team):
    # Monday 2 and Thursday 5 February on the first RHK, logged on the version then in force;
    # the first RHK's dokumen realised with a link as evidence.
    rows = [progres_row(portal.tenant, team.rencana(), day) for day in ("2026-02-02", "2026-02-05")]
    logged = await portal.as_(team.staf, BULK, rows=rows)
    assert logged["data"]["buatProgresHarianMassal"]["__typename"] == "ProgresHarianDisimpan"
    saved = await save(portal, team.staf, team.dokumen, kuantitas="3")
    linked = await portal.as_(
        team.staf,
        LINK,
        input={
            "realisasiId": saved["realisasiId"],
            "nama": "Folder",
            "tautan": "https://drive.example/x",
        },
    )
    assert linked["data"]["tambahTautanBuktiDukung"]["__typename"] == "BuktiDukung", linked

    asked = {"periode": "2026-T1", "tanggal": "2026-02-05"}
    await twins.both(team.kasi.nip, MONITOR, **asked)  # warms the apps' caches (identity)
    before, compiled_before, resolved_before = await twins.both(team.kasi.nip, MONITOR, **asked)
    revision, copy = await _revised(tenant, team)
    after, compiled_after, resolved_after = await twins.both(team.kasi.nip, MONITOR, **asked)

    row = _staf_row(after)
    assert row["skpId"] == gid_of(tenant, revision)  # the version in force is listed
    counted = (
        "progresTerakhir",
        "progresMingguIni",
        "progresBulanIni",
        "indikator",
        "indikatorTerealisasi",
        "realisasiBerbukti",
        "kelengkapanBuktiPersen",
    )
    assert {k: row[k] for k in counted} == {
        "progresTerakhir": "2026-02-05",
        "progresMingguIni": 2,
        "progresBulanIni": 2,
        "indikator": 3,
        "indikatorTerealisasi": 1,
        "realisasiBerbukti": 1,
        "kelengkapanBuktiPersen": 100.0,
    }
    assert {k: row[k] for k in counted} == {k: _staf_row(before)[k] for k in counted}
    # Per RHK: the copies of the replaced version's RHK, with what was logged on the originals.
    assert [
        (r["indikator"], r["indikatorTerealisasi"], r["progresPeriode"]) for r in row["rhk"]
    ] == [
        (2, 1, 2),
        (1, 0, 0),
    ]

    # What pelaksanaan shows on the version in force: the same one indikator realised.
    body = await portal.as_(team.kasi, WINDOW, skp=gid_of(tenant, revision))
    realised = [r for r in body["data"]["pelaksanaan"]["realisasi"] if r["realisasiId"]]
    assert [r["indikatorId"] for r in realised] == [gid_of(tenant, copy)]

    # Flat: one statement compiled, and the resolvers' as many as before the revision.
    assert compiled_before == compiled_after == 1
    assert resolved_after == resolved_before


async def test_a_window_logged_on_both_versions_counts_each_entry_once(portal, twins, tenant, team):
    """Progres before and after the approval, and a realisasi recorded again on the copy:
    every entry counts once, the copy's realisasi instead of the original's."""
    first = progres_row(portal.tenant, team.rencana(), "2026-02-02")
    await portal.as_(team.staf, BULK, rows=[first])
    await save(portal, team.staf, team.dokumen, kuantitas="3")
    revision, copy = await _revised(tenant, team)
    async with tenant_transaction(as_bound(tenant)):
        from ekinerja.models.tenant import RencanaAksi

        ra = await RencanaAksi.get(
            rhk__skp_id=revision.id, rhk__asal_id=team.rhk.id, periode="2026-T1"
        )
    later = progres_row(portal.tenant, gid_of(tenant, ra), "2026-02-04")
    logged = await portal.as_(team.staf, BULK, rows=[later])
    assert logged["data"]["buatProgresHarianMassal"]["__typename"] == "ProgresHarianDisimpan"
    await save(portal, team.staf, copy, kuantitas="5")

    body, compiled, _ = await twins.both(
        team.kasi.nip, MONITOR, periode="2026-T1", tanggal="2026-02-05"
    )
    row = _staf_row(body)
    assert (row["progresMingguIni"], row["progresTerakhir"]) == (2, "2026-02-04")
    assert (row["indikatorTerealisasi"], row["realisasiBerbukti"]) == (1, 0)
    assert row["rhk"][0]["progresPeriode"] == 2 and compiled == 1
