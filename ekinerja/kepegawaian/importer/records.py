"""What validation hands to the writer: one record per unit, jabatan and pegawai, and the errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ekinerja.kepegawaian.enums import (
    JenisJabatan,
    JenisKelamin,
    JenisKepegawaian,
    JenjangFungsional,
    StatusPegawai,
)

# (phase, done, total or None when unknown): how long-running steps report progress.
ProgressCallback = Callable[[str, int, int | None], None]


def no_progress(_phase: str, _done: int, _total: int | None) -> None:
    return None


@dataclass(frozen=True, order=True)
class RowError:
    """A refused cell: its row as a spreadsheet numbers it (header = 1), column, and why."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class UnitRecord:
    row: int  # the first row that names the unit
    siasn_id: str
    nama: str
    parent_siasn_id: str | None


@dataclass(frozen=True)
class JabatanRecord:
    row: int  # the first row that names the jabatan
    unit_siasn_id: str
    nama: str
    jenis: JenisJabatan
    jenjang: JenjangFungsional | None
    kepala_unit: bool
    penilai_eksternal_nama: str | None
    penilai_eksternal_jabatan: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.unit_siasn_id, self.nama)


@dataclass(frozen=True)
class PegawaiRecord:
    row: int
    nip: str
    nip_lama: str | None
    nama: str
    gelar_depan: str | None
    gelar_belakang: str | None
    jenis_kepegawaian: JenisKepegawaian
    golongan: str | None
    status: StatusPegawai
    tanggal_lahir: date
    jenis_kelamin: JenisKelamin | None
    email: str | None
    unit_siasn_id: str
    jabatan_nama: str
    kepala_unit: bool
    tmt_jabatan: date

    @property
    def jabatan_key(self) -> tuple[str, str]:
        return (self.unit_siasn_id, self.jabatan_nama)


@dataclass
class ValidatedRows:
    """The records of a file's valid rows and the errors of the rest.

    ``given_columns`` are the optional columns the file has: a column the file lacks leaves
    that field of existing records as it is, instead of clearing it."""

    rows: int = 0
    units: dict[str, UnitRecord] = field(default_factory=dict)
    jabatan: dict[tuple[str, str], JabatanRecord] = field(default_factory=dict)
    pegawai: list[PegawaiRecord] = field(default_factory=list)
    given_columns: frozenset[str] = frozenset()
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Counts:
    """What an import did to one kind of record. For penugasan, `updated` counts assignments
    it ended (a mutasi, or a head seat given to someone else)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
