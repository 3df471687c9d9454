"""Mutations of the kepegawaian domain. Expected failures come back as data."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.kepegawaian.pengecualian_atasan import (
    OverrideError,
    OverrideRequest,
    set_atasan_override,
)
from ekinerja.models.tenant import AtasanOverride
from ekinerja.schema.context import Info
from ekinerja.schema.ids import gid
from ekinerja.schema.kepegawaian import pengecualian
from ekinerja.schema.kepegawaian.pengecualian import (
    AkhiriPengecualianAtasanResult,
    PengecualianAtasan,
    PeranAtasan,
)
from ekinerja.schema.kepegawaian.types import Pegawai, load_pegawai
from ekinerja.schema.mutation_errors import MutationError
from ekinerja.schema.permissions import require


@strawberry.input(description="Who appraises a pegawai from a date, decided by an admin.")
class PengecualianAtasanInput:
    pegawai_nip: str = strawberry.field(description="NIP of the pegawai being appraised.")
    peran: PeranAtasan = strawberry.field(description="The role this override decides.")
    berlaku_mulai: date = strawberry.field(
        description="First day it applies; an open override of the same role ends there."
    )
    alasan: str = strawberry.field(description="Why; kept in the audit log.")
    atasan_nip: str | None = strawberry.field(default=None, description="A pegawai, or…")
    eksternal_nama: str | None = strawberry.field(default=None, description="…someone outside.")
    eksternal_jabatan: str | None = strawberry.field(
        default=None, description="With eksternalNama: that person's position (e.g. Bupati)."
    )
    berlaku_sampai: date | None = strawberry.field(
        default=None, description="Day it stops applying (exclusive); null: open-ended."
    )


@strawberry.type(description="The pengecualian atasan (override) was recorded.")
class PengecualianAtasanDiatur:
    override_id: strawberry.ID = strawberry.field(
        description="The override's id (PengecualianAtasan.id).", name="pengecualianId"
    )
    pegawai_id: strawberry.Private[int]
    row: strawberry.Private[AtasanOverride]

    @strawberry.field(description="The override as recorded.")
    def pengecualian(self) -> PengecualianAtasan:
        return PengecualianAtasan.of(self.row)

    @strawberry.field(description="The pegawai it applies to (read their `atasan` to check).")
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.pegawai_id)


AturPengecualianAtasanResult = Annotated[
    PengecualianAtasanDiatur | MutationError,
    strawberry.union(
        "AturPengecualianAtasanResult",
        description="PengecualianAtasanDiatur, or a MutationError saying why nothing was recorded.",
    ),
]


@strawberry.type
class KepegawaianMutation:
    @strawberry.mutation(
        description="Record a pengecualian atasan: from a date, a pegawai's penilai (or atasan "
        "penilai) is this pegawai or this person outside the system, whatever the unit tree "
        "says (atasan-override:write: the admin instansi; audited). Refused as "
        "MutationError INVALID_INPUT naming the field. Listed by pengecualianAtasan; ended "
        "early or removed by akhiriPengecualianAtasan.",
        permission_classes=[require(Operation.WRITE_ATASAN_OVERRIDE)],
    )
    async def atur_pengecualian_atasan(
        self,
        info: Info,
        input: Annotated[PengecualianAtasanInput, strawberry.argument(description="The override.")],
    ) -> AturPengecualianAtasanResult:
        request = OverrideRequest(
            pegawai_nip=input.pegawai_nip,
            peran=input.peran,
            berlaku_mulai=input.berlaku_mulai,
            alasan=input.alasan,
            atasan_nip=input.atasan_nip,
            eksternal_nama=input.eksternal_nama,
            eksternal_jabatan=input.eksternal_jabatan,
            berlaku_sampai=input.berlaku_sampai,
        )
        try:
            override = await set_atasan_override(request, actor=info.context.principal.subject)
        except OverrideError as error:
            return MutationError(code="INVALID_INPUT", message=error.message, field=error.field)
        return PengecualianAtasanDiatur(
            override_id=gid("PengecualianAtasan", override.id),
            pegawai_id=override.pegawai_id,
            row=override,
        )

    akhiri_pengecualian_atasan: AkhiriPengecualianAtasanResult = strawberry.mutation(
        resolver=pengecualian.akhiri_pengecualian_atasan,
        description=pengecualian.AKHIRI_DESCRIPTION,
        permission_classes=[require(Operation.WRITE_ATASAN_OVERRIDE)],
    )
