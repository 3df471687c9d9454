"""The date a query or field reads "as of" when the caller gives none: today where the
request's instansi is (its zone, from the settings read once per request), not in WIB."""

from __future__ import annotations

from datetime import date

from ekinerja.kepegawaian.calendar import tanggal_di
from ekinerja.schema.context import Info
from ekinerja.schema.pengaturan_request import pengaturan_request


async def hari_ini(info: Info) -> date:
    return tanggal_di((await pengaturan_request(info)).zona_waktu)


async def tanggal_atau_hari_ini(info: Info, tanggal: date | None) -> date:
    return tanggal if tanggal is not None else await hari_ini(info)
