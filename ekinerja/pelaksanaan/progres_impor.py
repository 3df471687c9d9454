"""Progres harian from a CSV or XLSX file (one row per entry, header in row 1):

    RENCANA_AKSI_ID | TANGGAL | JAM_MULAI | JAM_SELESAI | KEGIATAN | REALISASI | SATUAN

Cells are read by the pegawai importer's reader, within the import limits (ekinerja.tabular);
every bad cell and every row the domain refuses is counted and the first of them reported by
file row number, and nothing is written unless all rows are good.

Two steps, so that a caller can run the first off the event loop: parse_file (pure CPU, no
database: reading the file a row at a time into typed rows, for a worker thread) and
import_parsed (the domain checks and the writing, in the caller's tenant transaction).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from ekinerja.kepegawaian.importer.fields import FieldError, clean, parse_date
from ekinerja.kepegawaian.importer.layout import data_row_number
from ekinerja.kepegawaian.importer.reader import iter_rows
from ekinerja.pelaksanaan.progres import ProgresInput, check, create_progres
from ekinerja.refusals import Refusal, RowProblem, RowsRefused
from ekinerja.schema.ids import decode_id
from ekinerja.skp.lifecycle import Caller
from ekinerja.tabular import FirstErrors, Limits

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


RENCANA_AKSI = "RencanaAksi"  # the GraphQL type whose ids the column holds


def parse_rencana_aksi_id(value: str, instansi_kode: str) -> int:
    """The row of a rencana aksi's id as the API hands it out (``skpSaya { rhk { rencanaAksi
    { id } } }``, decision 0028), of this instansi. A bare row number is still read, as files
    made before global ids had them."""
    if re.fullmatch(r"\d{1,9}", value):
        return int(value)
    decoded = decode_id(value)
    if decoded is None:
        raise FieldError(f"{value!r} is not an id (take it from rencanaAksi {{ id }})")
    if decoded.type_name != RENCANA_AKSI:
        raise FieldError(f"{value!r} is the id of a {decoded.type_name}, not a {RENCANA_AKSI}")
    if decoded.instansi_kode != instansi_kode:
        raise FieldError(f"{value!r} is an id of another instansi")
    return decoded.row_id


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ProgresInput]
    row_numbers: list[int]
    problems: FirstErrors[RowProblem]


def parse_rows(
    cells: Iterable[dict[str, str]], instansi_kode: str, max_errors: int = 100
) -> ParsedFile:
    """Typed rows and the problems of the cells that could not be read (the first
    ``max_errors`` of them, and their count); ids are read as ids of ``instansi_kode``."""
    rows: list[ProgresInput] = []
    numbers: list[int] = []
    problems = FirstErrors[RowProblem](max_errors)
    for index, raw in enumerate(cells):
        if index == 0:
            missing = [c for c in COLUMNS if c not in raw]
            if missing:
                raise Refusal(
                    "INVALID_FILE", f"the header lacks column(s) {', '.join(missing)}", "file"
                )
        if not any(v.strip() for v in raw.values()):
            continue
        number = data_row_number(index)
        row, row_problems = _parse_row(number, raw, instansi_kode)
        if row is None:
            problems.extend(row_problems)
        else:
            rows.append(row)
            numbers.append(number)
    return ParsedFile(rows, numbers, problems)


def parse_file(path: Path, limits: Limits, instansi_kode: str) -> ParsedFile:
    """The typed rows of a file, read a row at a time within ``limits`` (the deadline is
    checked on every row). No database: meant for a worker thread. Raises a
    ekinerja.tabular.ReadError subclass for a file that is no table or passes a limit, and
    Refusal for a header without the layout's columns."""
    return parse_rows(iter_rows(path, limits=limits), instansi_kode, limits.max_errors)


_PARSERS = {
    "rencana_aksi_id": ("RENCANA_AKSI_ID", parse_rencana_aksi_id),
    "tanggal": ("TANGGAL", parse_date),
    "jam_mulai": ("JAM_MULAI", parse_time),
    "jam_selesai": ("JAM_SELESAI", parse_time),
    "kegiatan": ("KEGIATAN", str),
    "realisasi": ("REALISASI", parse_whole_number),
    "satuan": ("SATUAN", str),
}


def _parse_row(
    number: int, raw: dict[str, str], instansi_kode: str
) -> tuple[ProgresInput | None, list[RowProblem]]:
    values, problems = {}, []
    for name, (column, parse) in _PARSERS.items():
        cell = clean(raw.get(column, ""))
        try:
            values[name] = (
                parse(cell, instansi_kode) if parse is parse_rencana_aksi_id else parse(cell)
            )
        except FieldError as error:
            problems.append(RowProblem(number, _FIELD[column], str(error)))
    return (None if problems else ProgresInput(**values)), problems


async def import_parsed(
    parsed: ParsedFile, caller: Caller, sumber_data: str = "import", dry_run: bool = False
) -> int:
    """Check a parsed file against the plans and write it all (in the caller's tenant
    transaction), or refuse it with its first problems by row: the number of entries written
    (or that would be, with ``dry_run``)."""
    if not parsed.rows and not parsed.problems.total:
        raise Refusal("INVALID_FILE", "the file has no data rows", "file")
    domain_problems, _ = (
        await check(parsed.rows, caller, parsed.row_numbers) if parsed.rows else ([], {})
    )
    problems = parsed.problems.merged(domain_problems, key=lambda p: p.row)
    if problems.total:
        raise RowsRefused(problems.shown, total=problems.total)
    if dry_run:
        return len(parsed.rows)
    ids = await create_progres(parsed.rows, caller, sumber_data, parsed.row_numbers)
    return len(ids)
