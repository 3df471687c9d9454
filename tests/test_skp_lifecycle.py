"""The SKP state machine, exhaustively, and the rules of editing a draft."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ekinerja.kepegawaian.calendar import pada
from ekinerja.models.tenant import (
    AuditEvent,
    Indikator,
    OutboxEvent,
    Penugasan,
    RencanaAksi,
    Rhk,
    Skp,
    SkpLampiran,
    SkpPerilaku,
)
from ekinerja.skp.editing import (
    IndikatorInput,
    RhkInput,
    remove_rhk,
    save_lampiran,
    save_rencana_aksi,
    save_rhk,
)
from ekinerja.skp.enums import AspekIki, JenisLampiran, JenisRhk, Kadensi, PendekatanSkp, StatusSkp
from ekinerja.skp.errors import SkpError
from ekinerja.skp.lifecycle import (
    TRANSITIONS,
    Action,
    Actor,
    Caller,
    NewSkp,
    approve,
    create_skp,
    return_to_draft,
    revise,
    submit,
    withdraw,
)
from ekinerja.skp.periode import KadensiLocked, kadensi_of, set_kadensi, windows
from tests.support.org import Org
from tests.support.tenants import rolled_back

IKI = (IndikatorInput("Jumlah dokumen", AspekIki.KUANTITAS, Decimal(2), None, "Dokumen"),)


@dataclass
class People:
    kasi: Caller
    staf: Caller
    other: Caller


@pytest.fixture
async def bound(module_tenant):
    """Each test runs in one transaction of the module's tenant, rolled back after it: every
    test starts from the same untouched tenant, as with one of its own (~70 fewer to build)."""
    async with rolled_back(module_tenant):
        org = Org()
        unit = await org.unit("Seksi Kurikulum")
        kasi = await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", unit, head=True))
        staf = await org.pegawai("Staf", await org.jabatan("Pengelola", unit))
        other = await org.pegawai("Lain", await org.jabatan("Staf Lain", await org.unit("Lain")))
        yield People(
            Caller(kasi.id, kasi.nip), Caller(staf.id, staf.nip), Caller(other.id, other.nip)
        )


async def approved_superior_skp(people: People) -> tuple[Skp, Rhk]:
    skp = await create_skp(people.kasi, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    rhk = await save_rhk(
        skp.id, skp.lock_version, people.kasi, RhkInput("Kurikulum terbit", indikator=IKI)
    )
    skp = await Skp.get(id=skp.id)
    # The kasi's own penilai is outside this small organisation: approve directly for the test.
    await Skp.filter(id=skp.id).update(status=StatusSkp.DISETUJUI)
    return await Skp.get(id=skp.id), rhk


async def draft_with_rhk(people: People, intervensi: int | None = None) -> Skp:
    skp = await create_skp(people.staf, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    await save_rhk(
        skp.id,
        skp.lock_version,
        people.staf,
        RhkInput("Dokumen kurikulum tersusun", intervensi_rhk_id=intervensi, indikator=IKI),
    )
    return await Skp.get(id=skp.id)


async def test_snapshots_are_taken_at_creation(bound):
    skp = await create_skp(bound.staf, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    assert skp.snapshot_pegawai["nama"] == "Staf" and skp.snapshot_pegawai["jabatan"] == "Pengelola"
    assert (
        skp.snapshot_penilai["nama"] == "Kasi" and skp.penilai_pegawai_id == bound.kasi.pegawai_id
    )
    assert skp.snapshot_pegawai["unit"] == "Seksi Kurikulum"
    assert (skp.periode_awal, skp.periode_akhir) == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(SkpError) as overlap:
        await create_skp(bound.staf, NewSkp(2026, PendekatanSkp.KUANTITATIF, date(2026, 6, 1)))
    assert overlap.value.code == "OVERLAPPING_SKP"


async def test_the_happy_path_and_revision(bound):
    _, superior_rhk = await approved_superior_skp(bound)
    skp = await draft_with_rhk(bound, superior_rhk.id)
    skp = await submit(skp.id, skp.lock_version, bound.staf)
    assert skp.status is StatusSkp.DIAJUKAN
    skp = await return_to_draft(skp.id, skp.lock_version, bound.kasi, "Perjelas targetnya")
    assert skp.status is StatusSkp.DRAFT and skp.catatan_pengembalian == "Perjelas targetnya"
    skp = await submit(skp.id, skp.lock_version, bound.staf)
    skp = await approve(skp.id, skp.lock_version, bound.kasi, {"AKUNTABEL": "Tepat waktu"})
    assert skp.status is StatusSkp.DISETUJUI
    assert (await SkpPerilaku.get(skp_id=skp.id)).ekspektasi == "Tepat waktu"

    revision = await revise(skp.id, skp.lock_version, bound.staf)
    assert revision.versi == 2 and revision.status is StatusSkp.DRAFT
    assert revision.lineage_id == skp.lineage_id
    copied = await Rhk.filter(skp_id=revision.id).prefetch_related("indikator")
    assert [r.asal_id for r in copied] == [r.id for r in await Rhk.filter(skp_id=skp.id)]
    assert copied[0].intervensi_id == superior_rhk.id and len(copied[0].indikator) == 1

    revision = await submit(revision.id, revision.lock_version, bound.staf)
    await approve(revision.id, revision.lock_version, bound.kasi)
    announced = await OutboxEvent.filter(
        jenis="skp.disetujui", entitas_id__in=[str(skp.id), str(revision.id)]
    ).order_by("id")
    assert [(e.entitas_id, e.data["versi"], e.data["menggantikanSkpId"]) for e in announced] == [
        (str(skp.id), 1, None),
        (str(revision.id), 2, skp.id),
    ]
    assert {e.data["nip"] for e in announced} == {bound.staf.subject}
    lifecycle = (
        await OutboxEvent.filter(entitas_id=str(skp.id))
        .order_by("id")
        .values_list("jenis", flat=True)
    )
    assert lifecycle == [
        "skp.dibuat",
        "skp.diajukan",
        "skp.dikembalikan",
        "skp.diajukan",
        "skp.disetujui",
    ]  # editing the draft announces nothing
    assert await OutboxEvent.filter(entitas_id=str(revision.id)).values_list(
        "jenis", flat=True
    ) == ["skp.dibuat", "skp.diajukan", "skp.disetujui"]
    old = await Skp.get(id=skp.id)
    assert old.status is StatusSkp.DISETUJUI and old.digantikan_pada is not None
    with pytest.raises(SkpError) as superseded:
        await revise(old.id, old.lock_version, bound.staf)
    assert superseded.value.code == "SUPERSEDED"
    actions = await AuditEvent.filter(entity="skp").values_list("action", flat=True)
    assert {
        "skp.create",
        "skp.edit",
        "skp.submit",
        "skp.return",
        "skp.approve",
        "skp.revise",
    } <= set(actions)


STATES = list(StatusSkp)
ACTIONS = list(Action)


async def _skp_in(state: StatusSkp, people: People) -> Skp:
    _, superior_rhk = await approved_superior_skp(people)
    skp = await draft_with_rhk(people, superior_rhk.id)
    if state is not StatusSkp.DRAFT:
        skp = await submit(skp.id, skp.lock_version, people.staf)
    if state is StatusSkp.DISETUJUI:
        skp = await approve(skp.id, skp.lock_version, people.kasi)
    return skp


async def _perform(action: Action, skp: Skp, caller: Caller):
    version = skp.lock_version
    if action is Action.EDIT:
        return await save_rhk(
            skp.id, version, caller, RhkInput("Tambahan", JenisRhk.TAMBAHAN, indikator=IKI)
        )
    if action is Action.SUBMIT:
        return await submit(skp.id, version, caller)
    if action is Action.WITHDRAW:
        return await withdraw(skp.id, version, caller)
    if action is Action.RETURN:
        return await return_to_draft(skp.id, version, caller, "catatan")
    if action is Action.APPROVE:
        return await approve(skp.id, version, caller)
    return await revise(skp.id, version, caller)


@pytest.mark.parametrize(
    ("state", "action", "who"),
    list(itertools.product(STATES, ACTIONS, ["owner", "penilai", "other"])),
)
async def test_every_state_action_and_actor(bound, state, action, who):
    skp = await _skp_in(state, bound)
    caller = {"owner": bound.staf, "penilai": bound.kasi, "other": bound.other}[who]
    rule = TRANSITIONS.get((state, action))
    allowed = rule is not None and (
        (rule[1] is Actor.OWNER and who == "owner")
        or (rule[1] is Actor.PENILAI and who == "penilai")
    )
    audited_before = await AuditEvent.all().count()
    if allowed:
        await _perform(action, skp, caller)
        after = await Skp.get(id=skp.id)
        if action is not Action.REVISE:
            assert after.status is rule[0]
            assert after.lock_version == skp.lock_version + 1
        assert await AuditEvent.all().count() > audited_before
    else:
        with pytest.raises(SkpError) as refused:
            await _perform(action, skp, caller)
        expected = (
            "INVALID_TRANSITION"
            if rule is None
            else ("NOT_OWNER" if rule[1] is Actor.OWNER else "NOT_PENILAI")
        )
        assert refused.value.code == expected
        unchanged = await Skp.get(id=skp.id)
        assert (unchanged.status, unchanged.lock_version) == (skp.status, skp.lock_version)


async def test_a_stale_version_is_refused(bound):
    skp = await draft_with_rhk(bound)
    with pytest.raises(SkpError) as stale:
        await save_rhk(skp.id, skp.lock_version - 1, bound.staf, RhkInput("x", indikator=IKI))
    assert stale.value.code == "STALE_VERSION" and stale.value.field == "versiDiharapkan"


@pytest.mark.parametrize(
    ("request_", "field", "message"),
    [
        (RhkInput("  ", indikator=IKI), "teks", "needs its text"),
        (
            RhkInput(
                "x", indikator=(IndikatorInput("i", AspekIki.KUANTITAS, Decimal(9), Decimal(3)),)
            ),
            "indikator[1].targetMin",
            "above the maximum",
        ),
        (
            RhkInput("x", indikator=(IndikatorInput("", AspekIki.KUANTITAS, Decimal(1)),)),
            "indikator[1].teks",
            "no text",
        ),
        (
            RhkInput("x", indikator=(IndikatorInput("i", AspekIki.KUALITAS),)),
            "indikator[1].targetMin",
            "numeric target",
        ),
    ],
)
async def test_bad_rhk_is_refused_and_nothing_written(bound, request_, field, message):
    skp = await create_skp(bound.staf, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    with pytest.raises(SkpError, match=message) as refused:
        await save_rhk(skp.id, skp.lock_version, bound.staf, request_)
    assert refused.value.field == field
    assert not await Rhk.filter(skp_id=skp.id).exists()


async def test_interventions_must_target_the_penilais_approved_skp(bound):
    superior, superior_rhk = await approved_superior_skp(bound)
    other_skp = await create_skp(bound.other, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    not_my_penilai = await save_rhk(
        other_skp.id, other_skp.lock_version, bound.other, RhkInput("Lain", indikator=IKI)
    )
    skp = await create_skp(bound.staf, NewSkp(2026, PendekatanSkp.KUANTITATIF))

    async def attempt(rhk_id: int) -> SkpError:
        with pytest.raises(SkpError) as refused:
            await save_rhk(
                skp.id,
                skp.lock_version,
                bound.staf,
                RhkInput("x", intervensi_rhk_id=rhk_id, indikator=IKI),
            )
        return refused.value

    assert "pejabat penilai" in (await attempt(not_my_penilai.id)).message
    assert "no RHK with id" in (await attempt(999_999)).message
    await Skp.filter(id=superior.id).update(status=StatusSkp.DRAFT)
    assert "not approved" in (await attempt(superior_rhk.id)).message
    assert not await Rhk.filter(skp_id=skp.id).exists()


async def test_submission_rules(bound):
    empty = await create_skp(bound.staf, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    with pytest.raises(SkpError, match="at least one RHK utama"):
        await submit(empty.id, empty.lock_version, bound.staf)
    await Skp.filter(id=empty.id).delete()
    unlinked = await draft_with_rhk(bound)
    with pytest.raises(SkpError) as refused:
        await submit(unlinked.id, unlinked.lock_version, bound.staf)
    assert (
        refused.value.code == "INTERVENTION_REQUIRED"
        and refused.value.field == "rhk[1].intervensiRhkId"
    )


async def test_removing_an_rhk(bound):
    skp = await draft_with_rhk(bound)
    rhk = await Rhk.get(skp_id=skp.id)
    skp = await remove_rhk(skp.id, skp.lock_version, bound.staf, rhk.id)
    assert (
        not await Rhk.filter(id=rhk.id).exists()
        and not await Indikator.filter(rhk_id=rhk.id).exists()
    )
    with pytest.raises(SkpError, match="has no RHK"):
        await remove_rhk(skp.id, skp.lock_version, bound.staf, rhk.id)


async def test_lampiran_and_rencana_aksi_on_a_draft(bound):
    skp = await draft_with_rhk(bound)
    rhk = await Rhk.get(skp_id=skp.id)
    skp = await save_lampiran(
        skp.id, skp.lock_version, bound.staf, JenisLampiran.KONSEKUENSI, ["Sanksi", "Penghargaan"]
    )
    assert [item.teks for item in await SkpLampiran.filter(skp_id=skp.id).order_by("urutan")] == [
        "Sanksi",
        "Penghargaan",
    ]
    skp = await save_rencana_aksi(
        skp.id, skp.lock_version, bound.staf, rhk.id, "2026-T2", [("Menyusun draf", "1 Dokumen")]
    )
    assert (await RencanaAksi.get(rhk_id=rhk.id)).periode == "2026-T2"
    with pytest.raises(SkpError, match="not an evaluation window") as wrong:
        await save_rencana_aksi(
            skp.id, skp.lock_version, bound.staf, rhk.id, "2026-B7", [("x", None)]
        )
    assert wrong.value.field == "periode"
    with pytest.raises(SkpError, match="is empty"):
        await save_lampiran(skp.id, skp.lock_version, bound.staf, JenisLampiran.KONSEKUENSI, [" "])


async def test_cadence_decides_the_windows_and_locks_once_used(bound):
    await set_kadensi(2026, Kadensi.BULANAN, "admin")
    assert [w.kode for w in windows(2026, await kadensi_of(2026))][-1] == "2026-B12"
    skp = await draft_with_rhk(bound)
    rhk = await Rhk.get(skp_id=skp.id)
    await save_rencana_aksi(skp.id, skp.lock_version, bound.staf, rhk.id, "2026-B3", [("x", None)])
    with pytest.raises(KadensiLocked):
        await set_kadensi(2026, Kadensi.SEMESTERAN, "admin")
    semesters = windows(2027, Kadensi.SEMESTERAN)
    assert [(w.awal, w.akhir) for w in semesters] == [
        (date(2027, 1, 1), date(2027, 6, 30)),
        (date(2027, 7, 1), date(2027, 12, 31)),
    ]


async def test_the_lifecycle_is_stamped_on_the_instansis_clock(bound):
    """Issue 15, Proof: a year run on an injected clock (`calendar.pada`) read the real clock in
    submission and approval stamps, so the Bupati's approval of the Sekda's SKP, signed the day
    it was submitted, was dated before that submission (the real day)."""
    _, superior_rhk = await approved_superior_skp(bound)
    skp = await draft_with_rhk(bound, superior_rhk.id)
    submitted_at = datetime(2026, 1, 6, 2, 15, tzinfo=UTC)
    approved_at = datetime(2026, 1, 7, 3, 30, tzinfo=UTC)
    with pada(submitted_at):
        skp = await submit(skp.id, skp.lock_version, bound.staf)
    with pada(approved_at):
        skp = await approve(skp.id, skp.lock_version, bound.kasi)
    stored = await Skp.get(id=skp.id)
    assert (stored.diajukan_pada, stored.disetujui_pada) == (submitted_at, approved_at)

    revised_at = datetime(2026, 6, 3, 4, tzinfo=UTC)
    revision = await revise(skp.id, stored.lock_version, bound.staf)
    revision = await submit(revision.id, revision.lock_version, bound.staf)
    with pada(revised_at):
        await approve(revision.id, revision.lock_version, bound.kasi)
    assert (await Skp.get(id=skp.id)).digantikan_pada == revised_at


async def test_a_revision_keeps_the_rencana_aksi(bound):
    """Issue 15, Proof: the Kabid's June revision in the year's scenario had no rencana aksi
    at all once approved, so progres harian for June to December had nothing to be logged
    against. A perubahan keeps every window's rencana aksi (copy-forward to a new year does
    not: its windows are others)."""
    _, superior_rhk = await approved_superior_skp(bound)
    skp = await draft_with_rhk(bound, superior_rhk.id)
    rhk = await Rhk.get(skp_id=skp.id)
    for periode, items in (("2026-T1", [("Rapat", "1 Notulen")]),
                           ("2026-T3", [("Uji coba", None), ("Revisi", "2 Dokumen")])):  # fmt: skip
        skp = await save_rencana_aksi(skp.id, skp.lock_version, bound.staf, rhk.id, periode, items)
    skp = await submit(skp.id, skp.lock_version, bound.staf)
    skp = await approve(skp.id, skp.lock_version, bound.kasi)
    revision = await revise(skp.id, skp.lock_version, bound.staf)
    copied = await Rhk.get(skp_id=revision.id, asal_id=rhk.id)
    plans = await RencanaAksi.filter(rhk_id=copied.id).order_by("id")
    assert [(a.periode, a.teks, a.target) for a in plans] == [
        ("2026-T1", "Rapat", "1 Notulen"),
        ("2026-T3", "Uji coba", None),
        ("2026-T3", "Revisi", "2 Dokumen"),
    ]
    assert await RencanaAksi.filter(rhk_id=rhk.id).count() == 3  # the approved version's stay


async def test_a_new_hires_skp_starts_with_their_post(bound):
    """Issue 15, Proof: a pegawai hired on 1 March who creates their SKP on 2 March without
    naming a start got one from 1 January, its snapshots taken before the hire: no jabatan, no
    pejabat penilai (nobody could approve it), and January and February open to them."""
    org = Org()
    held = await Penugasan.get(pegawai_id=bound.staf.pegawai_id).select_related("jabatan__unit")
    post = await org.jabatan("Pengelola Baru", held.jabatan.unit)
    hire = await org.pegawai("Baru", post, since=date(2026, 3, 1))
    me = Caller(hire.id, hire.nip)
    with pada(datetime(2026, 3, 2, 3, tzinfo=UTC)):
        skp = await create_skp(me, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    assert (skp.periode_awal, skp.periode_akhir) == (date(2026, 3, 1), date(2026, 12, 31))
    assert skp.snapshot_pegawai["jabatan"] == "Pengelola Baru"
    assert skp.penilai_pegawai_id == bound.kasi.pegawai_id
    # Someone in their post since before the year: 1 January, as always.
    with pada(datetime(2026, 3, 2, 3, tzinfo=UTC)):
        theirs = await create_skp(bound.other, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    assert theirs.periode_awal == date(2026, 1, 1)
