"""Delivering webhooks, one tenant at a time (the loop that calls this is
ekinerja/background.py).

Per tenant, a run fans new outbox events out to deliveries, claims what is due, sends it
(several at once, outside any transaction) and records each outcome. Several workers may run:
claims and fan-out skip rows another worker holds.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from tortoise.timezone import now as utc_now

from ekinerja.db.sql import fetch
from ekinerja.models.shared import Instansi, StatusInstansi
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.tenants.schema_versions import latest_tenant_version
from ekinerja.webhooks.enums import StatusPengiriman
from ekinerja.webhooks.pengirim import kirim
from ekinerja.webhooks.pengiriman import catat, klaim, salurkan
from ekinerja.webhooks.rahasia import Segel

log = logging.getLogger(__name__)

CLAIMS_PER_RUN = 100
SEND_CONCURRENCY = 10
TENANT_CONCURRENCY = 4


@dataclass
class Ringkasan:
    """What one run did in one tenant."""

    disalurkan: int = 0
    terkirim: int = 0
    diulang: int = 0
    gagal: int = 0

    def add(self, status: StatusPengiriman) -> None:
        if status is StatusPengiriman.TERKIRIM:
            self.terkirim += 1
        elif status is StatusPengiriman.GAGAL:
            self.gagal += 1
        else:
            self.diulang += 1


@dataclass
class Worker:
    settings: Settings
    http: httpx.AsyncClient
    segel: Segel = field(init=False)

    def __post_init__(self) -> None:
        self.segel = Segel.from_settings(self.settings)

    def _lease(self) -> timedelta:
        return timedelta(seconds=self.settings.webhook_timeout_seconds + 60)

    async def run_tenant(self, instansi: Instansi, now: datetime | None = None) -> Ringkasan:
        """One pass over one tenant. ``now`` is the clock (tests move it to reach retries)."""
        moment = now or utc_now()
        summary = Ringkasan()
        bound = as_bound(instansi)
        async with tenant_transaction(bound):
            summary.disalurkan = await salurkan(moment)
        async with tenant_transaction(bound):
            claimed = await klaim(moment, self._lease(), CLAIMS_PER_RUN, instansi.kode)
        gate = asyncio.Semaphore(SEND_CONCURRENCY)

        async def attempt(item):
            async with gate:
                return await kirim(self.http, item, instansi.kode, self.segel, self.settings,
                                   moment)  # fmt: skip

        outcomes = await asyncio.gather(*(attempt(item) for item in claimed))
        if outcomes:
            async with tenant_transaction(bound):
                for outcome in outcomes:
                    summary.add(await catat(outcome, moment, self.settings))
        return summary

    async def subscribed_tenants(self) -> list[Instansi]:
        """Active, current tenants with at least one active subscription."""
        found = []
        for instansi in await servable():
            async with tenant_transaction(as_bound(instansi)):
                rows = await fetch("SELECT EXISTS (SELECT 1 FROM webhook_langganan WHERE aktif)")
            if rows[0]["exists"]:
                found.append(instansi)
        return found

    async def run_many(self, tenants: list[Instansi]) -> list[Instansi]:
        """Run each tenant; those left with deliveries to retry (the loop keeps sweeping
        them)."""
        gate = asyncio.Semaphore(TENANT_CONCURRENCY)

        async def one(instansi: Instansi) -> bool:
            async with gate:
                try:
                    summary = await self.run_tenant(instansi)
                except Exception:  # one tenant's trouble must not stop the others
                    log.exception("webhook run failed", extra={"instansi": instansi.kode})
                    return True
                if summary.disalurkan or summary.terkirim or summary.diulang or summary.gagal:
                    log.info("webhooks", extra={"instansi": instansi.kode, **summary.__dict__})
                return summary.diulang > 0

        retrying = await asyncio.gather(*(one(i) for i in tenants))
        return [i for i, again in zip(tenants, retrying, strict=True) if again]


async def servable() -> list[Instansi]:
    return await Instansi.filter(
        status=StatusInstansi.ACTIVE, schema_version=latest_tenant_version()
    ).order_by("kode")
