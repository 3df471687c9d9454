"""Enumerations of pelaksanaan (execution): docs/domain.md 4, 11.2."""

from __future__ import annotations

from enum import StrEnum


class StatusEvaluasi(StrEnum):
    """A window's evaluation. Issue 6 opens and submits it (submission closes the window for
    progres and realisasi); rating and penetapan come with the assessment module."""

    BELUM_DIAJUKAN = "BELUM_DIAJUKAN"
    DIAJUKAN = "DIAJUKAN"
    DINILAI = "DINILAI"
    DITETAPKAN = "DITETAPKAN"


class StatusBukti(StrEnum):
    MENUNGGU_UNGGAHAN = "MENUNGGU_UNGGAHAN"  # a presigned upload was issued, not yet confirmed
    TERSEDIA = "TERSEDIA"  # confirmed file, or a link


class JenisBukti(StrEnum):
    BERKAS = "BERKAS"  # a file in object storage
    TAUTAN = "TAUTAN"  # a link, as today's e-Kinerja stores


class SasaranUmpanBalik(StrEnum):
    HASIL_KERJA = "HASIL_KERJA"  # about one RHK
    PERILAKU = "PERILAKU"  # about one BerAKHLAK value
