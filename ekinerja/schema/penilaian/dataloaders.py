"""Per-request DataLoaders of penilaian."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from ekinerja.models.tenant import EvaluasiPeriodik, Keberatan, RiwayatEvaluasi
from ekinerja.schema.skp.dataloaders import grouped


def keberatan_of_evaluasi() -> DataLoader[int, list[Keberatan]]:
    return DataLoader(grouped(Keberatan, "evaluasi_id", ("id",)))


def riwayat_of_evaluasi() -> DataLoader[int, list[RiwayatEvaluasi]]:
    return DataLoader(grouped(RiwayatEvaluasi, "evaluasi_id", ("id",)))


def evaluasi_by_id() -> DataLoader[int, EvaluasiPeriodik | None]:
    """Evaluations by id, one query per batch (a keberatan queue's evaluations)."""

    async def load(ids: list[int]) -> list[EvaluasiPeriodik | None]:
        rows = {row.id: row for row in await EvaluasiPeriodik.filter(id__in=list(set(ids)))}
        return [rows.get(i) for i in ids]

    return DataLoader(load)
