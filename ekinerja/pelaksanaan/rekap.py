"""The roll-up of subordinates' realisation through the cascade, by decision 0008.

Recomputed on read (never stored): one query for the parts or intervening RHK, one for their
indikator and one for their realisation up to the window. Information for the penilai, never a
rating. Only current SKP versions count (a revision still awaiting approval is not current: the
approved version it copies is); parts without realisation count as zero and are flagged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ekinerja.db.sql import fetch
from ekinerja.pelaksanaan.capaian import (
    INDIKATOR_LINEAGE,
    CapaianRules,
    capaian_persen,
    load_rules,
    realised_to_date,
    target_value,
    weighted,
)
from ekinerja.skp.periode import kadensi_of, windows


class StatusRekap(StrEnum):
    SEBANDING = "SEBANDING"  # every part in the superior's satuan: summed
    TIDAK_SEBANDING = "TIDAK_SEBANDING"  # a part in another satuan: not summed
    BELUM_DIBAGI = "BELUM_DIBAGI"  # no parts


@dataclass(frozen=True)
class BagianRealisasi:
    indikator_id: int
    pegawai_id: int
    target: Decimal | None
    satuan: str | None
    realisasi: Decimal | None
    capaian_persen: Decimal | None

    @property
    def tanpa_realisasi(self) -> bool:
        return self.realisasi is None


@dataclass
class RollUpIndikator:
    indikator_id: int
    periode: str
    aspek: str | None
    target: Decimal | None
    satuan: str | None
    status: StatusRekap
    realisasi: Decimal | None = None
    capaian_persen: Decimal | None = None
    bagian: list[BagianRealisasi] = field(default_factory=list)


@dataclass(frozen=True)
class IntervensiCapaian:
    rhk_id: int
    pegawai_id: int
    teks: str
    capaian: list[tuple[int, str | None, Decimal | None]]  # (indikator id, aspek, capaian %)

    @property
    def mencapai_target(self) -> bool | None:
        known = [c for _, _, c in self.capaian if c is not None]
        if not known:
            return None
        return all(c >= 100 for c in known)


@dataclass
class RollUpRhk:
    rhk_id: int
    periode: str
    intervensi: list[IntervensiCapaian] = field(default_factory=list)

    @property
    def persen_mencapai_target(self) -> Decimal | None:
        if not self.intervensi:
            return None
        reached = sum(1 for i in self.intervensi if i.mencapai_target)
        share = Decimal(reached) * 100 / len(self.intervensi)
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


async def _upto(tahun: int, periode: str) -> list[str]:
    kodes = [w.kode for w in windows(tahun, await kadensi_of(tahun))]
    return kodes[: kodes.index(periode) + 1] if periode in kodes else []


async def _realised(indikator: list[dict], upto: list[str], rules: CapaianRules) -> dict:
    """(realised to date, capaian %) per indikator row (id, aspek, target_min/max)."""
    rows = await fetch(
        f"""WITH RECURSIVE {INDIKATOR_LINEAGE}
        SELECT DISTINCT ON (g.indikator_id, r.periode) g.indikator_id, r.periode, r.kuantitas
        FROM garis g JOIN realisasi r ON r.indikator_id = g.leluhur
        WHERE r.periode = ANY($2::text[])
        ORDER BY g.indikator_id, r.periode, g.jarak""",
        [i["id"] for i in indikator],
        upto,
    )
    by: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for row in rows:
        by[row["indikator_id"]][row["periode"]] = row["kuantitas"]
    result = {}
    for i in indikator:
        realised = realised_to_date(i["aspek"], by.get(i["id"], {}), upto, rules)
        target = target_value(i["target_min"], i["target_max"])
        result[i["id"]] = (realised, capaian_persen(i["aspek"], target, realised, rules))
    return result


_PARTS = """
SELECT i.id AS induk_id, i.aspek, i.target_min, i.target_max, i.satuan, s0.tahun,
       b.id, b.aspek AS b_aspek, b.target_min AS b_min, b.target_max AS b_max,
       b.satuan AS b_satuan, s.pegawai_id
