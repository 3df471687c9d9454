"""The SKP state machine and its operations.

    DRAFT ──submit──▶ DIAJUKAN ──approve──▶ DISETUJUI ──revise──▶ (new version) DRAFT …
      ▲                 │  │
      └──return(catatan)┘  └──withdraw (by the owner)

Only the owner edits, submits, withdraws and revises; only the snapshotted pejabat penilai
returns or approves. Every call names the version it saw (`expected_version`); a stale one is
refused, so two browser tabs cannot overwrite each other. An approved version never changes:
a revision is a new version that replaces it once approved. Every transition is audited.
Callers run each operation in a savepoint, so a refusal leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tortoise.expressions import Q

from ekinerja import audit, pengaturan
from ekinerja.db.locks import serialize
from ekinerja.kepegawaian.calendar import hari_ini, sekarang
from ekinerja.models.tenant import Penugasan, Rhk, Skp, SkpPerilaku
from ekinerja.pengaturan.registry import JA_JF_WAJIB_INTERVENSI, RHK_TAMBAHAN_WAJIB_INTERVENSI
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit
from ekinerja.skp.berakhlak import NILAI_BY_KODE
from ekinerja.skp.enums import JenisFormSkp, JenisRhk, PendekatanSkp, StatusSkp
from ekinerja.skp.errors import SkpError, invalid
from ekinerja.skp.revisi_links import check_links_in_force, follow_revision
from ekinerja.skp.salin import copy_content
from ekinerja.skp.snapshots import skp_snapshots

# The keys' names, where callers and tests look for them.
REQUIRE_INTERVENTION_SETTING = JA_JF_WAJIB_INTERVENSI
TAMBAHAN_INTERVENTION_SETTING = RHK_TAMBAHAN_WAJIB_INTERVENSI


class Action(StrEnum):
    EDIT = "EDIT"
    SUBMIT = "SUBMIT"
    WITHDRAW = "WITHDRAW"
    RETURN = "RETURN"
    APPROVE = "APPROVE"
    REVISE = "REVISE"


class Actor(StrEnum):
    OWNER = "OWNER"
    PENILAI = "PENILAI"


# (state, action) → (state after, who may). Anything missing is an invalid transition.
TRANSITIONS: dict[tuple[StatusSkp, Action], tuple[StatusSkp, Actor]] = {
    (StatusSkp.DRAFT, Action.EDIT): (StatusSkp.DRAFT, Actor.OWNER),
    (StatusSkp.DRAFT, Action.SUBMIT): (StatusSkp.DIAJUKAN, Actor.OWNER),
    (StatusSkp.DIAJUKAN, Action.WITHDRAW): (StatusSkp.DRAFT, Actor.OWNER),
    (StatusSkp.DIAJUKAN, Action.RETURN): (StatusSkp.DRAFT, Actor.PENILAI),
    (StatusSkp.DIAJUKAN, Action.APPROVE): (StatusSkp.DISETUJUI, Actor.PENILAI),
    # A revision leaves the approved version as it is and starts a new one.
    (StatusSkp.DISETUJUI, Action.REVISE): (StatusSkp.DISETUJUI, Actor.OWNER),
}


@dataclass(frozen=True)
class Caller:
    """Who acts: their pegawai id in this instansi (None for a non-person) and audit subject.
    ``dokumen_eksternal``: an admin recording the signed act of an appraiser outside the
    system (penilaian/eksternal.py); it is the document reference, audited with the act."""

    pegawai_id: int | None
    subject: str
    dokumen_eksternal: dict | None = None

    @property
    def audit_detail(self) -> dict:
        return {"penilai_eksternal": self.dokumen_eksternal} if self.dokumen_eksternal else {}


def acts_for(caller: Caller, appraiser_id: int | None) -> bool:
    """Whether the caller acts as the appraiser snapshotted on an SKP (its pejabat penilai or
    atasan pejabat penilai, ``appraiser_id``): that pegawai themself or, only where the
    appraiser is outside the system (no pegawai id), an admin recording their signed act."""
    if caller.dokumen_eksternal is not None:
        return appraiser_id is None
    return caller.pegawai_id is not None and caller.pegawai_id == appraiser_id


def check_transition(skp: Skp, action: Action, caller: Caller) -> StatusSkp:
    """The state after ``action``, or the reason it is refused."""
    allowed = TRANSITIONS.get((skp.status, action))
    if allowed is None:
        raise SkpError(
            "INVALID_TRANSITION", f"cannot {action.value.lower()} an SKP that is {skp.status.value}"
        )
    if skp.digantikan_pada is not None:
        raise SkpError("SUPERSEDED", f"SKP version {skp.versi} was replaced by a newer version")
    target, actor = allowed
    if actor is Actor.OWNER and caller.pegawai_id != skp.pegawai_id:
        raise SkpError("NOT_OWNER", "only the pegawai who owns this SKP may do this")
    if actor is Actor.PENILAI and not acts_for(caller, skp.penilai_pegawai_id):
        raise SkpError("NOT_PENILAI", "only this SKP's pejabat penilai may do this")
    return target


async def locked(skp_id: int, expected_version: int) -> Skp:
    skp = await Skp.select_for_update().get_or_none(id=skp_id)
    if skp is None:
        raise SkpError("NOT_FOUND", f"no SKP with id {skp_id}", "skpId")
    if skp.lock_version != expected_version:
        raise SkpError(
            "STALE_VERSION",
            f"the SKP changed since you loaded it (version {skp.lock_version}, you had "
            f"{expected_version}): reload and try again",
            "versiDiharapkan",
        )
    return skp


# The transitions integrators (and the national figures) hear of; editing a draft is not one.
_ANNOUNCED = {
    Action.SUBMIT: JenisPeristiwa.SKP_DIAJUKAN,
    Action.WITHDRAW: JenisPeristiwa.SKP_DITARIK,
    Action.RETURN: JenisPeristiwa.SKP_DIKEMBALIKAN,
    Action.APPROVE: JenisPeristiwa.SKP_DISETUJUI,
}


async def announce(skp: Skp, jenis: JenisPeristiwa) -> None:
    await emit(jenis, "skp", skp.id, {
        "skpId": skp.id, "nip": (skp.snapshot_pegawai or {}).get("nip"), "tahun": skp.tahun,
        "versi": skp.versi, "status": skp.status.value, "menggantikanSkpId": skp.menggantikan_id,
        "disetujuiPada": skp.disetujui_pada.isoformat() if skp.disetujui_pada else None,
        "periodeAwal": skp.periode_awal.isoformat(), "periodeAkhir": skp.periode_akhir.isoformat(),
    })  # fmt: skip


async def save_change(skp: Skp, caller: Caller, action: Action, **detail) -> Skp:
    skp.lock_version += 1
    await skp.save()
    await audit.record(
        caller.subject,
        f"skp.{action.value.lower()}",
        "skp",
        skp.id,
        status=skp.status.value,
        **detail,
        **caller.audit_detail,
    )
    if action in _ANNOUNCED:
        await announce(skp, _ANNOUNCED[action])
    return skp


# ------------------------------------------------------------------ creating


@dataclass(frozen=True)
class NewSkp:
    tahun: int
    pendekatan: PendekatanSkp
    periode_awal: date | None = None
    periode_akhir: date | None = None
    jenis_form: JenisFormSkp | None = None


async def _default_start(pegawai_id: int, tahun: int) -> date:
    """Where an SKP starts when its creator names no date: 1 January, or the first day of the
    post the pegawai holds today when that began later in the year (a new hire from 1 March,
    a transfer). Snapshots are taken on the start: on 1 January a new hire holds no post, so
    their SKP had no jabatan and no pejabat penilai, and windows before their hire."""
    first = date(tahun, 1, 1)
    today = await hari_ini()
    held = (
        await Penugasan.filter(pegawai_id=pegawai_id, berlaku_mulai__lte=today)
        .filter(Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gt=today))
        .order_by("-berlaku_mulai")
        .first()
    )
    if held is not None and first < held.berlaku_mulai <= date(tahun, 12, 31):
        return held.berlaku_mulai
    return first


async def create_skp(caller: Caller, request: NewSkp) -> Skp:
    if caller.pegawai_id is None:
        raise SkpError("NOT_OWNER", "only a pegawai creates their own SKP")
    awal = request.periode_awal or await _default_start(caller.pegawai_id, request.tahun)
    akhir = request.periode_akhir or date(request.tahun, 12, 31)
    if awal.year != request.tahun or akhir.year != request.tahun:
        raise invalid("periodeAwal", f"the period must lie within {request.tahun}")
    if akhir < awal:
        raise invalid("periodeAkhir", "periodeAkhir is before periodeAwal")
    # One creation per pegawai at a time: a concurrent twin waits, then sees this SKP below.
    # (A revision needs no lock: it copies a version it holds FOR UPDATE, in its own lineage.)
    await serialize("skp", caller.pegawai_id)
    overlapping = await Skp.filter(
        pegawai_id=caller.pegawai_id,
        digantikan_pada__isnull=True,
        periode_awal__lte=akhir,
        periode_akhir__gte=awal,
    ).order_by("id")
    pegawai, penilai, atasan = await skp_snapshots(caller.pegawai_id, awal)
    # A new post (a mutasi) ends the SKP made for the old one the day before; anything else
    # overlapping is refused. Imported here: pengakhiran builds on this module.
    from ekinerja.skp.pengakhiran import end_for_new_post

    if overlapping and not await end_for_new_post(overlapping, awal, caller):
        first = overlapping[0]
        raise SkpError(
            "OVERLAPPING_SKP",
            f"SKP {first.id} already covers {first.periode_awal} – {first.periode_akhir} "
            "(to end it early, as at a transfer or retirement: akhiriSkp)",
            "periodeAwal",
        )
    jenis_form = request.jenis_form or (
        JenisFormSkp.JPT
        if (pegawai.get("jenisJabatan") or "").startswith("JPT")
        else JenisFormSkp.JA_JF
    )
    skp = await Skp.create(
        pegawai_id=caller.pegawai_id,
        tahun=request.tahun,
        periode_awal=awal,
        periode_akhir=akhir,
        pendekatan=request.pendekatan,
        jenis_form=jenis_form,
        snapshot_pegawai=pegawai,
        snapshot_penilai=penilai,
        snapshot_atasan_penilai=atasan,
        penilai_pegawai_id=(penilai or {}).get("pegawaiId"),
        atasan_penilai_pegawai_id=(atasan or {}).get("pegawaiId"),
    )
    skp.lineage_id = skp.id
    await skp.save(update_fields=["lineage_id"])
    await audit.record(caller.subject, "skp.create", "skp", skp.id, tahun=request.tahun)
    await announce(skp, JenisPeristiwa.SKP_DIBUAT)
    return skp


async def refresh_snapshots(skp_id: int, expected_version: int, caller: Caller) -> Skp:
    """Re-read who the pegawai and their appraisers are (an admin's correction, audited)."""
    skp = await locked(skp_id, expected_version)
    if skp.status is not StatusSkp.DRAFT:
        raise SkpError("INVALID_TRANSITION", "snapshots are refreshed only on a draft")
    before = (skp.penilai_pegawai_id, skp.atasan_penilai_pegawai_id)
    pegawai, penilai, atasan = await skp_snapshots(skp.pegawai_id, skp.periode_awal)
    skp.snapshot_pegawai, skp.snapshot_penilai, skp.snapshot_atasan_penilai = (
        pegawai,
        penilai,
        atasan,
    )
    skp.penilai_pegawai_id = (penilai or {}).get("pegawaiId")
    skp.atasan_penilai_pegawai_id = (atasan or {}).get("pegawaiId")
    return await save_change(
        skp,
        caller,
        Action.EDIT,
        refreshed_snapshots=True,
        before=list(before),
        after=[skp.penilai_pegawai_id, skp.atasan_penilai_pegawai_id],
    )


# ------------------------------------------------------------------ transitions


async def _must_intervene() -> set[JenisRhk]:
    """The jenis of RHK a JA/JF SKP must cascade (tenant settings, both on by default: the
    regulation makes the link mandatory for JA/JF and names no exception for tambahan)."""
    settings = await pengaturan.baca()
    if not settings.ja_jf_wajib_intervensi:
        return set()
    if not settings.rhk_tambahan_wajib_intervensi:
        return {JenisRhk.UTAMA}
    return {JenisRhk.UTAMA, JenisRhk.TAMBAHAN}


async def submit(skp_id: int, expected_version: int, caller: Caller) -> Skp:
    skp = await locked(skp_id, expected_version)
    skp.status = check_transition(skp, Action.SUBMIT, caller)
    rhks = await Rhk.filter(skp_id=skp.id).prefetch_related("indikator").order_by("urutan", "id")
    if not any(r.jenis is JenisRhk.UTAMA for r in rhks):
        raise invalid("rhk", "an SKP needs at least one RHK utama before it is submitted")
    for number, rhk in enumerate(rhks, start=1):
        if not rhk.indikator:
            raise invalid(f"rhk[{number}].indikator", f"RHK {number} has no indikator")
    must = await _must_intervene() if skp.jenis_form is JenisFormSkp.JA_JF else set()
    if must:
        for number, rhk in enumerate(rhks, start=1):
            if rhk.jenis in must and not (rhk.intervensi_id or rhk.intervensi_eksternal):
                raise SkpError(
                    "INTERVENTION_REQUIRED",
                    f"RHK {number} must intervene an RHK of the pejabat penilai before submission",
                    f"rhk[{number}].intervensiRhkId",
                )
    await check_links_in_force(skp.id)
    skp.diajukan_pada = sekarang()  # the injected clock, when a scenario sets one
    skp.catatan_pengembalian = None
    return await save_change(skp, caller, Action.SUBMIT)


async def withdraw(skp_id: int, expected_version: int, caller: Caller) -> Skp:
    skp = await locked(skp_id, expected_version)
    skp.status = check_transition(skp, Action.WITHDRAW, caller)
    return await save_change(skp, caller, Action.WITHDRAW)


async def return_to_draft(skp_id: int, expected_version: int, caller: Caller, catatan: str) -> Skp:
    skp = await locked(skp_id, expected_version)
    skp.status = check_transition(skp, Action.RETURN, caller)
    if not (catatan or "").strip():
        raise invalid("catatan", "say why the SKP is returned")
    skp.catatan_pengembalian = catatan.strip()
    return await save_change(skp, caller, Action.RETURN, catatan=skp.catatan_pengembalian)


async def approve(
    skp_id: int, expected_version: int, caller: Caller, ekspektasi: dict[str, str] | None = None
) -> Skp:
    skp = await locked(skp_id, expected_version)
    skp.status = check_transition(skp, Action.APPROVE, caller)
    for kode, text in (ekspektasi or {}).items():
        if kode not in NILAI_BY_KODE:
            raise invalid("ekspektasi", f"{kode!r} is not a BerAKHLAK value")
        if text and text.strip():
            await SkpPerilaku.update_or_create(
                defaults={"ekspektasi": text.strip()}, skp_id=skp.id, nilai=kode
            )
    # A superior may have revised since this was submitted (decision 0019).
    await check_links_in_force(skp.id)
    skp.disetujui_pada = sekarang()
    followed = 0
    if skp.menggantikan_id is not None:
        await Skp.filter(id=skp.menggantikan_id).update(digantikan_pada=skp.disetujui_pada)
        # This version is now the one in force: links to the RHK it kept follow them here.
        followed = await follow_revision(skp.id)
    return await save_change(skp, caller, Action.APPROVE, links_followed=followed)


async def revise(skp_id: int, expected_version: int, caller: Caller) -> Skp:
    """Start a perubahan: a new draft version copying the approved one."""
    skp = await locked(skp_id, expected_version)
    check_transition(skp, Action.REVISE, caller)
    if await Skp.filter(menggantikan_id=skp.id).exists():
        raise SkpError("REVISION_EXISTS", "a revision of this version is already under way")
    copy = await Skp.create(
        **{
            name: getattr(skp, name)
            for name in (
                "pegawai_id",
                "tahun",
                "periode_awal",
                "periode_akhir",
                "pendekatan",
                "jenis_form",
                "penilai_pegawai_id",
                "atasan_penilai_pegawai_id",
                "snapshot_pegawai",
                "snapshot_penilai",
                "snapshot_atasan_penilai",
                "lineage_id",
            )
        },
        versi=skp.versi + 1,
        menggantikan_id=skp.id,
    )
    await copy_content(skp.id, copy.id, same_period=True)
    await audit.record(caller.subject, "skp.revise", "skp", copy.id, replaces=skp.id)
    await announce(copy, JenisPeristiwa.SKP_DIBUAT)
    return copy
