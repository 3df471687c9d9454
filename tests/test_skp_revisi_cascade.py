"""The cascade across revisions (issue 15, defect 2; decision 0019): links follow a kept RHK
into the superior's new version, links to a removed one are orphaned and seen on both sides,
nothing new or approved may lean on a replaced version, coverage counts the versions in force.
And indikator ids survive a save (defect 9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from ekinerja.models.tenant import Indikator, Realisasi, Rhk, Skp
from ekinerja.skp.cakupan import coverage
from ekinerja.skp.editing import IndikatorInput, RhkInput, remove_rhk, save_rhk
from ekinerja.skp.enums import AspekIki, PendekatanSkp, StatusSkp
from ekinerja.skp.errors import SkpError
from ekinerja.skp.lifecycle import (
    Caller,
    NewSkp,
    approve,
    create_skp,
    revise,
    submit,
    withdraw,
)
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.tenants import rolled_back
from tests.test_graphql_skp import api as api_fixture
from tests.test_graphql_skp import gql

IKI = (IndikatorInput("Jumlah dokumen", AspekIki.KUANTITAS, Decimal(2), None, "Dokumen"),)
ON = date(2026, 6, 1)


@dataclass
class Chain:
    """Kabid → kasi → two staf; the kasi's SKP has RHK `kept` and `dropped`, both intervened
    by staf1 (approved) and staf2 (submitted, not yet approved)."""

    kabid: Caller
    kasi: Caller
    staf1: Caller
    staf2: Caller
    kasi_skp: Skp
    kept: Rhk
    dropped: Rhk
    staf1_skp: Skp
    staf2_skp: Skp


def caller(pegawai) -> Caller:
    return Caller(pegawai.id, pegawai.nip)


async def plan(who: Caller, *links: tuple[str, int | None]) -> tuple[Skp, list[Rhk]]:
    skp = await create_skp(who, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    rhks = []
    for teks, intervensi in links:
        rhks.append(
            await save_rhk(
                skp.id,
                (await Skp.get(id=skp.id)).lock_version,
                who,
                RhkInput(teks, intervensi_rhk_id=intervensi, indikator=IKI),
            )
        )
    return await Skp.get(id=skp.id), rhks


async def submitted(who: Caller, skp_id: int) -> Skp:
    return await submit(skp_id, (await Skp.get(id=skp_id)).lock_version, who)


async def approved(penilai: Caller, skp_id: int) -> Skp:
    return await approve(skp_id, (await Skp.get(id=skp_id)).lock_version, penilai)


async def build_chain() -> Chain:
    org = Org()
    bidang = await org.unit("Bidang Kurikulum")
    seksi = await org.unit("Seksi SD", bidang)
    kabid = caller(
        await org.pegawai("Kabid", await org.jabatan("Kepala Bidang", bidang, head=True))
    )
    kasi = caller(await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", seksi, head=True)))
    post = await org.jabatan("Pengembang Kurikulum", seksi)
    staf1 = caller(await org.pegawai("Staf Satu", post))
    staf2 = caller(await org.pegawai("Staf Dua", post))
    kabid_skp, (kabid_rhk,) = await plan(kabid, ("Kurikulum daerah ditetapkan", None))
    # The kabid's own penilai is outside this organisation: approved directly for the test.
    await Skp.filter(id=kabid_skp.id).update(status=StatusSkp.DISETUJUI)
    kasi_skp, (kept, dropped) = await plan(
        kasi, ("Kurikulum SD tersusun", kabid_rhk.id), ("Modul SD tersusun", kabid_rhk.id)
    )
    await submitted(kasi, kasi_skp.id)
    kasi_skp = await approved(kabid, kasi_skp.id)
    staf1_skp, _ = await plan(staf1, ("Draf kurikulum", kept.id), ("Draf modul", dropped.id))
    await submitted(staf1, staf1_skp.id)
    staf1_skp = await approved(kasi, staf1_skp.id)
    staf2_skp, _ = await plan(staf2, ("Kajian kurikulum", kept.id), ("Uji modul", dropped.id))
    staf2_skp = await submitted(staf2, staf2_skp.id)
    return Chain(kabid, kasi, staf1, staf2, kasi_skp, kept, dropped, staf1_skp, staf2_skp)


async def kasi_revises_dropping_one(chain: Chain) -> Skp:
    """The kasi revises, removes the copy of `dropped`, and the kabid approves the revision."""
    revision = await revise(chain.kasi_skp.id, chain.kasi_skp.lock_version, chain.kasi)
    copy_of_dropped = await Rhk.get(skp_id=revision.id, asal_id=chain.dropped.id)
    revision = await remove_rhk(revision.id, revision.lock_version, chain.kasi, copy_of_dropped.id)
    await submitted(chain.kasi, revision.id)
    return await approved(chain.kabid, revision.id)


async def link_refused(draft: Skp, who: Caller, target_rhk_id: int) -> SkpError:
    """The refusal of a new RHK on ``draft`` intervening ``target_rhk_id``; nothing saved."""
    with pytest.raises(SkpError) as refused:
        await save_rhk(
            draft.id,
            draft.lock_version,
            who,
            RhkInput("Baru", intervensi_rhk_id=target_rhk_id, indikator=IKI),
        )
    assert not await Rhk.filter(skp_id=draft.id, teks="Baru").exists()
    return refused.value


async def links_of(skp_id: int) -> list[int | None]:
    return [r.intervensi_id for r in await Rhk.filter(skp_id=skp_id).order_by("urutan", "id")]


@pytest.fixture
async def bound(module_tenant):
    """Each test runs in one transaction of the module's tenant, rolled back after it: every
    test starts from the same untouched tenant, as with one of its own. (The tests that
    commit have tenants of their own.)"""
    async with rolled_back(module_tenant):
        yield await build_chain()


async def test_links_to_a_kept_rhk_follow_it_into_the_new_version(bound):
    chain = bound
    before = await coverage(chain.kasi.pegawai_id, 2026, ON)
    assert before.rhk_covered_percent == 100.0

    # While the revision is a draft, the approved version still counts.
    revision = await revise(chain.kasi_skp.id, chain.kasi_skp.lock_version, chain.kasi)
    during = await coverage(chain.kasi.pegawai_id, 2026, ON)
    assert during.superior_skp_id == chain.kasi_skp.id and during.rhk_covered_percent == 100.0

    await submitted(chain.kasi, revision.id)
    await approved(chain.kabid, revision.id)
    successor = await Rhk.get(skp_id=revision.id, asal_id=chain.kept.id)
    successor_of_dropped = await Rhk.get(skp_id=revision.id, asal_id=chain.dropped.id)
    assert await links_of(chain.staf1_skp.id) == [successor.id, successor_of_dropped.id]
    assert await links_of(chain.staf2_skp.id) == [successor.id, successor_of_dropped.id]
    after = await coverage(chain.kasi.pegawai_id, 2026, ON)
    assert after.superior_skp_id == revision.id
    assert after.rhk_covered_percent == 100.0 and not after.orphaned
    # History keeps its links: the replaced version's own RHK were not touched.
    assert await links_of(chain.kasi_skp.id) == [
        r.intervensi_id for r in (chain.kept, chain.dropped)
    ]


async def test_a_removed_rhk_orphans_its_links_and_blocks_approval(bound):
    chain = bound
    revision = await kasi_revises_dropping_one(chain)
    successor = await Rhk.get(skp_id=revision.id, asal_id=chain.kept.id)
    assert await links_of(chain.staf1_skp.id) == [successor.id, chain.dropped.id]

    result = await coverage(chain.kasi.pegawai_id, 2026, ON)
    assert result.rhk_covered_percent == 100.0  # the one RHK left is covered
    orphans = {(o.pegawai_id, o.removed_rhk_id) for o in result.orphaned}
    assert orphans == {
        (chain.staf1.pegawai_id, chain.dropped.id),
        (chain.staf2.pegawai_id, chain.dropped.id),
    }

    with pytest.raises(SkpError) as refused:
        await approved(chain.kasi, chain.staf2_skp.id)
    assert (refused.value.code, refused.value.field) == (
        "INTERVENTION_ORPHANED",
        "rhk[2].intervensiRhkId",
    )
    assert (await Skp.get(id=chain.staf2_skp.id)).status is StatusSkp.DIAJUKAN


async def test_new_links_to_a_replaced_version_are_refused(bound):
    chain = bound
    await kasi_revises_dropping_one(chain)
    fresh = await Skp.get(id=chain.staf2_skp.id)
    fresh = await withdraw(fresh.id, fresh.lock_version, chain.staf2)
    for target, code in (
        (chain.kept, "INTERVENTION_SUPERSEDED"),
        (chain.dropped, "INTERVENTION_ORPHANED"),
    ):
        refused = await link_refused(fresh, chain.staf2, target.id)
        assert (refused.code, refused.field) == (code, "intervensiRhkId")
    with pytest.raises(SkpError) as orphan_left:
        await submit(fresh.id, fresh.lock_version, chain.staf2)
    assert orphan_left.value.code == "INTERVENTION_ORPHANED"


async def test_a_subordinates_revision_keeps_its_links(bound):
    chain = bound
    revision = await revise(chain.staf1_skp.id, chain.staf1_skp.lock_version, chain.staf1)
    assert await links_of(revision.id) == [chain.kept.id, chain.dropped.id]
    await submitted(chain.staf1, revision.id)
    await approved(chain.kasi, revision.id)
    result = await coverage(chain.kasi.pegawai_id, 2026, ON)
    mine = [rhk for p, rhk in result.rhk[0].intervened_by if p == chain.staf1.pegawai_id]
    assert mine == [(await Rhk.filter(skp_id=revision.id).order_by("urutan", "id").first()).id]
    assert result.rhk_covered_percent == 100.0

    # A superior revision while the subordinate's own revision is a draft moves both.
    second = await revise(revision.id, (await Skp.get(id=revision.id)).lock_version, chain.staf1)
    kasi_new = await kasi_revises_dropping_one(chain)
    successor = await Rhk.get(skp_id=kasi_new.id, asal_id=chain.kept.id)
    assert await links_of(second.id) == [successor.id, chain.dropped.id]
    assert await links_of(revision.id) == [successor.id, chain.dropped.id]
    assert await links_of(chain.staf1_skp.id) == [chain.kept.id, chain.dropped.id]  # history


async def test_indikator_ids_survive_a_save(bound):
    chain = bound
    skp = await revise(chain.staf1_skp.id, chain.staf1_skp.lock_version, chain.staf1)
    rhk = await Rhk.filter(skp_id=skp.id).order_by("urutan", "id").first()
    first = await Indikator.get(rhk_id=rhk.id)
    await Realisasi.create(indikator_id=first.id, skp_id=skp.id, periode="2026-T1")
    changed = (IndikatorInput("Jumlah dokumen final", AspekIki.KUANTITAS, Decimal(3), None, "Dok"),)
    skp = await Skp.get(id=skp.id)
    await save_rhk(
        skp.id, skp.lock_version, chain.staf1, RhkInput("Lain", indikator=changed), rhk.id
    )
    again = await Indikator.filter(rhk_id=rhk.id)
    assert [(i.id, i.teks, i.target_min) for i in again] == [
        (first.id, "Jumlah dokumen final", Decimal(3))
    ]
    assert await Realisasi.filter(indikator_id=first.id).exists()

    # Named by id: updated in place, a new one inserted, an unnamed one removed.
    skp = await Skp.get(id=skp.id)
    two = (
        IndikatorInput("Baru", AspekIki.KUALITAS, Decimal(1), None, "Dok"),
        IndikatorInput("Tetap", AspekIki.KUANTITAS, Decimal(4), None, "Dok", id=first.id),
    )
    await save_rhk(skp.id, skp.lock_version, chain.staf1, RhkInput("Lain", indikator=two), rhk.id)
    rows = await Indikator.filter(rhk_id=rhk.id).order_by("urutan")
    assert [r.teks for r in rows] == ["Baru", "Tetap"] and rows[1].id == first.id
    skp = await Skp.get(id=skp.id)
    with pytest.raises(SkpError) as refused:
        stranger = IndikatorInput("x", AspekIki.KUANTITAS, Decimal(1), None, "Dok", id=999_999)
        await save_rhk(
            skp.id, skp.lock_version, chain.staf1, RhkInput("Lain", indikator=(stranger,)), rhk.id
        )
    assert refused.value.field == "indikator[1].id"


async def test_another_tenants_rhk_cannot_be_linked(tenant, other_tenant):
    async with tenant_transaction(as_bound(other_tenant)):
        theirs = await build_chain()
        # An RHK of their kasi's approved SKP whose id exists only in their tenant.
        foreign = await Rhk.create(
            id=900_000,
            skp_id=theirs.kasi_skp.id,
            urutan=9,
            teks="Milik mereka",
            intervensi_id=theirs.kept.intervensi_id,
        )
        await Indikator.create(rhk=foreign, teks="Jumlah", target_min=1)
    async with tenant_transaction(as_bound(tenant)):
        ours = await build_chain()
        draft = await revise(ours.staf1_skp.id, ours.staf1_skp.lock_version, ours.staf1)
        refused = await link_refused(draft, ours.staf1, foreign.id)
        assert (refused.code, refused.field) == ("INTERVENTION_INVALID", "intervensiRhkId")
    async with tenant_transaction(as_bound(other_tenant)):
        # Their revision re-points their links only.
        await kasi_revises_dropping_one(theirs)
    async with tenant_transaction(as_bound(tenant)):
        assert await links_of(ours.staf1_skp.id) == [ours.kept.id, ours.dropped.id]
        assert not (await coverage(ours.kasi.pegawai_id, 2026, ON)).orphaned


api = api_fixture  # the GraphQL client fixture, shared

MY_LINKS = """query($id: ID!) { skp(id: $id) { rhk { teks statusIntervensi petunjukIntervensi
  intervensi { id } } } }"""

ORPHANS = """query { cakupanCascade(tahun: 2026) { persenRhkTercakup
  intervensiYatim { pegawai { nama } rhk { teks } rhkDihapus { id teks } petunjuk } } }"""

SAVE = """mutation($input: SimpanRhkInput!) { simpanRhk(input: $input) {
  __typename ... on MutationError { code message field } } }"""


async def test_both_sides_see_the_orphan_over_graphql(api, tenant):
    async with tenant_transaction(as_bound(tenant)):
        chain = await build_chain()
        await kasi_revises_dropping_one(chain)
    mine = (
        await gql(api, tenant, chain.staf1.subject, MY_LINKS, id=gid_of(tenant, chain.staf1_skp))
    )["data"]
    states = [(r["teks"], r["statusIntervensi"]) for r in mine["skp"]["rhk"]]
    assert states == [("Draf kurikulum", "BERLAKU"), ("Draf modul", "YATIM")]
    assert mine["skp"]["rhk"][0]["petunjukIntervensi"] is None
    assert "intervene one of their current RHK" in mine["skp"]["rhk"][1]["petunjukIntervensi"]

    theirs = (await gql(api, tenant, chain.kasi.subject, ORPHANS))["data"]["cakupanCascade"]
    assert theirs["persenRhkTercakup"] == 100.0
    assert sorted(o["pegawai"]["nama"] for o in theirs["intervensiYatim"]) == [
        "Staf Dua",
        "Staf Satu",
    ]
    assert {o["rhkDihapus"]["id"] for o in theirs["intervensiYatim"]} == {
        gid_of(tenant, chain.dropped)
    }
    assert all("removed this RHK" in o["petunjuk"] for o in theirs["intervensiYatim"])

    async with tenant_transaction(as_bound(tenant)):
        draft = await Skp.get(id=chain.staf2_skp.id)
        draft = await withdraw(draft.id, draft.lock_version, chain.staf2)
    refused = (
        await gql(
            api,
            tenant,
            chain.staf2.subject,
            SAVE,
            input={
                "skpId": gid_of(tenant, draft),
                "versiDiharapkan": (draft.lock_version),
                "teks": "x",
                "intervensiRhkId": gid_of(tenant, chain.kept),
                "indikator": [{"teks": "Jumlah", "aspek": "KUANTITAS", "targetMin": "1"}],
            },
        )
    )["data"]["simpanRhk"]
    assert (refused["code"], refused["field"]) == ("INTERVENTION_SUPERSEDED", "intervensiRhkId")


async def test_an_indikator_with_realisasi_is_not_dropped(bound):
    """Dropping an indikator that realisasi refers to is refused as data naming it, not a
    database foreign-key error; the RHK is left as it was."""
    chain = bound
    skp = await revise(chain.staf1_skp.id, chain.staf1_skp.lock_version, chain.staf1)
    rhk = await Rhk.filter(skp_id=skp.id).order_by("urutan", "id").first()
    first = await Indikator.get(rhk_id=rhk.id)
    await Realisasi.create(indikator_id=first.id, skp_id=skp.id, periode="2026-T1")
    second = await Indikator.create(
        rhk_id=rhk.id, teks="Mutu", aspek=AspekIki.KUALITAS, target_min=Decimal(1), urutan=2
    )
    only_second = (IndikatorInput("Mutu", AspekIki.KUALITAS, Decimal(1), None, "%", id=second.id),)
    skp = await Skp.get(id=skp.id)
    with pytest.raises(SkpError) as refused:
        await save_rhk(
            skp.id, skp.lock_version, chain.staf1, RhkInput("Lain", indikator=only_second), rhk.id
        )
    assert refused.value.code == "INDIKATOR_HAS_REALISASI"
    assert refused.value.field == "indikator[1]"
    assert "realisasi is recorded for it" in refused.value.message
    assert {i.id for i in await Indikator.filter(rhk_id=rhk.id)} == {first.id, second.id}


async def test_an_indikator_id_named_twice_is_refused(bound):
    """Two items naming one id would both update that row, the earlier one silently lost."""
    chain = bound
    skp = await revise(chain.staf1_skp.id, chain.staf1_skp.lock_version, chain.staf1)
    rhk = await Rhk.filter(skp_id=skp.id).order_by("urutan", "id").first()
    first = await Indikator.get(rhk_id=rhk.id)
    twice = (
        IndikatorInput("Satu", AspekIki.KUANTITAS, Decimal(1), None, "Dok", id=first.id),
        IndikatorInput("Dua", AspekIki.KUANTITAS, Decimal(2), None, "Dok", id=first.id),
    )
    skp = await Skp.get(id=skp.id)
    with pytest.raises(SkpError) as refused:
        await save_rhk(
            skp.id, skp.lock_version, chain.staf1, RhkInput("Lain", indikator=twice), rhk.id
        )
    assert refused.value.field == "indikator[2].id"
    assert "named twice" in refused.value.message
    assert [i.teks for i in await Indikator.filter(rhk_id=rhk.id)] == [first.teks]
