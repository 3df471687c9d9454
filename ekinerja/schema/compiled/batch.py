"""The compiled root fields of one request, run together: graphql-core starts every root field
before awaiting any, so a DataLoader gathers them and one statement answers them all (each
root's statement as a scalar subquery). "My page" (`saya` and `skpSaya`) is then one round
trip, not two."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from strawberry.dataloader import DataLoader

from ekinerja.db.sql import fetch
from ekinerja.schema.compiled.roots import CompiledRoot

_PARAMETER = re.compile(r"\$(\d+)")
SHARED_PARAMETERS = 2  # $1 today, $2 the kode: the same for every root of a request


@dataclass(frozen=True, eq=False)  # each load is its own key: nothing to deduplicate
class Load:
    root: CompiledRoot
    kode: str
    today: Callable[[], Awaitable[date]]  # asked only when some root reads it


def _renumbered(statement: str, offset: int) -> str:
    """The root's own parameters ($3 on) moved past those of the roots before it."""

    def shift(match: re.Match) -> str:
        number = int(match[1])
        return match[0] if number <= SHARED_PARAMETERS else f"${number + offset}"

    return _PARAMETER.sub(shift, statement)


def combined(loads: list[Load], today: date | None) -> tuple[str, list[Any]]:
    parameters: list[Any] = [today, loads[0].kode]
    columns = []
    for n, load in enumerate(loads):
        statement = _renumbered(load.root.statement, len(parameters) - SHARED_PARAMETERS)
        parameters.extend(load.root.parameters)
        # A guarded root tells "no row" (its resolvers answer) from a null value (the answer).
        value = "coalesce(root.value, 'null'::json)" if load.root.guarded else "root.value"
        columns.append(f"(SELECT {value} FROM ({statement}) root) AS v{n}")
    return "SELECT " + ", ".join(columns), parameters


async def run(loads: list[Load]) -> list[Any]:
    """The JSON text of each load's root (None for no row), in one statement."""
    reading_today = [load for load in loads if load.root.reads_today]
    today = await reading_today[0].today() if reading_today else None
    statement, parameters = combined(loads, today)
    (row,) = await fetch(statement, *parameters)
    return [row[f"v{n}"] for n in range(len(loads))]


def compiled_roots() -> DataLoader[Load, Any]:
    """The request's loader (Context.loader): the JSON text of each root, None for no row."""
    return DataLoader(run, cache=False)
