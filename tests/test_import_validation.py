"""Validation of import rows: pure, no database. Every bad cell is reported, none stops it."""

from __future__ import annotations

from datetime import date

import pytest

from ekinerja.kepegawaian.enums import JenisKelamin, JenisKepegawaian, StatusPegawai
from ekinerja.kepegawaian.importer.layout import EXTRA_CELLS
from ekinerja.kepegawaian.importer.validation import validate_pegawai_rows, validate_unor_rows
from tests.support.pegawai_rows import DINAS, ROOT, ni_pppk, nip, row, small_agency

# (what is wrong, the cells that make it wrong, the column blamed, part of the reason)
ROW_CASES = [
    ("NIP missing", {"NIP": ""}, "NIP", "required"),
    ("NIP too short", {"NIP": "19860926201505100"}, "NIP", "18 digits"),
    ("NIP birth date", {"NIP": "19861326201505100" + "1"}, "NIP", "not a real birth date"),
    ("NIP TMT month", {"NIP": "198609262015131001"}, "NIP", "TMT CPNS month"),
    ("NIP sex digit", {"NIP": "198609262015053001"}, "NIP", "digit 15"),
    ("NIP rounded by Excel", {"NIP": "1.98609262015051E+17"}, "NIP", "Excel rounded"),
    ("NI PPPK given as PNS", {"NIP": "199009132025242014"}, "NIP", "TMT CPNS month"),
    ("jenis pegawai", {"JENIS_PEGAWAI": "HONORER"}, "JENIS_PEGAWAI", "not one of PNS"),
    ("jenis pegawai missing", {"JENIS_PEGAWAI": ""}, "JENIS_PEGAWAI", "required"),
    ("PPPK golongan for PNS", {"GOLONGAN": "IX"}, "GOLONGAN", "not a PNS golongan"),
    (
        "PNS golongan for PPPK",
        {"JENIS_PEGAWAI": "PPPK", "NIP": ni_pppk(1), "GOLONGAN": "III/a"},
        "GOLONGAN",
        "not a PPPK golongan",
    ),
    ("status", {"STATUS": "CUTI"}, "STATUS", "not one of AKTIF"),
    ("e-mail", {"EMAIL": "budi@"}, "EMAIL", "not an e-mail address"),
    ("nama missing", {"NAMA": "  "}, "NAMA", "required"),
    ("nama too long", {"NAMA": "A" * 256}, "NAMA", "at most 255"),
    ("gelar too long", {"GELAR_DEPAN": "Dr." * 20}, "GELAR_DEPAN", "at most 50"),
    ("old NIP", {"NIP_LAMA": "12345"}, "NIP_LAMA", "9 digits"),
    ("unit missing", {"UNOR_ID": ""}, "UNOR_ID", "required"),
    ("unit name missing", {"UNOR_NAMA": ""}, "UNOR_NAMA", "required"),
    ("own parent", {"UNOR_ATASAN_ID": DINAS}, "UNOR_ATASAN_ID", "its own parent"),
    ("jabatan missing", {"JABATAN_NAMA": ""}, "JABATAN_NAMA", "required"),
    ("jenis jabatan", {"JENIS_JABATAN": "STAF"}, "JENIS_JABATAN", "not one of JPT_UTAMA"),
    ("jenjang missing", {"JENJANG": ""}, "JENJANG", "required for a FUNGSIONAL"),
    ("jenjang unknown", {"JENJANG": "SENIOR"}, "JENJANG", "not one of AHLI_PERTAMA"),
    (
        "jenjang on pelaksana",
        {"JENIS_JABATAN": "PELAKSANA", "JENJANG": "AHLI_MUDA"},
        "JENJANG",
        "only FUNGSIONAL",
    ),
    ("kepala unit flag", {"KEPALA_UNIT": "maybe"}, "KEPALA_UNIT", "not Y or N"),
    ("TMT missing", {"TMT_JABATAN": ""}, "TMT_JABATAN", "required"),
    ("TMT impossible", {"TMT_JABATAN": "2020-13-01"}, "TMT_JABATAN", "not a real date"),
    ("TMT not a date", {"TMT_JABATAN": "kemarin"}, "TMT_JABATAN", "YYYY-MM-DD or DD-MM-YYYY"),
    ("TMT as a child", {"TMT_JABATAN": "1990-01-01"}, "TMT_JABATAN", "could have been appointed"),
    (
        "penilai without jabatan",
        {"PENILAI_EKSTERNAL_NAMA": "H. Ahmad"},
        "PENILAI_EKSTERNAL_JABATAN",
        "both",
    ),
    ("shifted row", {EXTRA_CELLS: "S.Kom."}, "-", "more cells than the header"),
]


