"""Acts of an appraiser outside the system, recorded by an admin instansi.

The same holds for an atasan pejabat penilai outside the system hearing a keberatan
(decision 0023): the admin records their request for explanations and their decision, through
keberatan.py's own functions.

The top official's pejabat penilai (the Bupati, Gubernur, Menteri) is no pegawai of the
instansi: the snapshot names them (NON_ASN) or nobody, and no one could approve that SKP or
rate its evaluations. The official signs on paper; an admin instansi records that signed act
here, with its document (nomor, tanggal, the official's name and jabatan, optionally a link to
the scanned bukti). The act then goes through the very same transition as an internal
penilai's (lifecycle.approve / return_to_draft, evaluasi.rate: the predikat from the matrix,
the same history, audit rows and events), the caller being the admin on behalf of the
official (`Caller.dokumen_eksternal`, audited on every row the act writes).

Only where the SKP's snapshotted penilai (or the keberatan's atasan) is outside the system: an
internal appraiser is never bypassed (PENILAI_INTERNAL, ATASAN_INTERNAL). A document is dated
neither in the future nor before what it decides could exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from ekinerja.kepegawaian.calendar import tanggal_di, zona
from ekinerja.models.tenant import EvaluasiPeriodik, Keberatan, Skp
from ekinerja.penilaian import evaluasi, keberatan
from ekinerja.penilaian.enums import HasilKeberatan, Rating
from ekinerja.refusals import Refusal, invalid, required_text
from ekinerja.skp import lifecycle
from ekinerja.skp.lifecycle import Caller

MAX_TEKS = 200
MAX_TAUTAN = 2000


@dataclass(frozen=True)
class DokumenEksternal:
    """The signed document an external official's act rests on."""

    nomor: str
    tanggal: date
    nama_pejabat: str
    jabatan_pejabat: str
    tautan_bukti: str | None = None


async def _checked(dokumen: DokumenEksternal, not_before: tuple[date, str]) -> dict:
    """The document as audited, or the field at fault. ``not_before``: the earliest date the
    act can bear, and what that date is (a document older than what it decides is a typo)."""
    if dokumen.tanggal > tanggal_di(await zona()):
        raise invalid("dokumen.tanggal", "the document is dated in the future")
    earliest, what = not_before
    if dokumen.tanggal < earliest:
        raise invalid(
            "dokumen.tanggal",
            f"the document is dated before {what} ({earliest.isoformat()})",
        )
    tautan = (dokumen.tautan_bukti or "").strip() or None
    if tautan is not None:
        parts = urlsplit(tautan)
        if len(tautan) > MAX_TAUTAN or parts.scheme not in ("http", "https") or not parts.netloc:
            raise invalid(
                "dokumen.tautanBukti", f"the bukti is not an http(s) link of at most {MAX_TAUTAN}"
            )
    return {
        "nomor": required_text(dokumen.nomor, "dokumen.nomor", "the document's number", MAX_TEKS),
        "tanggal": dokumen.tanggal.isoformat(),
        "nama": required_text(
            dokumen.nama_pejabat, "dokumen.namaPejabat", "the official's name", MAX_TEKS
        ),
        "jabatan": required_text(
            dokumen.jabatan_pejabat, "dokumen.jabatanPejabat", "their jabatan", MAX_TEKS
        ),
        "tautan_bukti": tautan,
    }


def _penilai_outside(skp: Skp) -> None:
    if skp.penilai_pegawai_id is not None:
        nama = (skp.snapshot_penilai or {}).get("nama") or f"pegawai {skp.penilai_pegawai_id}"
        raise Refusal(
            "PENILAI_INTERNAL",
            f"this SKP's pejabat penilai is {nama}, a pegawai of this instansi: they act "
            "themself; an external penilai's act is recorded only where there is none",
            "skpId",
        )


