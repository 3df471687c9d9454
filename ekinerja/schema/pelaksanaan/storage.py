"""The evidence store and its limits, as the running app holds them."""

from __future__ import annotations

from ekinerja.pelaksanaan.bukti import Limits
from ekinerja.schema.context import Context, Info
from ekinerja.storage import ObjectStore


def store_of(info: Info) -> ObjectStore:
    return store_in(info.context)


def store_in(context: Context) -> ObjectStore:
    return context.request.app.state.evidence_store


def limits(info: Info) -> Limits:
    s = info.context.settings
    return Limits(
        max_bytes=s.evidence_max_bytes,
        upload_expiry_seconds=s.evidence_upload_expiry_seconds,
        download_expiry_seconds=s.evidence_download_expiry_seconds,
        pending_ttl_seconds=s.evidence_pending_ttl_seconds,
    )
