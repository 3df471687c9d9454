"""Acts of an appraiser outside the system, recorded by an admin instansi.

The top official's pejabat penilai (the Bupati, Gubernur, Menteri) is no pegawai of the
instansi: the snapshot names them (NON_ASN) or nobody, and no one could approve that SKP or
rate its evaluations. The official signs on paper; an admin instansi records that signed act
here, with its document (nomor, tanggal, the official's name and jabatan, optionally a link to
the scanned bukti). The act then goes through the very same transition as an internal
penilai's (lifecycle.approve / return_to_draft, evaluasi.rate: the predikat from the matrix,
the same history, audit rows and events), the caller being the admin on behalf of the
official (`Caller.dokumen_eksternal`, audited on every row the act writes).

Only where the SKP's snapshotted penilai is outside the system: an internal penilai is never
bypassed (PENILAI_INTERNAL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from ekinerja.kepegawaian.calendar import tanggal_di, zona
from ekinerja.models.tenant import EvaluasiPeriodik, Skp
from ekinerja.penilaian import evaluasi
from ekinerja.penilaian.enums import Rating
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


async def _checked(dokumen: DokumenEksternal) -> dict:
    """The document as audited, or the field at fault."""
    if dokumen.tanggal > tanggal_di(await zona()):
        raise invalid("dokumen.tanggal", "the document is dated in the future")
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


async def _on_behalf(skp_id: int, subject: str, dokumen: DokumenEksternal) -> Caller:
    skp = await Skp.get_or_none(id=skp_id)
    if skp is None:
        raise Refusal("NOT_FOUND", f"no SKP with id {skp_id}", "skpId")
    _penilai_outside(skp)
    return Caller(None, subject, await _checked(dokumen))


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
    skp_id = await EvaluasiPeriodik.get_or_none(id=evaluasi_id).values_list("skp_id", flat=True)
    if skp_id is None:
        raise Refusal("NOT_FOUND", f"no evaluation with id {evaluasi_id}", "evaluasiId")
    caller = await _on_behalf(skp_id, subject, dokumen)
    return await evaluasi.rate(
        evaluasi_id, expected_version, hasil_kerja, perilaku, catatan, caller
    )
