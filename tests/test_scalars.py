"""The Decimal scalar's wire format, as its description and docs/integrators.md promise: a
string in plain notation, never an exponent (str(Decimal) writes "1E+1" for a value scaled by
arithmetic, "1E-7" for a small one)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ekinerja.schema.scalars import DecimalScalar


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (Decimal("1E+1"), "10"),
        (Decimal("1E-7"), "0.0000001"),
        (Decimal("87.50"), "87.50"),
        (Decimal("-2.5"), "-2.5"),
        (Decimal(100) / Decimal(8), "12.5"),
        (Decimal("0E-4"), "0.0000"),
    ],
)
def test_decimals_are_written_in_plain_notation(value, wire):
    assert DecimalScalar.serialize(value) == wire
