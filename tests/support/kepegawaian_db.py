"""Looking into a tenant's kepegawaian tables from tests, and writing import files."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from ekinerja.kepegawaian.importer import write_csv
from ekinerja.kepegawaian.importer.layout import PEGAWAI_COLUMNS
from ekinerja.models.tenant import (
    AuditEvent,
    Jabatan,
    Pegawai,
    Penugasan,
    UnitKerja,
    UnitKerjaVersi,
)
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

TABLES = (UnitKerja, UnitKerjaVersi, Jabatan, Pegawai, Penugasan, AuditEvent)


async def table_counts(instansi) -> dict[str, int]:
    """Rows in every table an import writes to, read inside the tenant's binding."""
    async with tenant_transaction(as_bound(instansi)):
        return {model.__name__: await model.all().count() for model in TABLES}


def write_file(path: Path, rows: list[dict[str, str]]) -> Path:
    """Rows as a .csv or .xlsx file (by the path's suffix), header first."""
    if path.suffix == ".csv":
        write_csv(path, rows, PEGAWAI_COLUMNS)
        return path
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(PEGAWAI_COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in PEGAWAI_COLUMNS])
    workbook.save(path)
    return path