async def _on_behalf(
    skp_id: int, subject: str, dokumen: DokumenEksternal, evaluasi: EvaluasiPeriodik | None = None
) -> Caller:
    skp = await Skp.get_or_none(id=skp_id)
    if skp is None:
        raise Refusal("NOT_FOUND", f"no SKP with id {skp_id}", "skpId")
    _penilai_outside(skp)
    # A plan is made in the last months of the year before (an SKP may reach the system after
    # its paper was signed, so the submission is no bound); a window's rating follows the
    # SKP's start.
    not_before = (
        (date(skp.tahun - 1, 1, 1), f"the year before the SKP's ({skp.tahun - 1})")
        if evaluasi is None
        else (skp.periode_awal, "the SKP's start")
    )
    return Caller(None, subject, await _checked(dokumen, not_before))


async def setujui_skp(
    skp_id: int,
    expected_version: int,
    subject: str,
    dokumen: DokumenEksternal,
    ekspektasi: dict[str, str] | None = None,
) -> Skp:
    caller = await _on_behalf(skp_id, subject, dokumen)
    return await lifecycle.approve(skp_id, expected_version, caller, ekspektasi)


async def kembalikan_skp(
    skp_id: int, expected_version: int, subject: str, dokumen: DokumenEksternal, catatan: str
) -> Skp:
    caller = await _on_behalf(skp_id, subject, dokumen)
    return await lifecycle.return_to_draft(skp_id, expected_version, caller, catatan)


async def nilai_evaluasi(
    evaluasi_id: int,
    expected_version: int,
    hasil_kerja: Rating,
    perilaku: Rating,
    catatan: str | None,
    subject: str,
    dokumen: DokumenEksternal,
) -> EvaluasiPeriodik:
    """The external penilai's ratings of a window or the year; the predikat follows from
    them by the matrix, as for any penilai."""
    found = await EvaluasiPeriodik.get_or_none(id=evaluasi_id)
    if found is None:
        raise Refusal("NOT_FOUND", f"no evaluation with id {evaluasi_id}", "evaluasiId")
    caller = await _on_behalf(found.skp_id, subject, dokumen, found)
    return await evaluasi.rate(
        evaluasi_id, expected_version, hasil_kerja, perilaku, catatan, caller
    )


async def _for_atasan(keberatan_id: int, subject: str, dokumen: DokumenEksternal) -> Caller:
    """The admin acting for the keberatan's external atasan pejabat penilai."""
    found = await Keberatan.get_or_none(id=keberatan_id)
    if found is None:
        raise Refusal("NOT_FOUND", f"no keberatan with id {keberatan_id}", "keberatanId")
    if found.atasan_pegawai_id is not None:
        raise Refusal(
            "ATASAN_INTERNAL",
            f"this keberatan's atasan pejabat penilai is pegawai {found.atasan_pegawai_id} of "
            "this instansi: they examine and decide it themself",
            "keberatanId",
        )
    fixed = await EvaluasiPeriodik.get(id=found.evaluasi_id).values_list(
        "ditetapkan_pada", flat=True
    )
    not_before = (fixed.astimezone(await zona()).date(), "the result objected to was fixed")
    return Caller(None, subject, await _checked(dokumen, not_before))


async def minta_penjelasan_keberatan(
    keberatan_id: int, permintaan: str, subject: str, dokumen: DokumenEksternal
) -> Keberatan:
    """The external atasan asks the penilai and the pegawai to explain (their letter)."""
    caller = await _for_atasan(keberatan_id, subject, dokumen)
    return await keberatan.minta_penjelasan(keberatan_id, permintaan, caller)


async def putuskan_keberatan(
    keberatan_id: int,
    hasil: HasilKeberatan,
    catatan: str,
    subject: str,
    dokumen: DokumenEksternal,
    hasil_kerja: Rating | None = None,
    perilaku: Rating | None = None,
) -> Keberatan:
    """The external atasan's signed decision: DITOLAK, or DIUBAH with the new ratings."""
    caller = await _for_atasan(keberatan_id, subject, dokumen)
    return await keberatan.putuskan(keberatan_id, hasil, catatan, caller, hasil_kerja, perilaku)
