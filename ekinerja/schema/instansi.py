"""The `instansi` query: the registry entry of the tenant the operation is bound to."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ekinerja.models import shared as models
from ekinerja.schema.context import Info

JenisInstansi = strawberry.enum(models.JenisInstansi, description="Kind of agency.")
StatusInstansi = strawberry.enum(models.StatusInstansi, description="Whether it is served.")


@strawberry.type(description="A government agency (tenant): its registry entry.")
class Instansi:
    kode: str = strawberry.field(description="Kode instansi.")
    nama: str
    jenis: JenisInstansi
    status: StatusInstansi
    schema_version: str | None = strawberry.field(
        description="Latest migration applied to the agency's schema."
    )
    created_at: datetime

    @classmethod
    def from_model(cls, instansi: models.Instansi) -> Instansi:
        return cls(
            kode=instansi.kode,
            nama=instansi.nama,
            jenis=instansi.jenis,
            status=instansi.status,
            schema_version=instansi.schema_version,
            created_at=instansi.created_at,
        )


def resolve_instansi(info: Info) -> Instansi:
    # The permission class has made sure an instansi is bound.
    return Instansi.from_model(info.context.instansi)
