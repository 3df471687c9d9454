"""The years the service accepts. Every `tahun` a caller sends (GraphQL arguments and inputs,
the SIASN export) and every Date a caller sends is checked against one range, so a year like
1, -1 or 99999 is refused naming the argument instead of creating an SKP for year 0001 or
failing deep in a date computation."""

from __future__ import annotations

from typing import Any

from ekinerja.refusals import invalid

TAHUN_PERTAMA = 2000
TAHUN_TERAKHIR = 2100


def is_tahun(value: Any, lowest: int = TAHUN_PERTAMA) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and lowest <= value <= TAHUN_TERAKHIR
    )


def check_tahun(
    value: Any, field: str = "tahun", lowest: int = TAHUN_PERTAMA, why: str = ""
) -> int:
    """``value`` when it is a year from ``lowest`` to TAHUN_TERAKHIR, else a Refusal
    (INVALID_INPUT) naming ``field``. ``why`` explains a ``lowest`` above TAHUN_PERTAMA."""
    if not is_tahun(value, lowest):
        raise invalid(
            field, f"{field}: expected a year from {lowest}{why} to {TAHUN_TERAKHIR}, got {value!r}"
        )
    return value
