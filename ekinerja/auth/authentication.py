"""Turning a request into a principal and the instansi it acts for.

Credentials here are a bearer token; a browser's session cookie is resolved server-side by
ekinerja/http/browser_sessions.py (decision 0017), which wraps this authenticator. Refusals are
AuthError (401/403) or TenantError, raised before any GraphQL runs, so a refused request gets
an error and no data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from starlette.requests import HTTPConnection

from ekinerja.auth.errors import AccessDenied, AuthError
from ekinerja.auth.issuers import IssuerDirectory
from ekinerja.auth.klien_dikenal import dikenal
from ekinerja.auth.principal import Principal, Role
from ekinerja.auth.tokens import TokenValidator, VerifiedToken
from ekinerja.models.shared import Instansi
from ekinerja.tenants.identifiers import normalize_kode
from ekinerja.tenants.registry import servable_entry

TENANT_HEADER = "x-instansi"
_NIP_SHAPE = re.compile(r"\d{18}")


@dataclass(frozen=True)
class Authenticated:
    principal: Principal
    instansi: Instansi | None


class Authenticator(Protocol):
    async def authenticate(self, request: HTTPConnection) -> Authenticated: ...


def credentials(request: HTTPConnection) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("the Authorization header must be `Bearer <token>`")
        return token.strip()
    return None  # a session cookie never carries a token (decision 0017)


class TokenAuthenticator:
    def __init__(self, validator: TokenValidator, issuers: IssuerDirectory) -> None:
        self.validator = validator
        self.issuers = issuers

    async def verify(self, token: str) -> VerifiedToken:
        await self.issuers.refresh_if_stale()
        return await self.validator.validate(token)

    async def authenticate(self, request: HTTPConnection) -> Authenticated:
        token = credentials(request)
        if token is None:
            raise AuthError("authentication required: send `Authorization: Bearer <token>`")
        principal = await principal_from(await self.verify(token))
        return await bind_instansi(principal, request.headers.get(TENANT_HEADER))


async def principal_from(token: VerifiedToken) -> Principal:
    person = token.derived.get("person")
    if person is None:
        person = _person(token)
        if person is None:
            return await _api_client(token)  # the client's state is asked every time
        token.derived["person"] = person  # a function of the claims: once per token
    return person


def _person(token: VerifiedToken) -> Principal | None:
    """The person a token names by its NIP claim, or None when it names none."""
    issuer = token.issuer
    nip = token.claim(issuer.nip_claim)
    if isinstance(nip, str) and _NIP_SHAPE.fullmatch(nip):
        granted_roles = token.roles()  # exact names: "not-admin-instansi" is not admin-instansi
        roles = {Role.PEGAWAI}
        if issuer.admin_role in granted_roles:
            roles.add(Role.ADMIN_INSTANSI)
        if issuer.instansi_kode is None and issuer.central_admin_role in granted_roles:
            roles.add(Role.CENTRAL_ADMIN)
        home = issuer.instansi_kode or token.claim(issuer.tenant_claim)
        if home is None and Role.CENTRAL_ADMIN not in roles:
            raise AccessDenied(f"the token names no instansi (claim `{issuer.tenant_claim}`)")
        return Principal(
            subject=nip,
            roles=frozenset(roles),
            instansi_kode=normalize_kode(home) if home else None,
            nip=nip,
        )
    return None


async def _api_client(token: VerifiedToken) -> Principal:
    client_id = token.claims.get("azp") or token.claims.get("client_id")
    client = (
        await dikenal(client_id)  # remembered in the process, forgotten when it changes
        if isinstance(client_id, str)  # another shape names no client; never a query value
        else None
    )
    if client is None or not client.aktif:
        raise AccessDenied(
            "the token carries neither a NIP nor an active registered API client",
            code="UNKNOWN_PRINCIPAL",
        )
    requested = token.scopes()
    grants = set(client.instansi)
    if token.issuer.instansi_kode is not None:
        grants &= {token.issuer.instansi_kode}
    return Principal(
        subject=f"client:{client.client_id}",
        roles=frozenset({Role.API_CLIENT}),
        scopes=frozenset(requested & client.scopes),
        granted_instansi=frozenset(grants),
        restricted_to_documents=client.hanya_dokumen_terdaftar,
    )


async def bind_instansi(principal: Principal, header: str | None) -> Authenticated:
    """The instansi this request acts for: the one named in the header if the principal may
    act for it, else a person's own; none for a central admin or API client naming none."""
    if header:
        kode = normalize_kode(header)
        if not principal.may_select(kode):
            raise AccessDenied(f"this principal may not act for instansi {kode}")
    elif principal.is_person and not principal.has_role(Role.CENTRAL_ADMIN):
        kode = principal.instansi_kode
    else:
        return Authenticated(principal, None)
    entry = await servable_entry(kode)  # cached in the process (issue 17)
    if (
        principal.is_person
        and not principal.has_role(Role.ADMIN_INSTANSI)
        and principal.nip in entry.admins
    ):
        principal = principal.with_role(Role.ADMIN_INSTANSI)
    return Authenticated(principal, entry.instansi)
