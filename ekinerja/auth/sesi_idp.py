"""A browser session's side at the identity provider (issue 18, decision 0017): the refresh
token kept sealed in the session row, the silent refresh when the access grant ends, and its
revocation (RFC 7009) when the session ends.

The refresh token is sealed with AES-GCM under a key derived from EKINERJA_SESSION_SECRET by
HKDF with its own label, and bound to the session (its id's hash is the associated data): a
database reader learns nothing usable, and a sealed token copied onto another row does not
open. It is never logged, never returned.

A refresh runs with the session's row locked (SELECT ... FOR UPDATE): of two requests of one
session arriving when its grant has ended, one asks the provider and the other waits, then
uses the first one's result. Providers rotate refresh tokens and may revoke the whole family
when a spent one is used again, so two refreshes with the same token must never happen.

Every call to the provider has a timeout (`TIMEOUT`). A provider that refuses the grant
(`invalid_grant`: expired, revoked, reused) ends the session: 401 SESSION_EXPIRED. A provider
that is down, slow or answers anything else is 503 IDENTITY_PROVIDER_UNAVAILABLE and the
session is kept: the next request tries again.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from tortoise.transactions import in_transaction

from ekinerja.auth.authentication import TokenAuthenticator, principal_from
from ekinerja.auth.errors import AuthError
from ekinerja.auth.principal import Principal, Role
from ekinerja.auth.sesi import REFRESH_MARGIN, SessionEnded
from ekinerja.auth.setup import session_secret
from ekinerja.db.config import CONNECTION
from ekinerja.models.shared import SesiBrowser
from ekinerja.refusals import RequestRefused
from ekinerja.settings import Settings

log = logging.getLogger(__name__)

# Every call to the identity provider gives up after this long (seconds): discovery, the token
# endpoint, revocation. Below the database's idle-in-transaction limit (60 s by default): a
# refresh holds its session's row lock while it waits.
TIMEOUT = 10.0
RETRY_AFTER_SECONDS = 5
_METADATA_TTL = 3600.0  # seconds the provider's discovery document is kept
_HKDF_LABEL = b"ekinerja/sesi-browser/refresh-token/v1"


class ProviderUnavailable(RequestRefused):
    """The identity provider could not renew the session now; the session is kept."""

    code = "IDENTITY_PROVIDER_UNAVAILABLE"
    http_status = 503

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}


class GrantRefused(Exception):
    """The provider refused the refresh token (`invalid_grant`): the session cannot go on."""


class TokenSeal:
    """Seals refresh tokens with the service's key, bound to one session."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenSeal:
        # Rotating EKINERJA_SESSION_SECRET makes stored tokens unreadable: those sessions end
        # at their grant's end (their people log in again).
        hkdf = HKDF(algorithm=SHA256(), length=32, salt=None, info=_HKDF_LABEL)
        return cls(hkdf.derive(session_secret(settings).encode()))

    def seal(self, token: str, session_hash: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, token.encode(), _aad(session_hash))
        return base64.b64encode(nonce + sealed).decode()

    def open(self, sealed: str, session_hash: str) -> str | None:
        """The token, or None when it does not open (another key, another session's)."""
        try:
            raw = base64.b64decode(sealed)
            return self._aead.decrypt(raw[:12], raw[12:], _aad(session_hash)).decode()
        except (InvalidTag, ValueError):
            return None


def _aad(session_hash: str) -> bytes:
    return f"sesi_browser:{session_hash}".encode()


@dataclass(frozen=True)
class Renewed:
    access_token: str
    refresh_token: str | None  # None: the provider does not rotate, keep the old one


