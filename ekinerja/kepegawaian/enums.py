"""Enumerations of the kepegawaian domain (docs/domain.md 2.3–2.5, 11.2)."""

from __future__ import annotations

from enum import StrEnum


class JenisKelamin(StrEnum):
    LAKI_LAKI = "LAKI_LAKI"
    PEREMPUAN = "PEREMPUAN"

    @classmethod
    def from_digit(cls, digit: str) -> JenisKelamin:
        return cls.LAKI_LAKI if digit == "1" else cls.PEREMPUAN


class JenisKepegawaian(StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"
    PPPK_PARUH_WAKTU = "PPPK_PARUH_WAKTU"

    @property
    def is_pppk(self) -> bool:
        return self is not JenisKepegawaian.PNS


class StatusPegawai(StrEnum):
    AKTIF = "AKTIF"
    CLTN = "CLTN"  # cuti di luar tanggungan negara
    DIBERHENTIKAN_SEMENTARA = "DIBERHENTIKAN_SEMENTARA"
    PENSIUN = "PENSIUN"
    BERHENTI = "BERHENTI"
    MENINGGAL = "MENINGGAL"


class JenisJabatan(StrEnum):
    JPT_UTAMA = "JPT_UTAMA"
    JPT_MADYA = "JPT_MADYA"
    JPT_PRATAMA = "JPT_PRATAMA"
    ADMINISTRATOR = "ADMINISTRATOR"
    PENGAWAS = "PENGAWAS"
    PELAKSANA = "PELAKSANA"
    FUNGSIONAL = "FUNGSIONAL"

    @property
    def is_jpt(self) -> bool:
        return self.name.startswith("JPT")


class JenjangFungsional(StrEnum):
    AHLI_PERTAMA = "AHLI_PERTAMA"
    AHLI_MUDA = "AHLI_MUDA"
    AHLI_MADYA = "AHLI_MADYA"
    AHLI_UTAMA = "AHLI_UTAMA"
    PEMULA = "PEMULA"
    TERAMPIL = "TERAMPIL"
    MAHIR = "MAHIR"
    PENYELIA = "PENYELIA"


class JenisPenugasan(StrEnum):
    """DEFINITIF holds the position; PLT (pelaksana tugas) and PLH (pelaksana harian) act in it."""

    DEFINITIF = "DEFINITIF"
    PLT = "PLT"
    PLH = "PLH"


class PeranAtasan(StrEnum):
    PENILAI = "PENILAI"
    ATASAN_PENILAI = "ATASAN_PENILAI"
