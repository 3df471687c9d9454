"""Subordinates (bawahan) of a pegawai on a date.

Direct bawahan are exactly the pegawai whose resolved pejabat penilai (superiors.py) is this
pegawai. They are found by gathering the few who could be (staff of the units this pegawai
heads or acts in and of vacant-headed units below them, the heads of the next units down,
positions that report to theirs explicitly, pegawai overridden to them) and keeping those the
resolution confirms, so the two answers can never disagree.

The whole subtree follows the unit tree below the units the pegawai heads or acts in, plus
those explicitly attached to them; it is one keyset-paginated query.
"""

from __future__ import annotations

from datetime import date

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.atasan import load_view, resolve_penilai
from ekinerja.kepegawaian.pages import Page, PageRequest, after_clause, page_from_rows
from ekinerja.kepegawaian.sql import UNITS_AT, in_force

_MINE = f"""
mine AS (
  SELECT j.id, j.unit_id, j.kepala_unit
  FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
  WHERE p.pegawai_id = $2 AND {in_force("p")}
),
headed AS (SELECT unit_id FROM mine WHERE kepala_unit)"""

_OVERRIDDEN_TO_ME = f"""
SELECT o.pegawai_id FROM atasan_override o
WHERE o.atasan_id = $2 AND o.peran = 'PENILAI' AND {in_force("o")}"""

_CANDIDATES = f"""
WITH RECURSIVE {UNITS_AT}, {_MINE},
filled_heads AS (
  SELECT DISTINCT j.unit_id FROM jabatan j JOIN penugasan p ON p.jabatan_id = j.id
  WHERE j.kepala_unit AND {in_force("p")}
),
walk AS (
  SELECT unit_id AS id, 0 AS depth FROM headed
  UNION
  SELECT u.id, walk.depth + 1 FROM walk JOIN units_at u ON u.parent_id = walk.id
  WHERE u.id NOT IN (SELECT unit_id FROM filled_heads) AND walk.depth < 100
),
frontier AS (
  SELECT u.id FROM walk JOIN units_at u ON u.parent_id = walk.id
  WHERE u.id IN (SELECT unit_id FROM filled_heads)
)
SELECT DISTINCT p.pegawai_id FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
WHERE {in_force("p")} AND p.pegawai_id <> $2 AND (
  j.unit_id IN (SELECT id FROM walk)
  OR (j.kepala_unit AND j.unit_id IN (SELECT id FROM frontier))
  OR j.atasan_jabatan_id IN (SELECT id FROM mine)
)
UNION
{_OVERRIDDEN_TO_ME}"""


async def direct_bawahan_ids(pegawai_id: int, on: date) -> list[int]:
    candidates = [row["pegawai_id"] for row in await fetch(_CANDIDATES, on, pegawai_id)]
    if not candidates:
        return []
    view = await load_view(candidates, on)
    return [c for c in candidates if resolve_penilai(view, c).pegawai_id == pegawai_id]


async def direct_bawahan_page(pegawai_id: int, on: date, request: PageRequest) -> Page:
    ids = await direct_bawahan_ids(pegawai_id, on)
    after, params = after_clause(request, 2)
    rows = await fetch(
        f"SELECT g.id, g.nama FROM pegawai g WHERE g.id = ANY($1::int[]) AND {after} "
        f"ORDER BY g.nama, g.id LIMIT ${2 + len(params)}",
        ids,
        *params,
        request.first + 1,
    )
    return page_from_rows(rows, request)


async def subtree_bawahan_page(pegawai_id: int, on: date, request: PageRequest) -> Page:
    after, params = after_clause(request, 3)
    rows = await fetch(
        f"""WITH RECURSIVE {UNITS_AT}, {_MINE},
        down AS (
          SELECT unit_id AS id, 0 AS depth FROM headed
          UNION
          SELECT u.id, down.depth + 1 FROM down JOIN units_at u ON u.parent_id = down.id
          WHERE down.depth < 100
        ),
        members AS (
          SELECT p.pegawai_id FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
          WHERE {in_force("p")} AND (
            j.unit_id IN (SELECT id FROM down) OR j.atasan_jabatan_id IN (SELECT id FROM mine)
          )
          UNION
          {_OVERRIDDEN_TO_ME}
        )
        SELECT g.id, g.nama FROM pegawai g
        WHERE g.id IN (SELECT pegawai_id FROM members) AND g.id <> $2 AND {after}
        ORDER BY g.nama, g.id LIMIT ${3 + len(params)}""",
        on,
        pegawai_id,
        *params,
        request.first + 1,
    )
    return page_from_rows(rows, request)
