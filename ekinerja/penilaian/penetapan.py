"""Predikat kinerja organisasi and penetapan, per unit and period (docs/domain.md 5.3).

The leader one level up sets the unit's predikat; penetapan then checks the distribution of the
unit's rated evaluations against the curve for that predikat (tenant rules and policy:
OK, WARNING or BLOCK, with every failed rule named) and, unless blocked, fixes every rated
evaluation of the batch (DITETAPKAN: the pegawai has received the result, and the keberatan
period starts). After penetapan the unit's batch is locked: nothing in it is rated, cancelled
or re-set again, except through a keberatan.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekinerja import audit, pengaturan
from ekinerja.kepegawaian.calendar import sekarang
from ekinerja.models.tenant import EvaluasiPeriodik, KinerjaOrganisasi
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.pengaturan.registry import KURVA_ATURAN, KURVA_KEBIJAKAN
from ekinerja.penilaian import peristiwa
from ekinerja.penilaian.enums import HasilKurva, PredikatOrganisasi, PredikatPegawai
from ekinerja.penilaian.evaluasi import hold_batch, record
from ekinerja.penilaian.kurva import HasilPemeriksaan, periksa
from ekinerja.penilaian.periode import (
    LAST_PERIOD,
    annual_kode,
    carried_to_annual,
    is_annual,
    last_window,
    leader_above,
    window_of,
    year_of,
)
from ekinerja.refusals import Refusal
from ekinerja.skp.lifecycle import Caller

# The keys' names, where callers and tests look for them.
RULES_SETTING = KURVA_ATURAN
POLICY_SETTING = KURVA_KEBIJAKAN


def _periksa(
    kinerja: KinerjaOrganisasi,
    distribusi: dict[PredikatPegawai, int],
    settings: pengaturan.PengaturanInstansi,
) -> HasilPemeriksaan:
    """The unit's check against the instansi's curve (rules and policy)."""
    return periksa(kinerja.predikat, distribusi, settings.kurva_aturan, settings.kurva_kebijakan)


async def _ensure_leader(unit_id: int, periode: str, caller: Caller) -> None:
    window = await window_of(periode)
    leader = await leader_above(unit_id, window.akhir)
    if caller.pegawai_id is None or caller.pegawai_id != leader:
        raise Refusal(
            "NOT_LEADER",
            "only the leader one level above the unit (on the period's last day) may do this",
            "unitId",
        )


async def _open_batch(unit_id: int, periode: str) -> KinerjaOrganisasi | None:
    """The unit's predikat row if it is not fixed yet, with the batch held alone (hold_batch):
    a concurrent first predikat waits and then updates this one's row instead of inserting a
    second, and no evaluation is submitted, rated or cancelled in between."""
    await hold_batch(unit_id, periode, shared=False)
    found = await KinerjaOrganisasi.select_for_update().get_or_none(
        unit_id=unit_id, periode=periode
    )
    if found and found.ditetapkan_pada is not None:
        raise Refusal("LOCKED", f"the unit's {periode} results are already fixed", "unitId")
    return found


async def set_predikat(
    unit_id: int, periode: str, predikat: PredikatOrganisasi, catatan: str | None, caller: Caller
) -> KinerjaOrganisasi:
    await _ensure_leader(unit_id, periode, caller)
    found = await _open_batch(unit_id, periode)
    catatan = (catatan or "").strip() or None
    if found is None:
        found = await KinerjaOrganisasi.create(
            unit_id=unit_id, periode=periode, predikat=predikat, catatan=catatan
        )
    else:
        found.predikat, found.catatan = predikat, catatan
        await found.save()
    await audit.record(
        caller.subject, "kinerja_organisasi.set", "unit_kerja", unit_id,
        periode=periode, predikat=predikat.value,
    )  # fmt: skip
    return found


async def distribution(unit_id: int, periode: str) -> dict[PredikatPegawai, int]:
    """How many of the unit's rated (or fixed) evaluations have each predikat."""
    rows = await EvaluasiPeriodik.filter(
        unit_id=unit_id,
        periode=periode,
        status__in=[StatusEvaluasi.DINILAI, StatusEvaluasi.DITETAPKAN],
    ).values_list("predikat", flat=True)
    counts = {p: 0 for p in PredikatPegawai}
    for value in rows:
        counts[PredikatPegawai(value)] += 1
    return counts


async def check(unit_id: int, periode: str) -> HasilPemeriksaan | None:
    """The curve check as penetapan would run it now (None while no predikat is set)."""
    kinerja = await KinerjaOrganisasi.get_or_none(unit_id=unit_id, periode=periode)
    if kinerja is None:
        return None
    return _periksa(kinerja, await distribution(unit_id, periode), await pengaturan.baca())


@dataclass(frozen=True)
class Penetapan:
    kinerja: KinerjaOrganisasi
    pemeriksaan: HasilPemeriksaan
    ditetapkan: int


