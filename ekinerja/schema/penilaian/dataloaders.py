"""Per-request DataLoaders of penilaian."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from ekinerja.models.tenant import EvaluasiPeriodik, Keberatan, RiwayatEvaluasi
from ekinerja.schema.kepegawaian.dataloaders import by_id
from ekinerja.schema.skp.dataloaders import grouped


def keberatan_of_evaluasi() -> DataLoader[int, list[Keberatan]]:
    return DataLoader(grouped(Keberatan, "evaluasi_id", ("id",)))


def riwayat_of_evaluasi() -> DataLoader[int, list[RiwayatEvaluasi]]:
    return DataLoader(grouped(RiwayatEvaluasi, "evaluasi_id", ("id",)))


def evaluasi_by_id() -> DataLoader[int, EvaluasiPeriodik | None]:
    """Evaluations by id, one query per batch (a keberatan queue's, `node(id)`'s)."""
    return DataLoader(by_id(EvaluasiPeriodik))
