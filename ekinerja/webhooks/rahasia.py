"""Webhook signing secrets: made here, shown to the client once, stored sealed.

The worker needs the secret itself to sign (a hash would not do), so it is kept encrypted with
AES-GCM under a key derived from the session secret: a database dump alone does not reveal it.
The subscription id is bound in as associated data, so a sealed secret copied onto another
subscription does not open."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ekinerja.auth.setup import session_secret
from ekinerja.settings import Settings

_LABEL = b"ekinerja/webhook-secrets/v1"
PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


class Segel:
    """Seals and opens secrets with the service's key."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @classmethod
    def from_settings(cls, settings: Settings) -> Segel:
        # Rotating EKINERJA_SESSION_SECRET makes stored secrets unreadable: rotate every
        # subscription's secret afterwards (putarRahasiaWebhook).
        key = hmac.new(session_secret(settings).encode(), _LABEL, hashlib.sha256).digest()
        return cls(key)

    def seal(self, secret: str, langganan_id: int) -> str:
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, secret.encode(), _aad(langganan_id))
        return base64.b64encode(nonce + sealed).decode()

    def open(self, sealed: str, langganan_id: int) -> str:
        raw = base64.b64decode(sealed)
        try:
            return self._aead.decrypt(raw[:12], raw[12:], _aad(langganan_id)).decode()
        except InvalidTag:
            raise ValueError(
                f"the secret of subscription {langganan_id} does not open with this key "
                "(was the session secret rotated?)"
            ) from None


def _aad(langganan_id: int) -> bytes:
    return f"webhook_langganan:{langganan_id}".encode()
