"""Date and Decimal as this service accepts them: Strawberry's scalars, narrowed to what can be
stored and computed with. A value outside is a GraphQL error naming the value (a validation
error for a literal, a variable coercion error for a variable), never a silent rounding or an
unexpected error further down."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from graphql import FloatValueNode, GraphQLError, IntValueNode, StringValueNode, ValueNode
from graphql.utilities import value_from_ast_untyped
from strawberry.schema.types.base_scalars import DateDefinition, DecimalDefinition

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


Date = replace(
    DateDefinition,
    description=f"Date (isoformat), years {TAHUN_PERTAMA} to {TAHUN_TERAKHIR}",
    parse_value=_date,
)
DecimalScalar = replace(
    DecimalDefinition,
    description=f"Decimal (fixed-point), at most {DECIMAL_PLACES} decimal places and "
    f"{18 - DECIMAL_PLACES} digits before the point",
    parse_value=_decimal,
    parse_literal=_decimal_literal,
)

SCALAR_OVERRIDES = {date: Date, Decimal: DecimalScalar}
