"""Webhook subscriptions of API clients and their deliveries, in the tenant's schema: the
tenant's role guards them like any other tenant data, and fanning events out to deliveries
commits together with the subscription's position in the feed (decision 0013)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from ekinerja.webhooks.enums import StatusPengiriman


class WebhookLangganan(Model):
    """One API client's subscription: where to POST which event types."""

    id = fields.IntField(primary_key=True)
    client_id = fields.CharField(max_length=255, description="The subscribing API client.")
    url = fields.CharField(max_length=500)
    jenis = fields.JSONField(description="Event types delivered (a list of jenis).")
    rahasia = fields.TextField(description="The signing secret, sealed (AES-GCM).")
    rahasia_lama = fields.TextField(null=True, description="The previous secret, while valid.")
    rahasia_lama_sampai = fields.DatetimeField(null=True)
    aktif = fields.BooleanField(default=True)
    posisi_txid = fields.BigIntField(default=0, description="Fanned out up to here (feed).")
    posisi_id = fields.BigIntField(default=0)
    dibuat_pada = fields.DatetimeField(auto_now_add=True)
    dicabut_pada = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_langganan"
        indexes = (("client_id",),)


class WebhookPengiriman(Model):
    """One event to one subscription, with its attempts."""

    id = fields.BigIntField(primary_key=True)
    langganan = fields.ForeignKeyField(
        "tenant.WebhookLangganan", related_name="pengiriman", on_delete=fields.CASCADE
    )
    event = fields.ForeignKeyField(
        "tenant.OutboxEvent", related_name="pengiriman", on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(StatusPengiriman, max_length=10)
    percobaan = fields.IntField(default=0, description="Attempts made so far.")
    berikutnya_pada = fields.DatetimeField(description="When it is due (or its lease ends).")
    kode_terakhir = fields.IntField(null=True, description="HTTP status of the last attempt.")
    galat_terakhir = fields.TextField(null=True)
    terkirim_pada = fields.DatetimeField(null=True)
    dibuat_pada = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "webhook_pengiriman"
        unique_together = (("langganan", "event"),)
        indexes = (
            ("status", "berikutnya_pada"),
            ("langganan_id", "id"),
            ("status", "id"),
            ("event_id",),
        )
