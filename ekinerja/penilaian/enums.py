"""Enumerations of penilaian (docs/domain.md 5.1–5.3, 11.2).

Values are the canonical upper-case codes stored in the database and exposed in GraphQL; the
human wording lives in `label` so display text can follow BKN usage without touching data.
"""

from __future__ import annotations

from enum import StrEnum


class Rating(StrEnum):
    """The three-level rating given separately for hasil kerja and perilaku kerja (5.1)."""

    DI_ATAS_EKSPEKTASI = "DI_ATAS_EKSPEKTASI"
    SESUAI_EKSPEKTASI = "SESUAI_EKSPEKTASI"
    DI_BAWAH_EKSPEKTASI = "DI_BAWAH_EKSPEKTASI"


class PredikatPegawai(StrEnum):
    """An employee's predikat kinerja (5.2).

    Never compare members with `<`: as strings they order alphabetically ("BAIK" < "KURANG").
    Compare `rank` instead; it follows the regulation's best→worst order, which is also the
    angka kredit percentage order 150/100/75/50/25 % (a Django peer ranks KURANG above
    BUTUH_PERBAIKAN; that is wrong).
    """

    SANGAT_BAIK = "SANGAT_BAIK"
    BAIK = "BAIK"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN"
    KURANG = "KURANG"
    SANGAT_KURANG = "SANGAT_KURANG"

    @property
    def label(self) -> str:
        """Display text as in the PermenPANRB 6/2022 matrix."""
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """5 for SANGAT_BAIK down to 1 for SANGAT_KURANG: higher is better."""
        return _RANKS[self]


_LABELS: dict[PredikatPegawai, str] = {
    PredikatPegawai.SANGAT_BAIK: "Sangat Baik",
    PredikatPegawai.BAIK: "Baik",
    PredikatPegawai.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    PredikatPegawai.KURANG: "Kurang/Misconduct",
    PredikatPegawai.SANGAT_KURANG: "Sangat Kurang",
}
_RANKS: dict[PredikatPegawai, int] = {
    PredikatPegawai.SANGAT_BAIK: 5,
    PredikatPegawai.BAIK: 4,
    PredikatPegawai.BUTUH_PERBAIKAN: 3,
    PredikatPegawai.KURANG: 2,
    PredikatPegawai.SANGAT_KURANG: 1,
}


class PredikatOrganisasi(StrEnum):
    """A unit's predikat kinerja organisasi; it selects the distribution curve (5.3)."""

    ISTIMEWA = "ISTIMEWA"
    BAIK = "BAIK"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN"  # a.k.a. "Cukup"
    KURANG = "KURANG"
    SANGAT_KURANG = "SANGAT_KURANG"


class HasilKurva(StrEnum):
    """Outcome of the distribution-curve check; whether a failure warns or blocks penetapan is
    tenant policy, because the sources do not say what e-Kinerja does (5.3)."""

    OK = "OK"
    WARNING = "WARNING"
    BLOCK = "BLOCK"


class StatusKeberatan(StrEnum):
    """Lifecycle of an objection to a fixed predikat (docs/domain.md 6, 11.2)."""

    DIAJUKAN = "DIAJUKAN"
    DIPERIKSA = "DIPERIKSA"
    FINAL = "FINAL"


class HasilKeberatan(StrEnum):
    """The atasan's decision on an objection: rejected, or ratings changed (docs/domain.md 6)."""

    DITOLAK = "DITOLAK"
    DIUBAH = "DIUBAH"
