"""Checks of a validated file against what the tenant already holds: pure, given a snapshot.

- every parent unit is in the file or in the tenant;
- the unit tree, as the file would leave it, has no cycle;
- a mutasi starts after the assignment it ends (the pegawai's own, or the previous holder's
  when a head seat changes hands), so no assignment ends before it began.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from ekinerja.kepegawaian.importer import layout as col
from ekinerja.kepegawaian.importer.records import PegawaiRecord, RowError, ValidatedRows


@dataclass(frozen=True)
class OpenAssignment:
    """A DEFINITIF penugasan with no end, as the tenant holds it now."""

    nip: str
    unit_siasn_id: str | None
    jabatan_nama: str
    berlaku_mulai: date

    @property
    def jabatan_key(self) -> tuple[str | None, str]:
        return (self.unit_siasn_id, self.jabatan_nama)


@dataclass
class TenantSnapshot:
    # Units with a SIASN id → the SIASN id of their current parent (None: a root, or a parent
    # without SIASN id, which a file cannot name anyway).
    unit_parents: dict[str, str | None] = field(default_factory=dict)
    open_assignments: list[OpenAssignment] = field(default_factory=list)


def check_unit_tree(validated: ValidatedRows, snapshot: TenantSnapshot) -> list[RowError]:
    parents = {**snapshot.unit_parents}
    parents.update({u.siasn_id: u.parent_siasn_id for u in validated.units.values()})
    errors = [
        RowError(
            unit.row,
            col.UNOR_ATASAN_ID,
            f"parent unit {unit.parent_siasn_id} is neither a UNOR_ID in this file nor a unit "
            "of this instansi",
        )
        for unit in validated.units.values()
        if unit.parent_siasn_id is not None and unit.parent_siasn_id not in parents
    ]
    for siasn_id, loop in _cycles(parents, validated.units.keys()).items():
        errors.append(
            RowError(
                validated.units[siasn_id].row,
                col.UNOR_ATASAN_ID,
                f"the unit tree would loop: {' → '.join(loop)}; a unit cannot sit below itself",
            )
        )
    return errors


def _cycles(parents: dict[str, str | None], starts: Collection[str]) -> dict[str, list[str]]:
    """Each start unit that lies on a cycle, with the cycle as a path from it back to itself.
    Each unit is walked once: a walk stops at a unit already known to be on a cycle or not."""
    off_cycle: set[str] = set()
    on_cycle: dict[str, list[str]] = {}
    for start in starts:
        path: list[str] = []
        index: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in off_cycle and node not in on_cycle:
            if node in index:  # walked back into this very path: a cycle
                loop = path[index[node] :]
                for at, member in enumerate(loop):
                    on_cycle[member] = loop[at:] + loop[:at] + [member]
                break
            index[node] = len(path)
            path.append(node)
            node = parents.get(node)
        off_cycle.update(unit for unit in path if unit not in on_cycle)
    return {siasn_id: on_cycle[siasn_id] for siasn_id in starts if siasn_id in on_cycle}


def check_assignment_dates(validated: ValidatedRows, snapshot: TenantSnapshot) -> list[RowError]:
    by_nip: dict[str, list[OpenAssignment]] = defaultdict(list)
    by_jabatan: dict[tuple[str | None, str], list[OpenAssignment]] = defaultdict(list)
    for assignment in snapshot.open_assignments:
        by_nip[assignment.nip].append(assignment)
        by_jabatan[assignment.jabatan_key].append(assignment)
    in_file = {p.nip for p in validated.pegawai}
    errors: list[RowError] = []
    for pegawai in validated.pegawai:
        for current in by_nip.get(pegawai.nip, ()):
            if current.jabatan_key != pegawai.jabatan_key:
                _must_start_after(pegawai, current, "their current jabatan", errors)
        if pegawai.kepala_unit:
            for holder in by_jabatan.get(pegawai.jabatan_key, ()):
                if holder.nip != pegawai.nip and holder.nip not in in_file:
                    _must_start_after(
                        pegawai, holder, f"NIP {holder.nip}, who holds this head seat now,", errors
                    )
    return errors


def _must_start_after(
    pegawai: PegawaiRecord, ended: OpenAssignment, whose: str, errors: list[RowError]
) -> None:
    if pegawai.tmt_jabatan > ended.berlaku_mulai:
        return
    errors.append(
        RowError(
            pegawai.row,
            col.TMT_JABATAN,
            f"{pegawai.tmt_jabatan.isoformat()} is not after {ended.berlaku_mulai.isoformat()}, "
            f"when {whose} took {ended.jabatan_nama!r} (unit {ended.unit_siasn_id}); the new "
            "assignment ends that one, so it must start later",
        )
    )


def check_against_tenant(validated: ValidatedRows, snapshot: TenantSnapshot) -> list[RowError]:
    return sorted(
        check_unit_tree(validated, snapshot) + check_assignment_dates(validated, snapshot)
    )
