"""Direct-cascading parts across the superior's revision (decision 0019): a part of an indikator
the revision kept follows it into the new version, so the split still adds up and the
subordinate can keep saving their RHK; a part of an indikator the revision removed is orphaned
and blocks submission and approval, naming the indikator at fault."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from ekinerja.models.tenant import Indikator, Rhk, Skp
from ekinerja.skp.direct_cascading import StatusPembagian, pembagian_of
from ekinerja.skp.editing import IndikatorInput, RhkInput, save_rhk
from ekinerja.skp.enums import AspekIki, DasarPembagian, PendekatanSkp, StatusSkp
from ekinerja.skp.errors import SkpError
from ekinerja.skp.lifecycle import Caller, NewSkp, approve, create_skp, revise, submit, withdraw
from tests.support.org import Org
from tests.support.tenants import rolled_back

KUANTITAS = AspekIki.KUANTITAS


def _iki(teks: str, target: int, part_of: int | None = None, id: int | None = None):
    return IndikatorInput(
        teks, KUANTITAS, Decimal(target), None, "Sekolah",
        bagian_dari_id=part_of, dasar_pembagian=DasarPembagian.PORSI if part_of else None,
        id=id,
    )  # fmt: skip


@dataclass
class Split:
    """The kasi's RHK has indikator `a` (10 sekolah) and `b` (4 sekolah); staf1 takes 6 of `a`,
    staf2 takes 4 of `a` and all of `b`. Both staf SKPs are approved."""

    kabid: Caller
    kasi: Caller
    staf1: Caller
    staf2: Caller
    kasi_skp: Skp
    rhk: Rhk
    a: Indikator
    b: Indikator
    staf1_skp: Skp
    staf2_skp: Skp


async def _version(skp_id: int) -> int:
    return (await Skp.get(id=skp_id)).lock_version


async def _planned(who: Caller, request: RhkInput) -> tuple[Skp, Rhk]:
    skp = await create_skp(who, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    rhk = await save_rhk(skp.id, skp.lock_version, who, request)
    return await Skp.get(id=skp.id), rhk


async def _approved(owner: Caller, penilai: Caller, skp_id: int) -> Skp:
    await submit(skp_id, await _version(skp_id), owner)
    return await approve(skp_id, await _version(skp_id), penilai)


async def _build() -> Split:
    org = Org()
    bidang = await org.unit("Bidang Sarana")
    seksi = await org.unit("Seksi Sarana SD", bidang)
    kabid = await org.pegawai("Kabid", await org.jabatan("Kepala Bidang", bidang, head=True))
    kasi = await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", seksi, head=True))
    post = await org.jabatan("Pengelola Sarana", seksi)
    staf1, staf2 = [await org.pegawai(f"Staf {n}", post) for n in (1, 2)]
    kabid, kasi, staf1, staf2 = (Caller(p.id, p.nip) for p in (kabid, kasi, staf1, staf2))

    kabid_skp, kabid_rhk = await _planned(
        kabid, RhkInput("Sarana sekolah layak", indikator=(_iki("Sekolah", 20),))
    )
    await Skp.filter(id=kabid_skp.id).update(status=StatusSkp.DISETUJUI)  # penilai outside
    kasi_skp, rhk = await _planned(kasi, RhkInput(
        "Sekolah SD direhabilitasi", intervensi_rhk_id=kabid_rhk.id,
        indikator=(_iki("Ruang kelas", 10), _iki("Sanitasi", 4)),
    ))  # fmt: skip
    kasi_skp = await _approved(kasi, kabid, kasi_skp.id)
    a, b = await Indikator.filter(rhk_id=rhk.id).order_by("urutan", "id")
    staf1_skp, _ = await _planned(staf1, RhkInput(
        "Ruang kelas wilayah utara", intervensi_rhk_id=rhk.id, indikator=(_iki("Kelas", 6, a.id),)
    ))  # fmt: skip
    staf2_skp, _ = await _planned(staf2, RhkInput(
        "Ruang kelas dan sanitasi selatan", intervensi_rhk_id=rhk.id,
        indikator=(_iki("Kelas", 4, a.id), _iki("Sanitasi", 4, b.id)),
    ))  # fmt: skip
    staf1_skp = await _approved(staf1, kasi, staf1_skp.id)
    staf2_skp = await _approved(staf2, kasi, staf2_skp.id)
    return Split(kabid, kasi, staf1, staf2, kasi_skp, rhk, a, b, staf1_skp, staf2_skp)


async def _kasi_revises(split: Split, *, drop_b: bool) -> Skp:
    """The kasi revises (dropping indikator `b` if asked); the kabid approves."""
    revision = await revise(split.kasi_skp.id, split.kasi_skp.lock_version, split.kasi)
    copy = await Rhk.get(skp_id=revision.id, asal_id=split.rhk.id)
    if drop_b:
        a_copy = await Indikator.get(rhk_id=copy.id, asal_id=split.a.id)
        await save_rhk(revision.id, await _version(revision.id), split.kasi, RhkInput(
            copy.teks, intervensi_rhk_id=copy.intervensi_id,
            indikator=(_iki("Ruang kelas", 10, id=a_copy.id),),
        ), rhk_id=copy.id)  # fmt: skip
    return await _approved(split.kasi, split.kabid, revision.id)


@pytest.fixture
async def split(module_tenant):
    """Each test runs in one transaction of the module's tenant, rolled back after it: every
    test starts from the same untouched tenant, as with one of its own."""
    async with rolled_back(module_tenant):
        yield await _build()


async def _parts_of(skp: Skp) -> list[int | None]:
    return [
        i.bagian_dari_id
        for i in await Indikator.filter(rhk__skp_id=skp.id).order_by("rhk__urutan", "urutan")
    ]


async def test_parts_of_a_kept_indikator_follow_it(split):
    before = (await pembagian_of([split.a.id]))[split.a.id]
    assert (before.status, len(before.bagian)) == (StatusPembagian.SESUAI, 2)

    revision = await _kasi_revises(split, drop_b=False)
    copy = await Rhk.get(skp_id=revision.id, asal_id=split.rhk.id)
    a_now = await Indikator.get(rhk_id=copy.id, asal_id=split.a.id)
    b_now = await Indikator.get(rhk_id=copy.id, asal_id=split.b.id)
    assert await _parts_of(split.staf1_skp) == [a_now.id]
    assert await _parts_of(split.staf2_skp) == [a_now.id, b_now.id]
    # The split of the version in force still adds up: 6 + 4 of 10.
    after = await pembagian_of([a_now.id, b_now.id])
    assert (after[a_now.id].status, len(after[a_now.id].bagian)) == (StatusPembagian.SESUAI, 2)
    assert after[b_now.id].status is StatusPembagian.SESUAI
    # History keeps its links: the replaced version's own indikator were not touched.
    assert (await Indikator.get(id=split.a.id)).bagian_dari_id is None

    # The subordinate can keep working on their plan: a revision saves its RHK unchanged.
    mine = await revise(split.staf1_skp.id, split.staf1_skp.lock_version, split.staf1)
    own = await Rhk.get(skp_id=mine.id)
    part = await Indikator.get(rhk_id=own.id)
    saved = await save_rhk(mine.id, mine.lock_version, split.staf1, RhkInput(
        own.teks, intervensi_rhk_id=own.intervensi_id,
        indikator=(_iki("Kelas", 6, part.bagian_dari_id, id=part.id),),
    ), rhk_id=own.id)  # fmt: skip
    assert saved.intervensi_id == copy.id
    await _approved(split.staf1, split.kasi, mine.id)


async def test_a_part_of_a_removed_indikator_is_orphaned_and_blocks(split):
    revision = await _kasi_revises(split, drop_b=True)
    copy = await Rhk.get(skp_id=revision.id, asal_id=split.rhk.id)
    a_now = await Indikator.get(rhk_id=copy.id, asal_id=split.a.id)
    assert await _parts_of(split.staf2_skp) == [a_now.id, split.b.id]

    # staf2 reopens their plan: it cannot go back for approval while the part is orphaned.
    draft = await withdraw_or_revise(split.staf2, split.staf2_skp)
    with pytest.raises(SkpError) as refused:
        await submit(draft.id, await _version(draft.id), split.staf2)
    assert (refused.value.code, refused.value.field) == (
        "INTERVENTION_ORPHANED",
        "rhk[1].indikator[2].bagianDariId",
    )
    assert "removed the indikator" in refused.value.message


async def withdraw_or_revise(who: Caller, skp: Skp) -> Skp:
    """An approved plan reopens by a revision (a submitted one would be withdrawn)."""
    fresh = await Skp.get(id=skp.id)
    if fresh.status is StatusSkp.DIAJUKAN:
        return await withdraw(fresh.id, fresh.lock_version, who)
    return await revise(fresh.id, fresh.lock_version, who)
