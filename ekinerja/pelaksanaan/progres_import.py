"""Progres harian from a CSV or XLSX file (one row per entry, header in row 1):

    RENCANA_AKSI_ID | TANGGAL | JAM_MULAI | JAM_SELESAI | KEGIATAN | REALISASI | SATUAN

Cells are read by the pegawai importer's reader; every bad cell and every row the domain
refuses is reported by file row number, and nothing is written unless all rows are good.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from ekinerja.kepegawaian.importer.fields import FieldError, clean, parse_date
from ekinerja.kepegawaian.importer.layout import data_row_number
from ekinerja.kepegawaian.importer.reader import ReadError, read_rows
from ekinerja.pelaksanaan.progres import ProgresInput, check, create_progres
from ekinerja.refusals import Refusal, RowProblem, RowsRefused
from ekinerja.skp.lifecycle import Caller

COLUMNS = ("RENCANA_AKSI_ID", "TANGGAL", "JAM_MULAI", "JAM_SELESAI", "KEGIATAN", "REALISASI")
OPTIONAL = ("SATUAN",)
_FIELD = {
    "RENCANA_AKSI_ID": "rencanaAksiId",
    "TANGGAL": "tanggal",
    "JAM_MULAI": "jamMulai",
    "JAM_SELESAI": "jamSelesai",
    "KEGIATAN": "kegiatan",
    "REALISASI": "realisasi",
    "SATUAN": "satuan",
}
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?")


def parse_time(value: str) -> time:
    match = _TIME.fullmatch(value)
    if not match:
        raise FieldError(f"{value!r} is not a time: write HH:MM")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise FieldError(f"{value!r} is not a real time of day")
    return time(hour, minute)


def parse_whole_number(value: str) -> int:
    if not re.fullmatch(r"-?\d+", value):
        raise FieldError(f"{value!r} is not a whole number (bilangan bulat)")
    return int(value)


def parse_id(value: str) -> int:
    if not re.fullmatch(r"\d{1,9}", value):
        raise FieldError(f"{value!r} is not an id")
    return int(value)


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ProgresInput]
    row_numbers: list[int]
    problems: list[RowProblem]


def parse_rows(cells: list[dict[str, str]]) -> ParsedFile:
    """Typed rows and the problems of the cells that could not be read."""
    if cells:
        missing = [c for c in COLUMNS if c not in cells[0]]
        if missing:
            raise Refusal(
                "INVALID_FILE", f"the header lacks column(s) {', '.join(missing)}", "file"
            )
    rows: list[ProgresInput] = []
    numbers: list[int] = []
    problems: list[RowProblem] = []
    for index, raw in enumerate(cells):
        if not any(v.strip() for v in raw.values()):
            continue
        number = data_row_number(index)
        row, row_problems = _parse_row(number, raw)
        if row is None:
            problems.extend(row_problems)
        else:
            rows.append(row)
            numbers.append(number)
    return ParsedFile(rows, numbers, problems)


_PARSERS = {
    "rencana_aksi_id": ("RENCANA_AKSI_ID", parse_id),
    "tanggal": ("TANGGAL", parse_date),
    "jam_mulai": ("JAM_MULAI", parse_time),
    "jam_selesai": ("JAM_SELESAI", parse_time),
    "kegiatan": ("KEGIATAN", str),
    "realisasi": ("REALISASI", parse_whole_number),
    "satuan": ("SATUAN", str),
}


def _parse_row(number: int, raw: dict[str, str]) -> tuple[ProgresInput | None, list[RowProblem]]:
    values, problems = {}, []
    for name, (column, parse) in _PARSERS.items():
        try:
            values[name] = parse(clean(raw.get(column, "")))
        except FieldError as error:
            problems.append(RowProblem(number, _FIELD[column], str(error)))
    return (None if problems else ProgresInput(**values)), problems


async def import_progres(
    path: Path, caller: Caller, sumber_data: str = "import", dry_run: bool = False
) -> int:
    """Import a file: the number of entries written (or that would be, with ``dry_run``)."""
    try:
        cells = read_rows(path)
    except ReadError as error:
        raise Refusal("INVALID_FILE", str(error), "file") from None
    parsed = parse_rows(cells)
    if not parsed.rows and not parsed.problems:
        raise Refusal("INVALID_FILE", "the file has no data rows", "file")
    domain_problems, _ = (
        await check(parsed.rows, caller, parsed.row_numbers) if parsed.rows else ([], {})
    )
    problems = sorted(parsed.problems + domain_problems, key=lambda p: p.row)
    if problems:
        raise RowsRefused(problems)
    if dry_run:
        return len(parsed.rows)
    ids = await create_progres(parsed.rows, caller, sumber_data, parsed.row_numbers)
    return len(ids)
