"""Reading CSV and XLSX import files into rows keyed by canonical column names."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from ekinerja.kepegawaian.importer.layout import EXTRA_CELLS
from ekinerja.kepegawaian.importer.reader import ReadError, read_rows


def test_csv_with_semicolons_a_bom_and_messy_headers(tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(
        "\ufeffNip; Nama ;unor-id\n"
        '198609262015051001;"Santoso; Budi";U1\n'
        ";;\n"
        "198609262015051002;Sri;U1\n"
        ";;\n\n",
        encoding="utf-8",
    )

    rows = read_rows(path)

    assert rows == [
        {"NIP": "198609262015051001", "NAMA": "Santoso; Budi", "UNOR_ID": "U1"},
        {"NIP": "", "NAMA": "", "UNOR_ID": ""},  # kept: the next row is still row 4
        {"NIP": "198609262015051002", "NAMA": "Sri", "UNOR_ID": "U1"},
    ]


def test_csv_cells_beyond_the_header_are_kept_aside(tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text("NIP,NAMA\n1,Budi Santoso, S.Kom.\n2\n", encoding="utf-8")

    rows = read_rows(path)

    assert rows[0] == {"NIP": "1", "NAMA": "Budi Santoso", EXTRA_CELLS: "S.Kom."}
    assert rows[1] == {"NIP": "2", "NAMA": ""}


def test_csv_saved_by_excel_in_the_windows_code_page(tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes("NIP,NAMA\n1,José\n".encode("cp1252"))

    assert read_rows(path) == [{"NIP": "1", "NAMA": "José"}]


def test_xlsx_cells_become_text(tmp_path):
    path = tmp_path / "pegawai.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "Tmt_Jabatan", "KEPALA_UNIT", "NIP_LAMA", None])
    sheet.append(["198609262015051001", date(2020, 1, 2), True, 510123456, None])
    sheet.append(["198609262015051002", datetime(2021, 3, 4), False, 510123457.0, None])
    # An 18-digit NIP in a number cell is a double, already rounded: passed on so that
    # validation refuses it, never silently truncated into another valid-looking NIP.
    sheet.append([198609262015051003, "2022-01-01", "N", None, None])
    sheet.append([None, None, None, None, None])
    workbook.save(path)

    rows = read_rows(path)

    assert rows == [
        {"NIP": "198609262015051001", "TMT_JABATAN": "2020-01-02", "KEPALA_UNIT": "Y",
         "NIP_LAMA": "510123456"},
        {"NIP": "198609262015051002", "TMT_JABATAN": "2021-03-04", "KEPALA_UNIT": "N",
         "NIP_LAMA": "510123457"},
        {"NIP": "1.98609262015051e+17", "TMT_JABATAN": "2022-01-01", "KEPALA_UNIT": "N",
         "NIP_LAMA": ""},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("pegawai.txt", b"NIP\n1\n", "unsupported file type .txt"),
        ("pegawai.csv", b"", "the file is empty"),
        ("pegawai.csv", b",,\n1,2,3\n", "the first row is empty"),
        ("pegawai.csv", b"NIP,nip\n1,2\n", "names NIP twice (columns 1 and 2)"),
        ("pegawai.xlsx", b"not a zip", "not a readable XLSX file"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(ReadError, match=re.escape(message)):
        read_rows(path)
