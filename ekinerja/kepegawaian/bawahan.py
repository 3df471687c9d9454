"""Subordinates (bawahan) of a pegawai on a date.

Direct bawahan are exactly the pegawai whose resolved pejabat penilai (atasan.py) is this
pegawai: penilai_sql.py states that rule in SQL, gathering the few who could be and keeping
those whose penilai it resolves to this pegawai, in one statement that can also be embedded in
a larger one.

The whole subtree follows the unit tree below the units the pegawai heads or acts in, plus
those explicitly attached to them; it is one keyset-paginated query.
"""

from __future__ import annotations

from datetime import date

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.pages import Page, PageRequest, after_clause, page_from_rows
from ekinerja.kepegawaian.penilai_sql import direct_bawahan_sql
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

# Ordered as the pages are, so every list of a team reads the same way.
_DIRECT = f"""SELECT g.id FROM pegawai g WHERE g.id IN ({direct_bawahan_sql("$2")})
ORDER BY g.nama, g.id"""


async def direct_bawahan_ids(pegawai_id: int, on: date) -> list[int]:
    """Everyone ``pegawai_id`` appraises on ``on``, by nama then id, in one statement."""
    return [row["id"] for row in await fetch(_DIRECT, on, pegawai_id)]


async def direct_bawahan_page(pegawai_id: int, on: date, request: PageRequest) -> Page:
    after, params = after_clause(request, 3)
    rows = await fetch(
        f"SELECT g.id, g.nama FROM pegawai g WHERE g.id IN ({direct_bawahan_sql('$2')}) "
        f"AND {after} ORDER BY g.nama, g.id LIMIT ${3 + len(params)}",
        on,
        pegawai_id,
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
