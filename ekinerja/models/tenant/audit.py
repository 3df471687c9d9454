"""The tenant's append-only audit log."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditEvent(Model):
    """Who did what, when, to which records. Rows are only ever inserted."""

    id = fields.BigIntField(primary_key=True)
    occurred_at = fields.DatetimeField(auto_now_add=True, source_field="terjadi_pada")
    actor = fields.CharField(
        max_length=100, description="NIP, client id or `system`.", source_field="pelaku"
    )
    action = fields.CharField(max_length=100, source_field="aksi")
    entity = fields.CharField(max_length=50, source_field="entitas")
    entity_id = fields.CharField(max_length=50, null=True, source_field="entitas_id")
    detail = fields.JSONField(default=dict, source_field="rincian")
    request_id = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "audit_event"
        indexes = (("entity", "entity_id"),)
