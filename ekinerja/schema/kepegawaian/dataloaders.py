"""Per-request DataLoaders: every list a query walks costs one query per level, not per item.

Keys that depend on a date carry it, and a batch with several dates runs one query per date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from datetime import date
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian import units
from ekinerja.kepegawaian.atasan import RantaiAtasan, resolve_chains
from ekinerja.kepegawaian.sql import in_force
from ekinerja.models.tenant import Jabatan, Pegawai, Penugasan

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def by_date(
    fetch_for_date: Callable[[list[Any], date], Awaitable[dict[Any, Any]]], default: Any = None
) -> Callable[[Sequence[tuple[Any, date]]], Awaitable[list[Any]]]:
    """Batch function for keys (id, date): one call of ``fetch_for_date`` per distinct date."""

    async def load(keys: Sequence[tuple[Any, date]]) -> list[Any]:
        ids_by_date: dict[date, list[Any]] = defaultdict(list)
        for key_id, on in keys:
            ids_by_date[on].append(key_id)
        found: dict[tuple[Any, date], Any] = {}
        for on, ids in ids_by_date.items():
            for key_id, value in (await fetch_for_date(list(set(ids)), on)).items():
                found[(key_id, on)] = value
        return [found.get(key, default) for key in keys]

    return load


def by_id(model: Any) -> Callable[[Sequence[int]], Awaitable[list[Any]]]:
    async def load(ids: Sequence[int]) -> list[Any]:
        rows = {row.id: row for row in await model.filter(id__in=list(set(ids)))}
        return [rows.get(i) for i in ids]

    return load


async def _definitive_penugasan(pegawai_ids: list[int], on: date) -> dict[int, Penugasan]:
    rows = await fetch(
        f"""SELECT DISTINCT ON (p.pegawai_id) p.id FROM penugasan p
            WHERE p.pegawai_id = ANY($2::int[]) AND {in_force("p")}
            ORDER BY p.pegawai_id, CASE p.jenis WHEN 'DEFINITIF' THEN 0 ELSE 1 END, p.id""",
        on,
        pegawai_ids,
    )
    found = await Penugasan.filter(id__in=[row["id"] for row in rows])
    return {p.pegawai_id: p for p in found}


async def _riwayat(pegawai_ids: Sequence[int]) -> list[list[Penugasan]]:
    history: dict[int, list[Penugasan]] = defaultdict(list)
    for penugasan in await Penugasan.filter(pegawai_id__in=list(set(pegawai_ids))).order_by(
        "-berlaku_mulai", "-id"
    ):
        history[penugasan.pegawai_id].append(penugasan)
    return [history.get(i, []) for i in pegawai_ids]


async def _unit_heads(unit_ids: list[int], on: date) -> dict[int, int]:
    """Pegawai id holding (definitive, else acting) the head position of each unit."""
    rows = await fetch(
        f"""SELECT DISTINCT ON (j.unit_id) j.unit_id, p.pegawai_id
            FROM jabatan j JOIN penugasan p ON p.jabatan_id = j.id
            WHERE j.kepala_unit AND j.unit_id = ANY($2::int[]) AND {in_force("p")}
            ORDER BY j.unit_id,
                     CASE p.jenis WHEN 'DEFINITIF' THEN 0 WHEN 'PLT' THEN 1 ELSE 2 END, p.id""",
        on,
        unit_ids,
    )
    return {row["unit_id"]: row["pegawai_id"] for row in rows}


async def _chains(pegawai_ids: list[int], on: date) -> dict[int, RantaiAtasan]:
    return await resolve_chains(pegawai_ids, on)


async def _direct_counts(unit_ids: list[int], on: date) -> dict[int, int]:
    return await units.headcounts(unit_ids, on, subtree=False)


async def _subtree_counts(unit_ids: list[int], on: date) -> dict[int, int]:
    return await units.headcounts(unit_ids, on, subtree=True)


def pegawai_by_id() -> DataLoader[int, Pegawai | None]:
    return DataLoader(by_id(Pegawai))


def jabatan_by_id() -> DataLoader[int, Jabatan | None]:
    return DataLoader(by_id(Jabatan))


def penugasan_at() -> DataLoader[tuple[int, date], Penugasan | None]:
    return DataLoader(by_date(_definitive_penugasan))


def riwayat_penugasan() -> DataLoader[int, list[Penugasan]]:
    return DataLoader(_riwayat)


def unit_at() -> DataLoader[tuple[int, date], units.UnitAt | None]:
    return DataLoader(by_date(units.units_by_id))


def children_at() -> DataLoader[tuple[int, date], list[units.UnitAt]]:
    return DataLoader(by_date(units.children_of, default=[]))


def ancestors_at() -> DataLoader[tuple[int, date], list[units.UnitAt]]:
    return DataLoader(by_date(units.ancestors_of, default=[]))


def headcount_at() -> DataLoader[tuple[int, date], int]:
    return DataLoader(by_date(_direct_counts, default=0))


def subtree_headcount_at() -> DataLoader[tuple[int, date], int]:
    return DataLoader(by_date(_subtree_counts, default=0))


def unit_head_at() -> DataLoader[tuple[int, date], int | None]:
    return DataLoader(by_date(_unit_heads))


def rantai_atasan_at() -> DataLoader[tuple[int, date], RantaiAtasan]:
    return DataLoader(by_date(_chains))
