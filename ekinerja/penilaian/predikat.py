"""The Predikat Kinerja Pegawai matrix of PermenPANRB 6/2022 (docs/domain.md 5.2, invariant 11.3.1).

Rows are Rating Perilaku Kerja, columns Rating Hasil Kerja:

    perilaku \\ hasil   DI_BAWAH          SESUAI    DI_ATAS
    DI_ATAS            BUTUH_PERBAIKAN   BAIK      SANGAT_BAIK
    SESUAI             BUTUH_PERBAIKAN   BAIK      BAIK
    DI_BAWAH           SANGAT_KURANG     KURANG    KURANG

Sangat Baik needs *both* ratings above expectation. Some public repositories implement wrong
variants (hasil Di Atas + perilaku Sesuai → Sangat Baik; or the table transposed so that poor
behaviour with good results gives Butuh Perbaikan instead of Kurang/Misconduct). Do not "fix"
this table towards them; every cell is pinned by tests/test_penilaian_predikat.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ekinerja.penilaian.enums import PredikatPegawai, Rating

_A, _S, _B = Rating.DI_ATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DI_BAWAH_EKSPEKTASI

MATRIX: Mapping[tuple[Rating, Rating], PredikatPegawai] = MappingProxyType(
    {
        # (perilaku, hasil_kerja): predikat
        (_A, _B): PredikatPegawai.BUTUH_PERBAIKAN,
        (_A, _S): PredikatPegawai.BAIK,
        (_A, _A): PredikatPegawai.SANGAT_BAIK,
        (_S, _B): PredikatPegawai.BUTUH_PERBAIKAN,
        (_S, _S): PredikatPegawai.BAIK,
        (_S, _A): PredikatPegawai.BAIK,
        (_B, _B): PredikatPegawai.SANGAT_KURANG,
        (_B, _S): PredikatPegawai.KURANG,
        (_B, _A): PredikatPegawai.KURANG,
    }
)
"""Keyed (perilaku, hasil_kerja) — row first, as the regulation's table is drawn."""


def predikat(hasil_kerja: Rating, perilaku: Rating) -> PredikatPegawai:
    """The predikat for a pair of ratings. Note the argument order, hasil kerja first, which
    is the reverse of MATRIX's key order; pass keywords when in doubt. Raises ValueError for a
    value that is not a Rating."""
    return MATRIX[(Rating(perilaku), Rating(hasil_kerja))]
