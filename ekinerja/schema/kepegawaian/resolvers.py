"""Resolvers of the kepegawaian queries: thin calls into ekinerja.kepegawaian services."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from ekinerja.kepegawaian import bawahan, units
from ekinerja.kepegawaian.pages import Page, PageError, PageRequest
from ekinerja.kepegawaian.search import PegawaiFilter, search_pegawai
from ekinerja.models.tenant import Pegawai as PegawaiModel
from ekinerja.schema.context import Info
from ekinerja.schema.errors import ClientError
from ekinerja.schema.ids import parse_id
from ekinerja.schema.kepegawaian import dataloaders as dl
from ekinerja.schema.kepegawaian.types import (
    PageInfo,
    Pegawai,
    PegawaiConnection,
    PegawaiEdge,
    UnitKerja,
)
from ekinerja.schema.tanggal import tanggal_atau_hari_ini

_TANGGAL = "The day to read as of (ISO date); default today in the instansi's time zone."


class PegawaiNotFound(ClientError):
    code = "PEGAWAI_NOT_FOUND"


class InvalidArgument(ClientError):
    code = "INVALID_INPUT"


def page_request(first: int, after: str | None) -> PageRequest:
    try:
        return PageRequest.parse(first, after)
    except PageError as error:
        raise InvalidArgument(f"{error.field}: {error.message}") from None


async def connection(info: Info, page: Page) -> PegawaiConnection:
    loaded = await info.context.loader(dl.pegawai_by_id).load_many(page.ids)
    edges = [
        PegawaiEdge(cursor=cursor, node=Pegawai.from_model(model))
        for cursor, model in zip(page.cursors, loaded, strict=True)
        if model is not None
    ]
    return PegawaiConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
    )


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
class PegawaiFilterInput:
    q: str | None = strawberry.field(default=None, description="NIP prefix or part of the name.")
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
        PegawaiFilterInput | None, strawberry.argument(description="Criteria; null: everyone.")
    ] = None,
    first: Annotated[int, strawberry.argument(description="Page size, 1 to 100.")] = 20,
    after: Annotated[
        str | None,
        strawberry.argument(
            description="The `endCursor` of the previous page; null for the first."
        ),
    ] = None,
    tanggal: Annotated[date | None, strawberry.argument(description=_TANGGAL)] = None,
) -> PegawaiConnection:
    given = filter or PegawaiFilterInput()
    criteria = PegawaiFilter(
        q=given.q,
        unit_id=parse_id(given.unit_id, "filter.unitId", "UnitKerja"),
        include_subunits=given.termasuk_sub_unit,
        jabatan_id=parse_id(given.jabatan_id, "filter.jabatanId", "Jabatan"),
    )
    on = await tanggal_atau_hari_ini(info, tanggal)
    page = await search_pegawai(criteria, on, page_request(first, after))
    return await connection(info, page)


async def resolve_bawahan(
    info: Info, pegawai_id: int, first: int, after: str | None, on: date, semua: bool
) -> PegawaiConnection:
    request = page_request(first, after)
    if semua:
        page = await bawahan.subtree_bawahan_page(pegawai_id, on, request)
    else:
        page = await bawahan.direct_bawahan_page(pegawai_id, on, request)
    return await connection(info, page)


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
