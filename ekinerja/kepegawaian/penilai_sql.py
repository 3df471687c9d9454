"""Who is the pejabat penilai of whom on a date, as SQL text that embeds in a larger statement.

The rule is atasan.py's ``resolve_penilai``, written as recursive CTEs so that a page of
subordinates (and the compiled read path, issue 17) can be answered in one statement. The
Python resolution stays: it carries the explanation steps; tests/test_penilai_sql.py checks the
two agree on every pegawai of many organisations. The date is always $1 (kepegawaian/sql.py).

``penilai_ctes`` walks forward from each subject's own position: one row per step, whose state
is the current position, the unit being examined while walking the unit tree upward (``cursor``)
and the positions already seen. A step either finds the superior position (the explicit one, or
the nearest unit's head that is not the current position), moves the cursor one unit up (a
unit without a head), or ends: a holder other than the subject is the penilai; a superior
already seen, no unit, or no superior ends at the top of the agency (external or nobody: no
pegawai). A vacant superior, or one held by the subject, becomes the current position.

``direct_bawahan_sql`` inverts that without resolving the whole agency. From the positions the
superior holds it walks down the exact inverse of the forward step (positions reporting to one
explicitly; for a unit head, the staff of its unit and of the headless units below it and the
heads of the units hanging there), continuing only below vacant positions: a held position
stops every forward walk reaching it except its holder's own. Whoever holds a position found
is a candidate, as is whoever is overridden to the superior. A candidate whose own position was
found below a position the superior is the first holder of, through vacancies only, and who
has no override is appraised by the superior: their forward walk would retrace that path. The
others (acting in a found position while holding another, overridden, or found below a seat
where the superior only acts) take the forward walk, so the two answers cannot differ.
"""

from __future__ import annotations

from ekinerja.kepegawaian.sql import HOLDER_ORDER, in_force

# Walking the unit tree upward only ends by finding a head; a cycle of headless units (a data
# error) would not, so the walk stops there with no answer.
_MAX_STEPS = 1000


def _version_parent(unit: str) -> str:
    """The parent of unit ``unit`` as of $1 (NULL for a root or a unit not in force)."""
    return (
        f"(SELECT v.parent_id FROM unit_kerja_versi v WHERE v.unit_id = {unit} "
        f"AND {in_force('v')} ORDER BY v.berlaku_mulai DESC LIMIT 1)"
    )


def _start(position: str) -> str:
    """Where the walk above jabatan row ``position`` begins: a head looks from the unit above
    its own, anyone else from their own unit (NULL: the unit is not in force on $1)."""
    return (
        f"CASE WHEN {position}.kepala_unit THEN {_version_parent(f'{position}.unit_id')} "
        f"ELSE {position}.unit_id END"
    )


