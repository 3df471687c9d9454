"""Numbers and targets as people write them, for the API and the printed SKP alike."""

from __future__ import annotations

from decimal import Decimal

from ekinerja.models.tenant import Indikator


def plain(value: Decimal | None) -> Decimal | None:
    """10.0000 → 10, 2.5000 → 2.5: stored with four decimals, shown as people write them."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def format_target(row: Indikator) -> str:
    """`2 Dokumen`, `90–100 %`, or the qualitative target."""
    if row.target_kualitatif:
        return row.target_kualitatif
    low = "" if row.target_min is None else f"{plain(row.target_min):f}"
    high = "" if row.target_max is None else f"{plain(row.target_max):f}"
    amount = f"{low}–{high}" if low and high and low != high else (low or high)
    return f"{amount} {row.satuan or ''}".strip()
