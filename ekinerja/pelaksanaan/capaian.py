"""Capaian (achievement against target) of an indikator, per aspect. Pure functions, and
`load_rules` for the instansi's rules.

Targets are yearly. Additive aspects (KUANTITAS, BIAYA) count what was realised up to and
including a window; the others (KUALITAS, WAKTU) take the window's own value. Where smaller is
better (by default WAKTU: finishing in 10 months against 12 is more than on target) the ratio
is inverted. Which aspects are additive or smaller-is-better is tenant configuration
(docs/domain.md 11.4), read through `pengaturan` (defaults and checks in its registry). See
docs/decisions/0010-capaian.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ekinerja import pengaturan
from ekinerja.pengaturan.registry import ASPEK_KUMULATIF, ASPEK_SEMAKIN_KECIL

# The keys' names, where callers and tests look for them.
SMALLER_IS_BETTER_SETTING = ASPEK_SEMAKIN_KECIL
ADDITIVE_SETTING = ASPEK_KUMULATIF
_HUNDRED = Decimal(100)
_BAWAAN = pengaturan.bawaan()


@dataclass(frozen=True)
class CapaianRules:
    """Which aspects add up and where smaller is better; built with no arguments, the
    registry's defaults."""

    additive: frozenset[str] = _BAWAAN.aspek_kumulatif
    smaller_is_better: frozenset[str] = _BAWAAN.aspek_semakin_kecil_semakin_baik

    @classmethod
    def of(cls, settings: pengaturan.PengaturanInstansi) -> CapaianRules:
        return cls(settings.aspek_kumulatif, settings.aspek_semakin_kecil_semakin_baik)

    def is_additive(self, aspek: str | None) -> bool:
        return (aspek or "KUANTITAS") in self.additive


async def load_rules() -> CapaianRules:
    """The bound instansi's rules (its settings, one query)."""
    return CapaianRules.of(await pengaturan.baca())


# SQL (a WITH RECURSIVE item): `garis(indikator_id, leluhur, jarak)` pairs each indikator in
# $1 (int[]) with itself (jarak 0) and every indikator it was copied from through revisions
# (`indikator.asal_id`, decision 0019), nearest first. Realisasi recorded on a replaced
# version's indikator (the windows before a revision) count for its copy: read with
# DISTINCT ON (indikator_id, periode) ... ORDER BY jarak, the nearest version's row wins.
INDIKATOR_LINEAGE = """garis(indikator_id, leluhur, jarak) AS (
  SELECT i.id, i.id, 0 FROM indikator i WHERE i.id = ANY($1::int[])
  UNION ALL
  SELECT g.indikator_id, i.asal_id, g.jarak + 1
  FROM garis g JOIN indikator i ON i.id = g.leluhur
  WHERE i.asal_id IS NOT NULL AND g.jarak < 100)"""


def target_value(target_min: Decimal | None, target_max: Decimal | None) -> Decimal | None:
    """The number a realisation is measured against: a range's upper bound, else the target."""
    return target_max if target_max is not None else target_min


def realised_to_date(
    aspek: str | None,
    by_window: dict[str, Decimal | None],
    kodes: Sequence[str],
    rules: CapaianRules,
) -> Decimal | None:
    """What counts as realised at the last of ``kodes`` (the year's windows up to it, in order)."""
    if not kodes:
        return None
    if rules.is_additive(aspek):
        values = [by_window.get(k) for k in kodes]
        present = [v for v in values if v is not None]
        return sum(present, Decimal(0)) if present else None
    return by_window.get(kodes[-1])


def capaian_persen(
    aspek: str | None, target: Decimal | None, realised: Decimal | None, rules: CapaianRules
) -> Decimal | None:
    """Percent of target achieved, to 2 decimals; None when it cannot be said."""
    if target is None or realised is None:
        return None
    if (aspek or "") in rules.smaller_is_better:
        if realised == 0 or target == 0:
            return None
        ratio = target / realised
    else:
        if target == 0:
            return None
        ratio = realised / target
    return (ratio * _HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def weighted(pairs: Iterable[tuple[Decimal | None, Decimal | None]]) -> Decimal | None:
    """Σ capaian × weight / Σ weight over the pairs whose weight is known (decision 0008)."""
    total = weight_sum = Decimal(0)
    for capaian, weight in pairs:
        if weight is None or weight == 0:
            continue
        total += (capaian or Decimal(0)) * weight
        weight_sum += weight
    if weight_sum == 0:
        return None
    return (total / weight_sum).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
