"""Validating an import file's rows: pure, no database. Every error is collected, none stops it.

Each row is checked on its own (required cells, NIP/NI per jenis, golongan, enums, dates, e-mail)
and then against the rows before it (duplicate NIP, a unit named or placed differently, a jabatan
described differently, two heads for one unit, two holders of one head seat). Checks against
what the tenant already holds (unknown parent unit, cycles, mutasi dates) are in tenant_checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from ekinerja.kepegawaian.enums import (
    JenisJabatan,
    JenisKepegawaian,
    JenjangFungsional,
    StatusPegawai,
)
from ekinerja.kepegawaian.golongan import GolonganError, normalize_golongan
from ekinerja.kepegawaian.importer import layout as col
from ekinerja.kepegawaian.importer.fields import (
    FieldError,
    clean,
    parse_date,
    parse_email,
    parse_enum,
    parse_flag,
    parse_nip_lama,
    parse_text,
)
from ekinerja.kepegawaian.importer.records import (
    JabatanRecord,
    PegawaiRecord,
    ProgressCallback,
    RowError,
    UnitRecord,
    ValidatedRows,
    no_progress,
)
from ekinerja.kepegawaian.nip import NipError, NipInfo, parse_ni_pppk, parse_nip_pns

T = TypeVar("T")

PROGRESS_EVERY = 2000
# The youngest a pegawai can be when appointed, as nip.py also assumes.
_MIN_AGE_AT_APPOINTMENT = 14
_MAX_ID = 64  # unit_kerja.siasn_id
_MAX_NAME = 255

_NO_DATA = RowError(col.HEADER_ROW, "-", "the file has no data rows")
_JABATAN_ATTRIBUTES = (
    (col.JENIS_JABATAN, "jenis"),
    (col.JENJANG, "jenjang"),
    (col.KEPALA_UNIT, "kepala_unit"),
    (col.PENILAI_EKSTERNAL_NAMA, "penilai_eksternal_nama"),
    (col.PENILAI_EKSTERNAL_JABATAN, "penilai_eksternal_jabatan"),
)


class _Row:
    """One data row's cleaned cells, and a way to refuse one of them."""

    __slots__ = ("number", "values", "errors", "error_count")

    def __init__(self, number: int, values: dict[str, str], errors: list[RowError]) -> None:
        self.number = number
        self.values = values
        self.errors = errors
        self.error_count = 0

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.number, column, reason))
        self.error_count += 1

    def text(self, column: str, max_length: int = _MAX_NAME, required: bool = False) -> str | None:
        value = self.values.get(column, "")
        if not value:
            if required:
                self.fail(column, "required, but empty")
            return None
        return self.parsed(column, lambda v: parse_text(v, max_length))

    def parsed(self, column: str, parser: Callable[[str], T], required: bool = False) -> T | None:
        value = self.values.get(column, "")
        if not value:
            if required:
                self.fail(column, "required, but empty")
            return None
        try:
            return parser(value)
        except (FieldError, NipError, GolonganError) as error:
            self.fail(column, str(error))
            return None


def _column_keys(
    rows: Sequence[Mapping[str, str]], layout: tuple[str, ...], required: frozenset[str]
) -> tuple[dict[str, str], list[str], list[RowError]]:
    """Which key of the row dicts holds each layout column, the unknown columns, header errors."""
    keys: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for row in rows:
        for key in row:
            if key in seen:
                continue
            seen.add(key)
            column = col.canonical_column(key)
            if column == col.EXTRA_CELLS:
                keys[column] = key
            elif column not in layout:
                ignored.append(key)
            elif column in keys:
                errors.append(
                    RowError(col.HEADER_ROW, column, f"appears twice ({keys[column]!r}, {key!r})")
                )
            else:
                keys[column] = key
    for column in layout:
        if column in required and column not in keys:
            errors.append(RowError(col.HEADER_ROW, column, "required column is missing"))
    return keys, ignored, errors


def _rows(
    rows: Sequence[Mapping[str, str]],
    keys: dict[str, str],
    errors: list[RowError],
    on_progress: ProgressCallback,
) -> Iterator[_Row]:
    """The non-blank rows, cleaned. A blank row is skipped but still counted, so the row numbers
    in errors stay the ones a spreadsheet shows."""
    total = len(rows)
    for index, raw in enumerate(rows):
        if index % PROGRESS_EVERY == 0:
            on_progress("validating", index, total)
        values = {column: clean(raw.get(key)) for column, key in keys.items()}
        if not any(values.values()):
            continue
        row = _Row(col.data_row_number(index), values, errors)
        extra = values.pop(col.EXTRA_CELLS, "")
        if extra:
            row.fail(
                "-",
                f"more cells than the header has columns (extra: {extra!r}); a separator inside "
                "an unquoted value?",
            )
        yield row
    on_progress("validating", total, total)


