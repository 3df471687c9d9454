"""The team page's coverage (skp/cakupan.py) as SQL: a superior's direct subordinates with the
SKP that counts for the year."""

from __future__ import annotations

from typing import Any

from ekinerja.kepegawaian.penilai_sql import direct_bawahan_sql
from ekinerja.kepegawaian.sql import in_force
from ekinerja.schema.compiled.catalog.spec import Column, Listed, One, column, template
from ekinerja.skp.cakupan import CURRENT_SKP_ORDER
from ekinerja.skp.revisi_links import skp_in_force


def _current_skp(pegawai: str, tahun: str, columns: str) -> str:
    """skp/cakupan.py's SKP that counts for a pegawai and a year (the newest version in
    force), as a correlated subquery's body over alias s."""
    return (
        f"SELECT {columns} FROM skp s WHERE s.pegawai_id = {pegawai} AND s.tahun = {tahun} "
        f"AND {template(skp_in_force('s'))} ORDER BY {CURRENT_SKP_ORDER} LIMIT 1"
    )


def superior_row(superior: str, tahun: str) -> str:
    """The row CakupanCascade reads: the superior (id), the year (tahun) and the superior's
    SKP that counts for it (skp_id, NULL without one), found once for every subordinate."""
    current = _current_skp(superior, tahun, "s.id")
    return f"(SELECT {superior}::int AS id, {tahun}::int AS tahun, ({current}) AS skp_id)"


def direct_subordinates(arguments: dict[str, Any]) -> tuple[str, str] | None:
    """Each direct subordinate on $1 of the superior of {row} (kepegawaian/penilai_sql.py),
    with the SKP that counts for {row}'s year, by name: the rows of CakupanBawahan."""
    below = template(direct_bawahan_sql("SUPERIOR")).replace("SUPERIOR", "{row}.id")
    current = _current_skp("b.id", "{row}.tahun", "s.id, s.status")
    source = (
        "FROM (SELECT b.id AS pegawai_id, b.nama, {row}.tahun, {row}.skp_id AS atasan_skp_id,"
        " cur.id AS skp_id, cur.status AS skp_status FROM pegawai b"
        f" LEFT JOIN LATERAL ({current}) cur ON TRUE WHERE b.id IN ({below})) {{child}}"
    )
    return source, "{child}.nama, {child}.pegawai_id"


TYPES = {
    # The row of superior_row (roots.py's cakupanCascade). Only the
    # subordinates are compiled: the percentages are Python's float rounding, the RHK lists
    # and the matriks the resolvers' (they fall back).
    "CakupanCascade": {"bawahan": Listed("CakupanBawahan", direct_subordinates)},
    # A row of direct_subordinates (pegawai_id, nama, tahun, atasan_skp_id, skp_id,
    # skp_status).
    "CakupanBawahan": {
        "statusSkp": column("skp_status"),
        # The unit of the definitive position in force, the lowest assignment first.
        "unit": Column(
            "(SELECT u.nama FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id"
            " JOIN unit_kerja_versi u ON u.unit_id = j.unit_id"
            f" AND {template(in_force('u'))}"
            " WHERE p.pegawai_id = {row}.pegawai_id AND p.jenis = 'DEFINITIF'"
            f" AND {template(in_force('p'))} ORDER BY p.id LIMIT 1)"
        ),
        "jumlahRhk": Column("(SELECT count(*) FROM rhk r WHERE r.skp_id = {row}.skp_id)"),
        # Intervening none of the RHK of the superior's SKP that counts.
        "rhkTidakTerhubung": Column(
            "(SELECT count(*) FROM rhk r WHERE r.skp_id = {row}.skp_id AND NOT EXISTS ("
            "SELECT 1 FROM rhk theirs WHERE theirs.id = r.intervensi_id"
            " AND theirs.skp_id = {row}.atasan_skp_id))"
        ),
        "pegawai": One("Pegawai", "FROM pegawai {child} WHERE {child}.id = {row}.pegawai_id"),
        "skp": One("Skp", "FROM skp {child} WHERE {child}.id = {row}.skp_id"),
    },
}
