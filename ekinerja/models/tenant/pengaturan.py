"""Per-tenant configuration."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class TenantSetting(Model):
    """A per-tenant configuration value: the rules docs/domain.md marks unverified ([L]) live here,
    not in constants (periodic cadence, curve thresholds, keberatan window, …)."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=100, unique=True, source_field="kunci")
    value = fields.JSONField(source_field="nilai")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "tenant_setting"
