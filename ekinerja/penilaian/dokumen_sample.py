"""A realistic evaluation document without a database: for tests and a look at the print.

It evaluates the SKP of ``ekinerja.skp.dokumen_sample`` (the epidemiologist of a Dinas
Kesehatan rated by the Kepala Seksi) for the first quarter of 2026, or for the year: the same
RHK, indikator and ekspektasi, with a quarter's realisation and the penilai's feedback built
from the default suggestion sentences. People are fictional.
"""

from __future__ import annotations

from datetime import date

from ekinerja.pelaksanaan.enums import SasaranUmpanBalik
from ekinerja.pelaksanaan.umpan_balik import DEFAULT_KALIMAT
from ekinerja.penilaian.dokumen_model import (
    EvaluationDocument,
    HasilKerjaRow,
    PerilakuKerjaRow,
    RealisasiRow,
    UmpanBalikRow,
)
from ekinerja.skp.dokumen_model import IndikatorRow, RhkRow
from ekinerja.skp.dokumen_sample import sample_document

_HASIL = DEFAULT_KALIMAT[SasaranUmpanBalik.HASIL_KERJA]
_PERILAKU = DEFAULT_KALIMAT[SasaranUmpanBalik.PERILAKU]


def sample_evaluation(
    rhk_count: int = 4, annual: bool = False, status: str = "DINILAI"
) -> EvaluationDocument:
    """The evaluation of the sample SKP with ``rhk_count`` RHK utama, rated Di Atas Ekspektasi
    for hasil kerja and Sesuai Ekspektasi for perilaku (predikat Baik)."""
    skp = sample_document(rhk_count=rhk_count)
    share = 4 if annual else 1  # quarters of the year realised
    return EvaluationDocument(
        instansi=skp.instansi,
        periode="2026-THN" if annual else "2026-T1",
        periode_nama="TAHUNAN" if annual else "TRIWULAN I",
        periode_awal=date(2026, 1, 1),
        periode_akhir=date(2026, 12, 31) if annual else date(2026, 3, 31),
        status=status,
        jenis_form=skp.jenis_form,
        pegawai=skp.pegawai,
        pejabat_penilai=skp.pejabat_penilai,
        atasan_pejabat_penilai=skp.atasan_pejabat_penilai,
        predikat_organisasi="Baik",
        hasil_kerja_utama=tuple(_hasil_kerja(rhk, share) for rhk in skp.rhk_utama),
        hasil_kerja_tambahan=tuple(_hasil_kerja(rhk, share) for rhk in skp.rhk_tambahan),
        rating_hasil_kerja="Di Atas Ekspektasi",
        perilaku=tuple(
            PerilakuKerjaRow(
                perilaku=perilaku,
                umpan_balik=UmpanBalikRow(
                    kalimat=(_PERILAKU[number % len(_PERILAKU)],),
                    teks=f"Ekspektasi \u201c{perilaku.ekspektasi}\u201d terpenuhi pada triwulan "
                    "ini."
                    if number % 2 == 0
                    else None,
                ),
            )
            for number, perilaku in enumerate(skp.perilaku)
        ),
        rating_perilaku="Sesuai Ekspektasi",
        predikat="Baik",
        tempat_tanggal="10 April 2026" if not annual else "15 Januari 2027",
        sumber_realisasi="TRIWULAN IV" if annual else None,
        catatan_pegawai="Laporan penyelidikan epidemiologi terlampir.",
        catatan_penilai="Pertahankan ketepatan waktu pelaporan.",
    )


def _realisasi(indikator: IndikatorRow, share: int) -> RealisasiRow:
    """A quarter's (or, with ``share`` 4, the year's) part of a numeric target, else a sentence."""
    amount, _, unit = indikator.target.partition(" ")
    if indikator.aspek == "KUANTITAS" and amount.isdigit():
        realised = int(amount) * share // 4
        return RealisasiRow(
            kuantitas=f"{realised} {unit}",
            narasi="Sesuai rencana aksi; bukti dukung diunggah pada aplikasi.",
            capaian=f"{realised * 100 // int(amount)} %",
        )
    return RealisasiRow(kuantitas=None, narasi="Tercapai sesuai ukuran keberhasilan.", capaian=None)


def _hasil_kerja(rhk: RhkRow, share: int) -> HasilKerjaRow:
    number = int(rhk.nomor)
    return HasilKerjaRow(
        rhk=rhk,
        realisasi=tuple(_realisasi(indikator, share) for indikator in rhk.indikator),
        umpan_balik=UmpanBalikRow(
            kalimat=(_HASIL[number % len(_HASIL)], _HASIL[(number + 2) % len(_HASIL)]),
            teks=f"Catatan untuk RHK {rhk.nomor}: lanjutkan koordinasi dengan puskesmas.",
        ),
    )
