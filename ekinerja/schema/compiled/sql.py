"""A plan → SQL: an object is `json_build_object(key, value, …)` over its row; an object read
from another table is a correlated subquery that yields it, or NULL when there is no row. The
`json` type keeps the keys in the order written, which is the order the document asked for."""

from __future__ import annotations

from itertools import count

from ekinerja.schema.compiled.catalog import Column
from ekinerja.schema.compiled.planner import Inline, Literal, NestedPlan, ObjectPlan


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Renderer:
    def __init__(self) -> None:
        self._aliases = count(1)

    def alias(self) -> str:
        return f"t{next(self._aliases)}"

    def object(self, plan: ObjectPlan, row: str) -> str:
        parts = []
        for key, value in plan.fields:
            parts.append(_quote(key))
            parts.append(self.value(value, row))
        return f"json_build_object({', '.join(parts)})"

    def value(self, value: Column | Literal | NestedPlan | Inline, row: str) -> str:
        if isinstance(value, Literal):
            return f"{_quote(value.value)}::text"
        if isinstance(value, Inline):
            return self.object(value.plan, row)
        if isinstance(value, Column):
            return value.sql.format(row=row)
        child = self.alias()
        source = value.source.format(row=row, child=child)
        if value.order is None:
            return f"(SELECT {self.object(value.plan, child)} {source})"
        # A list: the rows in order (at most ``limit``), aggregated in that same order.
        order = value.order.format(row=row, child=child)
        limit = f" LIMIT {value.limit}" if value.limit is not None else ""
        listed = self.alias()
        return (
            f"(SELECT coalesce(json_agg({listed}.value ORDER BY {listed}.position), '[]'::json) "
            f"FROM (SELECT {self.object(value.plan, child)} AS value, "
            f"row_number() OVER (ORDER BY {order}) AS position {source} "
            f"ORDER BY {order}{limit}) {listed})"
        )


def root_statement(plan: ObjectPlan, source: str, present: str | None = None) -> str:
    """One statement answering a root field: ``source`` (FROM … WHERE … over alias ``{row}``)
    yields its row; the statement yields the field's JSON, or no row. With ``present`` (a
    condition over ``{row}``), a row where it does not hold has the value null (an outer
    join found nothing)."""
    renderer = Renderer()
    row = renderer.alias()
    value = renderer.object(plan, row)
    if present is not None:
        value = f"CASE WHEN {present.format(row=row)} THEN {value} END"
    # $1 and $2 are typed here, read or not: PostgreSQL refuses a parameter it cannot type.
    return f"SELECT {value} AS value, $1::date AS today, $2::text AS kode {source.format(row=row)}"
