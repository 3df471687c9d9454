"""Issue 15, defect 7: an RHK is readable instansi-wide (`rhk:read`), but what was realised for
it is the SKP owner's execution data (`skp:read`). A colleague refused `pelaksanaan(skpId)`
read the same capaian through `rhk(id) { rekap }`; now every roll-up, and every person's
figure inside one, follows the relation to its owner, as `pelaksanaan` does. The owner and
their penilai still see it all; a refusal blanks the field (FORBIDDEN), not the list."""

from __future__ import annotations

from ekinerja.models.tenant import Indikator, Realisasi
from ekinerja.skp.enums import AspekIki
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import beside_staf, plan, skp_for
from tests.support.query_counter import count_queries

ROLLUP = """query($id: ID!) { rhk(id: $id) {
  indikator { id rekap(periode: "2026-T1") {
    status capaianPersen bagian { pegawaiId realisasi capaianPersen tanpaRealisasi } } }
  rekap(periode: "2026-T1") { persenMencapaiTarget
    intervensi { rhkId pegawaiId mencapaiTarget capaian { capaianPersen } } } } }"""

PELAKSANAAN = """query($skp: ID!) { pelaksanaan(skpId: $skp, periode: "2026-T1") {
  realisasi { capaianPersen } } }"""


async def _split(tenant, team) -> Indikator:
    """kasi's ``induk`` (20 Dokumen) split into staf's ``dokumen`` (12, 6 realised) and a part
    of ``luar``, who works elsewhere and is appraised by someone else."""
    async with tenant_transaction(as_bound(tenant)):
        induk = await Indikator.create(
            rhk=team.kasi_rhk, teks="Dokumen bidang", aspek=AspekIki.KUANTITAS,
            target_min=20, satuan="Dokumen",
        )  # fmt: skip
        await Indikator.filter(id=team.dokumen.id).update(bagian_dari_id=induk.id)
        await Realisasi.create(indikator=team.dokumen, skp=team.skp, periode="2026-T1", kuantitas=6)
        org = Org()
        unit = await org.unit("Bagian Luar")
        boss = await org.pegawai("Atasan Luar", await org.jabatan("Kepala", unit, head=True))
        luar = await org.pegawai("Luar", await org.jabatan("Analis Luar", unit))
        luar_skp = await skp_for(luar, boss)
        luar_rhk, _ = await plan(luar_skp, "Dokumen luar", team.kasi_rhk)
        part = await Indikator.create(
            rhk=luar_rhk, teks="Dokumen luar", aspek=AspekIki.KUANTITAS,
            target_min=8, satuan="Dokumen", bagian_dari=induk,
        )  # fmt: skip
        await Realisasi.create(indikator=part, skp=luar_skp, periode="2026-T1", kuantitas=8)
        team.luar = luar
    return induk


async def test_a_colleague_reads_no_capaian_through_an_rhk(portal, team, tenant):
    await _split(tenant, team)
    # The way pelaksanaan is refused ...
    refused = await portal.as_(team.rekan, PELAKSANAAN, skp=gid_of(portal.tenant, team.skp))
    assert refused["data"] == {"pelaksanaan": None}
    # ... the roll-ups of staf's RHK and of the superior's RHK staf intervenes are refused too.
    for rhk in (team.rhk, team.kasi_rhk):
        body = await portal.as_(team.rekan, ROLLUP, id=gid_of(portal.tenant, rhk))
        seen = body["data"]["rhk"]
        assert seen["rekap"] is None, body
        assert all(i["rekap"] is None for i in seen["indikator"]), body
        assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
        assert {tuple(e["path"][-1:]) for e in body["errors"]} == {("rekap",)}


async def test_the_owner_and_the_penilai_see_the_capaian(portal, team, tenant):
    induk = await _split(tenant, team)
    # staf reads their own RHK's roll-ups; kasi, staf's penilai, reads them too.
    for who in (team.staf, team.kasi):
        body = await portal.as_(who, ROLLUP, id=gid_of(portal.tenant, team.rhk))
        assert "errors" not in body, body
        assert body["data"]["rhk"]["rekap"] == {"persenMencapaiTarget": None, "intervensi": []}
    # kasi's own RHK: staf's figures are there; luar's, whom kasi does not appraise, are blank.
    body = await portal.as_(team.kasi, ROLLUP, id=gid_of(portal.tenant, team.kasi_rhk))
    rhk = body["data"]["rhk"]
    roll = next(i["rekap"] for i in rhk["indikator"] if i["id"] == gid_of(portal.tenant, induk))
    assert (roll["status"], roll["capaianPersen"]) == ("SEBANDING", "70.00")  # kasi's own
    parts = {b["pegawaiId"]: b for b in roll["bagian"]}
    assert parts[gid_of(portal.tenant, team.staf)] == {
        "pegawaiId": gid_of(portal.tenant, team.staf),
        "realisasi": "6.0000", "capaianPersen": "50.00",
        "tanpaRealisasi": False,
    }  # fmt: skip
    assert parts[gid_of(portal.tenant, team.luar)] == {
        "pegawaiId": gid_of(portal.tenant, team.luar), "realisasi": None, "capaianPersen": None,
        "tanpaRealisasi": None,
    }  # fmt: skip
    rows = {i["pegawaiId"]: i for i in rhk["rekap"]["intervensi"]}
    assert rows[gid_of(portal.tenant, team.staf)]["capaian"] == [
        {"capaianPersen": "50.00"},
        {"capaianPersen": None},
    ]
    assert rows[gid_of(portal.tenant, team.staf)]["mencapaiTarget"] is False
    assert (
        rows[gid_of(portal.tenant, team.luar)]["capaian"],
        rows[gid_of(portal.tenant, team.luar)]["mencapaiTarget"],
    ) == (
        None,
        None,
    )
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert {e["path"][-1] for e in body["errors"]} == {
        "realisasi", "capaianPersen", "tanpaRealisasi", "capaian", "mencapaiTarget",
    }  # fmt: skip
    # An admin of the instansi reads everyone's.
    admin = await portal.as_(
        team.rekan, ROLLUP, "ADMIN_INSTANSI", id=gid_of(portal.tenant, team.kasi_rhk)
    )
    assert "errors" not in admin, admin


async def test_the_checks_of_a_long_roll_up_are_batched(portal, team, tenant):
    induk = await _split(tenant, team)

    async def statements() -> int:
        with count_queries() as sent:
            body = await portal.as_(team.kasi, ROLLUP, id=gid_of(portal.tenant, team.kasi_rhk))
        assert body["data"]["rhk"]["rekap"] is not None, body
        return len(sent)

    await statements()  # the first request warms the app's caches (identity provider)
    few = await statements()
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        for n in range(4):
            who = await beside_staf(org, team, f"Staf {n}")
            rhk, _ = await plan(await skp_for(who, team.kasi), f"Dokumen {n}", team.kasi_rhk)
            await Indikator.create(
                rhk=rhk, teks="Dokumen", aspek=AspekIki.KUANTITAS, target_min=1,
                satuan="Dokumen", bagian_dari=induk,
            )  # fmt: skip
    assert await statements() == few
