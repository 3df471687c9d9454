"""Golongan: PNS pangkat/golongan ruang I/a … IV/e, PPPK golongan I … XVII (docs/domain.md 2.5)."""

from __future__ import annotations

from ekinerja.kepegawaian.enums import JenisKepegawaian

PANGKAT_PNS: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}

GOLONGAN_PPPK: tuple[str, ...] = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip

_PNS_BY_UPPER = {code.upper(): code for code in PANGKAT_PNS}


class GolonganError(ValueError):
    pass


def normalize_golongan(raw: str, jenis: JenisKepegawaian) -> str:
    """The canonical spelling (`III/a`, `IX`) of a golongan valid for ``jenis``."""
    value = (raw or "").strip().replace(" ", "").upper()
    if jenis is JenisKepegawaian.PNS:
        if value in _PNS_BY_UPPER:
            return _PNS_BY_UPPER[value]
        raise GolonganError(f"golongan {raw!r} is not a PNS golongan (I/a … IV/e)")
    if value in GOLONGAN_PPPK:
        return value
    raise GolonganError(f"golongan {raw!r} is not a PPPK golongan (I … XVII)")


def pangkat(golongan: str | None) -> str | None:
    return PANGKAT_PNS.get(golongan or "")
