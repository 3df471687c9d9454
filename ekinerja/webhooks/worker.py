"""Delivering webhooks, one tenant at a time (the loop that calls this is
ekinerja/background.py).

Per tenant, a pass fans new outbox events out to deliveries, claims what is due and what the
process has room for (`kapasitas.py`: a bound in all and per receiver), sends each claim
outside any transaction and records each outcome as soon as it is known. In the running loop
(`run_many`) the sends go on in the background: a receiver that hangs holds only its own
slots, and the next pass (new events, other receivers) does not wait for it. Several workers
may run: claims and fan-out skip rows another worker holds.
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
from ekinerja.observability import tracing
from ekinerja.observability.metrics import WEBHOOK_DELIVERIES
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.tenants.schema_versions import latest_tenant_version, serves
from ekinerja.webhooks.enums import StatusPengiriman
from ekinerja.webhooks.kapasitas import Kapasitas
from ekinerja.webhooks.pengirim import kirim
from ekinerja.webhooks.pengiriman import Klaim, catat, klaim, salurkan
from ekinerja.webhooks.rahasia import Segel

log = logging.getLogger(__name__)

CLAIMS_PER_RUN = 100
# /metrics' outcome of an attempt, by the status it left its delivery in.
_OUTCOMES = {
    StatusPengiriman.TERKIRIM: "delivered",
    StatusPengiriman.MENUNGGU: "failed",  # retried later
    StatusPengiriman.GAGAL: "dead",
}
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
    kapasitas: Kapasitas = field(init=False)
    _claiming: asyncio.Lock = field(init=False, default_factory=asyncio.Lock)
    _sending: set[asyncio.Task] = field(init=False, default_factory=set)
    _sweep_again: dict[str, Instansi] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.segel = Segel.from_settings(self.settings)
        self.kapasitas = Kapasitas(
            self.settings.webhook_max_in_flight, self.settings.webhook_max_in_flight_per_receiver
        )

    def _lease(self) -> timedelta:
        return timedelta(seconds=self.settings.webhook_timeout_seconds + 60)

    async def run_tenant(self, instansi: Instansi, now: datetime | None = None) -> Ringkasan:
        """One pass over one tenant, returning once its attempts are recorded. ``now`` is the
        clock (tests move it to reach retries)."""
        moment = now or utc_now()
        summary, claimed, _ = await self._claim(instansi, moment)
        return await self._send(instansi, claimed, moment, summary)

    async def _claim(
        self, instansi: Instansi, moment: datetime
    ) -> tuple[Ringkasan, list[Klaim], bool]:
        """Fan out, then claim what there is room for; the last item tells whether the room
        may have left due deliveries behind."""
        summary = Ringkasan()
        bound = as_bound(instansi)
        async with tenant_transaction(bound):
            summary.disalurkan = await salurkan(moment)
        # One claim at a time in this process, so two tenants cannot both take the last slot.
        async with self._claiming:
            room, open_now = self.kapasitas.ruang()
            limit = min(CLAIMS_PER_RUN, room)
            claimed: list[Klaim] = []
            if limit > 0:
                async with tenant_transaction(bound):
                    claimed = await klaim(moment, self._lease(), limit, instansi.kode,
                                          self.kapasitas.per_penerima, open_now)  # fmt: skip
                self.kapasitas.ambil(item.penerima for item in claimed)
        return summary, claimed, limit == 0 or len(claimed) == limit or bool(open_now)

    async def _send(
        self, instansi: Instansi, claimed: list[Klaim], moment: datetime, summary: Ringkasan
    ) -> Ringkasan:
        """Every claimed attempt at once (the claim already kept to the bounds), each outcome
        recorded in its own short transaction as soon as it is known."""
        bound = as_bound(instansi)

        async def attempt(item: Klaim) -> None:
            try:
                with tracing.span(
                    "webhook delivery",
                    **{
                        "ekinerja.instansi": instansi.kode,
                        "ekinerja.webhook.event": item.jenis,
                        "ekinerja.webhook.delivery_id": item.pengiriman_id,
                        "ekinerja.webhook.attempt": item.percobaan + 1,
                    },
                ) as span:
                    hasil = await kirim(self.http, item, instansi.kode, self.segel,
                                        self.settings, moment)  # fmt: skip
                    if span is not None and hasil.kode is not None:
                        span.set_attribute("http.response.status_code", hasil.kode)
            finally:
                self.kapasitas.lepas(item.penerima)
            async with tenant_transaction(bound):
                status = await catat(hasil, moment, self.settings)
            summary.add(status)
            self._count(status, instansi.kode)

        # Every attempt runs to its end even when recording another's outcome fails (the
        # database blinked): an attempt left running untracked would be sent again once its
        # lease ran out. The first failure is raised after all have finished.
        outcomes = await asyncio.gather(
            *(attempt(item) for item in claimed), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return summary

    def _count(self, status: StatusPengiriman, kode: str) -> None:
        outcome = _OUTCOMES[status]
        WEBHOOK_DELIVERIES.labels(outcome, kode if self.settings.metrics_per_instansi else "").inc()

    async def drain(self) -> None:
        """Wait for the attempts `run_many` left running (each is bounded by the webhook
        timeout); call when the loop stops, before the HTTP client and the database close."""
        while self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)

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
        """Start a pass in each tenant: fan-out and claims now, the attempts in the background
        (`drain` waits for them). Returns the tenants to keep sweeping: those that failed,
        whose claim may have left due deliveries behind, or whose finished attempts left
        retries."""
        gate = asyncio.Semaphore(TENANT_CONCURRENCY)

        async def one(instansi: Instansi) -> None:
            async with gate:
                try:
                    summary, claimed, crowded = await self._claim(instansi, utc_now())
                except Exception:  # one tenant's trouble must not stop the others
                    log.exception("webhook run failed", extra={"instansi": instansi.kode})
                    self._sweep_again[instansi.schema_name] = instansi
                    return
            if crowded:
                self._sweep_again[instansi.schema_name] = instansi
            if claimed:
                task = asyncio.create_task(self._finish(instansi, claimed, summary))
                self._sending.add(task)
                task.add_done_callback(self._sending.discard)
            elif summary.disalurkan:
                log.info("webhooks", extra={"instansi": instansi.kode, **summary.__dict__})

        await asyncio.gather(*(one(i) for i in tenants))
        again, self._sweep_again = list(self._sweep_again.values()), {}
        return again

    async def _finish(self, instansi: Instansi, claimed: list[Klaim], summary: Ringkasan) -> None:
        try:
            await self._send(instansi, claimed, utc_now(), summary)
        except Exception:  # unrecorded attempts are retried when their lease runs out
            log.exception("webhook run failed", extra={"instansi": instansi.kode})
            self._sweep_again[instansi.schema_name] = instansi
            return
        if summary.diulang:
            self._sweep_again[instansi.schema_name] = instansi
        if summary.disalurkan or summary.terkirim or summary.diulang or summary.gagal:
            log.info("webhooks", extra={"instansi": instansi.kode, **summary.__dict__})


async def servable() -> list[Instansi]:
    """The active tenants this code can serve (schema_versions.serves: during a rollout, also
    those a newer release migrated with additive migrations only)."""
    code = latest_tenant_version()
    active = await Instansi.filter(status=StatusInstansi.ACTIVE).order_by("kode")
    return [i for i in active if serves(i.schema_version, i.oldest_serving_version, code)]
