"""How SIASN names our ratings and predikat: the words it shows (the text columns) and the
instansi's reference codes (the `...Nilai` columns).

SIASN's numeric codes (reference lists `perilakuDanKinerja` and `kuadranNilai`) are unverified
(docs/domain.md 5.5 [L], 13.6), so none is written here: each instansi maps the values it has
confirmed in the setting `siasn.kode_referensi`; an unmapped value is exported as null rather
than guessed. Pure: the settings registry parses the setting with `kode_from_setting`, and the
export reads it through `pengaturan.baca()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ekinerja.penilaian.enums import PredikatPegawai, Rating

MAX_KODE = 64

RATING_LABEL: Mapping[Rating, str] = MappingProxyType(
    {
        Rating.DI_ATAS_EKSPEKTASI: "Diatas Ekspektasi",
        Rating.SESUAI_EKSPEKTASI: "Sesuai Ekspektasi",
        Rating.DI_BAWAH_EKSPEKTASI: "Dibawah Ekspektasi",
    }
)
"""As SIASN spells the three levels (one word "Diatas", "Dibawah")."""


def predikat_label(predikat: PredikatPegawai) -> str:
    """The predikat as SIASN and the angka kredit tables name it: our labels, except that
    KURANG is plain "Kurang" there, not "Kurang/Misconduct" (docs/domain.md 5.2)."""
    return "Kurang" if predikat is PredikatPegawai.KURANG else predikat.label


_PARTS: dict[str, type[Rating] | type[PredikatPegawai]] = {
    "rating": Rating,
    "predikat": PredikatPegawai,
}


@dataclass(frozen=True)
class KodeReferensi:
    rating: Mapping[Rating, str] = field(default_factory=dict)
    predikat: Mapping[PredikatPegawai, str] = field(default_factory=dict)


def kode_from_setting(value: Any) -> KodeReferensi:
    """The codes of a setting value; raises ValueError naming what is wrong. Both parts and
    every entry are optional; unknown parts or values are refused (a typo would otherwise
    export null without a word)."""
    shape = '{"rating": {"DI_ATAS_EKSPEKTASI": "..."}, "predikat": {"SANGAT_BAIK": "..."}}'
    if not isinstance(value, dict):
        raise ValueError(f"expected {shape}")
    for part in value:
        if part not in _PARTS:
            raise ValueError(f"{part!r} is not a part (known: {', '.join(_PARTS)})")
    parsed = {}
    for part, enum in _PARTS.items():
        codes = value.get(part, {})
        if not isinstance(codes, dict):
            raise ValueError(f"{part}: expected an object of codes by {part} value")
        known = [member.value for member in enum]
        entries = {}
        for key, code in codes.items():
            if key not in known:
                raise ValueError(f"{part}.{key}: {key!r} is not one of {', '.join(known)}")
            if not isinstance(code, str) or not code.strip() or len(code) > MAX_KODE:
                raise ValueError(
                    f"{part}.{key}: expected the SIASN code as a non-empty string of at most "
                    f"{MAX_KODE} characters, got {code!r}"
                )
            entries[enum(key)] = code.strip()
        parsed[part] = MappingProxyType(entries)
    return KodeReferensi(**parsed)
