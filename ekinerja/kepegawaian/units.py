"""The unit tree as of a date: roots, children, ancestors, head-counts.

Every function answers for many units at once in one query, so GraphQL DataLoaders can batch a
whole level of the tree into one round trip whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.sql import ASSIGNED_AT, UNITS_AT


@dataclass(frozen=True)
class UnitAt:
    id: int
    nama: str
    parent_id: int | None
    aktif: bool
    siasn_id: str | None = None


def _unit(row: dict) -> UnitAt:
    return UnitAt(row["id"], row["nama"], row["parent_id"], row["aktif"], row.get("siasn_id"))


async def units_by_id(ids: list[int], on: date) -> dict[int, UnitAt]:
    rows = await fetch(
        f"WITH {UNITS_AT} SELECT u.*, k.siasn_id FROM units_at u "
        "JOIN unit_kerja k ON k.id = u.id WHERE u.id = ANY($2::int[])",
        on,
        ids,
    )
    return {row["id"]: _unit(row) for row in rows}


async def roots(on: date) -> list[UnitAt]:
    rows = await fetch(
        f"WITH {UNITS_AT} SELECT u.*, k.siasn_id FROM units_at u "
        "JOIN unit_kerja k ON k.id = u.id WHERE u.parent_id IS NULL ORDER BY u.nama, u.id",
        on,
    )
    return [_unit(row) for row in rows]


async def children_of(parent_ids: list[int], on: date) -> dict[int, list[UnitAt]]:
    rows = await fetch(
        f"WITH {UNITS_AT} SELECT u.*, k.siasn_id FROM units_at u "
        "JOIN unit_kerja k ON k.id = u.id "
        "WHERE u.parent_id = ANY($2::int[]) ORDER BY u.nama, u.id",
        on,
        parent_ids,
    )
    children: dict[int, list[UnitAt]] = defaultdict(list)
    for row in rows:
        children[row["parent_id"]].append(_unit(row))
    return children


async def ancestors_of(unit_ids: list[int], on: date) -> dict[int, list[UnitAt]]:
    """For each unit, its ancestors from the root down to its parent."""
    rows = await fetch(
        f"""WITH RECURSIVE {UNITS_AT},
        up AS (
          SELECT u.id AS start_id, u.parent_id AS id, 1 AS distance
          FROM units_at u WHERE u.id = ANY($2::int[]) AND u.parent_id IS NOT NULL
          UNION ALL
          SELECT up.start_id, u.parent_id, up.distance + 1
          FROM up JOIN units_at u ON u.id = up.id
          WHERE u.parent_id IS NOT NULL AND up.distance < 100
        )
        SELECT up.start_id, up.distance, u.*, k.siasn_id
        FROM up JOIN units_at u ON u.id = up.id JOIN unit_kerja k ON k.id = u.id
        ORDER BY up.start_id, up.distance DESC""",
        on,
        unit_ids,
    )
    chains: dict[int, list[UnitAt]] = defaultdict(list)
    for row in rows:
        chains[row["start_id"]].append(_unit(row))
    return chains


async def headcounts(unit_ids: list[int], on: date, *, subtree: bool) -> dict[int, int]:
    """Pegawai with a definitive assignment on ``on`` in each unit, or in it and every unit
    below it."""
    if not subtree:
        rows = await fetch(
            f"WITH {ASSIGNED_AT} SELECT unit_id, count(*) AS n FROM assigned_at "
            "WHERE unit_id = ANY($2::int[]) GROUP BY unit_id",
            on,
            unit_ids,
        )
    else:
        rows = await fetch(
            f"""WITH RECURSIVE {UNITS_AT}, {ASSIGNED_AT},
            down AS (
              SELECT id AS root_id, id, 0 AS depth FROM units_at WHERE id = ANY($2::int[])
              UNION ALL
              SELECT down.root_id, u.id, down.depth + 1
              FROM down JOIN units_at u ON u.parent_id = down.id
              WHERE down.depth < 100
            )
            SELECT down.root_id AS unit_id, count(a.pegawai_id) AS n
            FROM down JOIN assigned_at a ON a.unit_id = down.id
            GROUP BY down.root_id""",
            on,
            unit_ids,
        )
    counts = {unit_id: 0 for unit_id in unit_ids}
    counts.update({row["unit_id"]: row["n"] for row in rows})
    return counts


async def depth_of(unit_ids: list[int], on: date) -> dict[int, int]:
    """Level in the tree on ``on``: 1 for a root."""
    chains = await ancestors_of(unit_ids, on)
    return {unit_id: len(chains.get(unit_id, [])) + 1 for unit_id in unit_ids}