class _FileChecks:
    """What earlier rows said, so a later row contradicting them is refused."""

    def __init__(self, result: ValidatedRows) -> None:
        self.result = result
        self.nip_rows: dict[str, int] = {}
        self.head_of_unit: dict[str, JabatanRecord] = {}
        self.seat_holder: dict[tuple[str, str], PegawaiRecord] = {}

    def unit(self, row: _Row, unit: UnitRecord) -> None:
        first = self.result.units.get(unit.siasn_id)
        if first is None:
            self.result.units[unit.siasn_id] = unit
            return
        if first.nama != unit.nama:
            row.fail(
                col.UNOR_NAMA,
                f"unit {unit.siasn_id} is named {first.nama!r} at row {first.row}; "
                f"this row says {unit.nama!r}",
            )
        if first.parent_siasn_id != unit.parent_siasn_id:
            row.fail(
                col.UNOR_ATASAN_ID,
                f"unit {unit.siasn_id} sits under {first.parent_siasn_id or 'nothing (root)'} at "
                f"row {first.row}; this row says {unit.parent_siasn_id or 'nothing (root)'}",
            )

    def jabatan(self, row: _Row, jabatan: JabatanRecord) -> None:
        first = self.result.jabatan.get(jabatan.key)
        if first is None:
            self.result.jabatan[jabatan.key] = jabatan
            self._head(row, jabatan)
            return
        for column, attribute in _JABATAN_ATTRIBUTES:
            before, now = getattr(first, attribute), getattr(jabatan, attribute)
            if before != now:
                row.fail(
                    column,
                    f"jabatan {jabatan.nama!r} in unit {jabatan.unit_siasn_id} has "
                    f"{_shown(before)} at row {first.row}; this row says {_shown(now)}",
                )

    def _head(self, row: _Row, jabatan: JabatanRecord) -> None:
        if not jabatan.kepala_unit:
            return
        head = self.head_of_unit.setdefault(jabatan.unit_siasn_id, jabatan)
        if head is not jabatan:
            row.fail(
                col.KEPALA_UNIT,
                f"unit {jabatan.unit_siasn_id} is already headed by {head.nama!r} (row "
                f"{head.row}); only one jabatan per unit can have KEPALA_UNIT=Y",
            )

    def pegawai(self, row: _Row, pegawai: PegawaiRecord) -> bool:
        first_row = self.nip_rows.setdefault(pegawai.nip, row.number)
        if first_row != row.number:
            row.fail(col.NIP, f"NIP {pegawai.nip} already appears at row {first_row}")
            return False
        if pegawai.kepala_unit:
            holder = self.seat_holder.setdefault(pegawai.jabatan_key, pegawai)
            if holder is not pegawai:
                row.fail(
                    col.JABATAN_NAMA,
                    f"{pegawai.jabatan_nama!r} heads unit {pegawai.unit_siasn_id} and has one "
                    f"seat, already given to NIP {holder.nip} at row {holder.row}",
                )
                return False
        return True


