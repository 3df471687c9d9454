"""Importing pegawai and units into one tenant: validate everything, then write everything in
one tenant-bound transaction, or write nothing and say why, row by row.

Usable without the CLI: give rows as dicts keyed by column name (reader.read_rows makes them
from a CSV or XLSX file) and an actor for the audit log. A refused import reports its first
errors (EKINERJA_IMPORT_MAX_ERRORS) and how many there were in all. A dry run does everything,
writing included (so its counts are what the import would do), then rolls the transaction
back. Validation runs in a worker thread: a large file does not stall the event loop of the
service or the worker running it (ekinerja/kepegawaian/impor/).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from anyio import to_thread

from ekinerja import audit
from ekinerja.kepegawaian.calendar import hari_ini
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


# Run inside the writing transaction just before it commits (the job runner fences its lease
# there, so that the data and the job's outcome commit together or not at all).
BeforeCommit = Callable[["ImportResult"], Awaitable[None]]


class _DryRun(Exception):
    """Raised after a dry run's writes so that its transaction rolls back."""


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
    dry_run: bool = False,
    before_commit: BeforeCommit | None = None,
) -> ImportResult:
    """Import a pegawai file (layout.PEGAWAI_COLUMNS) into the instansi ``instansi_kode``.

    ``as_of`` dates unit changes (default: today where the instansi is, its
    `instansi.zona_waktu`); assignments are dated by TMT_JABATAN. Raises TenantError when the
    instansi cannot be served; bad rows are returned, not raised (the first ``max_errors``,
    default EKINERJA_IMPORT_MAX_ERRORS). ``dry_run`` counts what would be written and keeps
    nothing; ``before_commit`` runs in the writing transaction after the writes."""
    return await _import(
        "pegawai", instansi_kode, rows, actor, source, on_progress or no_progress, as_of,
        max_errors, dry_run, before_commit,
    )  # fmt: skip


async def import_unor(
    instansi_kode: str,
    rows: list[dict[str, str]],
    actor: str,
    source: str,
    on_progress: ProgressCallback | None = None,
    *,
    as_of: date | None = None,
    max_errors: int | None = None,
    dry_run: bool = False,
    before_commit: BeforeCommit | None = None,
) -> ImportResult:
    """Import a unit file (layout.UNOR_COLUMNS): units may then exist without any pegawai."""
    return await _import(
        "unor", instansi_kode, rows, actor, source, on_progress or no_progress, as_of,
        max_errors, dry_run, before_commit,
    )  # fmt: skip


async def _import(
    kind: str,
    instansi_kode: str,
    rows: list[dict[str, str]],
    actor: str,
    source: str,
    progress: ProgressCallback,
    as_of: date | None,
    max_errors: int | None,
    dry_run: bool = False,
    before_commit: BeforeCommit | None = None,
) -> ImportResult:
    # Resolved before binding: the tenant role cannot read the shared registry.
    instansi = await get_servable_instansi(instansi_kode)
    validate = validate_pegawai_rows if kind == "pegawai" else validate_unor_rows
    # CPU only, a row at a time: off the event loop, which serves requests meanwhile.
    validated = await to_thread.run_sync(validate, rows, progress)
    if max_errors is None:
        max_errors = get_settings().import_max_errors
    try:
        async with tenant_transaction(as_bound(instansi)) as transaction:
            result = ImportResult(
                kind=kind,
                source=source,
                # The instansi's today, not the server's: a WIT agency importing at 07:00
                # local time is still on the previous day in UTC (issue 15, item 10).
                as_of=as_of or await hari_ini(),
                rows=validated.rows,
                ignored_columns=validated.ignored_columns,
            )
            if any(error.row == HEADER_ROW for error in validated.errors):  # unusable header
                result.refuse(validated.errors, max_errors)
                return result
            connection = asyncpg_connection(transaction)
            await lock_tenant_imports(connection)
            progress("checking", 0, 1)
            snapshot = await load_snapshot(connection, with_assignments=kind == "pegawai")
            errors = sorted(validated.errors + check_against_tenant(validated, snapshot))
            progress("checking", 1, 1)
            if errors:
                raise _Rejected(errors)
            await _write(kind, connection, validated, result, progress)
            if dry_run:
                raise _DryRun()
            await audit.record(
                actor, f"import.{kind}", "import", source[:50], **result.audit_detail()
            )
            if before_commit is not None:
                await before_commit(result)
    except _Rejected as rejected:
        result.refuse(rejected.errors, max_errors)
    except _DryRun:
        pass  # rolled back: the counts say what the import would do
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
