"""Per-request DataLoaders of penilaian."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from ekinerja.models.tenant import Keberatan, RiwayatEvaluasi
from ekinerja.schema.skp.dataloaders import grouped


def keberatan_of_evaluasi() -> DataLoader[int, list[Keberatan]]:
    return DataLoader(grouped(Keberatan, "evaluasi_id", ("id",)))


def riwayat_of_evaluasi() -> DataLoader[int, list[RiwayatEvaluasi]]:
    return DataLoader(grouped(RiwayatEvaluasi, "evaluasi_id", ("id",)))
