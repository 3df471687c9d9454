"""The date a query or field reads "as of" when the caller gives none: today where the
request's instansi is (its zone, from the settings read once per request), not in WIB."""

from __future__ import annotations

from datetime import date

from ekinerja.kepegawaian.calendar import tanggal_di
from ekinerja.schema.context import Context, Info
from ekinerja.schema.pengaturan_request import pengaturan_untuk


async def hari_ini(info: Info) -> date:
    return await hari_ini_untuk(info.context)


async def hari_ini_untuk(context: Context) -> date:
    """``hari_ini`` for code that has the request's context and no field (compiled/whole.py)."""
    return tanggal_di((await pengaturan_untuk(context)).zona_waktu)


async def tanggal_atau_hari_ini(info: Info, tanggal: date | None) -> date:
    return tanggal if tanggal is not None else await hari_ini(info)
