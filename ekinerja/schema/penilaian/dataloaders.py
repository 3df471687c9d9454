"""Per-request DataLoaders of penilaian."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from strawberry.dataloader import DataLoader

from ekinerja.kepegawaian.calendar import zona
from ekinerja.models.tenant import Keberatan, RiwayatEvaluasi
from ekinerja.penilaian.batas_keberatan import batas_hari
from ekinerja.penilaian.periode import annual_policy
from ekinerja.schema.skp.dataloaders import grouped


def keberatan_of_evaluasi() -> DataLoader[int, list[Keberatan]]:
    return DataLoader(grouped(Keberatan, "evaluasi_id", ("id",)))


def riwayat_of_evaluasi() -> DataLoader[int, list[RiwayatEvaluasi]]:
    return DataLoader(grouped(RiwayatEvaluasi, "evaluasi_id", ("id",)))


def keberatan_days() -> DataLoader[None, int]:
    """The tenant's keberatan period, read once per request."""

    async def load(keys):
        days = await batas_hari()
        return [days for _ in keys]

    return DataLoader(load)


def instansi_zone() -> DataLoader[None, ZoneInfo]:
    """The instansi's time zone (its dates and keberatan days), read once per request."""

    async def load(keys):
        zone = await zona()
        return [zone for _ in keys]

    return DataLoader(load)


def annual_policy_once() -> DataLoader[None, str]:
    """The tenant's annual policy (LAST_PERIOD | SEPARATE_ANNUAL), read once per request."""

    async def load(keys):
        policy = await annual_policy()
        return [policy for _ in keys]

    return DataLoader(load)
