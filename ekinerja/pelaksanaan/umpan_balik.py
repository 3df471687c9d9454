"""Umpan balik: the pejabat penilai's feedback on each RHK and each BerAKHLAK value of an SKP
per window, built from the instansi's suggestion sentences and free text, and the dialog notes
that follow it (the pegawai replies, the penilai answers)."""

from __future__ import annotations

from dataclasses import dataclass

from ekinerja import audit
from ekinerja.models.tenant import (
    EvaluasiPeriodik,
    KalimatUmpanBalik,
    Rhk,
    Skp,
    TanggapanUmpanBalik,
    UmpanBalik,
)
from ekinerja.pelaksanaan.enums import SasaranUmpanBalik, StatusEvaluasi
from ekinerja.pelaksanaan.periode import ensure_in_force, window_named
from ekinerja.refusals import Refusal, invalid
from ekinerja.skp.berakhlak import NILAI_BY_KODE
from ekinerja.skp.lifecycle import Caller

MAX_TEKS = 4000
MAX_KALIMAT = 10
MAX_KALIMAT_LENGTH = 500

# Offered until the admin instansi writes the instansi's own (docs/domain.md 4.3: a peer's
# master list).
DEFAULT_KALIMAT: dict[SasaranUmpanBalik, tuple[str, ...]] = {
    SasaranUmpanBalik.HASIL_KERJA: (
        "Hasil kerja sudah sesuai dengan target yang ditetapkan.",
        "Hasil kerja melampaui target; pertahankan.",
        "Perlu peningkatan kuantitas hasil kerja.",
        "Perlu peningkatan kualitas hasil kerja.",
        "Perlu ketepatan waktu dalam penyelesaian pekerjaan.",
        "Lengkapi bukti dukung atas realisasi yang dilaporkan.",
    ),
    SasaranUmpanBalik.PERILAKU: (
        "Perilaku kerja sudah sesuai dengan ekspektasi.",
        "Perilaku kerja melebihi ekspektasi; menjadi teladan bagi rekan kerja.",
        "Perlu meningkatkan perilaku kerja sesuai ekspektasi pimpinan.",
        "Tingkatkan kerja sama dan komunikasi dengan rekan kerja.",
    ),
}


@dataclass(frozen=True)
class Kalimat:
    sasaran: SasaranUmpanBalik
    teks: str


async def kalimat(sasaran: SasaranUmpanBalik | None = None) -> list[Kalimat]:
    """The instansi's suggestion sentences, or the defaults where it has written none."""
    kinds = [sasaran] if sasaran else list(SasaranUmpanBalik)
    rows = await KalimatUmpanBalik.filter(sasaran__in=kinds).order_by("sasaran", "urutan", "id")
    own = {kind: [r.teks for r in rows if r.sasaran is kind] for kind in kinds}
    return [
        Kalimat(kind, teks)
        for kind in kinds
        for teks in (own[kind] if own[kind] else DEFAULT_KALIMAT[kind])
    ]


async def set_kalimat(sasaran: SasaranUmpanBalik, items: list[str], actor: str) -> list[Kalimat]:
    """Replace the instansi's sentences of one kind (an empty list restores the defaults)."""
    cleaned = [" ".join(t.split()) for t in items]
    for number, teks in enumerate(cleaned, 1):
        if not teks:
            raise invalid(f"items[{number}]", f"sentence {number} is empty")
        if len(teks) > MAX_KALIMAT_LENGTH:
            raise invalid(f"items[{number}]", f"sentence {number} is too long")
    await KalimatUmpanBalik.filter(sasaran=sasaran).delete()
    await KalimatUmpanBalik.bulk_create(
        [KalimatUmpanBalik(sasaran=sasaran, urutan=n, teks=t) for n, t in enumerate(cleaned)]
    )
    await audit.record(
        actor,
        "umpan_balik.kalimat",
        "kalimat_umpan_balik",
        None,
        sasaran=sasaran.value,
        jumlah=len(cleaned),
    )
    return await kalimat(sasaran)


@dataclass(frozen=True)
class UmpanBalikInput:
    skp_id: int
    periode: str
    rhk_id: int | None
    nilai_perilaku: str | None
    kalimat: tuple[str, ...]
    teks: str | None


