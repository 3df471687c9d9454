"""Keberatan (objection), PP 30/2019 Pasal 59 and docs/domain.md 6:

    DIAJUKAN (pegawai, within the window) ─minta penjelasan─▶ DIPERIKSA ─putuskan─▶ FINAL
        └──────────────────────────putuskan─────────────────────────────────┘

The pegawai files within N days (tenant setting, 14 calendar days by default) of receiving the
fixed result, with reasons and attachments (links). Only the atasan pejabat penilai snapshotted
on the SKP examines it: they may ask both the penilai and the pegawai to explain, and decide
DITOLAK (unchanged) or DIUBAH (new ratings, hence a new predikat; the original stays in the
evaluation's history). The decision is final: the keberatan and the evaluation are then
read-only. An atasan outside the system (the SKP's NON_ASN snapshot, e.g. the Bupati) hears it
too: the keberatan then names no atasan pegawai, and an admin instansi records their request
for explanations and their signed decision (penilaian/eksternal.py, the same functions here
with a `Caller` carrying the document). Where the SKP has no atasan pejabat penilai at all
(`finalitas.ada_atasan`), no keberatan is possible and the result is final as fixed.

Under LAST_PERIOD the annual record is a copy of the year's last window: a keberatan goes
against that window (and its decision is carried to the year), never against the copy, so the
two cannot diverge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ekinerja import audit, pengaturan
from ekinerja.kepegawaian.calendar import sekarang, tanggal_di
from ekinerja.models.tenant import EvaluasiPeriodik, Keberatan, Skp
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian import peristiwa
from ekinerja.penilaian.batas_keberatan import batas_dari
from ekinerja.penilaian.enums import HasilKeberatan, Rating, StatusKeberatan
from ekinerja.penilaian.evaluasi import record
from ekinerja.penilaian.finalitas import ada_atasan
from ekinerja.penilaian.penetapan import annual_copy, carry_to_annual, periksa_ulang
from ekinerja.penilaian.periode import (
    LAST_PERIOD,
    is_annual,
)
from ekinerja.penilaian.predikat import predikat
from ekinerja.refusals import Refusal, invalid, required_text
from ekinerja.skp.lifecycle import Caller, acts_for

MAX_TEKS = 8000


ANNUAL_FROM_LAST_PERIOD = (
    "the annual result follows the year's last window: a keberatan goes against that window"
)


@dataclass(frozen=True)
class Kesempatan:
    """Whether the pegawai may still object to an evaluation, and until when."""

    tersedia: bool
    alasan: str | None
    batas: date | None


def kesempatan_dari(
    evaluasi: EvaluasiPeriodik,
    ada_atasan_penilai: bool,
    sudah_diajukan: bool,
    days: int,
    on: date,
    zone: ZoneInfo,
    dari_periode_terakhir: bool = False,
) -> Kesempatan:
    """The rule itself, from facts the caller loaded (lists load them in batches).
    ``on`` is a date where the instansi is, ``zone`` its zone (`calendar.zona()`): the day
    count runs on the instansi's calendar. ``dari_periode_terakhir``: the evaluation is the
    annual copy of the last window."""
    if evaluasi.status is not StatusEvaluasi.DITETAPKAN or evaluasi.ditetapkan_pada is None:
        return Kesempatan(False, "the result is not fixed yet", None)
    if dari_periode_terakhir:
        return Kesempatan(False, ANNUAL_FROM_LAST_PERIOD, None)
    if not ada_atasan_penilai:
        return Kesempatan(
            False, "the SKP has no atasan pejabat penilai: the result is final as fixed", None
        )
    batas = batas_dari(evaluasi.ditetapkan_pada, days, zone)
    if sudah_diajukan:
        return Kesempatan(False, "a keberatan was already filed", batas)
    if on > batas:
        return Kesempatan(False, f"the period for a keberatan ended on {batas.isoformat()}", batas)
    # Once announced final it stays final: a longer period set afterwards reopens nothing.
    if evaluasi.final_diumumkan_pada is not None:
        announced = evaluasi.final_diumumkan_pada.astimezone(zone).date().isoformat()
        return Kesempatan(False, f"the result was announced final on {announced}", None)
    return Kesempatan(True, None, batas)


async def kesempatan(evaluasi: EvaluasiPeriodik, skp: Skp, on: date | None = None) -> Kesempatan:
    filed = await Keberatan.exists(evaluasi_id=evaluasi.id)
    settings = await pengaturan.baca()  # the days, the zone and the annual policy: one read
    derived = is_annual(evaluasi.periode) and settings.kebijakan_tahunan == LAST_PERIOD
    zone = settings.zona_waktu
    on = on or tanggal_di(zone)
    return kesempatan_dari(
        evaluasi, ada_atasan(skp), filed, settings.batas_hari_keberatan, on, zone, derived
    )


def _attachments(items: list[tuple[str, str]]) -> list[dict]:
    checked = []
    for number, (nama, tautan) in enumerate(items, 1):
        parts = urlsplit((tautan or "").strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise invalid(
                f"lampiran[{number}].tautan", f"attachment {number} is not an http(s) link"
            )
        nama = required_text(nama, f"lampiran[{number}].nama", "its name", MAX_TEKS)
        checked.append({"nama": nama, "tautan": tautan.strip()})
    return checked


async def ajukan(
    evaluasi_id: int,
    alasan: str,
    lampiran: list[tuple[str, str]],
    caller: Caller,
    on: date | None = None,
) -> Keberatan:
    evaluasi = await EvaluasiPeriodik.select_for_update().get_or_none(id=evaluasi_id)
    skp = await Skp.get(id=evaluasi.skp_id) if evaluasi else None
    if skp is None or caller.pegawai_id != skp.pegawai_id:
        raise Refusal("NOT_FOUND", f"no evaluation of yours with id {evaluasi_id}", "evaluasiId")
    chance = await kesempatan(evaluasi, skp, on)
    if not chance.tersedia:
        if evaluasi.status is not StatusEvaluasi.DITETAPKAN:
            code = "NOT_FIXED"
        elif chance.alasan == ANNUAL_FROM_LAST_PERIOD:
            code = "ANNUAL_FROM_LAST_PERIOD"
        elif not ada_atasan(skp):
            code = "NO_ATASAN"
        else:
            code = "KEBERATAN_CLOSED"
        raise Refusal(code, chance.alasan, "evaluasiId")
    found = await Keberatan.create(
        evaluasi_id=evaluasi.id,
        pegawai_id=skp.pegawai_id,
        penilai_pegawai_id=evaluasi.penilai_pegawai_id,
        atasan_pegawai_id=skp.atasan_penilai_pegawai_id,  # None: the atasan is external
        status=StatusKeberatan.DIAJUKAN,
        alasan=required_text(alasan, "alasan", "the reason", MAX_TEKS),
        lampiran=_attachments(lampiran),
        diajukan_pada=sekarang(),
    )
    await audit.record(caller.subject, "keberatan.ajukan", "evaluasi_periodik", evaluasi.id,
                       keberatan_id=found.id)  # fmt: skip
    await peristiwa.keberatan_diajukan(found, evaluasi, skp)
    return found


def _is_party(found: Keberatan, caller: Caller) -> bool:
    """The pegawai, the penilai, or the atasan (themself, or the admin recording an external
    atasan's act: `lifecycle.acts_for`)."""
    if caller.dokumen_eksternal is None and caller.pegawai_id is not None:
        if caller.pegawai_id in (found.pegawai_id, found.penilai_pegawai_id):
            return True
    return acts_for(caller, found.atasan_pegawai_id)


async def _open(keberatan_id: int, caller: Caller) -> Keberatan:
    """The keberatan, if the caller is one of its parties; refused once decided."""
    found = await Keberatan.select_for_update().get_or_none(id=keberatan_id)
    if found is None or not _is_party(found, caller):
        raise Refusal("NOT_FOUND", f"no keberatan with id {keberatan_id}", "keberatanId")
    if found.status is StatusKeberatan.FINAL:
        raise Refusal("FINAL", "the keberatan was decided; it is final and read-only",
                      "keberatanId")  # fmt: skip
    return found


def _only_atasan(found: Keberatan, caller: Caller) -> None:
    if not acts_for(caller, found.atasan_pegawai_id):
        raise Refusal(
            "NOT_ATASAN_PENILAI",
            "only the atasan pejabat penilai snapshotted on the SKP examines and decides",
            "keberatanId",
        )


async def minta_penjelasan(keberatan_id: int, permintaan: str, caller: Caller) -> Keberatan:
    found = await _open(keberatan_id, caller)
    _only_atasan(found, caller)
    found.permintaan_penjelasan = required_text(permintaan, "permintaan", "the request", MAX_TEKS)
    found.status = StatusKeberatan.DIPERIKSA
    await found.save()
    await audit.record(caller.subject, "keberatan.minta_penjelasan", "keberatan", found.id,
                       **caller.audit_detail)  # fmt: skip
    return found


async def beri_penjelasan(keberatan_id: int, penjelasan: str, caller: Caller) -> Keberatan:
    """The penilai's or the pegawai's explanation, once the atasan asked for them."""
    found = await _open(keberatan_id, caller)
    if found.status is not StatusKeberatan.DIPERIKSA:
        raise Refusal("NOT_REQUESTED", "the atasan has not asked for explanations",
                      "keberatanId")  # fmt: skip
    text = required_text(penjelasan, "penjelasan", "the explanation", MAX_TEKS)
    if caller.dokumen_eksternal is None and caller.pegawai_id == found.pegawai_id:
        found.penjelasan_pegawai = text
    elif caller.dokumen_eksternal is None and caller.pegawai_id == found.penilai_pegawai_id:
        found.penjelasan_penilai = text
    else:
        raise Refusal("NOT_A_PARTY", "the atasan asks; the penilai and the pegawai explain",
                      "keberatanId")  # fmt: skip
    await found.save()
    await audit.record(caller.subject, "keberatan.penjelasan", "keberatan", found.id)
    return found


async def putuskan(
    keberatan_id: int,
    hasil: HasilKeberatan,
    catatan: str,
    caller: Caller,
    hasil_kerja: Rating | None = None,
    perilaku: Rating | None = None,
) -> Keberatan:
    found = await _open(keberatan_id, caller)
    _only_atasan(found, caller)
    found.catatan_keputusan = required_text(
        catatan, "catatan", "the decision's reasoning", MAX_TEKS
    )
    evaluasi = await EvaluasiPeriodik.select_for_update().get(id=found.evaluasi_id)
    if hasil is HasilKeberatan.DIUBAH:
        if hasil_kerja is None or perilaku is None:
            raise invalid("ratingHasilKerja", "DIUBAH sets both new ratings")
        if (hasil_kerja, perilaku) == (evaluasi.rating_hasil_kerja, evaluasi.rating_perilaku):
            raise invalid("ratingHasilKerja", "the new ratings are the ones already given")
        found.rating_hasil_kerja_baru, found.rating_perilaku_baru = hasil_kerja, perilaku
        evaluasi.rating_hasil_kerja, evaluasi.rating_perilaku = hasil_kerja, perilaku
        evaluasi.predikat = predikat(hasil_kerja, perilaku)
        await record(evaluasi, "DIUBAH_KEBERATAN", caller.subject, found.catatan_keputusan,
                     **caller.audit_detail)  # fmt: skip
        changed = [evaluasi, await carry_to_annual(evaluasi, caller.subject)]
    elif hasil_kerja is not None or perilaku is not None:
        raise invalid("hasil", "a rejected keberatan changes no rating")
    else:
        changed = []
    found.hasil = hasil
    found.status = StatusKeberatan.FINAL
    found.diputus_pada = sekarang()
    await found.save()
    for result in changed:
        if result is not None:
            await peristiwa.diubah(result, found)
            # The batch's distribution moved: its curve outcome is checked again (reported).
            await periksa_ulang(result.unit_id, result.periode, caller.subject, found.id)
    await peristiwa.keberatan_diputus(found, evaluasi)
    # Decided, the result is final (and so is the annual copy that follows it).
    copy = await annual_copy(evaluasi)
    follows = [copy] if copy is not None and copy.status is evaluasi.status else []
    await peristiwa.menjadi_final([evaluasi, *follows])
    await audit.record(caller.subject, "keberatan.putuskan", "keberatan", found.id,
                       hasil=hasil.value, **caller.audit_detail)  # fmt: skip
    return found
