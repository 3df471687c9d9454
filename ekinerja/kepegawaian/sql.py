"""SQL fragments shared by the kepegawaian queries. Dates are always parameter $1."""

from __future__ import annotations


def in_force(alias: str) -> str:
    """Row ``alias`` (with berlaku_mulai / berlaku_sampai, the end exclusive) is in force on $1."""
    return (
        f"{alias}.berlaku_mulai <= $1 "
        f"AND ({alias}.berlaku_sampai IS NULL OR {alias}.berlaku_sampai > $1)"
    )


# Who holds a position, and which position is a pegawai's own, among penugasan ``p`` in force:
# definitive first, then Plt, then Plh; ties by lowest id so the answer is stable.
HOLDER_ORDER = "CASE p.jenis WHEN 'DEFINITIF' THEN 0 WHEN 'PLT' THEN 1 ELSE 2 END, p.id"

# The version of each unit in force on $1.
UNITS_AT = f"""
units_at AS (
  SELECT v.unit_id AS id, v.nama, v.parent_id, v.aktif
  FROM unit_kerja_versi v WHERE {in_force("v")}
)"""

# Definitive assignments in force on $1, with the unit of the position.
ASSIGNED_AT = f"""
assigned_at AS (
  SELECT p.pegawai_id, p.jabatan_id, j.unit_id
  FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
  WHERE p.jenis = 'DEFINITIF' AND {in_force("p")}
)"""