async def _target(request: UmpanBalikInput, skp: Skp) -> tuple[SasaranUmpanBalik, str]:
    if (request.rhk_id is None) == (request.nilai_perilaku is None):
        raise invalid("rhkId", "give either an RHK or a BerAKHLAK value (nilaiPerilaku)")
    if request.rhk_id is not None:
        if not await Rhk.exists(id=request.rhk_id, skp_id=skp.id):
            raise Refusal("NOT_FOUND", f"the SKP has no RHK with id {request.rhk_id}", "rhkId")
        return SasaranUmpanBalik.HASIL_KERJA, f"RHK:{request.rhk_id}"
    if request.nilai_perilaku not in NILAI_BY_KODE:
        raise invalid("nilaiPerilaku", f"{request.nilai_perilaku!r} is not a BerAKHLAK value")
    return SasaranUmpanBalik.PERILAKU, f"PERILAKU:{request.nilai_perilaku}"


async def give(request: UmpanBalikInput, caller: Caller) -> UmpanBalik:
    """Give (or rewrite) the feedback on one RHK or value for a window, as the SKP's penilai,
    until the window's evaluation is settled."""
    skp = await Skp.get_or_none(id=request.skp_id)
    if skp is None:
        raise Refusal("NOT_FOUND", f"no SKP with id {request.skp_id}", "skpId")
    if caller.pegawai_id is None or caller.pegawai_id != skp.penilai_pegawai_id:
        raise Refusal("NOT_PENILAI", "only this SKP's pejabat penilai gives its feedback", "skpId")
    ensure_in_force(skp)
    await window_named(skp, request.periode)
    settled = await EvaluasiPeriodik.exists(
        skp_id=skp.id, periode=request.periode, status=StatusEvaluasi.DITETAPKAN
    )
    if settled:
        raise Refusal("WINDOW_CLOSED", f"the evaluation of {request.periode} is settled", "periode")
    sasaran, kunci = await _target(request, skp)
    chosen = [" ".join(k.split()) for k in request.kalimat if k.strip()]
    if len(chosen) > MAX_KALIMAT or any(len(k) > MAX_KALIMAT_LENGTH for k in chosen):
        raise invalid("kalimat", f"at most {MAX_KALIMAT} sentences of {MAX_KALIMAT_LENGTH} chars")
    teks = (request.teks or "").strip() or None
    if not chosen and teks is None:
        raise invalid("teks", "the feedback is empty: choose a sentence or write some text")
    if teks and len(teks) > MAX_TEKS:
        raise invalid("teks", f"the feedback is longer than {MAX_TEKS} characters")
    values = {
        "sasaran": sasaran,
        "rhk_id": request.rhk_id,
        "nilai_perilaku": request.nilai_perilaku,
        "kalimat": chosen,
        "teks": teks,
        "penilai_pegawai_id": caller.pegawai_id,
    }
    row, _ = await UmpanBalik.update_or_create(
        defaults=values, skp_id=skp.id, periode=request.periode, kunci_sasaran=kunci
    )
    await audit.record(
        caller.subject, "umpan_balik.give", "skp", skp.id, periode=request.periode, sasaran=kunci
    )
    return row


async def reply(umpan_balik_id: int, teks: str, caller: Caller) -> TanggapanUmpanBalik:
    """A dialog note on a feedback, by the pegawai it is about or by their penilai."""
    feedback = await UmpanBalik.get_or_none(id=umpan_balik_id).select_related("skp")
    allowed = feedback is not None and caller.pegawai_id in (
        feedback.skp.pegawai_id,
        feedback.skp.penilai_pegawai_id,
    )
    if not allowed:
        raise Refusal("NOT_FOUND", f"no umpan balik with id {umpan_balik_id}", "umpanBalikId")
    teks = (teks or "").strip()
    if not teks:
        raise invalid("teks", "the reply is empty")
    if len(teks) > MAX_TEKS:
        raise invalid("teks", f"the reply is longer than {MAX_TEKS} characters")
    note = await TanggapanUmpanBalik.create(
        umpan_balik_id=feedback.id, penulis_pegawai_id=caller.pegawai_id, teks=teks
    )
    await audit.record(
        caller.subject, "umpan_balik.reply", "skp", feedback.skp.id, umpan_balik_id=feedback.id
    )
    return note
