"""This service as a token issuer for API clients (client credentials, RFC 6749 §4.4).

Agencies' integrators get a client id and secret from their admin instansi and trade them at
`POST /oauth/token` for a short-lived JWT, which the service then validates like any trusted
issuer's token (its public keys are static: no JWKS round trip to itself). The key is the
deployment's (`EKINERJA_TOKEN_SIGNING_KEY`); development generates one under the data
directory; production without a key issues nothing and trusts nothing from this issuer.
"""

from __future__ import annotations

import secrets
import time

import orjson
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey

from ekinerja.auth.key_files import rsa_key_from_file_content
from ekinerja.auth.tokens import IssuerConfig
from ekinerja.settings import Settings
from ekinerja.storage.setup import public_base_url

AUDIENCE = "ekinerja"


class NoSigningKey(RuntimeError):
    pass


class InvalidSigningKey(ValueError):
    """EKINERJA_TOKEN_SIGNING_KEY is set but is not a private RSA or P-256 EC JWK."""


def issuer_of(settings: Settings) -> str:
    return public_base_url(settings) + "/oauth"


def signing_key(settings: Settings) -> RSAKey | ECKey:
    if settings.token_signing_key:
        return _configured_key(settings.token_signing_key)
    if settings.is_production:
        raise NoSigningKey("EKINERJA_TOKEN_SIGNING_KEY is not set: the token endpoint is off")
    path = settings.data_dir / "service-signing-key.json"
    if not path.exists():
        key = RSAKey.generate_key(2048, parameters={"kid": "ekinerja-service-1", "use": "sig"})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(orjson.dumps(key.as_dict(private=True)))
        path.chmod(0o600)
    return rsa_key_from_file_content(path.read_bytes())


def _configured_key(text: str) -> RSAKey | ECKey:
    problem = "EKINERJA_TOKEN_SIGNING_KEY is not a private JWK (JSON) of an RSA or P-256 EC key"
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise InvalidSigningKey(f"{problem}: it is not JSON") from None
    kind = data.get("kty") if isinstance(data, dict) else None
    # ES256, the algorithm an EC key signs with here, is defined on P-256 only.
    if kind not in ("RSA", "EC") or (kind == "EC" and data.get("crv") != "P-256"):
        raise InvalidSigningKey(problem)
    try:
        key = (ECKey if kind == "EC" else RSAKey).import_key(data)
    except (JoseError, ValueError, TypeError) as error:
        raise InvalidSigningKey(f"{problem} ({error})") from None
    if not key.is_private:
        raise InvalidSigningKey(f"{problem}: it holds only the public part")
    return key


def public_keys(settings: Settings) -> KeySet:
    key = signing_key(settings)
    return KeySet([type(key).import_key(key.as_dict(private=False))])


def service_issuer(settings: Settings) -> IssuerConfig | None:
    """The issuer config the validator trusts, or None when no key is configured."""
    try:
        keys = public_keys(settings)
    except NoSigningKey:
        return None
    return IssuerConfig(issuer=issuer_of(settings), audiences=(AUDIENCE,), static_keys=keys)


def issue(settings: Settings, client_id: str, scopes: list[str]) -> tuple[str, int]:
    """A signed access token for ``client_id`` with ``scopes``, and its lifetime."""
    key = signing_key(settings)
    now = int(time.time())
    lifetime = settings.token_lifetime_seconds
    claims = {
        "iss": issuer_of(settings),
        "aud": AUDIENCE,
        "sub": f"client:{client_id}",
        "azp": client_id,
        "scope": " ".join(scopes),
        "iat": now,
        "exp": now + lifetime,
        "jti": secrets.token_urlsafe(12),
    }
    algorithm = "ES256" if isinstance(key, ECKey) else "RS256"
    return jwt.encode({"alg": algorithm, "kid": key.kid}, claims, key), lifetime