class OidcProvider:
    """The configured OIDC client at its provider: refresh and revoke, each with a timeout."""

    def __init__(self, settings: Settings, http: httpx.AsyncClient | None = None) -> None:
        issuer = settings.oidc_issuer
        self.discovery_url = settings.oidc_discovery_url or (
            f"{issuer}/.well-known/openid-configuration" if issuer else None
        )
        self.client_id = settings.oidc_client_id
        self.client_secret = settings.oidc_client_secret
        self._http = http
        self._metadata: dict[str, Any] | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    @property
    def configured(self) -> bool:
        return bool(self.discovery_url and self.client_id)

    async def _post(self, url: str, form: dict[str, str]) -> httpx.Response:
        auth = None
        if self.client_secret:
            # client_secret_basic, as the login's client authenticates (RFC 6749 2.3.1: the
            # id and secret form-encoded before Basic).
            auth = httpx.BasicAuth(
                quote(self.client_id or "", safe=""), quote(self.client_secret, safe="")
            )
        else:
            form = {**form, "client_id": self.client_id or ""}
        if self._http is not None:
            return await self._http.post(url, data=form, auth=auth, timeout=TIMEOUT)
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            return await http.post(url, data=form, auth=auth)

    async def metadata(self) -> dict[str, Any]:
        async with self._lock:
            if self._metadata is not None and time.monotonic() - self._fetched_at < _METADATA_TTL:
                return self._metadata
            if self.discovery_url is None:
                raise ValueError("no OIDC issuer configured")
            if self._http is not None:
                response = await self._http.get(self.discovery_url, timeout=TIMEOUT)
            else:
                async with httpx.AsyncClient(timeout=TIMEOUT) as http:
                    response = await http.get(self.discovery_url)
            response.raise_for_status()
            found = response.json()
            if not isinstance(found, dict):
                raise ValueError("the discovery document is not a JSON object")
            self._metadata, self._fetched_at = found, time.monotonic()
            return found

    async def refresh(self, refresh_token: str) -> Renewed:
        """New tokens for ``refresh_token``; GrantRefused when the provider refuses that grant,
        ProviderUnavailable when it cannot be asked or answers anything else."""
        try:
            endpoint = (await self.metadata())["token_endpoint"]
            response = await self._post(
                endpoint, {"grant_type": "refresh_token", "refresh_token": refresh_token}
            )
            body = response.json() if response.content else {}
        except (httpx.HTTPError, KeyError, ValueError) as error:
            log.warning("session refresh: the identity provider did not answer (%s)", _kind(error))
            raise ProviderUnavailable(
                "the identity provider could not be reached to renew the browser session; "
                "retry later (the session is kept)"
            ) from None
        error = body.get("error") if isinstance(body, dict) else None
        if response.status_code == 400 and error == "invalid_grant":
            raise GrantRefused("the identity provider refused the session's refresh token")
        access = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not isinstance(access, str):
            # invalid_client and the like are this deployment's configuration, not the
            # person's grant: the session is kept for when it is fixed.
            log.warning(
                "session refresh: the identity provider answered %s %s",
                response.status_code,
                error if isinstance(error, str) else "",
            )
            raise ProviderUnavailable(
                "the identity provider did not renew the browser session "
                f"({response.status_code}); retry later (the session is kept)"
            )
        rotated = body.get("refresh_token")
        return Renewed(access, rotated if isinstance(rotated, str) and rotated else None)

    async def revoke(self, refresh_token: str) -> bool:
        """RFC 7009, best effort: True when the provider confirmed; a failure is logged (never
        the token). A provider without a revocation endpoint: False."""
        try:
            endpoint = (await self.metadata()).get("revocation_endpoint")
            if not isinstance(endpoint, str):
                return False
            response = await self._post(
                endpoint, {"token": refresh_token, "token_type_hint": "refresh_token"}
            )
        except (httpx.HTTPError, ValueError) as error:
            log.warning("session revocation at the identity provider failed (%s)", _kind(error))
            return False
        if response.status_code != 200:
            log.warning(
                "session revocation at the identity provider failed (%s)", response.status_code
            )
            return False
        return True


def _kind(error: Exception) -> str:
    return type(error).__name__


def _principal(row: SesiBrowser) -> Principal:
    return Principal(
        subject=row.nip,
        roles=frozenset(Role(role) for role in row.roles),
        instansi_kode=row.instansi_kode,
        nip=row.nip,
    )


