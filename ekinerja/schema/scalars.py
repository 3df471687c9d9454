"""Date and Decimal as this service accepts them: Strawberry's scalars, narrowed to what can be
stored and computed with. A value outside is a GraphQL error naming the value (a validation
error for a literal, a variable coercion error for a variable), never a silent rounding or an
unexpected error further down."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from graphql import FloatValueNode, GraphQLError, IntValueNode, StringValueNode, ValueNode
from graphql.utilities import value_from_ast_untyped
from strawberry.schema.types.base_scalars import (
    DateDefinition,
    DateTimeDefinition,
    DecimalDefinition,
    TimeDefinition,
)

from ekinerja.tahun import TAHUN_PERTAMA, TAHUN_TERAKHIR

# Every Decimal input is stored as numeric(18, 4): 14 digits before the point, 4 after.
DECIMAL_PLACES = 4
_STEP = Decimal(1).scaleb(-DECIMAL_PLACES)
_DECIMAL_LIMIT = Decimal(10) ** (18 - DECIMAL_PLACES)


def _date(value: Any) -> date:
    parsed = DateDefinition.parse_value(value)
    if not TAHUN_PERTAMA <= parsed.year <= TAHUN_TERAKHIR:
        raise GraphQLError(
            f'Value cannot represent a Date: "{value}". '
            f"Years from {TAHUN_PERTAMA} to {TAHUN_TERAKHIR} only."
        )
    return parsed


def _decimal(value: Any) -> Decimal:
    parsed = DecimalDefinition.parse_value(value)
    if not parsed.is_finite() or abs(parsed) >= _DECIMAL_LIMIT:
        problem = f"Numbers below 10^{18 - DECIMAL_PLACES} only"
    elif parsed != parsed.quantize(_STEP):
        # Comparison is exact: 1.50000 passes, 0.00001 (which would be stored as 0) does not.
        problem = f"At most {DECIMAL_PLACES} decimal places are stored: round it yourself"
    else:
        return parsed
    raise GraphQLError(f'Value cannot represent a Decimal: "{value}". {problem}.')


def _decimal_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Decimal:
    # The literal's own digits: going through a float first would alter 12345678901234.5678.
    if isinstance(node, (IntValueNode, FloatValueNode, StringValueNode)):
        return _decimal(node.value)
    return _decimal(value_from_ast_untyped(node, variables))


# The descriptions are the wire formats docs/integrators.md ("Scalars and codegen") repeats.
Date = replace(
    DateDefinition,
    description="A calendar day, no time and no zone: a string `YYYY-MM-DD` (ISO 8601 "
    'extended, e.g. "2026-03-31"); written so, and send it so (other ISO 8601 date forms are '
    f"read too). Years {TAHUN_PERTAMA} to {TAHUN_TERAKHIR}. Where a date defaults to today, "
    "it is today in the instansi's time zone (its setting), not in UTC.",
    parse_value=_date,
)
DateTime = replace(
    DateTimeDefinition,
    description="An instant: a string in ISO 8601 extended format with its UTC offset, "
    "`YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`, written in UTC (e.g. "
    '"2026-03-31T01:02:03.456789+00:00"; the fraction is left out when it is zero). '
    "Convert to the instansi's zone for display.",
)
Time = replace(
    TimeDefinition,
    description="A time of day as the pegawai wrote it, no date and no zone (wall-clock time "
    'where they work): a string `HH:MM:SS` (ISO 8601, e.g. "08:30:00"; `.ffffff` follows '
    "only when seconds have a fraction). Send `HH:MM` or `HH:MM:SS`, without a zone offset.",
)
DecimalScalar = replace(
    DecimalDefinition,
    description="An exact decimal number as a string in plain notation: an optional `-`, "
    'digits, and `.` before any fraction (e.g. "2.5", "100", "87.50"); never an exponent, '
    "never a JSON number, so no float rounding. Accepted as such a string (send strings), a "
    f"JSON number or an Int/Float literal; at most {DECIMAL_PLACES} decimal places and "
    f"{18 - DECIMAL_PLACES} digits before the point (more is refused, not rounded).",
    # str(Decimal) writes an exponent for small or scaled values ("1E+1", "1E-7"): plain always.
    serialize=lambda value: format(Decimal(value), "f"),
    parse_value=_decimal,
    parse_literal=_decimal_literal,
)

SCALAR_OVERRIDES = {date: Date, datetime: DateTime, time: Time, Decimal: DecimalScalar}
