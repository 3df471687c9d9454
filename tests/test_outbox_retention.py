"""Pruning the outbox: only what nobody can still need goes (old, fanned out by every live
subscription, awaited by no delivery), as a prefix of the feed; a cursor from before the
pruned prefix is refused as expired; finished deliveries and expired idempotency keys go too;
one tenant's pruning never touches another's."""

from __future__ import annotations

from datetime import timedelta

from tortoise.timezone import now

from ekinerja.auth.principal import Role
from ekinerja.models.tenant import (
    IdempotencyKey,
    OutboxEvent,
    WebhookLangganan,
    WebhookPengiriman,
)
from ekinerja.peristiwa import feed
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit
from ekinerja.peristiwa.retensi import cutoffs, pangkas
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks.enums import StatusPengiriman
from tests.support.ids import gid_of
from tests.support.pelaksanaan import build_team

ST = JenisPeristiwa.SKP_DISETUJUI
FEED = """query($after: String) { peristiwa(after: $after) { nodes { entitasId cursor } } }"""


async def events(tenant, *names: str, days_old: int = 0) -> list[OutboxEvent]:
    async with tenant_transaction(as_bound(tenant)):
        ids = [await emit(ST, "skp", name, {}) for name in names]
        if days_old:
            await OutboxEvent.filter(id__in=ids).update(
                terjadi_pada=now() - timedelta(days=days_old)
            )
        return await OutboxEvent.filter(id__in=ids).order_by("id")


async def prune(tenant, retention_days: int = 90):
    async with tenant_transaction(as_bound(tenant)):
        return await pangkas(*cutoffs(retention_days, 24))


async def remaining(tenant) -> list[str]:
    async with tenant_transaction(as_bound(tenant)):
        return [e.entitas_id for e in await OutboxEvent.all().order_by("txid", "id")]


async def test_old_events_go_and_an_old_cursor_expires(portal, tenant, other_tenant):
    team = await build_team(tenant)
    old = await events(tenant, "a", "b", days_old=120)
    await events(tenant, "c")
    await events(other_tenant, "x", days_old=120)
    page = (await portal.as_(team.rekan, FEED, Role.ADMIN_INSTANSI))["data"]["peristiwa"]
    cursor_after_a = page["nodes"][0]["cursor"]
    cursor_after_b = page["nodes"][1]["cursor"]

    pruned = await prune(tenant)
    assert pruned.events == 2 and await remaining(tenant) == ["c"]
    assert await remaining(other_tenant) == ["x"]  # pruning is per tenant
    expired = await portal.as_(team.rekan, FEED, Role.ADMIN_INSTANSI, after=cursor_after_a)
    assert expired["errors"][0]["extensions"]["code"] == "CURSOR_EXPIRED"
    # A reader who had seen everything pruned goes on; a new reader starts at what is left.
    seen_all = await portal.as_(team.rekan, FEED, Role.ADMIN_INSTANSI, after=cursor_after_b)
    assert [i["entitasId"] for i in seen_all["data"]["peristiwa"]["nodes"]] == ["c"]
    fresh = await portal.as_(team.rekan, FEED, Role.ADMIN_INSTANSI)
    assert [i["entitasId"] for i in fresh["data"]["peristiwa"]["nodes"]] == ["c"]
    assert old[0].id not in [e.id for e in await _all(tenant)]
    assert (await prune(tenant)).events == 0


async def _all(tenant):
    async with tenant_transaction(as_bound(tenant)):
        return await OutboxEvent.all()


async def test_a_replay_from_before_the_pruned_prefix_is_refused(portal, tenant):
    team = await build_team(tenant)
    await events(tenant, "a", "b", days_old=120)
    page = (await portal.as_(team.rekan, FEED, Role.ADMIN_INSTANSI))["data"]["peristiwa"]
    async with tenant_transaction(as_bound(tenant)):
        langganan = await WebhookLangganan.create(
            client_id="hr", url="https://hr.example/h", jenis=[ST.value], rahasia="x",
            posisi_txid=0, posisi_id=0,
        )  # fmt: skip
    async with tenant_transaction(as_bound(tenant)):
        await WebhookLangganan.filter(id=langganan.id).update(posisi_txid=2**62)  # all fanned out
    assert (await prune(tenant)).events == 2
    replay = """mutation($id: ID!, $since: String) { putarUlangWebhook(langgananId: $id,
      sejak: $since) { __typename ... on MutationError { code field } } }"""
    refused = await portal.as_(team.rekan, replay, Role.ADMIN_INSTANSI,
                               id=gid_of(portal.tenant, langganan),
                               since=page["nodes"][0]["cursor"])  # fmt: skip
    assert refused["data"]["putarUlangWebhook"] == {
        "__typename": "MutationError", "code": "CURSOR_EXPIRED", "field": "since"}  # fmt: skip


async def test_subscriptions_and_pending_deliveries_hold_events(tenant):
    a, b, c, d = await events(tenant, "a", "b", "c", "d", days_old=120)
    async with tenant_transaction(as_bound(tenant)):
        # A paused subscription that has fanned out only up to a.
        paused = await WebhookLangganan.create(
            client_id="hr", url="https://hr.example/h", jenis=[ST.value], rahasia="x",
            aktif=False, posisi_txid=a.txid, posisi_id=a.id,
        )  # fmt: skip
    assert (await prune(tenant)).events == 1 and await remaining(tenant) == ["b", "c", "d"]

    async with tenant_transaction(as_bound(tenant)):
        paused.posisi_txid, paused.posisi_id = d.txid, d.id
        await paused.save()
        old_done = now() - timedelta(days=100)
        for event, status in ((b, StatusPengiriman.TERKIRIM), (c, StatusPengiriman.MENUNGGU)):
            made = await WebhookPengiriman.create(langganan=paused, event_id=event.id,
                                                  status=status, berikutnya_pada=now())  # fmt: skip
            await WebhookPengiriman.filter(id=made.id).update(dibuat_pada=old_done)
    pruned = await prune(tenant)
    # b's finished delivery goes, and b with it; c waits for its delivery, so c and d stay.
    assert (pruned.events, pruned.deliveries) == (1, 1)
    assert await remaining(tenant) == ["c", "d"]


async def test_expired_idempotency_keys_go(tenant):
    async with tenant_transaction(as_bound(tenant)):
        for key, hours in (("lama", 30), ("baru", 1)):
            row = await IdempotencyKey.create(client_id="hr", key=key, request_hash="0" * 64)
            await IdempotencyKey.filter(id=row.id).update(
                dibuat_pada=now() - timedelta(hours=hours)
            )
    assert (await prune(tenant)).idempotency_keys == 1
    async with tenant_transaction(as_bound(tenant)):
        assert await IdempotencyKey.all().values_list("key", flat=True) == ["baru"]


def test_positions_order_like_the_feed():
    assert feed.Posisi(1, 99) < feed.Posisi(2, 1) < feed.Posisi(2, 2)