class SessionIdp:
    """What sessions need of the identity provider: the seal, refresh and revocation."""

    def __init__(
        self,
        settings: Settings,
        http: httpx.AsyncClient | None = None,
        tokens: TokenAuthenticator | None = None,
    ) -> None:
        self.seal = TokenSeal.from_settings(settings)
        self.provider = OidcProvider(settings, http)
        self.tokens = tokens  # validates renewed access tokens, as login does

    @classmethod
    def of(
        cls,
        settings: Settings,
        http: httpx.AsyncClient | None = None,
        tokens: TokenAuthenticator | None = None,
    ) -> SessionIdp | None:
        """None when no OIDC login is configured (no session holds a refresh token then)."""
        if not (settings.oidc_issuer and settings.oidc_client_id):
            return None
        return cls(settings, http, tokens)

    async def revoke_sealed(self, sealed: list[tuple[str, str]]) -> None:
        """Revoke at the provider the sealed refresh tokens of sessions just ended, given as
        (session hash, sealed token); best effort, all at once."""
        opened = [self.seal.open(token, session_hash) for session_hash, token in sealed]
        await asyncio.gather(*(self.provider.revoke(token) for token in opened if token))

    async def renew(self, row_id: int, moment: datetime) -> Principal:
        """The principal of a session whose grant has ended (or is about to), after renewing it
        at the provider; the row is locked meanwhile, so a concurrent request of the same
        session waits and then takes this one's result."""
        refusal: RequestRefused | None = None
        spent: str | None = None  # a renewed refresh token to revoke: its session ended
        async with in_transaction(CONNECTION) as connection:
            # Waiting for another request's refresh is bounded: its provider call and check.
            wait = int(3 * TIMEOUT * 1000)
            await connection.execute_query(f"SET LOCAL lock_timeout = {wait}")
            row = await SesiBrowser.select_for_update().using_db(connection).get_or_none(id=row_id)
            if row is None or row.revoked_at is not None or moment >= row.expires_at:
                raise SessionEnded("the browser session was ended: log in again")
            grant = row.token_expires_at
            if grant is None or moment < grant - REFRESH_MARGIN or grant >= row.expires_at:
                return _principal(row)  # renewed meanwhile by another request: its result
            token = None
            if row.refresh_token_sealed:
                token = self.seal.open(row.refresh_token_sealed, row.hash)
            if token is None:  # none kept, or it no longer opens (the secret was rotated)
                if moment < grant:
                    return _principal(row)
                refusal = SessionEnded("the browser session's grant has ended: log in again")
            else:
                # ProviderUnavailable goes up from here, nothing written: the session is kept.
                try:
                    renewed = await self.provider.refresh(token)
                except GrantRefused:
                    refusal = SessionEnded(
                        "the identity provider ended the browser session: log in again"
                    )
            if refusal is None:
                kept = renewed.refresh_token or token
                try:
                    checked = await self._check(renewed.access_token, row)
                except ProviderUnavailable as unavailable:
                    # The old token is spent: the new one is kept for the next attempt.
                    row.refresh_token_sealed = self.seal.seal(kept, row.hash)
                    await row.save(using_db=connection, update_fields=["refresh_token_sealed"])
                    refusal = unavailable
                except AuthError as refused:
                    log.info("session refresh: the renewed token is refused: %s", refused.message)
                    refusal = SessionEnded(
                        "the identity provider no longer vouches for this session "
                        f"({refused.message}): log in again"
                    )
                    spent = kept
                    await self._end(row, moment, connection)
                else:
                    row.roles = sorted(role.value for role in checked.roles)
                    row.refresh_token_sealed = self.seal.seal(kept, row.hash)
                    row.token_expires_at = min(checked.token_exp, row.expires_at)
                    row.last_seen_at = moment
                    await row.save(
                        using_db=connection,
                        update_fields=[
                            "roles",
                            "refresh_token_sealed",
                            "token_expires_at",
                            "last_seen_at",
                        ],
                    )
                    return _principal(row)
            elif isinstance(refusal, SessionEnded):
                await self._end(row, moment, connection)
        if spent is not None:
            await self.provider.revoke(spent)
        raise refusal

    async def _end(self, row: SesiBrowser, moment: datetime, connection) -> None:
        row.revoked_at = moment
        row.refresh_token_sealed = None
        await row.save(using_db=connection, update_fields=["revoked_at", "refresh_token_sealed"])

    async def _check(self, access_token: str, row: SesiBrowser) -> _Checked:
        """The renewed access token validated as login validates it, and the person it names:
        the session's own (the same NIP of the same instansi), or AuthError."""
        if self.tokens is None:
            raise AuthError("no token validator to renew browser sessions with")
        try:
            verified = await self.tokens.verify(access_token)
        except AuthError as error:
            if error.code == "JWKS_UNAVAILABLE":
                raise ProviderUnavailable(_JWKS_DOWN) from None
            raise
        principal = await principal_from(verified)
        if not principal.is_person or principal.nip != row.nip:
            raise AuthError("the renewed token names another principal")
        if principal.instansi_kode != row.instansi_kode:
            raise AuthError("the renewed token names another instansi")
        return _Checked(principal.roles, datetime.fromtimestamp(verified.claims["exp"], UTC))


_JWKS_DOWN = (
    "the identity provider's signing keys could not be fetched to renew the browser session; "
    "retry later (the session is kept)"
)


@dataclass(frozen=True)
class _Checked:
    roles: frozenset[Role]
    token_exp: datetime
