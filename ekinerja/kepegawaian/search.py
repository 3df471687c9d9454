"""Finding pegawai: by NIP prefix or part of the name, within a unit (optionally with the units
below it) or a jabatan, as of a date; one keyset-paginated query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.pages import Page, PageRequest, after_clause, page_from_rows
from ekinerja.kepegawaian.sql import UNITS_AT, in_force


@dataclass(frozen=True)
class PegawaiFilter:
    q: str | None = None
    unit_id: int | None = None
    include_subunits: bool = False
    jabatan_id: int | None = None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_pegawai(criteria: PegawaiFilter, on: date, request: PageRequest) -> Page:
    q = " ".join((criteria.q or "").split()) or None
    after, params = after_clause(request, 7)
    rows = await fetch(
        f"""WITH RECURSIVE {UNITS_AT},
        scope AS (
          SELECT $4::int AS id, 0 AS depth WHERE $4::int IS NOT NULL
          UNION
          SELECT u.id, scope.depth + 1 FROM scope JOIN units_at u ON u.parent_id = scope.id
          WHERE $6::bool AND scope.depth < 100
        )
        SELECT g.id, g.nama FROM pegawai g
        WHERE ($2::text IS NULL OR g.nip LIKE $3 || '%' OR g.nama ILIKE '%' || $3 || '%')
          AND ($4::int IS NULL AND $5::int IS NULL OR EXISTS (
                SELECT 1 FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
                WHERE p.pegawai_id = g.id AND {in_force("p")}
                  AND ($4::int IS NULL OR j.unit_id IN (SELECT id FROM scope))
                  AND ($5::int IS NULL OR j.id = $5)))
          AND {after}
        ORDER BY g.nama, g.id LIMIT ${7 + len(params)}""",
        on,
        q,
        _like_escape(q) if q else None,
        criteria.unit_id,
        criteria.jabatan_id,
        criteria.include_subunits,
        *params,
        request.first + 1,
    )
    return page_from_rows(rows, request)
