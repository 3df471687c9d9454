"""Mutations of the kepegawaian domain. Expected failures come back as data."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.kepegawaian.enums import PeranAtasan as PeranAtasanEnum
from ekinerja.kepegawaian.overrides import OverrideError, OverrideRequest, set_atasan_override
from ekinerja.schema.context import Info
from ekinerja.schema.kepegawaian.types import Pegawai, load_pegawai
from ekinerja.schema.mutation_errors import MutationError
from ekinerja.schema.permissions import require

PeranAtasan = strawberry.enum(PeranAtasanEnum)


@strawberry.input(description="Who appraises a pegawai from a date, decided by an admin.")
class AtasanOverrideInput:
    pegawai_nip: str
    peran: PeranAtasan
    berlaku_mulai: date
    alasan: str = strawberry.field(description="Why; kept in the audit log.")
    atasan_nip: str | None = strawberry.field(default=None, description="A pegawai, or…")
    eksternal_nama: str | None = strawberry.field(default=None, description="…someone outside.")
    eksternal_jabatan: str | None = None
    berlaku_sampai: date | None = None


@strawberry.type
class AtasanOverrideSet:
    override_id: strawberry.ID
    pegawai_id: strawberry.Private[int]

    @strawberry.field
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.pegawai_id)


SetAtasanOverrideResult = Annotated[
    AtasanOverrideSet | MutationError, strawberry.union("SetAtasanOverrideResult")
]


@strawberry.type
class KepegawaianMutation:
    @strawberry.mutation(permission_classes=[require(Operation.WRITE_ATASAN_OVERRIDE)])
    async def set_atasan_override(
        self, info: Info, input: AtasanOverrideInput
    ) -> SetAtasanOverrideResult:
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
        return AtasanOverrideSet(
            override_id=strawberry.ID(str(override.id)), pegawai_id=override.pegawai_id
        )
