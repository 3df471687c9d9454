"""The instansi's settings for its admin: `pengaturanInstansi` lists every key with its value
and default; `ubahPengaturan` / `pulihkanPengaturan` change one (checked, audited). The two
mutations clear the request's settings (`pengaturan_request.py`), so a later field of the same
request reads the new value."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from ekinerja import pengaturan
from ekinerja.auth.policy import Operation
from ekinerja.schema.context import Info
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.pengaturan_request import pengaturan_berubah
from ekinerja.schema.permissions import ensure_allowed


@strawberry.type(
    description="Pengaturan: one instansi setting (a rule docs/domain.md marks unverified, "
    "decision 0021). Read and changed by the admin instansi (`instansi:configure`)."
)
class Pengaturan:
    kunci: str = strawberry.field(
        description="The setting's key, e.g. `keberatan.batas_hari`, `penilaian.kurva.aturan`."
    )
    keterangan: str = strawberry.field(
        description="What the setting decides and the values it takes, in English."
    )
    nilai: JSON | None = strawberry.field(description="The instansi's value; null: the default.")
    bawaan: JSON = strawberry.field(description="The value in force while nilai is null.")
    berlaku: JSON = strawberry.field(
        description="The value in force now, whole: the curve's rules and policy list every "
        "level and key, the instansi's laid over the defaults."
    )
    diubah_pada: datetime | None = strawberry.field(
        description="When the instansi last set it; null while never set (or reset)."
    )
    masalah: str | None = strawberry.field(
        description="Why nilai is not in force, when it cannot be read (stored before its check "
        "existed, or around the API): the default is in force instead (berlaku) until the "
        "setting is set again or reset. Null when nilai (or the default) is in force."
    )

    @classmethod
    def of(cls, found: pengaturan.Nilai) -> Pengaturan:
        setting = found.setting
        return cls(
            kunci=setting.kunci,
            keterangan=setting.keterangan,
            nilai=found.nilai,
            bawaan=setting.bawaan,
            berlaku=found.berlaku,
            diubah_pada=found.row.updated_at if found.row else None,
            masalah=found.masalah,
        )


PengaturanResult = Annotated[
    Pengaturan | MutationError,
    strawberry.union(
        "PengaturanResult",
        description="The setting as it now stands, or a MutationError (nothing changed): "
        "UNKNOWN_SETTING (`kunci`), INVALID_INPUT (`nilai` fails the setting's check).",
    ),
]
_KUNCI = Annotated[
    str, strawberry.argument(description="The setting's key (see `pengaturanInstansi`).")
]


@strawberry.type
class PengaturanQuery:
    @strawberry.field(description="Admin: every setting of the instansi, in key order.")
    async def pengaturan_instansi(self, info: Info) -> list[Pengaturan]:
        await ensure_allowed(info, Operation.CONFIGURE_INSTANSI)
        return [Pengaturan.of(found) for found in await pengaturan.daftar()]


@strawberry.type
class PengaturanMutation:
    @strawberry.mutation(description="Admin: set one setting; the value is checked (audited).")
    async def ubah_pengaturan(
        self,
        info: Info,
        kunci: _KUNCI,
        nilai: Annotated[
            JSON,
            strawberry.argument(
                description="The new value, as JSON of the shape the setting's `keterangan` "
                "and `bawaan` show."
            ),
        ],
    ) -> PengaturanResult:
        await ensure_allowed(info, Operation.CONFIGURE_INSTANSI)
        actor = info.context.principal.subject
        result = await guarded(lambda: pengaturan.tetapkan(kunci, nilai, actor))
        pengaturan_berubah(info)
        return result if isinstance(result, MutationError) else Pengaturan.of(result)

    @strawberry.mutation(description="Admin: put one setting back to its default (audited).")
    async def pulihkan_pengaturan(self, info: Info, kunci: _KUNCI) -> PengaturanResult:
        await ensure_allowed(info, Operation.CONFIGURE_INSTANSI)
        actor = info.context.principal.subject
        result = await guarded(lambda: pengaturan.kembalikan(kunci, actor))
        pengaturan_berubah(info)
        return result if isinstance(result, MutationError) else Pengaturan.of(result)