@pytest.mark.parametrize(
    "cells, column, reason", [c[1:] for c in ROW_CASES], ids=[c[0] for c in ROW_CASES]
)
def test_a_bad_cell_is_reported_with_row_column_and_reason(cells, column, reason):
    result = validate_pegawai_rows([row(NIP=nip(9)), row(**cells)])

    assert [(e.row, e.column) for e in result.errors] == [(3, column)], result.errors
    assert reason in result.errors[0].reason
    assert [p.nip for p in result.pegawai] == [nip(9)]


def test_a_good_file_gives_records_derived_from_the_nip():
    result = validate_pegawai_rows(small_agency())

    assert result.errors == []
    assert result.rows == 6 and len(result.pegawai) == 6
    assert list(result.units) == [ROOT, DINAS, "U-BIDANG"]
    assert result.units[DINAS].parent_siasn_id == ROOT
    assert len(result.jabatan) == 6
    pppk = result.pegawai[-1]
    assert pppk.jenis_kepegawaian is JenisKepegawaian.PPPK
    assert pppk.tanggal_lahir == date(1990, 9, 13)
    assert pppk.jenis_kelamin is JenisKelamin.PEREMPUAN
    assert pppk.tmt_jabatan == date(2022, 3, 1)  # DD-MM-YYYY
    sekda = result.pegawai[0]
    assert sekda.kepala_unit and sekda.status is StatusPegawai.AKTIF
    assert result.jabatan[(ROOT, "Sekretaris Daerah")].penilai_eksternal_jabatan == "Bupati Contoh"


def test_cells_are_normalised_before_they_are_compared_or_stored():
    result = validate_pegawai_rows(
        [
            row(
                NAMA="  Budi   Santoso ",
                JENIS_PEGAWAI="pns",
                GOLONGAN="iii / a",
                JENIS_JABATAN="fungsional",
                JENJANG="ahli pertama",
                KEPALA_UNIT="",
                STATUS="",
                NIP="19860926 201505 1 001",
            )
        ]
    )

    assert result.errors == []
    [pegawai] = result.pegawai
    assert (pegawai.nama, pegawai.golongan, pegawai.nip) == (
        "Budi Santoso",
        "III/a",
        "198609262015051001",
    )
    assert pegawai.status is StatusPegawai.AKTIF and not pegawai.kepala_unit


def test_every_error_of_every_row_is_collected():
    rows = [
        row(NIP="123", EMAIL="no", TMT_JABATAN="x"),
        row(NIP=nip(2)),
        row(NIP=nip(3), JENIS_PEGAWAI="X", GOLONGAN="IV/a", JENIS_JABATAN="?"),
    ]

    errors = validate_pegawai_rows(rows).errors

    assert [(e.row, e.column) for e in errors] == [
        (2, "EMAIL"),
        (2, "NIP"),
        (2, "TMT_JABATAN"),
        (4, "JENIS_JABATAN"),
        (4, "JENIS_PEGAWAI"),
    ]


