"""Importing pegawai and units into one tenant: validate everything, then write everything in
one tenant-bound transaction, or write nothing and say why, row by row.

Usable without the CLI: give rows as dicts keyed by column name (reader.read_rows makes them
from a CSV or XLSX file) and an actor for the audit log. A refused import reports its first
errors (EKINERJA_IMPORT_MAX_ERRORS) and how many there were in all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ekinerja import audit
from ekinerja.kepegawaian.importer.layout import HEADER_ROW
from ekinerja.kepegawaian.importer.records import (
    Counts,
    ProgressCallback,
    RowError,
    ValidatedRows,
    no_progress,
)
from ekinerja.kepegawaian.importer.snapshot import load_snapshot
from ekinerja.kepegawaian.importer.tenant_checks import check_against_tenant
from ekinerja.kepegawaian.importer.validation import validate_pegawai_rows, validate_unor_rows
from ekinerja.kepegawaian.importer.writer import (
    asyncpg_connection,
    lock_tenant_imports,
    write_jabatan,
    write_pegawai,
    write_penugasan,
    write_units,
)
from ekinerja.settings import get_settings
from ekinerja.tabular import FirstErrors
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound, get_servable_instansi


@dataclass
class ImportResult:
    """Counts of what was written, or the errors that kept anything from being written: the
    first of them in ``errors``, their number in ``error_count``."""

    kind: str
    source: str
    as_of: date
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    units: Counts = field(default_factory=Counts)
    jabatan: Counts = field(default_factory=Counts)
    pegawai: Counts = field(default_factory=Counts)
    penugasan: Counts = field(default_factory=Counts)

    @property
    def ok(self) -> bool:
        return not self.errors

    def refuse(self, errors: list[RowError], max_errors: int) -> None:
        first = FirstErrors[RowError](max_errors)
        first.extend(errors)
        self.errors, self.error_count = first.shown, first.total

    def counts(self) -> dict[str, Counts]:
        return {
            "units": self.units,
            "jabatan": self.jabatan,
            "pegawai": self.pegawai,
            "penugasan": self.penugasan,
        }

    def audit_detail(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "rows": self.rows,
            "as_of": self.as_of.isoformat(),
            "ignored_columns": self.ignored_columns,
            **{name: vars(counts) for name, counts in self.counts().items()},
        }


class _Rejected(Exception):
    """Raised inside the transaction so that it rolls back; carries the errors out."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


async def import_pegawai(
    instansi_kode: str,
    rows: list[dict[str, str]],
    actor: str,
    source: str,
    on_progress: ProgressCallback | None = None,
    *,
    as_of: date | None = None,
    max_errors: int | None = None,
) -> ImportResult:
    """Import a pegawai file (layout.PEGAWAI_COLUMNS) into the instansi ``instansi_kode``.

    ``as_of`` dates unit changes (default today); assignments are dated by TMT_JABATAN.
    Raises TenantError when the instansi cannot be served; bad rows are returned, not raised
    (the first ``max_errors``, default EKINERJA_IMPORT_MAX_ERRORS)."""
    return await _import(
        "pegawai", instansi_kode, rows, actor, source, on_progress or no_progress, as_of, max_errors
    )


async def import_unor(
    instansi_kode: str,
    rows: list[dict[str, str]],
    actor: str,
    source: str,
    on_progress: ProgressCallback | None = None,
    *,
    as_of: date | None = None,
    max_errors: int | None = None,
) -> ImportResult:
    """Import a unit file (layout.UNOR_COLUMNS): units may then exist without any pegawai."""
    return await _import(
        "unor", instansi_kode, rows, actor, source, on_progress or no_progress, as_of, max_errors
    )


async def _import(
    kind: str,
    instansi_kode: str,
    rows: list[dict[str, str]],
    actor: str,
    source: str,
    progress: ProgressCallback,
    as_of: date | None,
    max_errors: int | None,
) -> ImportResult:
    # Resolved before binding: the tenant role cannot read the shared registry.
    instansi = await get_servable_instansi(instansi_kode)
    validate = validate_pegawai_rows if kind == "pegawai" else validate_unor_rows
    validated = validate(rows, progress)
    result = ImportResult(
        kind=kind,
        source=source,
        as_of=as_of or date.today(),
        rows=validated.rows,
        ignored_columns=validated.ignored_columns,
    )
    if max_errors is None:
        max_errors = get_settings().import_max_errors
    if any(error.row == HEADER_ROW for error in validated.errors):  # an unusable header
        result.refuse(validated.errors, max_errors)
        return result
    try:
        async with tenant_transaction(as_bound(instansi)) as transaction:
            connection = asyncpg_connection(transaction)
            await lock_tenant_imports(connection)
            progress("checking", 0, 1)
            snapshot = await load_snapshot(connection, with_assignments=kind == "pegawai")
            errors = sorted(validated.errors + check_against_tenant(validated, snapshot))
            progress("checking", 1, 1)
            if errors:
                raise _Rejected(errors)
            await _write(kind, connection, validated, result, progress)
            await audit.record(
                actor, f"import.{kind}", "import", source[:50], **result.audit_detail()
            )
    except _Rejected as rejected:
        result.refuse(rejected.errors, max_errors)
    return result


async def _write(
    kind: str,
    connection,
    validated: ValidatedRows,
    result: ImportResult,
    progress: ProgressCallback,
) -> None:
    steps = 1 if kind == "unor" else 4
    progress("writing", 0, steps)
    result.units = await write_units(connection, validated, result.as_of)
    progress("writing", 1, steps)
    if kind == "unor":
        return
    result.jabatan = await write_jabatan(connection, validated)
    progress("writing", 2, steps)
    result.pegawai = await write_pegawai(connection, validated)
    progress("writing", 3, steps)
    result.penugasan = await write_penugasan(connection, validated)
    progress("writing", 4, steps)
