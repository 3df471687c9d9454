"""Predikat → angka kredit of jabatan fungsional (Peraturan BKN 3/2023, DOMAIN.md 5.6).

    AK = bulan / 12 × persentase predikat × koefisien jenjang

rounded once, at the end, to 2 decimals half up — as the BKN slides print the annual table
(Pemula Sangat Baik 5.625 → 5.63) and as peers do. Rounding happens per window, so a year of
monthly windows may sum to a few hundredths more or less than the annual figure; the ledger
keeps one rounded line per window (invariant 11.3.6) and sums those.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from ekinerja.penilaian.enums import PredikatPegawai

PERSENTASE: Mapping[PredikatPegawai, Decimal] = MappingProxyType(
    {
        PredikatPegawai.SANGAT_BAIK: Decimal(150),
        PredikatPegawai.BAIK: Decimal(100),
        PredikatPegawai.BUTUH_PERBAIKAN: Decimal(75),
        PredikatPegawai.KURANG: Decimal(50),
        PredikatPegawai.SANGAT_KURANG: Decimal(25),
    }
)
"""In percentage points (150 means 150 %), as SIASN's `persentase` field reports it."""

KOEFISIEN: Mapping[str, Decimal] = MappingProxyType(
    {
        "PEMULA": Decimal("3.75"),
        "TERAMPIL": Decimal(5),
        "MAHIR": Decimal("12.5"),
        "PENYELIA": Decimal(25),
        "AHLI_PERTAMA": Decimal("12.5"),
        "AHLI_MUDA": Decimal(25),
        "AHLI_MADYA": Decimal("37.5"),
        "AHLI_UTAMA": Decimal(50),
    }
)
"""Annual koefisien per jenjang, keyed by the values of kepegawaian.enums.JenjangFungsional."""

_CENT = Decimal("0.01")


def angka_kredit(predikat: PredikatPegawai, jenjang: str, bulan: int) -> Decimal:
    """The angka kredit earned over `bulan` months (1–12) with one predikat at one jenjang.
    Raises ValueError for an unknown jenjang or predikat or a month count outside 1..12."""
    if jenjang not in KOEFISIEN:
        raise ValueError(f"unknown jenjang {jenjang!r}: expected one of {', '.join(KOEFISIEN)}")
    if isinstance(bulan, bool) or not isinstance(bulan, int) or not 1 <= bulan <= 12:
        raise ValueError(f"bulan must be a whole number from 1 to 12, got {bulan!r}")
    persen = PERSENTASE[PredikatPegawai(predikat)]
    exact = Decimal(bulan) * persen * KOEFISIEN[jenjang] / Decimal(1200)
    return exact.quantize(_CENT, rounding=ROUND_HALF_UP)


def bulan_dalam(awal: date, akhir: date) -> int:
    """Whole calendar months in the inclusive window awal..akhir, e.g. 2026-01-01..2026-03-31
    is 3. Proration counts whole months only, so the window must start on a month's first day
    and end on a month's last day; anything else raises ValueError rather than guessing."""
    if awal.day != 1:
        raise ValueError(f"the window must start on a month's first day, not {awal.isoformat()}")
    if (akhir + timedelta(days=1)).day != 1:
        raise ValueError(f"the window must end on a month's last day, not {akhir.isoformat()}")
    if akhir < awal:
        raise ValueError(f"the window ends ({akhir.isoformat()}) before it starts")
    return (akhir.year - awal.year) * 12 + akhir.month - awal.month + 1
