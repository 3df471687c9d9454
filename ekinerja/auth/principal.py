"""Who is calling: the principal every authorization decision looks at."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PEGAWAI = "PEGAWAI"
    ADMIN_INSTANSI = "ADMIN_INSTANSI"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``instansi_kode`` is the tenant the principal belongs to;
    ``nip`` links a person to their pegawai record in it."""

    subject: str
    instansi_kode: str
    nip: str | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)

    def has_role(self, role: Role) -> bool:
        return role in self.roles
