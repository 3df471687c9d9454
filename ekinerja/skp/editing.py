"""Editing a draft SKP: its RHK with their indikator (in whole-RHK saves), lampiran and
rencana aksi. Indikator and rencana aksi keep their ids across saves; what execution or
feedback refers to (realisasi, progres harian, umpan balik, a subordinate's link) is never
removed: the refusal names it (INDIKATOR_HAS_REALISASI, RHK_HAS_…, RENCANA_AKSI_HAS_PROGRES).

An RHK may intervene (support) an RHK of the pejabat penilai's approved SKP for an overlapping
period, or name a superior's result as text when that superior is outside the system.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ekinerja.db.sql import fetch
from ekinerja.models.tenant import (
    Indikator,
    ProgresHarian,
    Realisasi,
    RencanaAksi,
    Rhk,
    Skp,
    SkpLampiran,
)
from ekinerja.skp.enums import (
    AspekIki,
    DasarPembagian,
    JenisFormSkp,
    JenisLampiran,
    JenisRhk,
    KlasifikasiRhk,
    PendekatanSkp,
    PerspektifJpt,
    StatusSkp,
)
from ekinerja.skp.errors import SkpError, invalid
from ekinerja.skp.lifecycle import Action, Caller, check_transition, locked, save_change
from ekinerja.skp.periode import kadensi_for_planning, windows
from ekinerja.skp.revisi_links import refusal, states_of


@dataclass(frozen=True)
class IndikatorInput:
    teks: str
    aspek: AspekIki | None = None
    target_min: Decimal | None = None
    target_max: Decimal | None = None
    satuan: str | None = None
    target_kualitatif: str | None = None
    perspektif: PerspektifJpt | None = None
    bagian_dari_id: int | None = None  # direct cascading: part of this superior indikator
    dasar_pembagian: DasarPembagian | None = None
    wilayah: str | None = None
    id: int | None = None  # one of this RHK's indikator, updated in place (ids stay stable)


@dataclass(frozen=True)
class RhkInput:
    teks: str
    jenis: JenisRhk = JenisRhk.UTAMA
    klasifikasi: KlasifikasiRhk | None = None
    intervensi_rhk_id: int | None = None
    intervensi_eksternal: str | None = None
    penugasan_dari: str | None = None
    indikator: tuple[IndikatorInput, ...] = field(default_factory=tuple)


def _validate_indikator(skp: Skp, items: tuple[IndikatorInput, ...]) -> None:
    for number, item in enumerate(items, start=1):
        where = f"indikator[{number}]"
        if not (item.teks or "").strip():
            raise invalid(f"{where}.teks", f"indikator {number} has no text")
        if item.target_min is not None and item.target_max is not None:
            if item.target_min > item.target_max:
                raise invalid(
                    f"{where}.targetMin",
                    f"indikator {number}: target minimum {item.target_min} is above the "
                    f"maximum {item.target_max}",
                )
        has_number = item.target_min is not None or item.target_max is not None
        if skp.pendekatan is PendekatanSkp.KUANTITATIF and not has_number:
            raise invalid(
                f"{where}.targetMin",
                f"indikator {number}: a kuantitatif SKP needs a numeric target",
            )
        if (
            skp.pendekatan is PendekatanSkp.KUALITATIF
            and not (item.target_kualitatif or "").strip()
        ):
            raise invalid(
                f"{where}.targetKualitatif",
                f"indikator {number}: a kualitatif SKP needs a qualitative target",
            )
        if item.perspektif is not None and skp.jenis_form is not JenisFormSkp.JPT:
            raise invalid(f"{where}.perspektif", "perspektif belongs to the JPT form only")


async def _validate_direct_cascading(request: RhkInput) -> None:
    """A part must split an indikator of the very RHK this RHK intervenes."""
    parts = [(n, i) for n, i in enumerate(request.indikator, start=1) if i.bagian_dari_id]
    if not parts:
        return
    if request.intervensi_rhk_id is None:
        raise invalid(
            f"indikator[{parts[0][0]}].bagianDariId",
            "direct cascading splits the intervened RHK's indikator: set intervensiRhkId",
        )
    ids = {i.bagian_dari_id for _, i in parts}
    found = set(
        await Indikator.filter(id__in=ids, rhk_id=request.intervensi_rhk_id).values_list(
            "id", flat=True
        )
    )
    for number, item in parts:
        if item.bagian_dari_id not in found:
            raise SkpError(
                "INTERVENTION_INVALID",
                f"indikator {number}: {item.bagian_dari_id} is not an indikator of the "
                "intervened RHK",
                f"indikator[{number}].bagianDariId",
            )
        if item.dasar_pembagian is None:
            raise invalid(
                f"indikator[{number}].dasarPembagian",
                f"indikator {number}: say how the target is split (PORSI, WILAYAH or ASPEK)",
            )


async def _validate_intervention(skp: Skp, request: RhkInput) -> None:
    if request.intervensi_rhk_id is None:
        return
    if request.intervensi_eksternal:
        raise invalid("intervensiEksternal", "give the superior's RHK or its text, not both")
    target = await Rhk.get_or_none(id=request.intervensi_rhk_id).select_related("skp")
    if target is None:
        raise SkpError(
            "INTERVENTION_INVALID", f"no RHK with id {request.intervensi_rhk_id}", "intervensiRhkId"
        )
    superior_skp = target.skp
    if skp.penilai_pegawai_id is None or superior_skp.pegawai_id != skp.penilai_pegawai_id:
        raise SkpError(
            "INTERVENTION_INVALID",
            "the RHK intervened must belong to this SKP's pejabat penilai",
            "intervensiRhkId",
        )
    if superior_skp.status is not StatusSkp.DISETUJUI:
        raise SkpError(
            "INTERVENTION_INVALID",
            "the pejabat penilai's SKP holding that RHK is not approved",
            "intervensiRhkId",
        )
    if superior_skp.digantikan_pada is not None:
        # An RHK of a replaced version: its successor (if it was kept) is the one to name.
        state = (await states_of([target.id]))[target.id]
        raise refusal(state, "intervensiRhkId", f"RHK {target.id} is of a replaced SKP version")
    if (
        superior_skp.periode_akhir < skp.periode_awal
        or superior_skp.periode_awal > skp.periode_akhir
    ):
        raise SkpError(
            "INTERVENTION_INVALID",
            "the pejabat penilai's SKP holding that RHK is for another period",
            "intervensiRhkId",
        )


def _indikator_values(number: int, item: IndikatorInput) -> dict:
    return {
        "urutan": number,
        "aspek": item.aspek,
        "teks": item.teks.strip(),
        "target_min": item.target_min,
        "target_max": item.target_max,
        "satuan": (item.satuan or "").strip() or None,
        "target_kualitatif": (item.target_kualitatif or "").strip() or None,
        "perspektif": item.perspektif,
        "bagian_dari_id": item.bagian_dari_id,
        "dasar_pembagian": item.dasar_pembagian,
        "wilayah": (item.wilayah or "").strip() or None,
    }


async def _save_indikator(rhk_id: int, items: tuple[IndikatorInput, ...]) -> None:
    """Make the RHK's indikator ``items``, in order, keeping ids: integrators and realisasi
    refer to them. An item naming one of this RHK's indikator (``id``) updates it in place;
    when no item names an id, the n-th item takes the n-th existing indikator (a whole-RHK
    save that resends the list in order keeps every id); the rest are inserted, and indikator
    no item takes are deleted."""
    existing = await Indikator.filter(rhk_id=rhk_id).order_by("urutan", "id")
    by_id = {i.id: i for i in existing}
    named: set[int] = set()
    for number, item in enumerate(items, start=1):
        if item.id is not None and item.id not in by_id:
            raise invalid(f"indikator[{number}].id", f"this RHK has no indikator with id {item.id}")
        if item.id in named:  # both would update one row: the earlier item would vanish
            raise invalid(f"indikator[{number}].id", f"indikator id {item.id} is named twice")
        if item.id is not None:
            named.add(item.id)
    # Positions decide only for a client that names no id (it resends the whole list).
    free = [] if named else list(existing)
    targets = [
        by_id[item.id] if item.id is not None else (free.pop(0) if free else None) for item in items
    ]
    kept = {target.id for target in targets if target is not None}
    await _refuse_dropping_realised([i for i in existing if i.id not in kept], existing)
    new: list[Indikator] = []
    for number, (item, target) in enumerate(zip(items, targets, strict=True), start=1):
        values = _indikator_values(number, item)
        if target is None:
            new.append(Indikator(rhk_id=rhk_id, **values))
            continue
        await Indikator.filter(id=target.id).update(**values)
    await Indikator.filter(rhk_id=rhk_id).exclude(id__in=list(kept) or [0]).delete()
    await Indikator.bulk_create(new)


async def _refuse_dropping_realised(dropped: list[Indikator], existing: list[Indikator]) -> None:
    """An indikator with realisasi stays: the achievement recorded against it would lose what
    it measured (and the database would refuse the delete with an internal error). Named by its
    place in the RHK as saved."""
    realised = set(
        await Realisasi.filter(indikator_id__in=[i.id for i in dropped] or [0])
        .distinct()
        .values_list("indikator_id", flat=True)
    )
    for number, indikator in enumerate(existing, start=1):
        if indikator.id in realised:
            raise SkpError(
                "INDIKATOR_HAS_REALISASI",
                f"indikator {number} ({indikator.teks}) cannot be removed: realisasi is "
                "recorded for it; keep it in the list (send its id) and change its text instead",
                f"indikator[{number}]",
            )


async def save_rhk(
    skp_id: int, expected_version: int, caller: Caller, request: RhkInput, rhk_id: int | None = None
) -> Rhk:
    """Create (``rhk_id`` None) or replace one RHK of a draft, with all its indikator."""
    skp = await locked(skp_id, expected_version)
    check_transition(skp, Action.EDIT, caller)
    if not (request.teks or "").strip():
        raise invalid("teks", "an RHK needs its text")
    _validate_indikator(skp, request.indikator)
    await _validate_intervention(skp, request)
    await _validate_direct_cascading(request)
    values = {
        "teks": request.teks.strip(),
        "jenis": request.jenis,
        "klasifikasi": request.klasifikasi,
        "intervensi_id": request.intervensi_rhk_id,
        "intervensi_eksternal": (request.intervensi_eksternal or "").strip() or None,
        "penugasan_dari": (request.penugasan_dari or "").strip() or None,
    }
    if rhk_id is None:
        urutan = await Rhk.filter(skp_id=skp.id).count() + 1
        rhk = await Rhk.create(skp_id=skp.id, urutan=urutan, **values)
    else:
        rhk = await Rhk.get_or_none(id=rhk_id, skp_id=skp.id)
        if rhk is None:
            raise invalid("rhkId", f"this SKP has no RHK with id {rhk_id}")
        await Rhk.filter(id=rhk.id).update(**values)
    await _save_indikator(rhk.id, request.indikator)
    await save_change(skp, caller, Action.EDIT, rhk_id=rhk.id)
    return await Rhk.get(id=rhk.id)


async def remove_rhk(skp_id: int, expected_version: int, caller: Caller, rhk_id: int) -> Skp:
    skp = await locked(skp_id, expected_version)
    check_transition(skp, Action.EDIT, caller)
    rhk = await Rhk.get_or_none(id=rhk_id, skp_id=skp.id)
    if rhk is None:
        raise invalid("rhkId", f"this SKP has no RHK with id {rhk_id}")
    await _refuse_removing_recorded(rhk)
    await Rhk.filter(id=rhk.id).delete()
    return await save_change(skp, caller, Action.EDIT, removed_rhk_id=rhk_id)


# What may refer to an RHK (through its indikator and rencana aksi too), in the order the
# refusal names them: what the pegawai recorded, what the penilai said, who builds on it.
_RECORDED_AGAINST_RHK = """
SELECT EXISTS (SELECT 1 FROM realisasi x JOIN indikator i ON i.id = x.indikator_id
               WHERE i.rhk_id = $1) AS realisasi,
       EXISTS (SELECT 1 FROM progres_harian x JOIN rencana_aksi ra ON ra.id = x.rencana_aksi_id
               WHERE ra.rhk_id = $1) AS progres,
       EXISTS (SELECT 1 FROM umpan_balik x WHERE x.rhk_id = $1) AS umpan_balik,
       EXISTS (SELECT 1 FROM rhk x WHERE x.intervensi_id = $1)
       OR EXISTS (SELECT 1 FROM indikator x JOIN indikator i ON i.id = x.bagian_dari_id
                  WHERE i.rhk_id = $1) AS intervensi"""

_KEEP_IT = "keep it and change its text and indikator instead (simpanRhk with its rhkId)"
_RHK_REFUSALS = (
    ("realisasi", "RHK_HAS_REALISASI", "realisasi is recorded for its indikator"),
    ("progres", "RHK_HAS_PROGRES", "progres harian is logged against its rencana aksi"),
    ("umpan_balik", "RHK_HAS_UMPAN_BALIK", "the pejabat penilai gave umpan balik on it"),
    ("intervensi", "RHK_INTERVENED", "RHK of subordinates intervene it (or split its targets)"),
)


async def _refuse_removing_recorded(rhk: Rhk) -> None:
    """An RHK something refers to stays, as an indikator with realisasi does (simpanRhk's
    INDIKATOR_HAS_REALISASI): removing it would take what was recorded, said or built on it
    with it (and the database refuses the delete with an internal error). One query."""
    (found,) = await fetch(_RECORDED_AGAINST_RHK, rhk.id)
    for key, code, why in _RHK_REFUSALS:
        if found[key]:
            raise SkpError(
                code, f"RHK {rhk.id} ({rhk.teks}) cannot be removed: {why}; {_KEEP_IT}", "rhkId"
            )


async def save_lampiran(
    skp_id: int, expected_version: int, caller: Caller, jenis: JenisLampiran, items: list[str]
) -> Skp:
    """Replace one lampiran section (dukungan sumber daya, skema pertanggungjawaban,
    konsekuensi) of a draft with ``items``, in order."""
    skp = await locked(skp_id, expected_version)
    check_transition(skp, Action.EDIT, caller)
    texts = [item.strip() for item in items]
    for number, text in enumerate(texts, start=1):
        if not text:
            raise invalid(f"items[{number}]", f"lampiran item {number} is empty")
    await SkpLampiran.filter(skp_id=skp.id, jenis=jenis).delete()
    await SkpLampiran.bulk_create(
        [
            SkpLampiran(skp_id=skp.id, jenis=jenis, urutan=number, teks=text)
            for number, text in enumerate(texts, start=1)
        ]
    )
    return await save_change(skp, caller, Action.EDIT, lampiran=jenis.value)


async def save_rencana_aksi(
    skp_id: int,
    expected_version: int,
    caller: Caller,
    rhk_id: int,
    periode: str,
    items: list[tuple[str, str | None]],
) -> Skp:
    """Replace an RHK's rencana aksi for one evaluation window (e.g. `2026-T1`) of the SKP's
    year with ``items`` of (teks, target)."""
    skp = await locked(skp_id, expected_version)
    check_transition(skp, Action.EDIT, caller)
    if not await Rhk.filter(id=rhk_id, skp_id=skp.id).exists():
        raise invalid("rhkId", f"this SKP has no RHK with id {rhk_id}")
    known = {w.kode for w in windows(skp.tahun, await kadensi_for_planning(skp.tahun))}
    if periode not in known:
        raise invalid(
            "periode", f"{periode!r} is not an evaluation window of {skp.tahun}: {sorted(known)}"
        )
    for number, (teks, _target) in enumerate(items, start=1):
        if not (teks or "").strip():
            raise invalid(f"items[{number}].teks", f"rencana aksi {number} has no text")
    await _save_rencana_aksi(rhk_id, periode, items)
    return await save_change(skp, caller, Action.EDIT, rencana_aksi=periode, rhk_id=rhk_id)


async def _save_rencana_aksi(
    rhk_id: int, periode: str, items: list[tuple[str, str | None]]
) -> None:
    """Make the window's rencana aksi ``items``, in order, keeping ids as indikator do
    (progres harian refers to them): the n-th item takes the n-th existing one, the rest are
    inserted, and those no item takes are deleted, unless progres harian is logged against
    one (RENCANA_AKSI_HAS_PROGRES, named by its place as saved)."""
    existing = await RencanaAksi.filter(rhk_id=rhk_id, periode=periode).order_by("id")
    dropped = existing[len(items) :]
    logged = set(
        await ProgresHarian.filter(rencana_aksi_id__in=[r.id for r in dropped] or [0])
        .distinct()
        .values_list("rencana_aksi_id", flat=True)
    )
    for number, row in enumerate(existing, start=1):
        if row.id in logged:
            raise SkpError(
                "RENCANA_AKSI_HAS_PROGRES",
                f"rencana aksi {number} of {periode} ({row.teks}) cannot be removed: progres "
                "harian is logged against it; keep it in the list (at its place) and change "
                "its text instead",
                f"items[{number}]",
            )
    for row, (teks, target) in zip(existing, items, strict=False):
        await RencanaAksi.filter(id=row.id).update(
            teks=teks.strip(), target=(target or "").strip() or None
        )
    if dropped:
        await RencanaAksi.filter(id__in=[r.id for r in dropped]).delete()
    await RencanaAksi.bulk_create(
        [
            RencanaAksi(
                rhk_id=rhk_id,
                periode=periode,
                teks=teks.strip(),
                target=(target or "").strip() or None,
            )
            for teks, target in items[len(existing) :]
        ]
    )
