"""Keeping the national read model (`shared.statistik_instansi`) current: compute inside the
instansi's schema, then write the row outside the binding (a tenant role cannot write
`shared`; the service's own role can)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

from tortoise.timezone import now

from ekinerja.db.config import SHARED_SCHEMA
from ekinerja.db.sql import fetch
from ekinerja.models.shared import Instansi, StatistikInstansi
from ekinerja.nasional.statistik import COUNTS, Angka, hitung
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

_COLUMNS = (*COUNTS, "predikat", "kurva")
_UPSERT = f"""
INSERT INTO {SHARED_SCHEMA}.statistik_instansi
    (instansi_id, tahun, {", ".join(_COLUMNS)}, dihitung_pada)
VALUES ($1, $2, {", ".join(f"${n}" for n in range(3, 3 + len(COUNTS)))},
        ${3 + len(COUNTS)}::jsonb, ${4 + len(COUNTS)}::jsonb, ${5 + len(COUNTS)})
ON CONFLICT (instansi_id, tahun) DO UPDATE SET
    {", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS)}, dihitung_pada = EXCLUDED.dihitung_pada
"""


async def segarkan(instansi: Instansi, tahun: int) -> Angka:
    async with tenant_transaction(as_bound(instansi)):
        angka = await hitung(tahun)
    await fetch(
        _UPSERT,
        instansi.id,
        tahun,
        *(getattr(angka, c) for c in COUNTS),
        json.dumps(angka.predikat),
        json.dumps(angka.kurva),
        now(),
    )
    return angka


async def segarkan_banyak(tenants: list[Instansi], tahun: int, concurrency: int = 8) -> int:
    """Refresh many instansi, ``concurrency`` at a time; the number refreshed."""
    gate = asyncio.Semaphore(concurrency)

    async def one(instansi: Instansi) -> None:
        async with gate:
            await segarkan(instansi, tahun)

    await asyncio.gather(*(one(i) for i in tenants))
    return len(tenants)


async def usang(tenants: list[Instansi], tahun: int, older_than: timedelta) -> list[Instansi]:
    """Those of ``tenants`` whose figures for ``tahun`` are missing or older than given."""
    cutoff: datetime = now() - older_than
    fresh = set(
        await StatistikInstansi.filter(
            tahun=tahun, dihitung_pada__gte=cutoff, instansi_id__in=[i.id for i in tenants]
        ).values_list("instansi_id", flat=True)
    )
    return [i for i in tenants if i.id not in fresh]
