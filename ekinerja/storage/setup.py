"""Choosing and configuring the evidence store from the settings."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ekinerja.settings import Settings, StorageBackend
from ekinerja.storage.base import ObjectStore
from ekinerja.storage.local import LocalStore
from ekinerja.storage.s3 import S3Store


class MissingStorageSecret(RuntimeError):
    pass


def store_from_settings(settings: Settings) -> ObjectStore:
    if settings.storage_backend is StorageBackend.S3:
        return S3Store(
            bucket=settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            public_endpoint_url=settings.s3_public_endpoint_url,
            connect_timeout=settings.s3_connect_timeout_seconds,
            read_timeout=settings.s3_read_timeout_seconds,
            max_attempts=settings.s3_max_attempts,
        )
    return LocalStore(
        settings.storage_dir or settings.data_dir / "evidence",
        public_base_url(settings),
        storage_signing_secret(settings),
    )


def public_base_url(settings: Settings) -> str:
    """Where browsers reach this service: the configured public URL, else host and port."""
    return (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")


def storage_signing_secret(settings: Settings) -> bytes:
    """The local store's HMAC key. Configured explicitly; else, in production, derived from the
    session secret (HMAC with a fixed label, so neither key reveals the other and one secret is
    enough to run); else, in development, generated once under data_dir like the session
    secret."""
    if settings.storage_signing_secret:
        return settings.storage_signing_secret.encode()
    if settings.is_production:
        if not settings.session_secret:
            raise MissingStorageSecret(
                "EKINERJA_STORAGE_SIGNING_SECRET (or EKINERJA_SESSION_SECRET) must be set in "
                "production to sign the local store's upload and download links"
            )
        label = b"ekinerja/local-storage-signing/v1"
        return hmac.new(settings.session_secret.encode(), label, hashlib.sha256).digest()
    path = settings.data_dir / "storage-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip().encode()