def penilai_ctes(subjects: str) -> str:
    """CTE definitions (to follow ``WITH RECURSIVE``) ending in ``penilai_of(pegawai_id,
    penilai_id)``: the pejabat penilai on $1 of every pegawai in CTE ``subjects`` (a column
    ``pegawai_id``, without repeats) who has a pegawai as penilai. Those appraised outside the
    system or by nobody have no row.

    Every lookup is a LATERAL subquery with LIMIT: the planner then probes the indexes once per
    row rather than hashing whole tables, whose size is the agency's, not the team's."""
    return f"""
penilai_start AS (
  SELECT s.pegawai_id, own.jabatan_id, override.found AS overridden, override.atasan_id
  FROM {subjects} s
  LEFT JOIN LATERAL (
    SELECT true AS found, o.atasan_id FROM atasan_override o
    WHERE o.pegawai_id = s.pegawai_id AND o.peran = 'PENILAI' AND {in_force("o")}
    ORDER BY o.berlaku_mulai DESC, o.id DESC LIMIT 1
  ) override ON true
  LEFT JOIN LATERAL (
    SELECT p.jabatan_id FROM penugasan p
    WHERE override.found IS NULL AND p.pegawai_id = s.pegawai_id AND {in_force("p")}
    ORDER BY {HOLDER_ORDER} LIMIT 1
  ) own ON true
),
penilai_walk (pegawai_id, cur, explicit, cursor, seen, done, penilai_id, steps) AS (
  SELECT w.pegawai_id, w.jabatan_id, j.atasan_jabatan_id, {_start("j")}, ARRAY[w.jabatan_id],
         false, NULL::int, 0
  FROM penilai_start w
  CROSS JOIN LATERAL (
    SELECT j.unit_id, j.kepala_unit, j.atasan_jabatan_id FROM jabatan j
    WHERE j.id = w.jabatan_id LIMIT 1
  ) j
  UNION ALL
  SELECT r.pegawai_id,
         CASE step.outcome WHEN 'up' THEN r.cur WHEN 'to' THEN sup.id END,
         CASE step.outcome WHEN 'up' THEN r.explicit WHEN 'to' THEN sup.atasan_jabatan_id END,
         CASE step.outcome WHEN 'up' THEN unit.parent_id WHEN 'to' THEN {_start("sup")} END,
         CASE step.outcome WHEN 'to' THEN r.seen || sup.id ELSE r.seen END,
         step.outcome NOT IN ('up', 'to'),
         CASE step.outcome WHEN 'found' THEN holder.pegawai_id END,
         r.steps + 1
  FROM penilai_walk r
  LEFT JOIN LATERAL (
    SELECT true AS found, v.parent_id FROM unit_kerja_versi v
    WHERE r.explicit IS NULL AND v.unit_id = r.cursor AND {in_force("v")}
    ORDER BY v.berlaku_mulai DESC LIMIT 1
  ) unit ON true
  LEFT JOIN LATERAL (
    SELECT j.id, j.unit_id, j.kepala_unit, j.atasan_jabatan_id FROM jabatan j
    WHERE j.id = r.explicit
    UNION ALL
    SELECT head.* FROM (
      SELECT j.id, j.unit_id, j.kepala_unit, j.atasan_jabatan_id FROM jabatan j
      WHERE unit.found AND j.unit_id = r.cursor AND j.kepala_unit AND j.aktif
      ORDER BY j.id LIMIT 1
    ) head WHERE head.id <> r.cur
  ) sup ON true
  LEFT JOIN LATERAL (
    SELECT p.pegawai_id FROM penugasan p
    WHERE p.jabatan_id = sup.id AND {in_force("p")}
    ORDER BY {HOLDER_ORDER} LIMIT 1
  ) holder ON true
  CROSS JOIN LATERAL (
    SELECT CASE
      WHEN sup.id IS NULL AND unit.found THEN 'up'
      WHEN sup.id IS NULL OR sup.id = ANY(r.seen) THEN 'top'
      WHEN holder.pegawai_id IS NOT NULL AND holder.pegawai_id <> r.pegawai_id THEN 'found'
      ELSE 'to'
    END AS outcome
  ) step
  WHERE NOT r.done AND r.steps < {_MAX_STEPS}
),
penilai_of AS (
  SELECT pegawai_id, penilai_id FROM penilai_walk WHERE done AND penilai_id IS NOT NULL
  UNION ALL
  SELECT pegawai_id, atasan_id FROM penilai_start WHERE overridden AND atasan_id IS NOT NULL
)"""


def penilai_sql(subjects: str) -> str:
    """A statement yielding ``(pegawai_id, penilai_id)`` for the pegawai ids ``subjects`` (an
    SQL query with one column, e.g. ``SELECT unnest($2::int[])``) with a pegawai as penilai on
    $1."""
    return f"""WITH RECURSIVE
penilai_subjects (pegawai_id) AS (SELECT DISTINCT * FROM ({subjects}) s),
{penilai_ctes("penilai_subjects")}
SELECT pegawai_id, penilai_id FROM penilai_of"""


def _with_holders(position: str) -> str:
    """A join giving ``h.pegawai_id``: each pegawai with a penugasan on jabatan row
    ``position`` on $1, or one NULL row when the position is vacant."""
    return f"LEFT JOIN penugasan h ON h.jabatan_id = {position}.id AND {in_force('h')}"