def _shown(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "Y" if value else "N"
    return repr(str(value))


def _unit(row: _Row) -> UnitRecord | None:
    siasn_id = row.text(col.UNOR_ID, _MAX_ID, required=True)
    nama = row.text(col.UNOR_NAMA, required=True)
    parent = row.text(col.UNOR_ATASAN_ID, _MAX_ID)
    if siasn_id and parent == siasn_id:
        row.fail(col.UNOR_ATASAN_ID, f"unit {siasn_id} cannot be its own parent")
        return None
    if siasn_id is None or nama is None or (parent is None and row.values.get(col.UNOR_ATASAN_ID)):
        return None
    return UnitRecord(row.number, siasn_id, nama, parent)


def _jabatan(row: _Row, unit: UnitRecord | None) -> JabatanRecord | None:
    errors_before = row.error_count
    nama = row.text(col.JABATAN_NAMA, required=True)
    jenis = row.parsed(col.JENIS_JABATAN, lambda v: parse_enum(JenisJabatan, v), required=True)
    jenjang = row.parsed(col.JENJANG, lambda v: parse_enum(JenjangFungsional, v))
    if jenis is JenisJabatan.FUNGSIONAL and jenjang is None and not row.values.get(col.JENJANG):
        row.fail(col.JENJANG, "required for a FUNGSIONAL jabatan (AHLI_PERTAMA … PENYELIA)")
    elif jenis is not None and jenis is not JenisJabatan.FUNGSIONAL and jenjang is not None:
        row.fail(col.JENJANG, f"only FUNGSIONAL jabatan have a jenjang; this one is {jenis}")
    kepala_unit = row.parsed(col.KEPALA_UNIT, parse_flag) or False
    penilai_nama = row.text(col.PENILAI_EKSTERNAL_NAMA)
    penilai_jabatan = row.text(col.PENILAI_EKSTERNAL_JABATAN)
    if bool(penilai_nama) != bool(penilai_jabatan):
        missing = col.PENILAI_EKSTERNAL_JABATAN if penilai_nama else col.PENILAI_EKSTERNAL_NAMA
        row.fail(missing, "give both the external penilai's name and jabatan, or neither")
    if unit is None or row.error_count > errors_before:
        return None
    assert nama is not None and jenis is not None
    return JabatanRecord(
        row.number,
        unit.siasn_id,
        nama,
        jenis,
        jenjang,
        kepala_unit,
        penilai_nama,
        penilai_jabatan,
    )


def _nip_info(row: _Row, jenis: JenisKepegawaian | None) -> NipInfo | None:
    raw = row.values.get(col.NIP, "")
    if not raw:
        row.fail(col.NIP, "required, but empty")
        return None
    if "E+" in raw.upper():
        row.fail(
            col.NIP,
            f"{raw!r} is a number Excel rounded, so its last digits are lost: format the NIP "
            "column as Text and type the NIP again",
        )
        return None
    if jenis is None:  # which rules apply is unknown; JENIS_PEGAWAI's own error says why
        return None
    parse = parse_nip_pns if jenis is JenisKepegawaian.PNS else parse_ni_pppk
    return row.parsed(col.NIP, parse)


def _pegawai(row: _Row, jabatan: JabatanRecord | None) -> PegawaiRecord | None:
    jenis = row.parsed(col.JENIS_PEGAWAI, lambda v: parse_enum(JenisKepegawaian, v), required=True)
    info = _nip_info(row, jenis)
    nip_lama = row.parsed(col.NIP_LAMA, parse_nip_lama)
    nama = row.text(col.NAMA, required=True)
    gelar_depan = row.text(col.GELAR_DEPAN, 50)
    gelar_belakang = row.text(col.GELAR_BELAKANG, 100)
    golongan = row.parsed(col.GOLONGAN, lambda v: normalize_golongan(v, jenis)) if jenis else None
    status = row.parsed(col.STATUS, lambda v: parse_enum(StatusPegawai, v))
    email = row.parsed(col.EMAIL, parse_email)
    tmt = row.parsed(col.TMT_JABATAN, parse_date, required=True)
    if tmt and info and tmt.year < info.tanggal_lahir.year + _MIN_AGE_AT_APPOINTMENT:
        row.fail(
            col.TMT_JABATAN,
            f"{tmt.isoformat()} is before this pegawai (born {info.tanggal_lahir.isoformat()}, "
            "per the NIP) could have been appointed",
        )
    if jabatan is None or info is None or row.error_count:
        return None  # only a row without any error becomes a pegawai
    assert jenis is not None and nama is not None and tmt is not None
    return PegawaiRecord(
        row=row.number,
        nip=info.nip,
        nip_lama=nip_lama,
        nama=nama,
        gelar_depan=gelar_depan,
        gelar_belakang=gelar_belakang,
        jenis_kepegawaian=jenis,
        golongan=golongan,
        status=status or StatusPegawai.AKTIF,
        tanggal_lahir=info.tanggal_lahir,
        jenis_kelamin=info.jenis_kelamin,
        email=email,
        unit_siasn_id=jabatan.unit_siasn_id,
        jabatan_nama=jabatan.nama,
        kepala_unit=jabatan.kepala_unit,
        tmt_jabatan=tmt,
    )


def _start(
    rows: Sequence[Mapping[str, str]], layout: tuple[str, ...], required: frozenset[str]
) -> tuple[ValidatedRows, dict[str, str]]:
    if not rows:
        return ValidatedRows(errors=[_NO_DATA]), {}
    keys, ignored, header_errors = _column_keys(rows, layout, required)
    result = ValidatedRows(
        given_columns=frozenset(c for c in keys if c in layout),
        ignored_columns=ignored,
        errors=header_errors,
    )
    return result, keys


def _finish(result: ValidatedRows) -> ValidatedRows:
    if result.rows == 0 and not result.errors:
        result.errors.append(_NO_DATA)
    result.errors.sort()
    return result


def validate_pegawai_rows(
    rows: Sequence[Mapping[str, str]], on_progress: ProgressCallback = no_progress
) -> ValidatedRows:
    """Check every row of a pegawai file (layout.PEGAWAI_COLUMNS); nothing stops at an error."""
    result, keys = _start(rows, col.PEGAWAI_COLUMNS, col.PEGAWAI_REQUIRED)
    if result.errors:
        return result  # without its columns, every row would repeat the header's error
    checks = _FileChecks(result)
    for row in _rows(rows, keys, result.errors, on_progress):
        result.rows += 1
        unit = _unit(row)
        if unit is not None:
            checks.unit(row, unit)
        jabatan = _jabatan(row, unit)
        if jabatan is not None:
            checks.jabatan(row, jabatan)
        pegawai = _pegawai(row, jabatan)
        if pegawai is not None and checks.pegawai(row, pegawai):
            result.pegawai.append(pegawai)
    return _finish(result)


def validate_unor_rows(
    rows: Sequence[Mapping[str, str]], on_progress: ProgressCallback = no_progress
) -> ValidatedRows:
    """Check every row of a unit file (layout.UNOR_COLUMNS)."""
    result, keys = _start(rows, col.UNOR_COLUMNS, col.UNOR_REQUIRED)
    if result.errors:
        return result
    checks = _FileChecks(result)
    for row in _rows(rows, keys, result.errors, on_progress):
        result.rows += 1
        unit = _unit(row)
        if unit is not None:
            checks.unit(row, unit)
    return _finish(result)
