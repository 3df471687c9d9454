"""The tenant's transactional outbox: domain events written in the transaction of the change
they describe, so an event exists exactly when its change committed (decision 0012)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class OutboxEvent(Model):
    """One domain event. Rows are only ever inserted (by `ekinerja.peristiwa.outbox`, which sets
    ``txid``); readers see an event once every transaction that could precede it has ended."""

    id = fields.BigIntField(primary_key=True)
    txid = fields.BigIntField(
        description="pg_current_xact_id() of the writing transaction: the feed's order."
    )
    jenis = fields.CharField(max_length=60, description="Event type, e.g. skp.disetujui.")
    entitas = fields.CharField(max_length=40)
    entitas_id = fields.CharField(max_length=50)
    data = fields.JSONField()
    terjadi_pada = fields.DatetimeField()

    class Meta:
        table = "outbox_event"
        indexes = (("txid", "id"),)


class OutboxPangkas(Model):
    """Where the outbox was pruned up to (one row): a feed cursor before it is refused as
    expired rather than silently skipping what was deleted."""

    id = fields.IntField(primary_key=True)
    posisi_txid = fields.BigIntField()
    posisi_id = fields.BigIntField()
    dipangkas_pada = fields.DatetimeField()

    class Meta:
        table = "outbox_pangkas"
