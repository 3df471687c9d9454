"""Predikat → angka kredit (Peraturan BKN 3/2023, DOMAIN.md 5.6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ekinerja.kepegawaian.enums import JenjangFungsional
from ekinerja.penilaian.angka_kredit import KOEFISIEN, PERSENTASE, angka_kredit, bulan_dalam
from ekinerja.penilaian.enums import PredikatPegawai

P = PredikatPegawai
COLUMNS = (P.SANGAT_BAIK, P.BAIK, P.BUTUH_PERBAIKAN, P.KURANG, P.SANGAT_KURANG)

# DOMAIN.md 5.6: jenjang, koefisien, annual AK for SB, B, BP, K, SK.
TABLE = [
    ("PEMULA", "3.75", ("5.63", "3.75", "2.81", "1.88", "0.94")),
    ("TERAMPIL", "5", ("7.5", "5", "3.75", "2.5", "1.25")),
    ("MAHIR", "12.5", ("18.75", "12.5", "9.38", "6.25", "3.13")),
    ("PENYELIA", "25", ("37.5", "25", "18.75", "12.5", "6.25")),
    ("AHLI_PERTAMA", "12.5", ("18.75", "12.5", "9.38", "6.25", "3.13")),
    ("AHLI_MUDA", "25", ("37.5", "25", "18.75", "12.5", "6.25")),
    ("AHLI_MADYA", "37.5", ("56.25", "37.5", "28.13", "18.75", "9.38")),
    ("AHLI_UTAMA", "50", ("75", "50", "37.5", "25", "12.5")),
]
CELLS = [
    (jenjang, predikat, Decimal(value))
    for jenjang, _, values in TABLE
    for predikat, value in zip(COLUMNS, values, strict=True)
]


@pytest.mark.parametrize(("jenjang", "predikat", "expected"), CELLS)
def test_annual_table(jenjang, predikat, expected):
    result = angka_kredit(predikat, jenjang, 12)
    assert result == expected
    assert result.as_tuple().exponent == -2  # always two decimals, e.g. 7.50 not 7.5


def test_table_covers_every_jenjang_and_predikat():
    assert len(CELLS) == 40
    assert set(KOEFISIEN) == {j.value for j in JenjangFungsional}
    assert {j: KOEFISIEN[j] for j, _, _ in TABLE} == {j: Decimal(k) for j, k, _ in TABLE}
    assert dict(PERSENTASE) == {
        P.SANGAT_BAIK: Decimal(150),
        P.BAIK: Decimal(100),
        P.BUTUH_PERBAIKAN: Decimal(75),
        P.KURANG: Decimal(50),
        P.SANGAT_KURANG: Decimal(25),
    }
    assert all(isinstance(v, Decimal) for v in (*KOEFISIEN.values(), *PERSENTASE.values()))


def test_jenjang_enum_member_is_accepted():
    assert angka_kredit(P.BAIK, JenjangFungsional.AHLI_MUDA, 12) == Decimal("25.00")


def test_worked_example_of_the_bkn_slide():
    two_months = angka_kredit(P.BAIK, "AHLI_PERTAMA", 2)
    assert two_months == Decimal("2.08")  # 2/12 × 100 % × 12.5 = 2.0833…
    year = angka_kredit(P.SANGAT_BAIK, "AHLI_PERTAMA", 12)
    assert year == Decimal("18.75")
    assert two_months + year == Decimal("20.83")


@pytest.mark.parametrize(
    ("predikat", "jenjang", "bulan", "expected"),
    [
        (P.BAIK, "AHLI_PERTAMA", 1, "1.04"),  # 1.0416…
        (P.BAIK, "AHLI_PERTAMA", 3, "3.13"),  # 3.125 rounds half up
        (P.SANGAT_BAIK, "PEMULA", 6, "2.81"),  # 2.8125
        (P.SANGAT_KURANG, "PEMULA", 1, "0.08"),  # 0.078125
        (P.KURANG, "AHLI_UTAMA", 6, "12.50"),
    ],
)
def test_prorated_by_month(predikat, jenjang, bulan, expected):
    assert angka_kredit(predikat, jenjang, bulan) == Decimal(expected)


@pytest.mark.parametrize("jenjang", ["ahli_pertama", "Ahli Pertama", "UTAMA", ""])
def test_unknown_jenjang_is_refused(jenjang):
    with pytest.raises(ValueError, match="unknown jenjang"):
        angka_kredit(P.BAIK, jenjang, 12)


@pytest.mark.parametrize("bulan", [0, 13, -1, True, 1.0])
def test_month_count_outside_one_to_twelve_is_refused(bulan):
    with pytest.raises(ValueError, match="bulan must be a whole number from 1 to 12"):
        angka_kredit(P.BAIK, "AHLI_MUDA", bulan)


@pytest.mark.parametrize(
    ("awal", "akhir", "expected"),
    [
        (date(2026, 1, 1), date(2026, 1, 31), 1),
        (date(2026, 2, 1), date(2026, 2, 28), 1),
        (date(2028, 2, 1), date(2028, 2, 29), 1),  # leap year
        (date(2026, 1, 1), date(2026, 3, 31), 3),
        (date(2026, 10, 1), date(2026, 12, 31), 3),
        (date(2026, 1, 1), date(2026, 6, 30), 6),
        (date(2026, 7, 1), date(2026, 12, 31), 6),
        (date(2026, 1, 1), date(2026, 12, 31), 12),
        (date(2025, 11, 1), date(2026, 1, 31), 3),  # across a year end
    ],
)
def test_bulan_dalam_counts_whole_months(awal, akhir, expected):
    assert bulan_dalam(awal, akhir) == expected


@pytest.mark.parametrize(
    ("awal", "akhir", "reason"),
    [
        (date(2026, 1, 2), date(2026, 1, 31), "start on a month's first day"),
        (date(2026, 1, 1), date(2026, 1, 30), "end on a month's last day"),
        (date(2026, 2, 1), date(2026, 2, 27), "end on a month's last day"),
        (date(2028, 2, 1), date(2028, 2, 28), "end on a month's last day"),  # leap year
        (date(2026, 4, 1), date(2026, 3, 31), "before it starts"),
    ],
)
def test_bulan_dalam_refuses_partial_or_reversed_windows(awal, akhir, reason):
    with pytest.raises(ValueError, match=reason):
        bulan_dalam(awal, akhir)
