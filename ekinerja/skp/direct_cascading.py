"""Direct cascading: a superior's quantitative target split among subordinates' indikator (by
share, region or aspect). Do the parts add up?

Only the SKP versions in force count (not a revision still in draft). Parts are compared in
the superior's satuan; a part in another satuan makes the split TIDAK_SEBANDING (not
comparable) rather than being summed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ekinerja.db.sql import fetch
from ekinerja.skp.revisi_links import skp_in_force


class StatusPembagian(StrEnum):
    SESUAI = "SESUAI"  # the parts add up to the target
    KURANG = "KURANG"  # the parts fall short
    LEBIH = "LEBIH"  # the parts exceed it
    TIDAK_SEBANDING = "TIDAK_SEBANDING"  # no numeric target, or parts in another satuan
    BELUM_DIBAGI = "BELUM_DIBAGI"  # no parts yet


@dataclass(frozen=True)
class Bagian:
    indikator_id: int
    pegawai_id: int
    target: Decimal | None
    satuan: str | None
    dasar: str | None
    wilayah: str | None


@dataclass
class Pembagian:
    induk_id: int
    target: Decimal | None
    satuan: str | None
    bagian: list[Bagian] = field(default_factory=list)

    @property
    def jumlah(self) -> Decimal | None:
        if not self._comparable():
            return None
        return sum((b.target or Decimal(0) for b in self.bagian), Decimal(0))

    @property
    def selisih(self) -> Decimal | None:
        """Target minus the sum of the parts: positive when the parts fall short."""
        total = self.jumlah
        return None if total is None or self.target is None else self.target - total

    @property
    def status(self) -> StatusPembagian:
        if not self.bagian:
            return StatusPembagian.BELUM_DIBAGI
        if self.target is None or not self._comparable():
            return StatusPembagian.TIDAK_SEBANDING
        gap = self.selisih
        if gap == 0:
            return StatusPembagian.SESUAI
        return StatusPembagian.KURANG if gap > 0 else StatusPembagian.LEBIH

    def _comparable(self) -> bool:
        unit = (self.satuan or "").strip().lower()
        return all((b.satuan or "").strip().lower() == unit for b in self.bagian)


async def pembagian_of(induk_ids: list[int]) -> dict[int, Pembagian]:
    """How each superior indikator in ``induk_ids`` is split; one query."""
    rows = await fetch(
        f"""SELECT induk.id AS induk_id, COALESCE(induk.target_max, induk.target_min) AS target,
                  induk.satuan AS induk_satuan, part.id AS part_id,
                  COALESCE(part.target_max, part.target_min) AS part_target,
                  part.satuan AS part_satuan, part.dasar_pembagian, part.wilayah, s.pegawai_id
           FROM indikator induk
           LEFT JOIN indikator part ON part.bagian_dari_id = induk.id
           LEFT JOIN rhk r ON r.id = part.rhk_id
           LEFT JOIN skp s ON s.id = r.skp_id AND {skp_in_force("s")}
           WHERE induk.id = ANY($1::int[])
           ORDER BY induk.id, part.id""",
        induk_ids,
    )
    result: dict[int, Pembagian] = {}
    for row in rows:
        split = result.setdefault(
            row["induk_id"], Pembagian(row["induk_id"], row["target"], row["induk_satuan"])
        )
        if row["part_id"] is not None and row["pegawai_id"] is not None:
            split.bagian.append(
                Bagian(
                    row["part_id"],
                    row["pegawai_id"],
                    row["part_target"],
                    row["part_satuan"],
                    row["dasar_pembagian"],
                    row["wilayah"],
                )
            )
    return result
