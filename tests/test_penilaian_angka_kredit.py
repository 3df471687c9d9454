"""Predikat → angka kredit (Peraturan BKN 3/2023, docs/domain.md 5.6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ekinerja.kepegawaian.enums import JenjangFungsional
from ekinerja.penilaian.angka_kredit import (
    BULAN_BERJALAN,
    BULAN_PENUH,
    KOEFISIEN,
    MAYORITAS_HARI,
    PERSENTASE,
    angka_kredit,
    bulan_dihitung,
    check_hitungan_bulan,
    jumlah,
)
from ekinerja.penilaian.enums import PredikatPegawai

P = PredikatPegawai
COLUMNS = (P.SANGAT_BAIK, P.BAIK, P.BUTUH_PERBAIKAN, P.KURANG, P.SANGAT_KURANG)

# docs/domain.md 5.6: jenjang, koefisien, annual AK for SB, B, BP, K, SK.
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


def line(predikat, jenjang, bulan):
    return bulan, PERSENTASE[predikat], KOEFISIEN[jenjang]


@pytest.mark.parametrize(
    ("jenjang", "expected"), [("AHLI_PERTAMA", "12.50"), ("AHLI_MUDA", "25.00")]
)
def test_a_monthly_year_of_baik_sums_to_the_annual_figure(jenjang, expected):
    # Rounding each month first made 12 × 1.04 = 12.48 and 12 × 2.08 = 24.96 (issue 15, #4).
    months = [line(P.BAIK, jenjang, 1)] * 12
    assert jumlah(months) == Decimal(expected)
    assert jumlah(months) == angka_kredit(P.BAIK, jenjang, 12)
    # Four such years make the 50 an Ahli Pertama needs for the next pangkat, not 49.92.
    assert jumlah(months * 4) == Decimal(expected) * 4


def test_the_total_is_rounded_once():
    assert jumlah([]) == Decimal("0.00")
    # A quarter of Baik (3.125) and one of Sangat Baik (4.6875): 7.8125 → 7.81, not 3.13 + 4.69.
    quarters = [line(P.BAIK, "AHLI_PERTAMA", 3), line(P.SANGAT_BAIK, "AHLI_PERTAMA", 3)]
    assert jumlah(quarters) == Decimal("7.81")
    # The BKN slide's cumulative: a Sangat Baik year then two months of Baik = 20.83.
    slide = [line(P.SANGAT_BAIK, "AHLI_PERTAMA", 12), line(P.BAIK, "AHLI_PERTAMA", 2)]
    assert jumlah(slide) == Decimal("20.83")
    # Half up at the end: Pemula Sangat Baik for 6 + 6 months = 5.625 → 5.63.
    assert jumlah([line(P.SANGAT_BAIK, "PEMULA", 6)] * 2) == Decimal("5.63")


@pytest.mark.parametrize("hitungan", [MAYORITAS_HARI, BULAN_PENUH, BULAN_BERJALAN])
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
        (date(2026, 3, 1), date(2026, 3, 31), 1),  # a new hire from 1 March, in the quarter
    ],
)
def test_whole_months_count_the_same_under_every_rule(awal, akhir, expected, hitungan):
    assert bulan_dihitung(awal, akhir, hitungan) == expected


@pytest.mark.parametrize(
    ("awal", "akhir", "mayoritas", "penuh", "berjalan"),
    [
        # Leaving on 15 March (15 of 31 days) / arriving on 16 March (16 of 31).
        (date(2026, 1, 1), date(2026, 3, 15), 2, 2, 3),
        (date(2026, 3, 16), date(2026, 3, 31), 1, 0, 1),
        # An even split of a 30-day month goes to the SKP holding its last day.
        (date(2026, 4, 1), date(2026, 4, 15), 0, 0, 1),
        (date(2026, 4, 16), date(2026, 4, 30), 1, 0, 1),
        (date(2026, 2, 1), date(2026, 2, 14), 0, 0, 1),  # 14 of 28 days, not the last
        (date(2026, 2, 15), date(2026, 2, 28), 1, 0, 1),
        (date(2026, 1, 10), date(2026, 3, 20), 3, 1, 3),  # 22/31, 28/28, 20/31
        (date(2026, 5, 5), date(2026, 5, 5), 0, 0, 1),  # one day
    ],
)
def test_partly_covered_months_follow_the_instansi_rule(awal, akhir, mayoritas, penuh, berjalan):
    assert bulan_dihitung(awal, akhir) == mayoritas  # the default
    assert bulan_dihitung(awal, akhir, MAYORITAS_HARI) == mayoritas
    assert bulan_dihitung(awal, akhir, BULAN_PENUH) == penuh
    assert bulan_dihitung(awal, akhir, BULAN_BERJALAN) == berjalan


def test_a_mid_month_handover_splits_the_months_under_the_default():
    # Every day from 1 Jan to 31 Dec changing SKP on day d: the two parts make 12 months.
    for month in range(1, 13):
        for day in range(2, 29):
            handover = date(2026, month, day)
            before = bulan_dihitung(date(2026, 1, 1), date(2026, month, day - 1))
            after = bulan_dihitung(handover, date(2026, 12, 31))
            assert before + after == 12, handover


def test_bulan_dihitung_refuses_a_reversed_window_or_unknown_rule():
    with pytest.raises(ValueError, match="before it starts"):
        bulan_dihitung(date(2026, 4, 1), date(2026, 3, 31))
    with pytest.raises(ValueError, match="unknown month counting"):
        bulan_dihitung(date(2026, 1, 1), date(2026, 1, 31), "HARIAN")


def test_the_setting_check_names_the_choices():
    for value in (MAYORITAS_HARI, BULAN_PENUH, BULAN_BERJALAN):
        check_hitungan_bulan({"hitungan": value})
    for value in ({"hitungan": "mayoritas_hari"}, {"hitungan": None}):
        with pytest.raises(ValueError, match="hitungan: .* is not one of MAYORITAS_HARI, BULAN"):
            check_hitungan_bulan(value)
    for value in ("BULAN_PENUH", None, {}, {"hitungan": BULAN_PENUH, "lain": 1}):
        with pytest.raises(ValueError, match='expected {"hitungan": '):
            check_hitungan_bulan(value)
