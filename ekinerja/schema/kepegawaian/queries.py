"""Query fields of the kepegawaian domain; each declares its operation in the policy table."""

from __future__ import annotations

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.schema.kepegawaian import pengecualian, resolvers
from ekinerja.schema.kepegawaian.pengecualian import PengecualianAtasanConnection
from ekinerja.schema.kepegawaian.types import Pegawai, PegawaiConnection, UnitKerja
from ekinerja.schema.permissions import require

_directory = [require(Operation.READ_DIRECTORY)]


@strawberry.type
class KepegawaianQuery:
    saya: Pegawai = strawberry.field(
        resolver=resolvers.resolve_me,
        permission_classes=_directory,
        description="The pegawai record of the signed-in principal.",
    )
    pegawai: Pegawai | None = strawberry.field(
        resolver=resolvers.resolve_pegawai,
        permission_classes=_directory,
        description="A pegawai by NIP or NI PPPK; null when this instansi has none.",
    )
    daftar_pegawai: PegawaiConnection = strawberry.field(
        resolver=resolvers.resolve_daftar_pegawai,
        permission_classes=_directory,
        description="Pegawai by NIP prefix or name, unit and jabatan; ordered by name.",
    )
    unit_kerja: UnitKerja | None = strawberry.field(
        resolver=resolvers.resolve_unit_kerja,
        permission_classes=_directory,
        description="A unit as it was on `tanggal` (default today).",
    )
    unit_kerja_akar: list[UnitKerja] = strawberry.field(
        resolver=resolvers.resolve_unit_kerja_akar,
        permission_classes=_directory,
        description="The root units on `tanggal` (default today).",
    )
    pengecualian_atasan: PengecualianAtasanConnection = strawberry.field(
        resolver=pengecualian.resolve_pengecualian_atasan,
        # Who appraises whom, instansi-wide: pegawai:personnel at TENANT reach (the admin
        # instansi, a central admin, an API client with pegawai:read); a pegawai, whose reach
        # is their subordinates, is refused.
        permission_classes=[require(Operation.READ_PERSONNEL)],
        description="The pengecualian atasan (overrides) on record, current, past and future, "
        "newest first (the latest start first, then the latest recorded); an override removed "
        "by akhiriPengecualianAtasan is no longer listed (the audit log keeps it). "
        "pegawai:personnel about anyone in the instansi: the admin instansi, a central admin, "
        "an API client with pegawai:read.",
    )
