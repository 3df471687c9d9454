"""Assembling authentication for the running service from its settings."""

from __future__ import annotations

import secrets

import httpx

from ekinerja.auth.authentication import TokenAuthenticator
from ekinerja.auth.dev_tokens import dev_issuer
from ekinerja.auth.issuers import IssuerDirectory
from ekinerja.auth.jwks import JwksCache
from ekinerja.auth.service_tokens import service_issuer
from ekinerja.auth.tokens import TokenValidator
from ekinerja.settings import Settings


def token_authenticator(settings: Settings, http: httpx.AsyncClient) -> TokenAuthenticator:
    """Trusted issuers come from the registry; the local development issuer is added only in
    development mode, so its tokens mean nothing to a production service; this service's own
    client-credentials issuer whenever it has a signing key."""
    extra = () if settings.is_production else (dev_issuer(settings),)
    service = service_issuer(settings)
    if service is not None:
        extra += (service,)
    issuers = IssuerDirectory(extra=extra)
    jwks = JwksCache(http, min_refetch_interval=settings.jwks_refetch_seconds)
    return TokenAuthenticator(TokenValidator(issuers.get, jwks), issuers)


class MissingSessionSecret(RuntimeError):
    pass


def session_secret(settings: Settings) -> str:
    if settings.session_secret:
        return settings.session_secret
    if settings.is_production:
        raise MissingSessionSecret("EKINERJA_SESSION_SECRET must be set in production")
    path = settings.data_dir / "session-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
