"""Intervention links across SKP revisions (decision 0019).

A revision copies each RHK into the new version and records where it came from (`asal_id`).
When the new version is approved it becomes the one in force, and every link to an RHK it kept
follows that RHK into it: one UPDATE, whoever and however many the subordinates are. A link to
an RHK the revision removed has nowhere to go: it stays on the replaced version and is
*yatim* (orphaned) until its owner re-links or removes it; such an SKP cannot be submitted or
approved, and no new link may name an RHK of a replaced version.

Direct-cascading parts (an indikator that is a share of the superior's indikator,
`bagian_dari_id`) are links too and go the same way: each copied indikator records its
`asal_id`, a part follows the indikator the revision kept, and a part of an indikator it
removed is orphaned and blocks submission and approval alike.
"""

from __future__ import annotations

from enum import StrEnum

from ekinerja.db.sql import fetch
from ekinerja.skp.errors import SkpError


def skp_in_force(alias: str) -> str:
    """SQL: the SKP ``alias`` is the version in force: not replaced, and not a revision still
    waiting for approval (its predecessor, still in force, is what counts until then)."""
    # Written so that it stays a filter on the row: as a bare NOT EXISTS the planner made it an
    # anti join and estimated one SKP in force of 10,000 (menggantikan_id is almost always
    # NULL), then nested a whole-agency cascade into 200 million comparisons (20 s).
    return (
        f"{alias}.digantikan_pada IS NULL AND ({alias}.menggantikan_id IS NULL OR NOT EXISTS ("
        f"SELECT 1 FROM skp pending_of WHERE pending_of.id = {alias}.menggantikan_id "
        f"AND pending_of.digantikan_pada IS NULL))"
    )


class StatusIntervensi(StrEnum):
    TIDAK_ADA = "TIDAK_ADA"  # intervenes no RHK in the system
    BERLAKU = "BERLAKU"  # the intervened RHK is in its owner's version in force
    DIGANTIKAN = "DIGANTIKAN"  # it was replaced by a revision that kept it (a history link)
    YATIM = "YATIM"  # the revision removed it: re-link or remove


PETUNJUK = {
    StatusIntervensi.DIGANTIKAN: "The superior revised their SKP: link to the same RHK in "
    "their current version.",
    StatusIntervensi.YATIM: "The superior removed this RHK in a revision of their SKP: "
    "intervene one of their current RHK instead (simpanRhk with intervensiRhkId), or remove "
    "the link, then submit again.",
}


# What to do about a part whose superior indikator is (superseded, removed).
PETUNJUK_BAGIAN = (
    "The superior revised their SKP: split the same indikator in their current version.",
    "The superior removed the indikator this one is a part of in a revision of their SKP: "
    "split one of their current indikator instead (simpanRhk with indikator.bagianDariId), or "
    "drop the split, then submit again.",
)


async def follow_revision(approved_skp_id: int) -> int:
    """Re-point links to the replaced version's RHK, and parts of its indikator, at their
    successors in ``approved_skp_id`` (just approved). Only SKPs not themselves replaced move:
    history keeps its links. Returns how many RHK now point at the new version."""
    rows = await fetch(
        """UPDATE rhk r SET intervensi_id = successor.id
           FROM rhk successor, skp holder
           WHERE successor.skp_id = $1 AND successor.asal_id = r.intervensi_id
             AND holder.id = r.skp_id AND holder.digantikan_pada IS NULL
           RETURNING r.id""",
        approved_skp_id,
    )
    await fetch(
        """UPDATE indikator part SET bagian_dari_id = successor.id
           FROM indikator successor, rhk successor_rhk, rhk part_rhk, skp holder
           WHERE successor_rhk.skp_id = $1 AND successor.rhk_id = successor_rhk.id
             AND successor.asal_id = part.bagian_dari_id
             AND part_rhk.id = part.rhk_id AND holder.id = part_rhk.skp_id
             AND holder.digantikan_pada IS NULL
           RETURNING part.id""",
        approved_skp_id,
    )
    return len(rows)


