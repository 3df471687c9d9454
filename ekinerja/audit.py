"""Writing the tenant's audit log. Call inside the tenant binding, in the same transaction as
the change it records, so a change and its audit entry land together or not at all."""

from __future__ import annotations

from typing import Any

from ekinerja.logging import request_id_var
from ekinerja.models.tenant import AuditEvent


async def record(
    actor: str, action: str, entity: str, entity_id: object | None, **detail: Any
) -> AuditEvent:
    return await AuditEvent.create(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail=detail,
        request_id=request_id_var.get(),
    )
