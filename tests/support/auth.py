"""A stand-in authenticator for tests until bearer tokens are validated (issue 4): the test
names the principal in a header. Never used by the service itself."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from ekinerja.auth.principal import Principal, Role

HEADER = "x-test-principal"


class HeaderAuthenticator:
    async def authenticate(self, request: HTTPConnection) -> Principal | None:
        """``kode:nip[:ROLE,ROLE]``"""
        raw = request.headers.get(HEADER)
        if not raw:
            return None
        kode, nip, *rest = raw.split(":")
        roles = frozenset(Role(r) for r in rest[0].split(",")) if rest else frozenset()
        return Principal(subject=nip, instansi_kode=kode, nip=nip, roles=roles)


def principal_header(kode: str, nip: str, *roles: Role) -> dict[str, str]:
    value = f"{kode}:{nip}" + (f":{','.join(roles)}" if roles else "")
    return {HEADER: value}
