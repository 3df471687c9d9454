"""Predikat → angka kredit of jabatan fungsional (Peraturan BKN 3/2023, docs/domain.md 5.6).

    AK = bulan / 12 × persentase predikat × koefisien jenjang

Where it is rounded: the regulation states the formula exactly (2/12 × 100 % × 12.5) and prints
its results to 2 decimals, half up (Pemula Sangat Baik 5.625 → 5.63; the BKN slide's 2 months
of Baik → 2.08, and 18.75 + 2/12 × 12.5 = 20.8333… → a cumulative 20.83). So each ledger line
shows its own figure rounded that way, but a total over lines (the year, the ledger's `jumlah`)
is summed from the exact fractions and rounded once (`jumlah`): rounding each window first would
let a monthly year of Baik make 12 × 1.04 = 12.48 instead of the 12.50 the annual table gives.

How many months a window is worth when an SKP covers only part of one (a new hire on 16 March,
a transfer mid-month) is not written in the sources (docs/domain.md 5.6 only has whole
months), so it is a per-instansi setting (`angka_kredit.hitungan_bulan`, in
`ekinerja/pengaturan/registry.py`), defaulting to the majority-of-days reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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

MAYORITAS_HARI = "MAYORITAS_HARI"
"""A partly covered month counts when the SKP holds more than half of its days, or exactly half
ending on its last day: two SKPs handing over mid-month share its months, never both, never
neither (the default)."""
BULAN_PENUH = "BULAN_PENUH"
"""Only months the SKP covers from the first to the last day count."""
BULAN_BERJALAN = "BULAN_BERJALAN"
"""Every month the SKP reaches into counts (SIASN's bulanMulai..bulanSelesai, whole months):
a mid-month handover then counts that month for both SKPs."""
HITUNGAN_BULAN = (MAYORITAS_HARI, BULAN_PENUH, BULAN_BERJALAN)

_CENT = Decimal("0.01")
_PER_MONTH_AND_PERCENT = Decimal(1200)  # 12 months × 100 %


def _exact(bulan: int, persentase: Decimal, koefisien: Decimal) -> Decimal:
    return Decimal(bulan) * persentase * koefisien / _PER_MONTH_AND_PERCENT


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def angka_kredit(predikat: PredikatPegawai, jenjang: str, bulan: int) -> Decimal:
    """The angka kredit earned over `bulan` months (1–12) with one predikat at one jenjang,
    rounded to 2 decimals half up (one ledger line's figure).
    Raises ValueError for an unknown jenjang or predikat or a month count outside 1..12."""
    if jenjang not in KOEFISIEN:
        raise ValueError(f"unknown jenjang {jenjang!r}: expected one of {', '.join(KOEFISIEN)}")
    if isinstance(bulan, bool) or not isinstance(bulan, int) or not 1 <= bulan <= 12:
        raise ValueError(f"bulan must be a whole number from 1 to 12, got {bulan!r}")
    return _rounded(_exact(bulan, PERSENTASE[PredikatPegawai(predikat)], KOEFISIEN[jenjang]))


def jumlah(baris: Iterable[tuple[int, Decimal, Decimal]]) -> Decimal:
    """The total of ledger lines given as (bulan, persentase, koefisien): summed exactly and
    rounded once, so twelve monthly lines of Baik at Ahli Pertama make 12.50, not 12 × 1.04."""
    return _rounded(sum((_exact(*line) for line in baris), Decimal(0)))


def _months(awal: date, akhir: date) -> Iterable[tuple[date, date]]:
    """(first day, last day) of every calendar month awal..akhir touches."""
    first = awal.replace(day=1)
    while first <= akhir:
        following = (first + timedelta(days=32)).replace(day=1)
        yield first, following - timedelta(days=1)
        first = following


def bulan_dihitung(awal: date, akhir: date, hitungan: str = MAYORITAS_HARI) -> int:
    """The months the inclusive span awal..akhir (a window clipped to an SKP's dates) is worth
    under the instansi's counting rule. Whole windows count their calendar months under every
    rule (2026-01-01..2026-03-31 is 3). Raises ValueError for a reversed span or unknown rule."""
    if hitungan not in HITUNGAN_BULAN:
        raise ValueError(f"unknown month counting {hitungan!r}: one of {', '.join(HITUNGAN_BULAN)}")
    if akhir < awal:
        raise ValueError(f"the window ends ({akhir.isoformat()}) before it starts")
    counted = 0
    for first, last in _months(awal, akhir):
        start, end = max(first, awal), min(last, akhir)
        held, days = (end - start).days + 1, last.day
        if hitungan == BULAN_BERJALAN:
            counted += 1
        elif hitungan == BULAN_PENUH:
            counted += held == days
        else:
            counted += 2 * held > days or (2 * held == days and end == last)
    return counted


def check_hitungan_bulan(value: object) -> None:
    """Validate a value for `angka_kredit.hitungan_bulan` (the settings registry calls this):
    `{"hitungan": "MAYORITAS_HARI" | "BULAN_PENUH" | "BULAN_BERJALAN"}`."""
    if not isinstance(value, dict) or set(value) != {"hitungan"}:
        raise ValueError(f'expected {{"hitungan": {" | ".join(map(repr, HITUNGAN_BULAN))}}}')
    if value["hitungan"] not in HITUNGAN_BULAN:
        raise ValueError(
            f"hitungan: {value['hitungan']!r} is not one of {', '.join(HITUNGAN_BULAN)}"
        )
