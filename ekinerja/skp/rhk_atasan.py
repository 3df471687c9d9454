"""The RHK a pegawai may intervene (support) from an SKP: those of their pejabat penilai's SKP
in force for an overlapping period.

"In force" is what `editing._validate_intervention` accepts as a link target: the penilai's
approved version, not replaced by a later one (decision 0019), whose dates overlap this SKP's.
An RHK the penilai's revision removed is on a replaced version, so it is never offered; a kept
one is offered in the version in force only. A penilai with two SKPs in the year (a transfer)
offers the RHK of each that overlaps. Only what choosing needs is read: the RHK, never its
realisation or assessment (those follow `skp:read` about the penilai).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ekinerja.db.sql import fetch
from ekinerja.skp.enums import JenisRhk, StatusSkp


@dataclass(frozen=True)
class RhkPilihan:
    """An RHK of the penilai that the SKP ``untuk_skp_id`` may intervene."""

    untuk_skp_id: int
    rhk_id: int
    skp_id: int
    urutan: int
    teks: str
    jenis: JenisRhk


_OF_PENILAI = f"""
SELECT mine.id AS untuk_skp_id, r.id AS rhk_id, theirs.id AS skp_id, r.urutan, r.teks, r.jenis
FROM skp mine
JOIN skp theirs ON theirs.pegawai_id = mine.penilai_pegawai_id
  AND theirs.status = '{StatusSkp.DISETUJUI.value}' AND theirs.digantikan_pada IS NULL
  AND theirs.periode_awal <= mine.periode_akhir AND theirs.periode_akhir >= mine.periode_awal
JOIN rhk r ON r.skp_id = theirs.id
WHERE mine.id = ANY($1::int[])
ORDER BY mine.id, theirs.periode_awal, theirs.id, r.urutan, r.id"""


async def rhk_atasan(skp_ids: Sequence[int]) -> dict[int, list[RhkPilihan]]:
    """For each SKP id, the RHK its owner may intervene, in the penilai's order: one query
    for any number of SKPs."""
    found: dict[int, list[RhkPilihan]] = defaultdict(list)
    for row in await fetch(_OF_PENILAI, list(set(skp_ids))):
        found[row["untuk_skp_id"]].append(
            RhkPilihan(
                untuk_skp_id=row["untuk_skp_id"],
                rhk_id=row["rhk_id"],
                skp_id=row["skp_id"],
                urutan=row["urutan"],
                teks=row["teks"],
                jenis=JenisRhk(row["jenis"]),
            )
        )
    return found
