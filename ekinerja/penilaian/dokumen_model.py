"""What the evaluation document ("Dokumen Evaluasi Kinerja Pegawai") shows: one evaluation as a
plain, already-worded view, independent of the database, so rendering can be tested alone.

The plan is the SKP document's own rows (PersonBlock, RhkRow, PerilakuRow): the evaluation
prints the same RHK and values as the SKP did, with the window's results beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ekinerja.skp.dokumen_model import PerilakuRow, PersonBlock, RhkRow


@dataclass(frozen=True)
class RealisasiRow:
    """An indikator's realisation as printed."""

    kuantitas: str | None  # "3 Dokumen"
    narasi: str | None
    capaian: str | None  # "25 %": against the yearly target, up to the window


@dataclass(frozen=True)
class UmpanBalikRow:
    """The penilai's feedback: the suggestion sentences chosen, then their own words."""

    kalimat: tuple[str, ...]
    teks: str | None


@dataclass(frozen=True)
class HasilKerjaRow:
    rhk: RhkRow
    realisasi: tuple[RealisasiRow | None, ...]  # one per rhk.indikator, in its order
    umpan_balik: UmpanBalikRow | None


@dataclass(frozen=True)
class PerilakuKerjaRow:
    perilaku: PerilakuRow  # the value, its guides and the ekspektasi khusus
    umpan_balik: UmpanBalikRow | None


@dataclass(frozen=True)
class EvaluationDocument:
    instansi: str
    periode: str  # "2026-T1", "2026-THN"
    periode_nama: str  # "TRIWULAN I", "TAHUNAN"
    periode_awal: date
    periode_akhir: date
    status: str  # StatusEvaluasi code; only DITETAPKAN is final
    jenis_form: str  # JPT / JA_JF, as on the SKP
    pegawai: PersonBlock
    pejabat_penilai: PersonBlock | None
    atasan_pejabat_penilai: PersonBlock | None
    predikat_organisasi: str | None  # "Baik"; None while the unit has none for the period
    hasil_kerja_utama: tuple[HasilKerjaRow, ...]
    hasil_kerja_tambahan: tuple[HasilKerjaRow, ...]
    rating_hasil_kerja: str | None  # "Di Atas Ekspektasi"; None until rated
    perilaku: tuple[PerilakuKerjaRow, ...]
    rating_perilaku: str | None
    predikat: str | None  # "Baik"
    tempat_tanggal: str  # above the penilai's signature
    # The window the results come from when it is not the period itself (the annual document).
    sumber_realisasi: str | None = None
    catatan_pegawai: str | None = None
    catatan_penilai: str | None = None