async def states_of(target_rhk_ids: list[int]) -> dict[int, StatusIntervensi]:
    """The state of a link to each of ``target_rhk_ids`` (RHK being intervened); one query."""
    rows = await fetch(
        """SELECT t.id, s.digantikan_pada IS NOT NULL AS replaced,
                  EXISTS (SELECT 1 FROM rhk later WHERE later.asal_id = t.id) AS kept
           FROM rhk t JOIN skp s ON s.id = t.skp_id
           WHERE t.id = ANY($1::int[])""",
        target_rhk_ids,
    )
    return {row["id"]: _state(row["replaced"], row["kept"]) for row in rows}


def _state(replaced: bool, kept: bool) -> StatusIntervensi:
    if not replaced:
        return StatusIntervensi.BERLAKU
    return StatusIntervensi.DIGANTIKAN if kept else StatusIntervensi.YATIM


def refusal(state: StatusIntervensi, field: str, which: str) -> SkpError:
    """Why a link in ``state`` is refused (only DIGANTIKAN and YATIM are)."""
    superseded = state is StatusIntervensi.DIGANTIKAN
    code = "INTERVENTION_SUPERSEDED" if superseded else "INTERVENTION_ORPHANED"
    return SkpError(code, f"{which}: {PETUNJUK[state]}", field)


async def check_links_in_force(skp_id: int) -> None:
    """Refuse when an RHK of ``skp_id`` intervenes an RHK of a replaced version (the first
    one, numbered as the SKP lists its RHK)."""
    rows = await fetch(
        """SELECT numbered.nomor, numbered.intervensi_id
           FROM (SELECT r.intervensi_id, ROW_NUMBER() OVER (ORDER BY r.urutan, r.id) AS nomor
                 FROM rhk r WHERE r.skp_id = $1) numbered
           JOIN rhk t ON t.id = numbered.intervensi_id JOIN skp s ON s.id = t.skp_id
           WHERE s.digantikan_pada IS NOT NULL
           ORDER BY numbered.nomor LIMIT 1""",
        skp_id,
    )
    if rows:
        number = rows[0]["nomor"]
        state = (await states_of([rows[0]["intervensi_id"]]))[rows[0]["intervensi_id"]]
        raise refusal(state, f"rhk[{number}].intervensiRhkId", f"RHK {number}")
    await _check_parts_in_force(skp_id)


async def _check_parts_in_force(skp_id: int) -> None:
    """Refuse when an indikator of ``skp_id`` is a part of an indikator of a replaced version:
    the superior's revision removed it (a kept one is followed on approval)."""
    rows = await fetch(
        """SELECT numbered.nomor, part.nomor AS bagian, successor.id IS NOT NULL AS kept
           FROM (SELECT r.id, ROW_NUMBER() OVER (ORDER BY r.urutan, r.id) AS nomor
                 FROM rhk r WHERE r.skp_id = $1) numbered
           JOIN (SELECT i.rhk_id, i.bagian_dari_id,
                        ROW_NUMBER() OVER (PARTITION BY i.rhk_id ORDER BY i.urutan, i.id) AS nomor
                 FROM indikator i JOIN rhk own ON own.id = i.rhk_id
                 WHERE own.skp_id = $1) part ON part.rhk_id = numbered.id
           JOIN indikator induk ON induk.id = part.bagian_dari_id
           JOIN rhk induk_rhk ON induk_rhk.id = induk.rhk_id
           JOIN skp s ON s.id = induk_rhk.skp_id
           LEFT JOIN LATERAL (SELECT later.id FROM indikator later
                              WHERE later.asal_id = induk.id LIMIT 1) successor ON TRUE
           WHERE s.digantikan_pada IS NOT NULL
           ORDER BY numbered.nomor, part.nomor LIMIT 1""",
        skp_id,
    )
    if rows:
        row = rows[0]
        which = f"RHK {row['nomor']}, indikator {row['bagian']}"
        where = f"rhk[{row['nomor']}].indikator[{row['bagian']}].bagianDariId"
        if row["kept"]:
            raise SkpError("INTERVENTION_SUPERSEDED", f"{which}: {PETUNJUK_BAGIAN[0]}", where)
        raise SkpError("INTERVENTION_ORPHANED", f"{which}: {PETUNJUK_BAGIAN[1]}", where)
