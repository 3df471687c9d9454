"""Realisasi across a revision of the SKP (issue 15, seams of the year): the windows before a
mid-year perubahan were recorded on the replaced version's indikator; the version in force
counts them, so a cumulative quantity keeps its year to date (12 dokumen: 3 in T1 on the old
version + 4 in T2 on the new one = 7, 58.33 %), in `pelaksanaan` and in the roll-up the
superior reads. Before, the new version started from nothing: 4, 33.33 %."""

from __future__ import annotations

from decimal import Decimal

from ekinerja.models.tenant import Indikator, Rhk, Skp
from ekinerja.skp.enums import StatusSkp
from ekinerja.skp.lifecycle import Caller, approve, revise
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.test_pelaksanaan_realisasi import ROLLUP, dec, save

WINDOW = """query($skp: ID!, $periode: String!) { pelaksanaan(skpId: $skp, periode: $periode) {
  realisasi { indikatorId kuantitas kuantitasSampaiPeriode capaianPersen } } }"""


async def _revised(tenant, team) -> tuple[Skp, Indikator]:
    """staf's perubahan, approved by kasi: the new version and its copy of `dokumen`."""
    async with tenant_transaction(as_bound(tenant)):
        staf, kasi = Caller(team.staf.id, team.staf.nip), Caller(team.kasi.id, team.kasi.nip)
        skp = await Skp.get(id=team.skp.id)
        revision = await revise(skp.id, skp.lock_version, staf)
        # Submitted as it stands (its RHK and links are the approved version's).
        await Skp.filter(id=revision.id).update(status=StatusSkp.DIAJUKAN)
        revision = await approve(revision.id, (await Skp.get(id=revision.id)).lock_version, kasi)
        copy = await Indikator.get(asal_id=team.dokumen.id, rhk__skp_id=revision.id)
        return revision, copy


async def _window(portal, who, skp: Skp, periode: str) -> dict[str, dict]:
    body = await portal.as_(who, WINDOW, skp=gid_of(portal.tenant, skp), periode=periode)
    assert "errors" not in body, body
    return {r["indikatorId"]: r for r in body["data"]["pelaksanaan"]["realisasi"]}


async def test_the_year_to_date_carries_across_a_revision(portal, tenant, team):
    await save(portal, team.staf, team.dokumen, "2026-T1", kuantitas="3")
    revision, copy = await _revised(tenant, team)
    await save(portal, team.staf, copy, "2026-T2", kuantitas="4")

    t2 = (await _window(portal, team.staf, revision, "2026-T2"))[gid_of(portal.tenant, copy)]
    assert dec(t2["kuantitas"]) == 4  # this window's own, on the new version
    assert dec(t2["kuantitasSampaiPeriode"]) == 7  # T1 on the replaced version + T2
    assert t2["capaianPersen"] == "58.33"
    # The first window, read on the version in force, shows what was recorded then.
    t1 = (await _window(portal, team.staf, revision, "2026-T1"))[gid_of(portal.tenant, copy)]
    assert (dec(t1["kuantitas"]), dec(t1["kuantitasSampaiPeriode"])) == (3, 3)

    # The superior's roll-up counts the same year to date.
    async with tenant_transaction(as_bound(tenant)):
        kasi_rhk = await Rhk.get(id=team.kasi_rhk.id).prefetch_related("indikator")
    body = await portal.as_(team.kasi, ROLLUP, id=gid_of(portal.tenant, kasi_rhk))
    assert "errors" not in body, body
    intervensi = body["data"]["rhk"]["rekap"]["intervensi"]
    mine = next(i for i in intervensi if i["pegawaiId"] == gid_of(portal.tenant, team.staf))
    capaian = {c["indikatorId"]: c["capaianPersen"] for c in mine["capaian"]}
    assert Decimal(capaian[gid_of(portal.tenant, copy)]) == Decimal("58.33")


async def test_a_later_versions_own_row_wins_over_the_replaced_one(portal, tenant, team):
    """A window recorded on both versions (the revision was approved mid-window) counts once,
    the version in force's row."""
    await save(portal, team.staf, team.dokumen, "2026-T2", kuantitas="3")
    revision, copy = await _revised(tenant, team)
    before = (await _window(portal, team.staf, revision, "2026-T2"))[gid_of(portal.tenant, copy)]
    assert dec(before["kuantitas"]) == 3  # the replaced version's, until the new one records
    await save(portal, team.staf, copy, "2026-T2", kuantitas="5")
    after = (await _window(portal, team.staf, revision, "2026-T2"))[gid_of(portal.tenant, copy)]
    assert (dec(after["kuantitas"]), dec(after["kuantitasSampaiPeriode"])) == (5, 5)
