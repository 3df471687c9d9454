"""Reading what the tenant holds that an import is checked against (two queries, any size)."""

from __future__ import annotations

import asyncpg

from ekinerja.kepegawaian.importer.tenant_checks import OpenAssignment, TenantSnapshot

_UNIT_PARENTS = """
SELECT u.siasn_id, p.siasn_id AS parent_siasn_id
FROM unit_kerja u
LEFT JOIN unit_kerja_versi v ON v.unit_id = u.id AND v.berlaku_sampai IS NULL
LEFT JOIN unit_kerja p ON p.id = v.parent_id
WHERE u.siasn_id IS NOT NULL
"""

_OPEN_ASSIGNMENTS = """
SELECT pg.nip, u.siasn_id AS unit_siasn_id, j.nama AS jabatan_nama, p.berlaku_mulai
FROM penugasan p
JOIN pegawai pg ON pg.id = p.pegawai_id
JOIN jabatan j ON j.id = p.jabatan_id
JOIN unit_kerja u ON u.id = j.unit_id
WHERE p.jenis = 'DEFINITIF' AND p.berlaku_sampai IS NULL
"""


async def load_snapshot(
    connection: asyncpg.Connection, with_assignments: bool = True
) -> TenantSnapshot:
    """Run inside the import's tenant-bound transaction, after its lock, so the snapshot is
    what the writer will find."""
    snapshot = TenantSnapshot()
    for row in await connection.fetch(_UNIT_PARENTS):
        snapshot.unit_parents[row["siasn_id"]] = row["parent_siasn_id"]
    if with_assignments:
        snapshot.open_assignments = [
            OpenAssignment(r["nip"], r["unit_siasn_id"], r["jabatan_nama"], r["berlaku_mulai"])
            for r in await connection.fetch(_OPEN_ASSIGNMENTS)
        ]
    return snapshot
