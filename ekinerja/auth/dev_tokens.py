"""Development tokens for the embedded default: a local signing key under the data directory,
an issuer the service trusts only in development mode, and tokens minted for demo users."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from ekinerja.auth.key_files import rsa_key_from_file_content
from ekinerja.auth.tokens import IssuerConfig
from ekinerja.settings import Settings

DEV_ISSUER = "urn:ekinerja:development"
DEV_AUDIENCE = "ekinerja"
DEV_ADMIN_ROLE = "admin-instansi"
DEV_CENTRAL_ADMIN_ROLE = "bkn-admin"


def _key_file(settings: Settings) -> Path:
    return settings.data_dir / "dev-signing-key.json"


def dev_signing_key(settings: Settings) -> RSAKey:
    """The local key, created on first use. It never leaves the data directory and signs
    nothing the service trusts outside development mode."""
    path = _key_file(settings)
    if path.exists():
        return rsa_key_from_file_content(path.read_bytes())
    key = RSAKey.generate_key(2048, parameters={"kid": "ekinerja-dev-1", "use": "sig"})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(key.as_dict(private=True)))
    path.chmod(0o600)
    return key


def dev_issuer(settings: Settings) -> IssuerConfig:
    public = RSAKey.import_key(dev_signing_key(settings).as_dict(private=False))
    return IssuerConfig(
        issuer=DEV_ISSUER,
        audiences=(DEV_AUDIENCE,),
        static_keys=KeySet([public]),
        admin_role=DEV_ADMIN_ROLE,
        central_admin_role=DEV_CENTRAL_ADMIN_ROLE,
    )


def mint_dev_token(
    settings: Settings,
    *,
    nip: str | None,
    instansi: str | None,
    roles: tuple[str, ...] = (),
    client_id: str | None = None,
    scopes: tuple[str, ...] = (),
    lifetime: int = 8 * 3600,
) -> str:
    now = int(time.time())
    claims: dict = {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "iat": now,
        "exp": now + lifetime,
        "sub": nip or client_id,
        "realm_access": {"roles": list(roles)},
    }
    if nip:
        claims["preferred_username"] = nip
    if instansi:
        claims["instansi"] = instansi
    if client_id:
        claims["azp"] = client_id
        claims["scope"] = " ".join(scopes)
    key = dev_signing_key(settings)
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