FROM indikator i
JOIN rhk r0 ON r0.id = i.rhk_id JOIN skp s0 ON s0.id = r0.skp_id
LEFT JOIN (indikator b JOIN rhk r ON r.id = b.rhk_id
           JOIN skp s ON s.id = r.skp_id AND s.digantikan_pada IS NULL
                      AND (s.status = 'DISETUJUI' OR s.menggantikan_id IS NULL))
       ON b.bagian_dari_id = i.id
WHERE i.id = ANY($1::int[])
ORDER BY i.id, b.id"""


def _same_satuan(a: str | None, b: str | None) -> bool:
    return (a or "").strip().lower() == (b or "").strip().lower()


async def rollup_indikator(ids: list[int], periode: str) -> dict[int, RollUpIndikator]:
    rows = await fetch(_PARTS, ids)
    if not rows:
        return {}
    rules = await load_rules()
    upto = await _upto(rows[0]["tahun"], periode)
    parts = [
        {"id": r["id"], "aspek": r["b_aspek"], "target_min": r["b_min"], "target_max": r["b_max"]}
        for r in rows
        if r["id"] is not None
    ]
    realised = await _realised(parts, upto, rules) if parts else {}
    result: dict[int, RollUpIndikator] = {}
    for r in rows:
        roll = result.get(r["induk_id"])
        if roll is None:
            roll = result[r["induk_id"]] = RollUpIndikator(
                r["induk_id"],
                periode,
                r["aspek"],
                target_value(r["target_min"], r["target_max"]),
                r["satuan"],
                StatusRekap.BELUM_DIBAGI,
            )
        if r["id"] is None:
            continue
        amount, capaian = realised[r["id"]]
        roll.bagian.append(
            BagianRealisasi(
                r["id"],
                r["pegawai_id"],
                target_value(r["b_min"], r["b_max"]),
                r["b_satuan"],
                amount,
                capaian,
            )
        )
    for roll in result.values():
        _combine(roll, rules)
    return result


def _combine(roll: RollUpIndikator, rules: CapaianRules) -> None:
    if not roll.bagian:
        return
    if not all(_same_satuan(b.satuan, roll.satuan) for b in roll.bagian):
        roll.status = StatusRekap.TIDAK_SEBANDING
        return
    roll.status = StatusRekap.SEBANDING
    if rules.is_additive(roll.aspek):
        roll.realisasi = sum((b.realisasi or Decimal(0) for b in roll.bagian), Decimal(0))
        roll.capaian_persen = capaian_persen(roll.aspek, roll.target, roll.realisasi, rules)
    else:
        roll.capaian_persen = weighted((b.capaian_persen, b.target) for b in roll.bagian)


_INTERVENING = """
SELECT c.id, c.intervensi_id, c.teks, s.pegawai_id, s.tahun
FROM rhk c JOIN skp s ON s.id = c.skp_id AND s.digantikan_pada IS NULL
                       AND (s.status = 'DISETUJUI' OR s.menggantikan_id IS NULL)
WHERE c.intervensi_id = ANY($1::int[]) ORDER BY c.intervensi_id, c.id"""


async def rollup_rhk(ids: list[int], periode: str) -> dict[int, RollUpRhk]:
    result = {i: RollUpRhk(i, periode) for i in ids}
    children = await fetch(_INTERVENING, ids)
    if not children:
        return result
    rules = await load_rules()
    upto = await _upto(children[0]["tahun"], periode)
    indikator = await fetch(
        "SELECT id, rhk_id, aspek, target_min, target_max FROM indikator "
        "WHERE rhk_id = ANY($1::int[]) ORDER BY urutan, id",
        [c["id"] for c in children],
    )
    realised = await _realised(indikator, upto, rules)
    by_rhk: dict[int, list] = defaultdict(list)
    for i in indikator:
        by_rhk[i["rhk_id"]].append((i["id"], i["aspek"], realised[i["id"]][1]))
    for c in children:
        result[c["intervensi_id"]].intervensi.append(
            IntervensiCapaian(c["id"], c["pegawai_id"], c["teks"], by_rhk.get(c["id"], []))
        )
    return result
