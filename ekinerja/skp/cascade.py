"""The cascade of results: which RHK support (intervene) which, through the organisation.

RHK → intervened RHK is an adjacency list inside the tenant schema; each direction is one
recursive query whatever the depth or size, returning flat nodes with depth, parent and path so
GraphQL can hand out a flat list or rebuild the tree without asking again.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekinerja.db.sql import fetch
from ekinerja.skp.revisi_links import skp_in_force

MAX_DEPTH = 50  # an organisation is never this deep; a cycle in bad data stops here too


@dataclass(frozen=True)
class CascadeNode:
    rhk_id: int
    parent_rhk_id: int | None
    depth: int
    path: tuple[int, ...]  # RHK ids from the starting RHK (exclusive) to this one
    teks: str
    skp_id: int
    skp_status: str
    pegawai_id: int
    pemilik_nama: str
    pemilik_nip: str


def _node(row: dict) -> CascadeNode:
    return CascadeNode(
        rhk_id=row["id"],
        parent_rhk_id=row["parent_id"],
        depth=row["depth"],
        path=tuple(row["path"]),
        teks=row["teks"],
        skp_id=row["skp_id"],
        skp_status=row["status"],
        pegawai_id=row["pegawai_id"],
        pemilik_nama=row["nama"],
        pemilik_nip=row["nip"],
    )


# The RHK columns every cascade row carries besides (id, parent_id, depth, path, teks, skp_id,
# status, pegawai_id, nama, nip): the compiled read path reads a node's RHK from the node's own
# row (catalog Same), so both directions must carry them.
_NODE_RHK_COLUMNS = (
    "urutan",
    "jenis",
    "klasifikasi",
    "intervensi_eksternal",
    "penugasan_dari",
    "intervensi_id",
)


def _node_rhk_columns(alias: str) -> str:
    return ", ".join(f"{alias}.{column}" for column in _NODE_RHK_COLUMNS)


def cascade_down_sql(start: str, depth: str, also: str = "TRUE") -> str:
    """The rows of the cascade below the RHK ``start`` (an SQL expression: a parameter, or a
    column of an outer query), at most ``depth`` levels, breadth first as ``ORDER BY depth,
    path`` gives them, in the SKP versions in force, where ``also`` holds: (id, parent_id,
    depth, path, teks, skp_id, status, pegawai_id, nama, nip, and _NODE_RHK_COLUMNS). One text
    for this module and the compiled read path (schema/compiled/catalog/skp.py), which
    correlates it with a row."""
    # The walk reads each RHK's row anyway (its id against the path): it carries the columns
    # the nodes show, so the nodes are not joined to rhk again (the resolvers' query: 60 ms
    # instead of 69 for 10,000 nodes; the compiled statement gained nothing measurable).
    carried = f"r.teks, r.skp_id, {_node_rhk_columns('r')}"
    return f"""WITH RECURSIVE down AS (
             SELECT r.id, r.intervensi_id AS parent_id, 1 AS depth, ARRAY[r.id] AS path,
                    {carried}
             FROM rhk r WHERE r.intervensi_id = {start}
             UNION ALL
             SELECT r.id, r.intervensi_id, down.depth + 1, down.path || r.id, {carried}
             FROM rhk r JOIN down ON r.intervensi_id = down.id
             WHERE down.depth < {depth} AND NOT r.id = ANY(down.path)
           )
           SELECT down.id, down.parent_id, down.depth, down.path, down.teks, s.id AS skp_id,
                  s.status, s.pegawai_id, g.nama, g.nip, {_node_rhk_columns("down")}
           FROM down JOIN skp s ON s.id = down.skp_id JOIN pegawai g ON g.id = s.pegawai_id
           WHERE {skp_in_force("s")} AND {also}"""


def cascade_depth(max_depth: int | None) -> int:
    """The levels a cascade reads: ``max_depth`` (0 or none: all), never more than MAX_DEPTH."""
    return min(max_depth or MAX_DEPTH, MAX_DEPTH)


async def cascade_down(
    rhk_id: int, max_depth: int | None = None, unit_ids: list[int] | None = None
) -> list[CascadeNode]:
    """Every RHK that intervenes ``rhk_id``, directly or through others, breadth first, in
    the versions in force (a revision still in draft shows once approved).
    ``unit_ids`` keeps only RHK whose owner's SKP snapshot names one of those units' pegawai
    (by their current definitive position)."""
    in_units = """($3::int[] IS NULL OR EXISTS (
                   SELECT 1 FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
                   WHERE p.pegawai_id = s.pegawai_id AND p.jenis = 'DEFINITIF'
                     AND p.berlaku_sampai IS NULL AND j.unit_id = ANY($3::int[])))"""
    rows = await fetch(
        cascade_down_sql("$1", "$2", in_units) + " ORDER BY down.depth, down.path",
        rhk_id,
        cascade_depth(max_depth),
        unit_ids,
    )
    return [_node(row) for row in rows]


def cascade_up_sql(start: str, depth: str) -> str:
    """The rows of the chain of RHK that the RHK ``start`` (an SQL expression) intervenes, at
    most ``depth`` levels, one per level (``ORDER BY depth``), in every version, replaced
    ones included: the columns of ``cascade_down_sql``. One text for this module and the
    compiled read path."""
    return f"""WITH RECURSIVE up AS (
             SELECT r.intervensi_id AS id, r.id AS parent_id, 1 AS depth,
                    ARRAY[r.intervensi_id] AS path
             FROM rhk r WHERE r.id = {start} AND r.intervensi_id IS NOT NULL
             UNION ALL
             SELECT r.intervensi_id, up.id, up.depth + 1, up.path || r.intervensi_id
             FROM rhk r JOIN up ON r.id = up.id
             WHERE r.intervensi_id IS NOT NULL AND up.depth < {depth}
               AND NOT r.intervensi_id = ANY(up.path)
           )
           SELECT up.*, r.teks, s.id AS skp_id, s.status, s.pegawai_id, g.nama, g.nip,
                  {_node_rhk_columns("r")}
           FROM up JOIN rhk r ON r.id = up.id JOIN skp s ON s.id = r.skp_id
           JOIN pegawai g ON g.id = s.pegawai_id"""


async def cascade_up(rhk_id: int) -> list[CascadeNode]:
    """The chain of RHK that ``rhk_id`` intervenes, up to the top of the agency."""
    rows = await fetch(cascade_up_sql("$1", "$2") + " ORDER BY up.depth", rhk_id, MAX_DEPTH)
    return [_node(row) for row in rows]