def test_rows_that_contradict_earlier_rows_are_refused():
    rows = [
        row(NIP=nip(1)),
        row(NIP=nip(1), NAMA="Someone Else"),  # duplicate NIP
        row(NIP=nip(3), UNOR_NAMA="Dinas Lain"),  # unit renamed within the file
        row(NIP=nip(4), UNOR_ATASAN_ID="U-OTHER"),  # unit moved within the file
        row(NIP=nip(5), JENIS_JABATAN="PELAKSANA", JENJANG=""),  # jabatan described twice
        row(NIP=nip(6), JABATAN_NAMA="Kepala Dinas", JENIS_JABATAN="JPT_PRATAMA", JENJANG="",
            KEPALA_UNIT="Y"),
        row(NIP=nip(7), JABATAN_NAMA="Kepala Dinas Baru", JENIS_JABATAN="JPT_PRATAMA",
            JENJANG="", KEPALA_UNIT="Y"),  # a second head for the unit
        row(NIP=nip(8), JABATAN_NAMA="Kepala Dinas", JENIS_JABATAN="JPT_PRATAMA", JENJANG="",
            KEPALA_UNIT="Y"),  # the head seat given twice
    ]  # fmt: skip

    errors = validate_pegawai_rows(rows).errors

    found = {(e.row, e.column): e.reason for e in errors}
    assert list(found) == [
        (3, "NIP"),
        (4, "UNOR_NAMA"),
        (5, "UNOR_ATASAN_ID"),
        (6, "JENIS_JABATAN"),
        (6, "JENJANG"),
        (8, "KEPALA_UNIT"),
        (9, "JABATAN_NAMA"),
    ]
    assert found[(3, "NIP")] == f"NIP {nip(1)} already appears at row 2"
    assert "named 'Dinas Komunikasi dan Informatika' at row 2" in found[(4, "UNOR_NAMA")]
    assert "already headed by 'Kepala Dinas' (row 7)" in found[(8, "KEPALA_UNIT")]
    assert f"already given to NIP {nip(6)} at row 7" in found[(9, "JABATAN_NAMA")]


def test_headers_are_matched_case_insensitively_and_unknown_ones_are_listed():
    rows = [{k.title().replace("_", " "): v for k, v in row().items()} | {"Agama": "Islam"}]

    result = validate_pegawai_rows(rows)

    assert result.errors == [] and len(result.pegawai) == 1
    assert result.ignored_columns == ["Agama"]


def test_a_missing_required_column_is_one_header_error_not_one_per_row():
    rows = [{k: v for k, v in row(NIP=nip(i)).items() if k != "TMT_JABATAN"} for i in range(5)]

    result = validate_pegawai_rows(rows)

    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (1, "TMT_JABATAN", "required column is missing")
    ]


def test_a_column_given_twice_is_a_header_error():
    rows = [row() | {"nip": nip(2)}]

    errors = validate_pegawai_rows(rows).errors

    assert [(e.row, e.column) for e in errors] == [(1, "NIP")]
    assert "appears twice" in errors[0].reason


def test_an_absent_optional_column_is_not_given_but_a_blank_one_is():
    without_email = [{k: v for k, v in row().items() if k != "EMAIL"}]

    assert "EMAIL" not in validate_pegawai_rows(without_email).given_columns
    assert "EMAIL" in validate_pegawai_rows([row(EMAIL="")]).given_columns


def test_blank_rows_are_skipped_but_keep_the_row_numbers():
    blank = {column: "" for column in row()}

    result = validate_pegawai_rows([row(NIP=nip(1)), blank, row(NIP="bad")])

    assert result.rows == 2
    assert [(e.row, e.column) for e in result.errors] == [(4, "NIP")]


@pytest.mark.parametrize("rows", [[], [{column: "" for column in row()}]], ids=["none", "blank"])
def test_a_file_without_data_rows_is_refused(rows):
    errors = validate_pegawai_rows(rows).errors

    assert [(e.row, e.reason) for e in errors] == [(1, "the file has no data rows")]


def test_unor_rows_are_checked_the_same_way():
    rows = [
        {"UNOR_ID": ROOT, "UNOR_NAMA": "Sekretariat Daerah", "UNOR_ATASAN_ID": ""},
        {"UNOR_ID": DINAS, "UNOR_NAMA": "Dinas", "UNOR_ATASAN_ID": ROOT},
        {"UNOR_ID": DINAS, "UNOR_NAMA": "Dinas", "UNOR_ATASAN_ID": ROOT},  # same again: fine
        {"UNOR_ID": DINAS, "UNOR_NAMA": "Dinas Baru", "UNOR_ATASAN_ID": ROOT},
        {"UNOR_ID": "", "UNOR_NAMA": "Tanpa Id", "UNOR_ATASAN_ID": ROOT},
    ]

    result = validate_unor_rows(rows)

    assert list(result.units) == [ROOT, DINAS]
    assert [(e.row, e.column) for e in result.errors] == [(5, "UNOR_NAMA"), (6, "UNOR_ID")]
