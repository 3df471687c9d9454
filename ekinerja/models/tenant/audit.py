"""The tenant's append-only audit log."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditEvent(Model):
    """Who did what, when, to which records. Rows are only ever inserted."""

    id = fields.BigIntField(primary_key=True)
    occurred_at = fields.DatetimeField(auto_now_add=True)
    actor = fields.CharField(max_length=100, description="NIP, client id or `system`.")
    action = fields.CharField(max_length=100)
    entity = fields.CharField(max_length=50)
    entity_id = fields.CharField(max_length=50, null=True)
    detail = fields.JSONField(default=dict)
    request_id = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "audit_event"
        indexes = (("entity", "entity_id"),)
