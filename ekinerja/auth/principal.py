"""Who is calling: the principal every authorization decision looks at."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Role(StrEnum):
    PEGAWAI = "PEGAWAI"
    ADMIN_INSTANSI = "ADMIN_INSTANSI"
    CENTRAL_ADMIN = "CENTRAL_ADMIN"
    API_CLIENT = "API_CLIENT"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    A person carries a NIP and belongs to one instansi (``instansi_kode``); a BKN central admin
    may read any instansi; an API client has scopes and the instansi it was granted.
    """

    subject: str
    roles: frozenset[Role]
    instansi_kode: str | None = None
    nip: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    granted_instansi: frozenset[str] = field(default_factory=frozenset)
    restricted_to_documents: bool = False
    """An API client that may run only its registered (trusted) documents (decision 0015)."""

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_person(self) -> bool:
        return self.nip is not None

    def with_role(self, role: Role) -> Principal:
        return replace(self, roles=self.roles | {role})

    @property
    def client_id(self) -> str | None:
        """The registered API client's id, for an API client."""
        return self.subject.removeprefix("client:") if self.has_role(Role.API_CLIENT) else None

    def may_select(self, kode: str) -> bool:
        """Whether this principal may bind a request to instansi ``kode``."""
        if self.has_role(Role.CENTRAL_ADMIN):
            return True
        if self.has_role(Role.API_CLIENT):
            return kode in self.granted_instansi
        return kode == self.instansi_kode
