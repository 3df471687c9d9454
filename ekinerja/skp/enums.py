"""Enumerations of SKP planning (docs/domain.md 3, 11.2)."""

from __future__ import annotations

from enum import StrEnum


class Kadensi(StrEnum):
    """How often periodic evaluation happens in a year: a per-tenant, per-year setting."""

    BULANAN = "BULANAN"
    TRIWULANAN = "TRIWULANAN"
    SEMESTERAN = "SEMESTERAN"


class PendekatanSkp(StrEnum):
    KUANTITATIF = "KUANTITATIF"
    KUALITATIF = "KUALITATIF"


class JenisFormSkp(StrEnum):
    """JPT and pimpinan unit kerja mandiri use the JPT form; everyone else the JA/JF form."""

    JPT = "JPT"
    JA_JF = "JA_JF"


class StatusSkp(StrEnum):
    DRAFT = "DRAFT"
    DIAJUKAN = "DIAJUKAN"
    DISETUJUI = "DISETUJUI"


class JenisRhk(StrEnum):
    UTAMA = "UTAMA"
    TAMBAHAN = "TAMBAHAN"


class KlasifikasiRhk(StrEnum):
    ORGANISASI = "ORGANISASI"
    INDIVIDU = "INDIVIDU"


class AspekIki(StrEnum):
    KUANTITAS = "KUANTITAS"
    KUALITAS = "KUALITAS"
    WAKTU = "WAKTU"
    BIAYA = "BIAYA"


class PerspektifJpt(StrEnum):
    PENERIMA_LAYANAN = "PENERIMA_LAYANAN"
    PROSES_BISNIS = "PROSES_BISNIS"
    PENGUATAN_INTERNAL = "PENGUATAN_INTERNAL"
    ANGGARAN = "ANGGARAN"


class JenisLampiran(StrEnum):
    DUKUNGAN_SUMBER_DAYA = "DUKUNGAN_SUMBER_DAYA"
    SKEMA_PERTANGGUNGJAWABAN = "SKEMA_PERTANGGUNGJAWABAN"
    KONSEKUENSI = "KONSEKUENSI"


class DasarPembagian(StrEnum):
    """How a superior's target is split in direct cascading (docs/domain.md 3.3)."""

    PORSI = "PORSI"  # a share of the quantity
    WILAYAH = "WILAYAH"  # by region
    ASPEK = "ASPEK"  # by aspect of the result
