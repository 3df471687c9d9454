"""Real tokens for tests, signed by the test identity provider, which the test session
registers as a central issuer (tokens name their instansi in the `instansi` claim)."""

from __future__ import annotations

from ekinerja.auth.principal import Role
from tests.support.idp import TestIdentityProvider

_ROLE_CLAIMS = {Role.ADMIN_INSTANSI: "admin-instansi", Role.CENTRAL_ADMIN: "bkn-admin"}


def person_token(
    idp: TestIdentityProvider, kode: str | None, nip: str, *roles: Role, **claims
) -> str:
    body = {
        "sub": f"user-{nip}",
        "preferred_username": nip,
        "realm_access": {"roles": [_ROLE_CLAIMS[r] for r in roles if r in _ROLE_CLAIMS]},
        **claims,
    }
    if kode is not None:
        body["instansi"] = kode
    return idp.token(body)


def client_token(idp: TestIdentityProvider, client_id: str, *scopes: str) -> str:
    return idp.token({"sub": f"service-{client_id}", "azp": client_id, "scope": " ".join(scopes)})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def principal_header(idp: TestIdentityProvider, kode: str, nip: str, *roles: Role) -> dict:
    """Headers for a person of instansi ``kode`` acting in it."""
    return bearer(person_token(idp, kode, nip, *roles)) | {"X-Instansi": kode}


CENTRAL_ADMIN_NIP = "197001011990031001"


def central_admin_headers(idp: TestIdentityProvider, kode: str | None = None) -> dict[str, str]:
    headers = bearer(person_token(idp, None, CENTRAL_ADMIN_NIP, Role.CENTRAL_ADMIN))
    return headers | ({"X-Instansi": kode} if kode else {})
