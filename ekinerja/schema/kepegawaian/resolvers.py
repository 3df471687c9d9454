"""Resolvers of the kepegawaian queries: thin calls into ekinerja.kepegawaian services."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from ekinerja.kepegawaian import bawahan, search, units
from ekinerja.models.tenant import Pegawai as PegawaiModel
from ekinerja.paging import DEFAULT_FIRST, Keyset, Page
from ekinerja.schema import connection as conn
from ekinerja.schema.context import Info
from ekinerja.schema.errors import ClientError
from ekinerja.schema.ids import parse_id
from ekinerja.schema.kepegawaian import dataloaders as dl
from ekinerja.schema.kepegawaian.types import Pegawai, PegawaiConnection, UnitKerja
from ekinerja.schema.tanggal import tanggal_atau_hari_ini

_TANGGAL = "The day to read as of (ISO date); default today in the instansi's time zone."


class PegawaiNotFound(ClientError):
    code = "NOT_FOUND"


# Both lists of pegawai are ordered by name, then id (ekinerja/kepegawaian/pages.py).
DAFTAR_PEGAWAI = Keyset("Query.daftarPegawai", ("nama", "id"), (str, int))
BAWAHAN = Keyset("Pegawai.bawahan", ("nama", "id"), (str, int))


async def connection(info: Info, keyset: Keyset, page: Page) -> PegawaiConnection:
    loaded = await info.context.loader(dl.pegawai_by_id).load_many([row["id"] for row in page.rows])
    nodes = [Pegawai.from_model(model) if model else None for model in loaded]
    return conn.connection(info, keyset, page, nodes)


async def resolve_me(info: Info) -> Pegawai:
    principal = info.context.principal
    if principal is None or principal.nip is None:
        raise PegawaiNotFound("this principal is not a pegawai (no NIP)")
    found = await PegawaiModel.get_or_none(nip=principal.nip)
    if found is None:
        raise PegawaiNotFound(f"NIP {principal.nip} is not a pegawai of this instansi")
    return Pegawai.from_model(found)


async def resolve_pegawai(
    info: Info,
    nip: Annotated[str, strawberry.argument(description="NIP or NI PPPK (18 digits).")],
) -> Pegawai | None:
    found = await PegawaiModel.get_or_none(nip=nip.strip())
    return Pegawai.from_model(found) if found else None


@strawberry.input(description="All given criteria must match.")
class PegawaiFilter:
    q: str | None = strawberry.field(
        default=None, description="NIP prefix or part of the name.", name="cari"
    )
    unit_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Pegawai holding a jabatan of this unit on `tanggal` (any penugasan).",
    )
    termasuk_sub_unit: bool = strawberry.field(
        default=False, description="With unitId: also the units below it."
    )
    jabatan_id: strawberry.ID | None = strawberry.field(
        default=None, description="Pegawai holding this jabatan on `tanggal`."
    )


async def resolve_daftar_pegawai(
    info: Info,
    filter: Annotated[
        PegawaiFilter | None, strawberry.argument(description="Criteria; null: everyone.")
    ] = None,
    first: conn.First = DEFAULT_FIRST,
    after: conn.After = None,
    tanggal: Annotated[date | None, strawberry.argument(description=_TANGGAL)] = None,
) -> PegawaiConnection:
    given = filter or PegawaiFilter()
    criteria = search.PegawaiFilter(
        q=given.q,
        unit_id=parse_id(given.unit_id, "filter.unitId", "UnitKerja"),
        include_subunits=given.termasuk_sub_unit,
        jabatan_id=parse_id(given.jabatan_id, "filter.jabatanId", "Jabatan"),
    )
    request = conn.request(info, DAFTAR_PEGAWAI, first, after)
    on = await tanggal_atau_hari_ini(info, tanggal)
    page = await search.search_pegawai(criteria, on, request)
    return await connection(info, DAFTAR_PEGAWAI, page)


async def resolve_bawahan(
    info: Info, pegawai_id: int, first: int, after: str | None, on: date, semua: bool
) -> PegawaiConnection:
    request = conn.request(info, BAWAHAN, first, after)
    if semua:
        page = await bawahan.subtree_bawahan_page(pegawai_id, on, request)
    else:
        page = await bawahan.direct_bawahan_page(pegawai_id, on, request)
    return await connection(info, BAWAHAN, page)


async def resolve_unit_kerja(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The unit's id.")],
    tanggal: Annotated[date | None, strawberry.argument(description=_TANGGAL)] = None,
) -> UnitKerja | None:
    on = await tanggal_atau_hari_ini(info, tanggal)
    unit_id = parse_id(id, "id", "UnitKerja")
    found = await info.context.loader(dl.unit_at).load((unit_id, on))
    return UnitKerja.at(found, on) if found else None


async def resolve_unit_kerja_akar(
    info: Info, tanggal: Annotated[date | None, strawberry.argument(description=_TANGGAL)] = None
) -> list[UnitKerja]:
    on = await tanggal_atau_hari_ini(info, tanggal)
    return [UnitKerja.at(unit, on) for unit in await units.roots(on)]
