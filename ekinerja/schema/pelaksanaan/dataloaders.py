"""Per-request DataLoaders of pelaksanaan: roll-ups batched per window, so a list of
indikator or RHK asking for theirs costs the same few queries as one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence

from strawberry.dataloader import DataLoader

from ekinerja.pelaksanaan.rekap import RollUpIndikator, RollUpRhk, rollup_indikator, rollup_rhk

Key = tuple[int, str]  # (id, periode)


def _per_window(compute: Callable[[list[int], str], Awaitable[dict]]):
    async def load(keys: Sequence[Key]) -> list:
        by_window: dict[str, set[int]] = defaultdict(set)
        for ident, periode in keys:
            by_window[periode].add(ident)
        found = {}
        for periode, ids in by_window.items():
            for ident, value in (await compute(sorted(ids), periode)).items():
                found[(ident, periode)] = value
        return [found.get(key) for key in keys]

    return load


def rollup_of_indikator() -> DataLoader[Key, RollUpIndikator | None]:
    return DataLoader(_per_window(rollup_indikator))


def rollup_of_rhk() -> DataLoader[Key, RollUpRhk | None]:
    return DataLoader(_per_window(rollup_rhk))
