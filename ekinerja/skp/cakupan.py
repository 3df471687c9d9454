"""How far a superior's results have been taken up by the people they appraise.

For a superior and a year: which of their RHK no subordinate intervenes yet; for each direct
subordinate, the state of their SKP and how many of their RHK intervene none of the
superior's; percentages overall and per unit; and the matriks peran hasil (who delivers what
for each of the superior's results). A fixed number of queries, whatever the team's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.bawahan import direct_bawahan_ids
from ekinerja.kepegawaian.sql import UNITS_AT, in_force
from ekinerja.skp.revisi_links import skp_in_force

# The SKP of a pegawai for a year that counts: the newest version in force (a revision still
# in draft does not count until approved; the version it will replace does).
CURRENT_SKP_ORDER = "s.periode_awal DESC, s.versi DESC, s.id DESC"
_CURRENT_SKP = f"""
SELECT DISTINCT ON (s.pegawai_id) s.id, s.pegawai_id, s.status
FROM skp s
WHERE s.pegawai_id = ANY($1::int[]) AND s.tahun = $2 AND {skp_in_force("s")}
ORDER BY s.pegawai_id, {CURRENT_SKP_ORDER}"""


@dataclass
class SubordinateCoverage:
    pegawai_id: int
    unit: str | None
    skp_id: int | None
    skp_status: str | None  # None: no SKP for the year
    rhk_total: int = 0
    rhk_unlinked: int = 0  # intervening none of the superior's RHK


@dataclass(frozen=True)
class OrphanedLink:
    """A subordinate's RHK intervening an RHK their superior removed in a revision."""

    pegawai_id: int
    rhk_id: int
    removed_rhk_id: int


@dataclass
class RhkCoverage:
    rhk_id: int
    teks: str
    intervened_by: list[tuple[int, int]] = field(default_factory=list)  # (pegawai, their rhk)


@dataclass
class UnitCoverage:
    unit: str | None
    subordinates: int
    approved: int

    @property
    def approved_percent(self) -> float:
        return round(100 * self.approved / self.subordinates, 1) if self.subordinates else 0.0


@dataclass
class Coverage:
    superior_skp_id: int | None
    rhk: list[RhkCoverage]
    subordinates: list[SubordinateCoverage]
    orphaned: list[OrphanedLink] = field(default_factory=list)

    @property
    def uncovered_rhk(self) -> list[RhkCoverage]:
        return [r for r in self.rhk if not r.intervened_by]

    @property
    def rhk_covered_percent(self) -> float:
        return _percent(len(self.rhk) - len(self.uncovered_rhk), len(self.rhk))

    @property
    def approved_percent(self) -> float:
        approved = sum(1 for s in self.subordinates if s.skp_status == "DISETUJUI")
        return _percent(approved, len(self.subordinates))

    def per_unit(self) -> list[UnitCoverage]:
        groups: dict[str | None, UnitCoverage] = {}
        for s in self.subordinates:
            group = groups.setdefault(s.unit, UnitCoverage(s.unit, 0, 0))
            group.subordinates += 1
            group.approved += s.skp_status == "DISETUJUI"
        return sorted(groups.values(), key=lambda g: g.unit or "")


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


async def coverage(superior_id: int, tahun: int, on: date) -> Coverage:
    subordinate_ids = await direct_bawahan_ids(superior_id, on)
    current = {
        row["pegawai_id"]: row
        for row in await fetch(_CURRENT_SKP, [superior_id, *subordinate_ids], tahun)
    }
    superior_skp = current.get(superior_id)
    my_rhk = (
        await fetch(
            "SELECT id, teks FROM rhk WHERE skp_id = $1 ORDER BY urutan, id", superior_skp["id"]
        )
        if superior_skp
        else []
    )
    by_rhk = {row["id"]: RhkCoverage(row["id"], row["teks"]) for row in my_rhk}
    skp_ids = [current[p]["id"] for p in subordinate_ids if p in current]
    rows = await fetch(
        f"""WITH {UNITS_AT}
        SELECT s.pegawai_id, r.id AS rhk_id, r.intervensi_id,
               (SELECT t_skp.digantikan_pada IS NOT NULL FROM rhk t
                JOIN skp t_skp ON t_skp.id = t.skp_id WHERE t.id = r.intervensi_id) AS yatim,
               (SELECT u.nama FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
                JOIN units_at u ON u.id = j.unit_id
                WHERE p.pegawai_id = s.pegawai_id AND p.jenis = 'DEFINITIF' AND {in_force("p")}
                ORDER BY p.id LIMIT 1) AS unit
        FROM skp s LEFT JOIN rhk r ON r.skp_id = s.id
        WHERE s.id = ANY($2::int[])
        ORDER BY s.pegawai_id, r.urutan, r.id""",
        on,
        skp_ids,
    )
    orphaned: list[OrphanedLink] = []
    per_person: dict[int, SubordinateCoverage] = {}
    for pegawai_id in subordinate_ids:
        skp = current.get(pegawai_id)
        per_person[pegawai_id] = SubordinateCoverage(
            pegawai_id, None, skp["id"] if skp else None, skp["status"] if skp else None
        )
    for row in rows:
        person = per_person[row["pegawai_id"]]
        person.unit = row["unit"]
        if row["rhk_id"] is None:
            continue
        person.rhk_total += 1
        if row["yatim"]:
            orphaned.append(OrphanedLink(row["pegawai_id"], row["rhk_id"], row["intervensi_id"]))
        if row["intervensi_id"] in by_rhk:
            by_rhk[row["intervensi_id"]].intervened_by.append((row["pegawai_id"], row["rhk_id"]))
        else:
            person.rhk_unlinked += 1
    await _units_of_people_without_skp(per_person, on)
    return Coverage(
        superior_skp["id"] if superior_skp else None,
        list(by_rhk.values()),
        list(per_person.values()),
        orphaned,
    )


async def _units_of_people_without_skp(people: dict[int, SubordinateCoverage], on: date) -> None:
    missing = [p.pegawai_id for p in people.values() if p.skp_id is None]
    if not missing:
        return
    rows = await fetch(
        f"""WITH {UNITS_AT}
        SELECT DISTINCT ON (p.pegawai_id) p.pegawai_id, u.nama
        FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id JOIN units_at u ON u.id = j.unit_id
        WHERE p.pegawai_id = ANY($2::int[]) AND p.jenis = 'DEFINITIF' AND {in_force("p")}
        ORDER BY p.pegawai_id, p.id""",
        on,
        missing,
    )
    for row in rows:
        people[row["pegawai_id"]].unit = row["nama"]


def matriks(result: Coverage) -> dict[int, dict[int, list[int]]]:
    """Matriks peran hasil: subordinate → superior RHK → the subordinate's RHK serving it."""
    grid: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for rhk in result.rhk:
        for pegawai_id, their_rhk in rhk.intervened_by:
            grid[pegawai_id][rhk.rhk_id].append(their_rhk)
    return grid