def direct_bawahan_sql(superior: str) -> str:
    """One statement, usable as a subquery (``... WHERE g.id IN (<text>)``), yielding the
    ``pegawai_id`` of everyone whose pejabat penilai on $1 is the pegawai ``superior`` (an SQL
    expression: ``$2``, or a column of an enclosing query), each once, unordered.

    ``bawahan_reach`` rows are the superior's own positions (R), the units whose staff report
    to a head found (U: the head's own unit and the headless units below it) and the positions
    reporting to an R, a U or a vacant P (P: one row per holder, ``holder`` NULL when vacant;
    only those are walked below). ``direct``: reached from an R the superior is
    the first holder of, through no vacancy. The relation walked is exactly the inverse of the
    forward walk's step, so whoever holds a direct P as their own position (and is not
    overridden) is appraised by the superior without walking; the other candidates walk."""
    return f"""WITH RECURSIVE
bawahan_reach (kind, id, holder, direct) AS (
  SELECT 'R'::text, mine.jabatan_id, NULL::int, first.pegawai_id = {superior}
  FROM penugasan mine CROSS JOIN LATERAL (
    SELECT p.pegawai_id FROM penugasan p
    WHERE p.jabatan_id = mine.jabatan_id AND {in_force("p")}
    ORDER BY {HOLDER_ORDER} LIMIT 1
  ) first
  WHERE mine.pegawai_id = {superior} AND {in_force("mine")}
  UNION
  SELECT next.kind, next.id, next.holder, r.direct
  FROM bawahan_reach r CROSS JOIN LATERAL (
    SELECT 'P'::text AS kind, c.id, h.pegawai_id AS holder FROM jabatan c {_with_holders("c")}
    WHERE r.kind <> 'U' AND c.atasan_jabatan_id = r.id
    UNION ALL
    SELECT 'U', j.unit_id, NULL FROM jabatan j
    WHERE r.kind <> 'U' AND j.id = r.id AND j.kepala_unit AND j.aktif
      AND NOT EXISTS (SELECT 1 FROM jabatan k
                      WHERE k.unit_id = j.unit_id AND k.kepala_unit AND k.aktif AND k.id < j.id)
      AND EXISTS (SELECT 1 FROM unit_kerja_versi v WHERE v.unit_id = j.unit_id
                  AND {in_force("v")})
    UNION ALL
    SELECT 'P', c.id, h.pegawai_id FROM jabatan c {_with_holders("c")}
    WHERE r.kind = 'U' AND c.unit_id = r.id AND NOT c.kepala_unit AND c.atasan_jabatan_id IS NULL
    UNION ALL
    SELECT 'P', c.id, h.pegawai_id FROM unit_kerja_versi v
    JOIN jabatan c ON c.unit_id = v.unit_id AND c.kepala_unit AND c.atasan_jabatan_id IS NULL
    {_with_holders("c")}
    WHERE r.kind = 'U' AND v.parent_id = r.id AND {in_force("v")}
    UNION ALL
    SELECT 'U', v.unit_id, NULL FROM unit_kerja_versi v
    WHERE r.kind = 'U' AND v.parent_id = r.id AND {in_force("v")}
      AND NOT EXISTS (SELECT 1 FROM jabatan k
                      WHERE k.unit_id = v.unit_id AND k.kepala_unit AND k.aktif)
  ) next
  WHERE r.holder IS NULL
),
bawahan_held AS (
  SELECT r.holder AS pegawai_id,
         coalesce(r.direct AND override.found IS NULL AND own.jabatan_id = r.id
                  AND r.id NOT IN (SELECT id FROM bawahan_reach WHERE kind = 'R'), false)
           AS decided
  FROM bawahan_reach r
  LEFT JOIN LATERAL (
    SELECT true AS found FROM atasan_override o
    WHERE o.pegawai_id = r.holder AND o.peran = 'PENILAI' AND {in_force("o")} LIMIT 1
  ) override ON true
  LEFT JOIN LATERAL (
    SELECT p.jabatan_id FROM penugasan p
    WHERE p.pegawai_id = r.holder AND {in_force("p")}
    ORDER BY {HOLDER_ORDER} LIMIT 1
  ) own ON true
  WHERE r.kind = 'P' AND r.holder IS NOT NULL AND r.holder <> {superior}
),
bawahan_direct AS (SELECT DISTINCT pegawai_id FROM bawahan_held WHERE decided),
bawahan_walking (pegawai_id) AS (
  SELECT pegawai_id FROM bawahan_held WHERE NOT decided
  UNION
  SELECT o.pegawai_id FROM atasan_override o
  WHERE o.atasan_id = {superior} AND o.peran = 'PENILAI' AND {in_force("o")}
  EXCEPT
  SELECT pegawai_id FROM bawahan_direct
),
{penilai_ctes("bawahan_walking")}
SELECT pegawai_id FROM bawahan_direct
UNION ALL
SELECT pegawai_id FROM penilai_of WHERE penilai_id = {superior}"""