async def tetapkan(unit_id: int, periode: str, caller: Caller) -> Penetapan:
    await _ensure_leader(unit_id, periode, caller)
    kinerja = await _open_batch(unit_id, periode)
    if kinerja is None:
        raise Refusal(
            "NO_PREDIKAT_ORGANISASI", "set the unit's predikat for the period first", "unitId"
        )
    waiting = await EvaluasiPeriodik.filter(
        unit_id=unit_id, periode=periode, status=StatusEvaluasi.DIAJUKAN
    ).count()
    if waiting:
        raise Refusal(
            "NOT_ALL_RATED", f"{waiting} submitted evaluation(s) of the unit are not rated yet",
            "unitId",
        )  # fmt: skip
    settings = await pengaturan.baca()  # once: the curve, the annual policy, the deadline
    result = _periksa(kinerja, await distribution(unit_id, periode), settings)
    if result.hasil is HasilKurva.BLOCK:
        raise Refusal(
            "CURVE_BLOCKED",
            "the distribution does not follow the curve: "
            + "; ".join(v.pesan for v in result.pelanggaran),
            "unitId",
        )
    batch = await EvaluasiPeriodik.select_for_update().filter(
        unit_id=unit_id, periode=periode, status=StatusEvaluasi.DINILAI
    )
    moment = sekarang()  # the injected clock, when a scenario sets one: the keberatan days
    carries = await carries_to_annual(periode, settings)  # once for the batch: one period
    # Or, in another window, those of SKPs ending in it (a retirement in March).
    early = set() if carries else await carried_to_annual(batch, settings)
    fixed = []
    for evaluasi in batch:
        evaluasi.status = StatusEvaluasi.DITETAPKAN
        evaluasi.ditetapkan_pada = moment
        await record(evaluasi, "DITETAPKAN", caller.subject)
        fixed.append(evaluasi)
        if carries or evaluasi.id in early:
            fixed.append(await copy_to_annual(evaluasi, caller.subject))
    await peristiwa.ditetapkan(fixed, settings)
    kinerja.ditetapkan_pada = moment
    kinerja.ditetapkan_oleh_pegawai_id = caller.pegawai_id
    _store(kinerja, result)
    await kinerja.save()
    await audit.record(
        caller.subject, "kinerja_organisasi.tetapkan", "unit_kerja", unit_id,
        periode=periode, hasil_kurva=result.hasil.value, evaluasi=len(batch),
    )  # fmt: skip
    return Penetapan(kinerja, result, len(batch))


def _store(kinerja: KinerjaOrganisasi, result: HasilPemeriksaan) -> None:
    """Keep the check's outcome on the unit's row: what the unit's page and statistics show."""
    kinerja.hasil_kurva = result.hasil
    kinerja.distribusi = {p.value: n for p, n in result.distribusi.items()}
    kinerja.pelanggaran = [
        {"kode": v.aturan.kode, "keterangan": v.aturan.keterangan, "pesan": v.pesan,
         "jumlah": v.jumlah, "batas": v.batas}
        for v in result.pelanggaran
    ]  # fmt: skip


async def periksa_ulang(unit_id: int, periode: str, oleh: str, keberatan_id: int) -> None:
    """After a keberatan changed a predikat in a fixed batch, check the curve again (the rules
    in force now) and keep that outcome on the unit's row, audited with the one it replaces.
    It reports and blocks nothing: the keberatan decision is final (PP 30/2019 Pasal 59) and
    the batch is already fixed, so a BLOCK here tells the leader the unit is now off the curve
    without undoing a decision the law makes final. No fixed row (a batch that was never
    fixed, e.g. an annual copy under LAST_PERIOD): nothing to re-check."""
    kinerja = await KinerjaOrganisasi.select_for_update().get_or_none(
        unit_id=unit_id, periode=periode
    )
    if kinerja is None or kinerja.ditetapkan_pada is None:
        return
    before = kinerja.hasil_kurva
    result = _periksa(kinerja, await distribution(unit_id, periode), await pengaturan.baca())
    _store(kinerja, result)
    await kinerja.save(update_fields=["hasil_kurva", "distribusi", "pelanggaran"])
    await audit.record(
        oleh, "kinerja_organisasi.periksa_ulang", "unit_kerja", unit_id, periode=periode,
        keberatan_id=keberatan_id, sebelum=before.value if before else None,
        hasil_kurva=result.hasil.value,
    )  # fmt: skip


async def carries_to_annual(
    periode: str, settings: pengaturan.PengaturanInstansi | None = None
) -> bool:
    """Whether ``periode`` is the year's last window under LAST_PERIOD: the annual result
    follows its results. Depends on the period only, so a batch asks once (``settings``: the
    instansi's, when the caller has read them already)."""
    if is_annual(periode):
        return False
    if (settings or await pengaturan.baca()).kebijakan_tahunan != LAST_PERIOD:
        return False
    return periode == (await last_window(year_of(periode))).kode


async def annual_copy(evaluasi: EvaluasiPeriodik) -> EvaluasiPeriodik | None:
    if evaluasi.id not in await carried_to_annual([evaluasi]):
        return None
    return await EvaluasiPeriodik.get_or_none(
        skp_id=evaluasi.skp_id, periode=annual_kode(year_of(evaluasi.periode))
    )


async def carry_to_annual(evaluasi: EvaluasiPeriodik, oleh: str) -> EvaluasiPeriodik | None:
    """Under LAST_PERIOD, the fixed (or changed) result of its SKP's last window (the year's,
    or an earlier one for an SKP ending earlier) is the annual result too: that annual record,
    else None."""
    if evaluasi.id not in await carried_to_annual([evaluasi]):
        return None
    return await copy_to_annual(evaluasi, oleh)


async def copy_to_annual(evaluasi: EvaluasiPeriodik, oleh: str) -> EvaluasiPeriodik:
    """Write the result into the year's annual record (the caller knows it carries over)."""
    annual, _ = await EvaluasiPeriodik.get_or_create(
        skp_id=evaluasi.skp_id, periode=annual_kode(year_of(evaluasi.periode))
    )
    for name in (
        "unit_id", "jenjang", "rating_hasil_kerja", "rating_perilaku", "predikat",
        "catatan_penilai", "penilai_pegawai_id", "dinilai_pada", "ditetapkan_pada",
    ):  # fmt: skip
        setattr(annual, name, getattr(evaluasi, name))
    annual.status = evaluasi.status
    annual.diajukan_pada = evaluasi.diajukan_pada
    await record(annual, "DARI_PERIODE_TERAKHIR", oleh, f"dari {evaluasi.periode}")
    return annual
