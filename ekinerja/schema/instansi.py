"""The `instansi` query: the registry entry of the tenant the operation is bound to."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ekinerja.models import shared as models
from ekinerja.schema.context import Info
from ekinerja.schema.enum_descriptions import described_enum

JenisInstansi = described_enum(
    models.JenisInstansi,
    description="Kind of agency: instansi pusat (central) or daerah (a regional government, "
    "pemda).",
    values={
        models.JenisInstansi.PUSAT: "Instansi pusat: a ministry or national agency.",
        models.JenisInstansi.PROVINSI: "A provincial government (pemerintah provinsi).",
        models.JenisInstansi.KABUPATEN: "A regency government (pemerintah kabupaten).",
        models.JenisInstansi.KOTA: "A city government (pemerintah kota).",
    },
)
StatusInstansi = described_enum(
    models.StatusInstansi,
    description="Whether it is served.",
    values={
        models.StatusInstansi.ACTIVE: "Served.",
        models.StatusInstansi.SUSPENDED: "Suspended by an operator: its requests are refused; "
        "its data is kept.",
    },
)


@strawberry.type(description="A government agency (tenant): its registry entry.")
class Instansi:
    kode: str = strawberry.field(description="Kode instansi.")
    nama: str = strawberry.field(description="The agency's name.")
    jenis: JenisInstansi = strawberry.field(description="Pusat, provinsi, kabupaten or kota.")
    status: StatusInstansi = strawberry.field(description="Whether it is served.")
    schema_version: str | None = strawberry.field(
        description="Latest migration applied to the agency's schema.", name="versiSchema"
    )
    created_at: datetime = strawberry.field(
        description="When it was registered.", name="dibuatPada"
    )

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
