"""The assessment's domain events (the outbox), in one place so every result event carries
the same fields: who (NIP), which period, the ratings and predikat, and whether it is final."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ekinerja import pengaturan
from ekinerja.kepegawaian.calendar import sekarang
from ekinerja.models.tenant import EvaluasiPeriodik, Keberatan, Skp
from ekinerja.penilaian.batas_keberatan import batas_dari
from ekinerja.penilaian.finalitas import ada_atasan
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit


def _value(member) -> str | None:
    return member.value if member is not None else None


def hasil(evaluasi: EvaluasiPeriodik, skp: Skp) -> dict[str, Any]:
    return {
        "evaluasiId": evaluasi.id,
        "skpId": skp.id,
        "nip": (skp.snapshot_pegawai or {}).get("nip"),
        "tahun": skp.tahun,
        "periode": evaluasi.periode,
        "ratingHasilKerja": _value(evaluasi.rating_hasil_kerja),
        "ratingPerilaku": _value(evaluasi.rating_perilaku),
        "predikat": _value(evaluasi.predikat),
        "ditetapkanPada": evaluasi.ditetapkan_pada.isoformat()
        if evaluasi.ditetapkan_pada
        else None,
    }


async def diajukan(evaluasi: EvaluasiPeriodik, skp: Skp) -> None:
    """`evaluasi.diajukan`: the pegawai submitted the window (its evaluation awaits rating)."""
    data = {
        "evaluasiId": evaluasi.id,
        "skpId": skp.id,
        "nip": (skp.snapshot_pegawai or {}).get("nip"),
        "tahun": skp.tahun,
        "periode": evaluasi.periode,
        "diajukanPada": evaluasi.diajukan_pada.isoformat() if evaluasi.diajukan_pada else None,
    }
    await emit(JenisPeristiwa.EVALUASI_DIAJUKAN, "evaluasi", evaluasi.id, data)


async def ditetapkan(
    batch: Iterable[EvaluasiPeriodik], settings: pengaturan.PengaturanInstansi | None = None
) -> None:
    """One `evaluasi.ditetapkan` per fixed result. Without an atasan pejabat penilai there is no
    keberatan, so the result is final at once; otherwise it may change until the deadline
    (the instansi's days and zone: ``settings`` when the caller has read them already)."""
    batch = list(batch)
    skps = {s.id: s for s in await Skp.filter(id__in={e.skp_id for e in batch})}
    settings = settings or await pengaturan.baca()
    days, zone = settings.batas_hari_keberatan, settings.zona_waktu
    for evaluasi in batch:
        skp = skps[evaluasi.skp_id]
        final = not ada_atasan(skp)
        data = hasil(evaluasi, skp) | {
            "final": final,
            "batasKeberatan": None
            if final
            else batas_dari(evaluasi.ditetapkan_pada, days, zone).isoformat(),
        }
        await emit(JenisPeristiwa.EVALUASI_DITETAPKAN, "evaluasi", evaluasi.id, data)
    await menjadi_final(e for e in batch if not ada_atasan(skps[e.skp_id]))


async def diubah(evaluasi: EvaluasiPeriodik, keberatan: Keberatan) -> None:
    skp = await Skp.get(id=evaluasi.skp_id)
    data = hasil(evaluasi, skp) | {"final": True, "keberatanId": keberatan.id}
    await emit(JenisPeristiwa.EVALUASI_DIUBAH, "evaluasi", evaluasi.id, data)


async def keberatan_diajukan(keberatan: Keberatan, evaluasi: EvaluasiPeriodik, skp: Skp) -> None:
    data = {
        "keberatanId": keberatan.id,
        "evaluasiId": evaluasi.id,
        "nip": (skp.snapshot_pegawai or {}).get("nip"),
        "periode": evaluasi.periode,
    }
    await emit(JenisPeristiwa.KEBERATAN_DIAJUKAN, "keberatan", keberatan.id, data)


async def keberatan_diputus(keberatan: Keberatan, evaluasi: EvaluasiPeriodik) -> None:
    skp = await Skp.get(id=evaluasi.skp_id)
    data = hasil(evaluasi, skp) | {
        "keberatanId": keberatan.id,
        "hasil": keberatan.hasil.value,
        "final": True,
    }
    await emit(JenisPeristiwa.KEBERATAN_DIPUTUS, "keberatan", keberatan.id, data)


async def menjadi_final(batch: Iterable[EvaluasiPeriodik]) -> int:
    """One `evaluasi.final` per result not announced yet, and the result marked announced:
    the one event integrators can act on. Returns how many were announced."""
    batch = [e for e in batch if e.final_diumumkan_pada is None]
    if not batch:
        return 0
    skps = {s.id: s for s in await Skp.filter(id__in={e.skp_id for e in batch})}
    moment = sekarang()  # the injected clock, when a scenario sets one
    for evaluasi in batch:
        await emit(JenisPeristiwa.EVALUASI_FINAL, "evaluasi", evaluasi.id,
                   hasil(evaluasi, skps[evaluasi.skp_id]) | {"final": True})  # fmt: skip
        evaluasi.final_diumumkan_pada = moment
    await EvaluasiPeriodik.filter(id__in=[e.id for e in batch]).update(final_diumumkan_pada=moment)
    return len(batch)
